"""Faults of the PDF step and of writing outputs (issue #9): a converter that writes junk
or hangs, the lock of another conversion, a full disk / file-size limit. Fake converters
only: no LibreOffice needed. Each test is bounded to a few seconds."""

from __future__ import annotations

import errno
import fcntl
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES_DIR, REPO, group_processes
from fake_pdf import minimal_pdf

from generator import pdf

WORKSPACE = EXAMPLES_DIR / "zichuan-2024"

#: A converter that writes ``FAKE_BYTES`` (a file name) as every PDF; with FAKE_LIFT it
#: first lifts its soft file-size limit (so only nianbao's own writes hit the limit).
FAKE_WRITER = """#!{python}
import os, resource, sys
from pathlib import Path
if os.environ.get("FAKE_LIFT"):
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
data = Path(os.environ["FAKE_BYTES"]).read_bytes()
for name in args[args.index("--outdir") + 2:]:
    (out / (Path(name).stem + ".pdf")).write_bytes(data)
"""

#: A converter that hangs with a child process, after noting its group and the child.
FAKE_HUNG = """#!{python}
import os, subprocess, sys, time
child = subprocess.Popen(["sleep", "120"])
open(os.environ["FAKE_PIDS"], "w").write(f"{{os.getpgid(0)}} {{child.pid}}")
time.sleep(120)
"""


def _script(folder: Path, text: str) -> Path:
    path = folder / "soffice"
    path.write_text(text.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def writer(tmp_path, monkeypatch):
    """Install the fake converter; return ``use(bytes)`` choosing what it writes."""
    monkeypatch.setenv("NIANBAO_SOFFICE", str(_script(tmp_path, FAKE_WRITER)))
    monkeypatch.setenv("FAKE_BYTES", str(tmp_path / "fake.pdf"))
    monkeypatch.setattr(pdf, "profile_dir", lambda: tmp_path / "profile")
    return (tmp_path / "fake.pdf").write_bytes


def _main(args, capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


GOOD = minimal_pdf("Report text")


@pytest.mark.parametrize("written", [b"<html>Service unavailable</html>", GOOD[:len(GOOD) // 2],
                                     minimal_pdf("")],
                         ids=["junk", "truncated", "no-text"])
def test_a_converter_writing_no_usable_pdf_is_a_failed_conversion(written, tmp_path, writer,
                                                                  capsys):
    writer(written)
    out = tmp_path / "out"
    code, stdout, err = _main(["build", str(WORKSPACE), "-o", str(out), "--png"], capsys)
    assert code == 2, err
    assert "PDF 转换失败" in err and "不是可用的 PDF" in err, err
    assert "已生成 PDF" not in stdout and "内部错误" not in err and "Traceback" not in err
    assert list(out.glob("*.docx")) and not list(out.glob("*.pdf"))
    assert not list(out.glob("*.png"))


def test_a_good_pdf_still_passes(tmp_path, writer, capsys):
    writer(GOOD)
    out = tmp_path / "out"
    code, stdout, err = _main(["build", str(WORKSPACE), "-o", str(out), "--png"], capsys)
    assert code == 0, err
    assert "已生成 PDF" in stdout and len(list(out.glob("*-页*.png"))) == 1


@pytest.mark.parametrize("layers", ["all", "poppler", "structural"])
def test_every_fallback_of_the_check_catches_junk_and_truncation(layers, tmp_path,
                                                                 monkeypatch):
    if layers != "all":
        monkeypatch.setattr(pdf, "_check_pymupdf", lambda path: False)
    if layers == "structural":
        monkeypatch.setattr(pdf, "_check_poppler", lambda path: False)
    cases = {"good": GOOD, "junk": b"not a pdf at all", "truncated": GOOD[:-40],
             "empty-pdf": b"%PDF-1.4\n%%EOF\n"}
    verdicts = {}
    for name, data in cases.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        verdicts[name] = pdf.check_pdf(path)
    assert verdicts["good"] is None
    assert all(verdicts[name] for name in ("junk", "truncated", "empty-pdf")), verdicts
    if layers != "structural":
        (tmp_path / "blank.pdf").write_bytes(minimal_pdf(""))
        assert pdf.check_pdf(tmp_path / "blank.pdf") == "页面上没有文字"


@pytest.mark.parametrize("renderer", ["pdftoppm", "pymupdf"])
def test_png_of_a_damaged_pdf_is_an_error_not_a_crash(renderer, tmp_path, monkeypatch):
    if renderer == "pymupdf":
        monkeypatch.setattr(pdf, "_pages_pdftoppm", lambda *args: None)
    elif not pdf.shutil.which("pdftoppm"):
        pytest.skip("pdftoppm 未安装")
    bad = tmp_path / "报告.pdf"
    bad.write_bytes(b"%PDF-1.4 junk")
    old = tmp_path / "报告-页1.png"
    old.write_bytes(b"old image")
    with pytest.raises(pdf.ConversionError, match="无法生成页面图片"):
        pdf.render_png(bad)
    assert old.read_bytes() == b"old image"


def test_a_png_that_cannot_be_written_names_the_file_and_keeps_the_old(tmp_path, monkeypatch):
    from generator.oserrors import describe

    good = tmp_path / "报告.pdf"
    good.write_bytes(GOOD)
    old = tmp_path / "报告-页1.png"
    old.write_bytes(b"old image")

    def full(source, target):
        Path(target).write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf.shutil, "copyfile", full)
    with pytest.raises(OSError) as info:
        pdf.render_png(good)
    assert describe(info.value) == f"文件读写失败：磁盘空间不足（{old}）"
    assert old.read_bytes() == b"old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告-页1.png", "报告.pdf"]


# -- a hung LibreOffice, and the lock of another conversion -------------------------

@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_hung_converter_is_killed_with_its_children_after_the_timeout(tmp_path):
    fake = _script(tmp_path, FAKE_HUNG)
    pids = tmp_path / "pids"
    env = dict(os.environ, NIANBAO_SOFFICE=str(fake), FAKE_PIDS=str(pids),
               NIANBAO_PDF_TIMEOUT="2", TMPDIR=str(tmp_path), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "generator", "build", str(WORKSPACE),
               "-o", str(tmp_path / "out"), "--pdf"]
    # its own session, so that whatever happens the test can end all of it
    proc = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - started
        pgid, child = map(int, pids.read_text().split())
        assert proc.returncode == 2, stderr
        assert "PDF 转换失败" in stderr and "超过 2 秒" in stderr, stderr
        assert "Traceback" not in stderr
        assert took < 20
        assert group_processes(pgid) == [], f"soffice 的进程仍在运行：{group_processes(pgid)}"
        assert not list((tmp_path / "out").glob("*.pdf"))
    finally:
        for group in {proc.pid, *( [int(pids.read_text().split()[0])] if pids.exists() else [])}:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_during_the_conversion_kills_the_converter_too(tmp_path):
    fake = _script(tmp_path, FAKE_HUNG)
    pids = tmp_path / "pids"
    env = dict(os.environ, NIANBAO_SOFFICE=str(fake), FAKE_PIDS=str(pids),
               TMPDIR=str(tmp_path), PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(WORKSPACE),
                             "-o", str(tmp_path / "out"), "--pdf"], env=env, cwd=REPO,
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    pgid = None
    try:
        deadline = time.monotonic() + 30
        while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        pgid, child = map(int, pids.read_text().split())
        proc.send_signal(signal.SIGINT)  # Ctrl+C reaches the tool, not soffice's own group
        _, stderr = proc.communicate(timeout=15)
        assert group_processes(pgid) == [], f"soffice 的进程仍在运行：{group_processes(pgid)}"
        assert proc.returncode == 130 and "已取消" in stderr, stderr
        assert "Traceback" not in stderr
    finally:
        for group in {proc.pid, pgid} - {None}:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()


def test_waiting_for_the_lock_says_so_and_gives_up(tmp_path, writer, monkeypatch, capsys):
    writer(GOOD)
    lock = tmp_path / "profile.lock"
    held = threading.Event()

    def other_conversion():  # holds the lock for 8 s at most, so no version of the tool hangs
        with open(lock, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held.set()
            time.sleep(8)

    holder = threading.Thread(target=other_conversion, daemon=True)
    holder.start()
    assert held.wait(5)
    monkeypatch.setenv("NIANBAO_PDF_LOCK_WAIT", "1.5")
    started = time.monotonic()
    code, stdout, err = _main(["build", str(WORKSPACE), "-o", str(tmp_path / "out"), "--pdf"],
                              capsys)
    assert time.monotonic() - started < 6
    assert code == 2
    assert "另一个 PDF 转换正在进行（已等待 1 秒）…" in err, err
    assert "已等待另一个 PDF 转换 2 秒" in err or "已等待另一个 PDF 转换 1 秒" in err, err
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_bad_timeout_setting_is_a_chinese_error(tmp_path, writer, monkeypatch, capsys):
    writer(GOOD)
    monkeypatch.setenv("NIANBAO_PDF_TIMEOUT", "两分钟")
    code, _, err = _main(["build", str(WORKSPACE), "-o", str(tmp_path / "out"), "--pdf"],
                         capsys)
    assert code == 2 and "NIANBAO_PDF_TIMEOUT 应为正数" in err, err


# -- a full disk: the file-size limit ------------------------------------------------

def _build_limited(out: Path, limit: int, *extra: str, lift: bool = False,
                   env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m generator build`` under RLIMIT_FSIZE = ``limit`` bytes (hard limit
    too unless ``lift``: then a fake converter may lift its own)."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE,
                           (limit, resource.RLIM_INFINITY if lift else limit))

    return subprocess.run([sys.executable, "-m", "generator", "build", str(WORKSPACE),
                           "-o", str(out), *extra], preexec_fn=limited, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
                          capture_output=True, text=True, timeout=60)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_docx_over_the_file_size_limit_keeps_the_previous_report(tmp_path):
    from generator.api import build_report

    out = tmp_path / "out"
    previous = build_report(WORKSPACE, out).output
    before = _snapshot(out)
    assert previous.stat().st_size > 4000
    done = _build_limited(out, 4000)
    assert done.returncode == 2, done.stderr
    assert "文件读写失败：文件超过了允许的大小" in done.stderr, done.stderr
    assert previous.name in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert _snapshot(out) == before  # previous report byte-identical, no temp file left


def test_a_pdf_over_the_file_size_limit_keeps_the_previous_pdf(tmp_path):
    fake = _script(tmp_path, FAKE_WRITER)
    big = tmp_path / "big.pdf"
    big.write_bytes(minimal_pdf("Report text", padding=300_000))
    env = {"NIANBAO_SOFFICE": str(fake), "FAKE_BYTES": str(big), "TMPDIR": str(tmp_path)}
    out = tmp_path / "out"
    first = _build_limited(out, 10**9, "--pdf", env=env)
    assert first.returncode == 0, first.stderr
    (made,) = out.glob("*.pdf")
    kept = made.read_bytes()
    big.write_bytes(minimal_pdf("Other text", padding=300_000))
    done = _build_limited(out, 100_000, "--pdf", lift=True, env={**env, "FAKE_LIFT": "1"})
    assert done.returncode == 2, done.stderr
    assert f"文件读写失败：文件超过了允许的大小（{made}）" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert made.read_bytes() == kept
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_manifest_that_cannot_be_written_names_it_and_keeps_the_old(tmp_path, monkeypatch):
    from generator import outputs
    from generator.oserrors import describe

    report = tmp_path / "报告.docx"
    report.write_bytes(b"report")
    outputs.record([report])
    manifest = tmp_path / outputs.MANIFEST
    before = manifest.read_bytes()
    report.write_bytes(b"report, second version")

    def full(self, text, encoding=None):
        open(self, "w").close()
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(outputs.Path, "write_text", full)
    with pytest.raises(OSError) as info:
        outputs.record([report])
    assert describe(info.value) == f"文件读写失败：超出磁盘配额（{manifest}）"
    assert manifest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [outputs.MANIFEST, "报告.docx"]


#: Like FAKE_WRITER, but the second report of the batch gets junk.
FAKE_SECOND_BAD = FAKE_WRITER.replace(
    "    (out / (Path(name).stem + \".pdf\")).write_bytes(data)",
    "    bad = Path(name).stem.endswith(\"1\")\n"
    "    (out / (Path(name).stem + \".pdf\")).write_bytes(b\"junk\" if bad else data)")


def test_one_bad_pdf_in_a_batch_does_not_cost_the_others(tmp_path, writer, monkeypatch, capsys):
    assert FAKE_SECOND_BAD != FAKE_WRITER
    monkeypatch.setenv("NIANBAO_SOFFICE", str(_script(tmp_path, FAKE_SECOND_BAD)))
    writer(GOOD)
    out = tmp_path / "out"
    code, stdout, err = _main(["build", str(WORKSPACE), str(EXAMPLES_DIR / "funing-2023"),
                               "-o", str(out), "--pdf"], capsys)
    assert code == 2
    pdfs = sorted(p.name for p in out.glob("*/*.pdf"))  # a batch: one folder per 地区
    assert len(pdfs) == 1 and "淄川" in pdfs[0], pdfs
    assert "PDF 转换失败" in stdout and "未通过：抚宁区" in stdout  # the summary
    assert f"{pdfs[0]}" in stdout, stdout  # the summary names the PDF made
