"""PDF conversion plumbing without LibreOffice: one soffice call per batch, the private
profile and fontconfig file, missing LibreOffice, the fonts.conf shipped in the package."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from fake_pdf import minimal_pdf

from generator import pdf
from generator.fonts import OFFICIAL_FONTS

FAKE_SOFFICE = """#!{python}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
log = Path(os.environ["FAKE_LOG"])
calls = json.loads(log.read_text()) if log.exists() else []
calls.append({{"args": args, "fontconfig": os.environ.get("FONTCONFIG_FILE")}})
log.write_text(json.dumps(calls))
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
for name in args[args.index("--outdir") + 2:]:
    (out / (Path(name).stem + ".pdf")).write_bytes({pdf!r})
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, pdf=minimal_pdf("fake")))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "calls.json"
    monkeypatch.setenv("NIANBAO_SOFFICE", str(script))
    monkeypatch.setenv("FAKE_LOG", str(log))
    return lambda: json.loads(log.read_text())


def _docx(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"PK fake docx")
    return path


def test_one_soffice_run_converts_a_whole_batch(tmp_path, fake_soffice):
    # two workspaces whose reports have the same title must not overwrite each other
    files = [_docx(tmp_path / "a", "报告.docx"), _docx(tmp_path / "b", "报告.docx"),
             _docx(tmp_path / "b", "另一份.docx")]
    made = pdf.convert_to_pdf(files)
    assert made == [f.with_suffix(".pdf") for f in files]
    assert all(p.read_bytes().startswith(b"%PDF") for p in made)
    (call,) = fake_soffice()
    args = call["args"]
    assert args[:2] == ["--headless", "--norestore"] or "--headless" in args
    assert "--convert-to" in args and args[args.index("--convert-to") + 1].startswith("pdf")
    assert any(a.startswith("-env:UserInstallation=file://") for a in args)
    assert len(args) - args.index("--outdir") - 2 == 3
    assert call["fontconfig"] and Path(call["fontconfig"]).name == "fonts.conf"
    assert "FONTCONFIG_FILE" not in os.environ or os.environ["FONTCONFIG_FILE"] != call["fontconfig"]


def test_missing_libreoffice_is_a_chinese_message_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "nowhere"))
    with pytest.raises(pdf.LibreOfficeMissing) as info:
        pdf.convert_to_pdf([_docx(tmp_path, "a.docx")])
    assert "apt-get install" in str(info.value) and "libreoffice-writer-nogui" in str(info.value)


def test_a_pdf_that_was_not_written_is_a_conversion_error(tmp_path, monkeypatch):
    script = tmp_path / "soffice"
    script.write_text(f"#!{sys.executable}\nimport sys\nprint('boom', file=sys.stderr)\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(script))
    with pytest.raises(pdf.ConversionError, match="boom"):
        pdf.convert_to_pdf([_docx(tmp_path, "a.docx")])


def test_build_without_libreoffice_exits_2_and_keeps_the_docx(example_docx, tmp_path,
                                                               monkeypatch, capsys):
    from conftest import EXAMPLES_DIR

    from generator.cli import main

    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "nowhere"))
    with pytest.raises(SystemExit) as info:
        main(["build", str(EXAMPLES_DIR / "zichuan-2024"), "-o", str(tmp_path), "--pdf"])
    assert info.value.code == 2
    assert list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.pdf"))
    assert "apt-get install" in capsys.readouterr().err


def test_build_accepts_several_workspaces_and_converts_them_together(tmp_path, fake_soffice,
                                                                      capsys):
    from conftest import EXAMPLES_DIR

    from generator.cli import main

    with pytest.raises(SystemExit) as info:
        main(["build", str(EXAMPLES_DIR / "zichuan-2024"), str(EXAMPLES_DIR / "funing-2023"),
              "-o", str(tmp_path), "--pdf"])
    assert info.value.code == 0, capsys.readouterr()
    assert len(list(tmp_path.glob("*/*.pdf"))) == 2  # a batch: one folder per 地区
    assert len(fake_soffice()) == 1  # one LibreOffice process for both


def test_fonts_conf_maps_every_official_name():
    with pdf.fontconfig_file() as conf:
        text = conf.read_text(encoding="utf-8")
    assert "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" in text
    for font in OFFICIAL_FONTS:
        for name in (font.name, *font.aliases):
            assert f"<family>{name}</family>" in text, name
        assert f"<family>{font.substitutes[0]}</family>" in text
    from xml.etree import ElementTree

    ElementTree.fromstring(text.split("\n", 2)[2])  # well-formed after the DOCTYPE


@pytest.mark.skipif(not os.path.exists("/usr/bin/fc-match"), reason="fontconfig 未安装")
def test_fonts_preflight_names_the_stand_ins(capsys):
    from generator.cli import main

    with pytest.raises(SystemExit):
        main(["fonts", "--json"])
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {f.name for f in OFFICIAL_FONTS}
    for row in rows.values():
        assert row["used"] and row["package"]
    if not rows["仿宋_GB2312"]["installed"] and rows["仿宋_GB2312"]["ok"]:
        assert "Noto Serif CJK SC" in rows["仿宋_GB2312"]["used"]
        assert rows["方正小标宋简体"]["used"].endswith("Bold")
