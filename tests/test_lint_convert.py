"""``nianbao lint`` of .doc and .wps reports through LibreOffice: a .doc made from a DOCX
by soffice is linted with the DOCX's findings at the same paragraphs; a missing
LibreOffice and a hung one are Chinese messages (exit 2), with nothing left running."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import group_processes

from generator.cli import main
from generator.pdf import _profile_lock, find_soffice, profile_dir

REPO = Path(__file__).resolve().parents[1]
PARAGRAPHS = ("一、主要举措和成效", "全年共办理行政复议案件约件，，群众满意。",
              "认真贯彻《中华人民共和国行政处法》，截止目前已全部整改到位。")

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice (soffice)")


def _docx(folder: Path) -> Path:
    from docx import Document

    doc = Document()
    for text in PARAGRAPHS:
        doc.add_paragraph(text)
    path = folder / "报告 2024.docx"
    doc.save(path)
    return path


def _to_doc(docx: Path, folder: Path) -> Path:
    """Make a Word 97 .doc of ``docx`` with LibreOffice (the way a user's old file looks)."""
    profile = profile_dir()
    with _profile_lock(profile):
        subprocess.run([find_soffice(), "--headless", "--norestore", "--nolockcheck",
                        f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "doc:MS Word 97",
                        "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=120)
    doc = folder / (docx.stem + ".doc")
    assert doc.is_file() and doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # an OLE2 file, not a zip
    return doc


def _lint_json(path: Path, capsys) -> tuple[int, list[dict]]:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--json", str(path)])
    return exit_info.value.code, json.loads(capsys.readouterr().out)["issues"]


def _spots(issues: list[dict]) -> set[tuple[str, int, int]]:
    return {(i["code"], i["line"], i["column"]) for i in issues}


@needs_soffice
def test_a_doc_made_by_libreoffice_lints_like_its_docx(tmp_path, capsys) -> None:
    docx = _docx(tmp_path)
    doc = _to_doc(docx, tmp_path / "doc")
    code, issues = _lint_json(doc, capsys)
    assert code == 1
    got = _spots(issues)
    assert {("blank_figure", 2, 12), ("doubled_punctuation", 2, 14), ("term_near_miss", 3, 6),
            ("typo_confusion", 3, 19)} <= got, got
    assert all(i["file"] == str(doc) for i in issues)
    _, from_docx = _lint_json(docx, capsys)
    assert _spots(from_docx) == got
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # the input is left as it was


@needs_soffice
def test_a_wps_file_is_read_the_same_way(tmp_path, capsys) -> None:
    doc = _to_doc(_docx(tmp_path), tmp_path)
    wps = doc.with_name("报告.wps")  # WPS saves its .wps as the same OLE2 Word format
    shutil.copyfile(doc, wps)
    code, issues = _lint_json(wps, capsys)
    assert code == 1 and ("term_near_miss", 3, 6) in _spots(issues)


def test_without_libreoffice_the_message_says_what_to_do(tmp_path, monkeypatch, capsys) -> None:
    doc = tmp_path / "报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "没有这个程序"))
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", str(doc)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "需要 LibreOffice" in err and "另存为" in err and ".docx" in err and "报告.doc" in err
    assert "Traceback" not in err


@needs_soffice
def test_a_file_libreoffice_cannot_read_is_a_chinese_error(tmp_path, capsys) -> None:
    doc = tmp_path / "坏文件.doc"
    doc.write_bytes(b"\x00\x01 not a word file " * 10)
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", str(doc)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "坏文件.doc" in err and "Traceback" not in err


FAKE_HUNG = """#!{python}
import os, subprocess, sys, time
child = subprocess.Popen(["sleep", "120"])
open(os.environ["FAKE_PIDS"], "w").write(f"{{os.getpgid(0)}} {{child.pid}}")
time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_hung_libreoffice_is_killed_with_its_children_after_the_timeout(tmp_path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(FAKE_HUNG.format(python=sys.executable))
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    doc = tmp_path / "报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    pids = tmp_path / "pids"
    env = dict(os.environ, NIANBAO_SOFFICE=str(fake), FAKE_PIDS=str(pids), NIANBAO_CONVERT_TIMEOUT="2",
               TMPDIR=str(tmp_path), PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "generator", "lint", str(doc)], env=env, cwd=REPO,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        started = time.monotonic()
        _, stderr = proc.communicate(timeout=30)
        pgid, _child = map(int, pids.read_text().split())
        assert proc.returncode == 2, stderr
        assert "超过 2 秒" in stderr and "报告.doc" in stderr and "Traceback" not in stderr, stderr
        assert time.monotonic() - started < 20
        assert group_processes(pgid) == [], f"soffice 的进程仍在运行：{group_processes(pgid)}"
    finally:
        for group in {proc.pid, *([int(pids.read_text().split()[0])] if pids.exists() else [])}:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()
