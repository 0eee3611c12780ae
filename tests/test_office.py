"""The resident LibreOffice (generator/office.py): same PDFs as the one-shot call, restarted
when it dies, never left running, and replaced by the one-shot call without UNO."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES_DIR, group_processes
from fake_pdf import minimal_pdf
from test_pdf_layout import _require_tools

from generator import office as office_module
from generator import publish as publish_module
from generator.api import build_report, build_reports
from generator.office import OfficeUnavailable, resident_office

EXAMPLE = EXAMPLES_DIR / "funing-2023"


def _require_uno() -> None:
    """Skip without a loadable UNO bridge, except in CI (.ci/run installs python3-uno)."""
    _require_tools()
    if office_module.load_uno() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test the resident LibreOffice, but UNO cannot be loaded "
                        "(.ci/run installs python3-uno)")
        pytest.skip("无法加载 UNO（python3-uno）：跳过常驻 LibreOffice 的测试")


def _pages(pdf: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return [page.get_text() for page in doc]


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    """Return three DOCX of the example, each in its own folder."""
    _require_tools()
    base = tmp_path_factory.mktemp("office")
    return [build_report(EXAMPLE, base / str(i)).output for i in range(3)]


def test_resident_conversion_matches_the_one_shot_call(docx, tmp_path):
    _require_uno()
    from generator.pdf import convert_to_pdf

    (one_shot,) = convert_to_pdf([docx[0]])
    expected = _pages(one_shot)
    one_shot.unlink()
    with resident_office() as office:
        assert office is not None
        (resident,) = office.convert([docx[0]])
    assert resident == one_shot and len(expected) > 3
    assert _pages(resident) == expected


def test_office_killed_mid_batch_is_restarted_and_the_batch_finishes(docx):
    _require_uno()
    with resident_office() as office:
        assert office is not None
        convert_one = office._convert_one
        seen = []

        def kill_after_first(source, target, limit):
            if len(seen) == 1 and office.proc is not None:  # the office dies after file 1
                os.killpg(office.proc.pid, signal.SIGKILL)
                office.proc.wait()
            seen.append(source)
            return convert_one(source, target, limit)

        office._convert_one = kill_after_first  # type: ignore[method-assign]
        failed: dict[Path, str] = {}
        made = office.convert(docx, failed=failed)
        assert office.starts == 2
    assert failed == {} and all(pdf is not None and len(_pages(pdf)) > 3 for pdf in made)


def test_no_office_process_outlives_the_batch_or_an_interrupt(docx):
    _require_uno()
    groups = []
    with pytest.raises(KeyboardInterrupt):
        with resident_office() as office:
            assert office is not None
            office.convert(docx[:1])
            groups.append(office.proc.pid)
            assert group_processes(groups[-1])
            raise KeyboardInterrupt
    with resident_office() as office:
        assert office is not None
        groups.append(office.proc.pid)  # started, never used
    assert groups and not any(group_processes(g) for g in groups)


def test_build_pdf_command_leaves_no_soffice_running(tmp_path):
    """The whole command: every process using the run's private temp folder is gone."""
    _require_uno()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "generator", "build", str(EXAMPLE), "-o",
                           str(tmp_path / "out"), "--pdf"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1
    mine = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(tmp_path).encode() in (entry / "cmdline").read_bytes():
                mine.append(entry.name)
        except OSError:
            continue
    assert mine == []


def test_without_uno_the_one_shot_call_makes_the_same_pdfs(tmp_path, monkeypatch):
    _require_tools()
    import importlib

    real_import = importlib.import_module

    def no_uno(name, *args):
        if name == "uno":
            raise ImportError("No module named 'uno'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_uno)
    monkeypatch.setattr(office_module, "_uno", None)
    assert office_module.load_uno() is None
    calls = []
    one_shot = publish_module.convert_to_pdf
    monkeypatch.setattr(publish_module, "convert_to_pdf",
                        lambda files, failed: calls.append(files) or one_shot(files, failed=failed))
    (result,) = build_reports([EXAMPLE], tmp_path, pdf=True)
    assert result.pdf_error is None and calls
    assert len(_pages(result.pdf)) > 3


FAKE = """#!{python}
import sys
from pathlib import Path
args = sys.argv[1:]
if any(a.startswith("--accept") for a in args):
    sys.exit(1)  # cannot listen: the resident office never starts
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
for name in args[args.index("--outdir") + 2:]:
    (out / (Path(name).stem + ".pdf")).write_bytes({pdf!r})
"""


def test_an_office_that_never_starts_falls_back_to_the_one_shot_call(tmp_path, monkeypatch):
    """A LibreOffice that cannot listen: each PDF is still made, by the one-shot call."""
    if office_module.load_uno() is None:
        pytest.skip("无法加载 UNO（python3-uno）")
    program = tmp_path / "program"
    program.mkdir()
    (program / "types.rdb").write_bytes(b"")  # looks like an installation
    script = program / "soffice"
    script.write_text(FAKE.format(python=sys.executable, pdf=minimal_pdf("fake")))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(script))
    with resident_office() as office:
        assert office is not None
        with pytest.raises(OfficeUnavailable):
            office.convert([tmp_path / "a.docx"], failed={})
    results = build_reports([EXAMPLE, EXAMPLE], tmp_path / "out", pdf=True)
    assert [r.pdf_error for r in results] == [None, None]
    assert all(r.pdf is not None and r.pdf.read_bytes().startswith(b"%PDF") for r in results)


def test_a_lean_batch_keeps_paths_and_issues_only(tmp_path):
    """keep=False (what `nianbao build` uses): each result drops its models once written,
    with and without PDF, and the PDFs are still checked and re-padded."""
    _require_uno()
    lean = build_reports([EXAMPLE, EXAMPLE], tmp_path / "docx", keep=False)
    made = build_reports([EXAMPLE, EXAMPLE, EXAMPLE], tmp_path / "pdf", pdf=True, keep=False)
    kept = build_reports([EXAMPLE], tmp_path / "kept", pdf=True)
    for result in lean + made:
        assert result.output.is_file() and result.report is not None
        assert (result.prepared, result.document, result.context) == (None, None, None)
    assert [r.pdf_error for r in made] == [None] * 3 and all(r.pdf.is_file() for r in made)
    assert kept[0].prepared is not None and kept[0].context is not None
    assert {r.padding for r in made} == {kept[0].padding}
    assert [_pages(r.pdf) for r in made] == [_pages(kept[0].pdf)] * 3


def test_a_kept_office_serves_later_commands_until_stopped(tmp_path, monkeypatch):
    """`nianbao office start` leaves one running (asked for); builds use it and leave it
    running; `office stop` ends its whole group."""
    _require_uno()
    import tempfile

    from generator.office import kept_office, start_kept, stop_kept

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its own state and profile
    assert kept_office() is None
    try:
        started, pid = start_kept()
        assert started and start_kept() == (False, pid) and kept_office()["pid"] == pid
        with resident_office() as office:
            assert office is not None and not office.owned and office.proc.pid == pid
        (result,) = build_reports([EXAMPLE], tmp_path / "out", pdf=True, keep=False)
        assert result.pdf_error is None and len(_pages(result.pdf)) > 3
        assert group_processes(pid)
    finally:
        stopped = stop_kept()
    assert stopped == pid and not group_processes(pid) and kept_office() is None
    assert stop_kept() is None


def test_a_file_over_the_time_limit_fails_alone_and_the_office_starts_again(docx):
    _require_uno()
    with resident_office() as office:
        assert office is not None
        office.convert(docx[:1])  # started and warm
        first = office.proc.pid
        failed: dict[Path, str] = {}
        made = office.convert(docx[1:2], failed=failed, timeout=0.01)
        assert made == [None] and "超过 0.01 秒仍未完成" in failed[docx[1].resolve()]
        assert not group_processes(first)
        (again,) = office.convert(docx[1:2])
        assert office.proc.pid != first and len(_pages(again)) > 3


def test_one_report_pays_the_start_up_once_even_when_converted_twice(tmp_path, monkeypatch):
    """A report whose 版记 padding is measured again is converted twice by one office."""
    _require_uno()
    monkeypatch.setattr(publish_module, "measured_padding", lambda pdf, used, even: used + 1)
    with resident_office() as office:
        assert office is not None
        converted = []
        convert_one = office._convert_one
        office._convert_one = lambda *a: converted.append(a[0]) or convert_one(*a)  # type: ignore[method-assign]
        (result,) = build_reports([EXAMPLE], tmp_path, pdf=True, office=office)
        assert office.starts == 1 and len(converted) == 2 and office.alive()
    assert result.pdf_error is None and len(_pages(result.pdf)) > 3 and office.proc is None


def test_an_office_that_keeps_dying_is_given_up_after_two_restarts(docx):
    _require_uno()
    with resident_office() as office:
        assert office is not None
        office.convert(docx[:1])
        convert_one = office._convert_one
        groups = []

        def always_killed(source, target, limit):
            groups.append(office.proc.pid)
            os.killpg(office.proc.pid, signal.SIGKILL)
            office.proc.wait()
            return convert_one(source, target, limit)

        office._convert_one = always_killed  # type: ignore[method-assign]
        failed: dict[Path, str] = {}
        assert office.convert(docx[1:], failed=failed) == [None, None]
        assert office.starts == 3 and len(groups) == 3
    assert all("已重启 2 次仍未成功" in failed[f.resolve()] for f in docx[1:])
    assert not any(group_processes(g) for g in groups)


def test_loading_uno_leaves_the_import_machinery_alone() -> None:
    """uno's own import hook turns ModuleNotFoundError into ImportError for the whole
    process; optional imports elsewhere (uvicorn's a2wsgi) must still see the usual error."""
    import builtins

    from generator import office

    before = builtins.__import__
    office._import_uno()
    assert builtins.__import__ is before
    with pytest.raises(ModuleNotFoundError):
        import nianbao_no_such_module  # noqa: F401
