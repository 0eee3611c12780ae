"""DOCX → PDF through LibreOffice headless, many files per process; PDF → PNG pages.

One ``soffice`` process converts a whole batch (a cold start per report costs about as
much as the conversion itself). LibreOffice runs with a private profile, so a desktop
LibreOffice that is open does not swallow the request, and with ``FONTCONFIG_FILE``
pointing at the packaged fonts.conf, so the official font names find their free
stand-ins (spec §11.3) without touching the system's font configuration.

LibreOffice runs in a process group of its own: on a timeout, an error or Ctrl+C the whole
group is killed (its helper processes would otherwise outlive the tool and hold the
profile). Every PDF is checked (`check_pdf`) before it is put in place: a converter that
writes junk or a cut-off file is a failed conversion, not a 「已生成 PDF」.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator, Literal, Sequence, overload

#: Where LibreOffice is commonly installed when it is not on PATH.
_CANDIDATES = (
    "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
INSTALL_HINT = ("sudo apt-get install -y libreoffice-writer-nogui fonts-noto-cjk "
                "fonts-arphic-ukai fonts-liberation2")


class LibreOfficeMissing(Exception):
    """soffice cannot be found: the PDF cannot be made (exit 2; the DOCX stays)."""

    def __str__(self) -> str:
        return (f"未找到 LibreOffice（soffice），无法生成 PDF；DOCX 已生成。"
                f"请安装：{INSTALL_HINT}（或设置环境变量 NIANBAO_SOFFICE 指向 soffice）")


class ConversionError(Exception):
    """LibreOffice ran but did not write every PDF (or wrote one that is not a PDF)."""


#: Environment variables: the conversion's time limit and the longest wait for the lock
#: of another conversion (seconds).
TIMEOUT_ENV = "NIANBAO_PDF_TIMEOUT"
LOCK_WAIT_ENV = "NIANBAO_PDF_LOCK_WAIT"
LOCK_WAIT = 600.0  # a conversion of ~20 reports takes ≤ 520 s before it is killed
LOCK_NOTICE_FIRST, LOCK_NOTICE_EVERY = 1.0, 10.0


def default_timeout(count: int) -> float:
    """Return the time limit of a batch of ``count`` DOCX: $NIANBAO_PDF_TIMEOUT, or
    120 s plus 20 s per file."""
    return _seconds(TIMEOUT_ENV, 120.0 + 20.0 * count)


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        raise ConversionError(f"环境变量 {name} 应为正数（秒），现为「{raw}」")
    return value


def find_soffice() -> str | None:
    """Return the soffice executable: $NIANBAO_SOFFICE, PATH, then the usual places."""
    configured = os.environ.get("NIANBAO_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


@contextmanager
def fontconfig_file() -> Iterator[Path]:
    """Yield the path of the packaged fonts.conf (extracted if the package is zipped)."""
    with resources.as_file(resources.files("generator") / "data" / "fonts.conf") as path:
        yield Path(path)


def conversion_env(fonts_conf: Path) -> dict[str, str]:
    """Return the environment of the soffice subprocess: ours plus FONTCONFIG_FILE."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fonts_conf)
    return env


def profile_dir() -> Path:
    """Return the private LibreOffice profile, kept between runs (a fresh one costs ~1 s)."""
    user = os.environ.get("USER") or str(os.getuid() if hasattr(os, "getuid") else "user")
    return Path(tempfile.gettempdir()) / f"nianbao-lo-{user}"


def _notify(text: str) -> None:
    from .progress import notify

    notify(text)


@contextmanager
def _profile_lock(profile: Path, wait: float | None = None,
                  on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Serialise runs that share the profile (two soffice on one profile hand over).

    While another conversion holds the lock, ``on_wait`` (default: `progress.notify`)
    hears 「另一个 PDF 转换正在进行（已等待 N 秒）…」 after 1 s and every 10 s; after
    ``wait`` seconds (default $NIANBAO_PDF_LOCK_WAIT or 600) it gives up.

    Raises:
        ConversionError: the lock was not free in time, or its file cannot be made.
    """
    limit = wait if wait is not None else _seconds(LOCK_WAIT_ENV, LOCK_WAIT)
    say = on_wait or _notify
    lock = profile.with_name(profile.name + ".lock")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent runs are rare there
        yield
        return
    try:
        profile.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "w")
    except OSError as exc:
        from .oserrors import reason

        raise ConversionError(f"无法创建 PDF 转换的锁文件：{reason(exc)}（{lock}）") from None
    with handle:
        start, notice = time.monotonic(), LOCK_NOTICE_FIRST
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:  # held by another conversion (EWOULDBLOCK / EACCES)
                pass
            waited = time.monotonic() - start
            if waited >= limit:
                raise ConversionError(
                    f"已等待另一个 PDF 转换 {waited:.0f} 秒，它仍未结束，放弃等待。请等它完成后重试；"
                    f"若没有其他转换在运行，请结束残留的 soffice 进程（锁文件：{lock}；"
                    f"可用环境变量 {LOCK_WAIT_ENV} 设置最长等待秒数）")
            if waited >= notice:
                say(f"另一个 PDF 转换正在进行（已等待 {waited:.0f} 秒）…")
                notice = (waited // LOCK_NOTICE_EVERY + 1) * LOCK_NOTICE_EVERY
            time.sleep(min(0.2, max(0.01, limit - waited)))
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def soffice_command(soffice: str, profile: Path, outdir: Path, inputs: Sequence[Path]) -> list[str]:
    """Return the argument list of one batch conversion."""
    return [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(outdir), *map(str, inputs)]


@overload
def convert_to_pdf(docx_files: Sequence[Path], timeout: float | None = None,
                   on_wait: Callable[[str], None] | None = None,
                   failed: None = None) -> list[Path]: ...


@overload
def convert_to_pdf(docx_files: Sequence[Path], timeout: float | None = None,
                   on_wait: Callable[[str], None] | None = None, *,
                   failed: dict[Path, str]) -> list[Path | None]: ...


def convert_to_pdf(docx_files: Sequence[Path], timeout: float | None = None,
                   on_wait: Callable[[str], None] | None = None,
                   failed: dict[Path, str] | None = None) -> Sequence[Path | None]:
    """Convert every DOCX to a PDF next to it, in one LibreOffice process; return the PDFs.

    ``timeout`` defaults to `default_timeout` ($NIANBAO_PDF_TIMEOUT); ``on_wait`` hears
    that another conversion holds the lock (see `_profile_lock`). With ``failed``, a file
    whose PDF is bad or cannot be put in place gets None and its reason there (keyed by
    the DOCX), and the other files are still delivered.

    Raises:
        LibreOfficeMissing: soffice is not installed.
        ConversionError: soffice failed, timed out, or left a PDF unwritten or invalid.
        OSError: a PDF could not be put in place (the file is named; the old one stays).
    """
    files = [Path(f).resolve() for f in docx_files]
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing()
    limit = timeout if timeout is not None else default_timeout(len(files))
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp, fontconfig_file() as conf:
        staged = _stage(files, Path(tmp, "in"))
        outdir = Path(tmp, "out")
        profile = profile_dir()
        with _profile_lock(profile, on_wait=on_wait):
            output = _run(soffice_command(soffice, profile, outdir, staged),
                          conversion_env(conf), limit, Path(tmp, "soffice.log"))
        made: list[Path | None] = []
        for stage, file in zip(staged, files):
            try:
                made.append(_deliver(outdir / (stage.stem + ".pdf"), file.with_suffix(".pdf"),
                                     output))
            except (ConversionError, OSError) as exc:
                if failed is None:
                    raise
                from .oserrors import describe

                failed[file] = describe(exc) if isinstance(exc, OSError) else str(exc)
                made.append(None)
        return made


def _run(command: list[str], env: dict[str, str], limit: float, log: Path) -> str:
    """Run soffice in a process group of its own, its output to ``log``; return the
    output. The group is killed when soffice is done, times out or we are interrupted, so
    no helper process outlives the conversion (and keeps holding the profile)."""
    with open(log, "w+b") as out:
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, env=env,
                                    start_new_session=os.name == "posix")
        except OSError as exc:
            from .oserrors import reason

            raise ConversionError(f"无法启动 LibreOffice：{reason(exc)}（{command[0]}）") from None
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise ConversionError(
                f"PDF 转换失败：LibreOffice 超过 {limit:g} 秒仍未完成，已结束它的全部进程"
                f"（可用环境变量 {TIMEOUT_ENV} 设置时限，单位秒）") from None
        finally:  # also on Ctrl+C: never leave LibreOffice running
            _kill_group(proc)
        out.seek(0)
        return out.read().decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen) -> None:
    """End ``proc`` and every process of its group: TERM, up to 1 s, then KILL."""
    if os.name != "posix":
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        return
    pgid = proc.pid  # start_new_session: the group's id is soffice's pid
    for sig, grace in ((signal.SIGTERM, 1.0), (signal.SIGKILL, None)):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            break  # no process of the group is left
        if grace is not None:
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
    proc.wait()


def _stage(files: Sequence[Path], folder: Path) -> list[Path]:
    """Link the inputs under unique names (two workspaces may share a report title)."""
    folder.mkdir(parents=True)
    staged = []
    for index, source in enumerate(files):
        target = folder / f"{index:04d}.docx"
        try:
            target.symlink_to(source)
        except OSError:
            shutil.copyfile(source, target)
        staged.append(target)
    return staged


def _deliver(made: Path, target: Path, output: str) -> Path:
    """Move a converted PDF into place atomically; complain if it was not written or is
    not a readable PDF with pages and text (the previous PDF then stays)."""
    if not made.is_file() or made.stat().st_size == 0:
        detail = output.strip().splitlines()[-1:] or ["无输出"]
        raise ConversionError(f"LibreOffice 未能转换 {target.with_suffix('.docx').name}："
                              f"{detail[0]}")
    problem = check_pdf(made)
    if problem is not None:
        raise ConversionError(f"PDF 转换失败：LibreOffice 为 {target.with_suffix('.docx').name} "
                              f"写出的文件不是可用的 PDF（{problem}），未生成 {target.name}")
    from .outputs import record, save_atomic

    save_atomic(lambda temp: shutil.copyfile(made, temp), target)
    record([target])
    return target


def check_pdf(path: Path) -> str | None:
    """Return why ``path`` is not a usable PDF (in Chinese), or None when it opens, has
    pages and has text on them (every report has text).

    First a structural check of the bytes, then the first parser available: PyMuPDF, else
    poppler's pdfinfo + pdftotext. With neither, the structural check alone decides.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, path.stat().st_size - 2048))
            tail = handle.read()
    except OSError as exc:
        from .oserrors import reason

        return f"无法读取：{reason(exc)}"
    # Structural (always; the only check without a parser): catches junk and HTML error
    # pages (no %PDF header) and files cut off while written (no %%EOF at the end). It
    # cannot see damaged objects or pages without text.
    if b"%PDF-" not in head:
        return "文件开头没有 %PDF 标记"
    if b"%%EOF" not in tail:
        return "文件不完整（缺少结尾的 %%EOF）"
    for parser in (_check_pymupdf, _check_poppler):
        verdict = parser(path)
        if verdict is not False:
            return verdict
    # No parser: at least one page object must be there (LibreOffice writes no object
    # streams, so /Type /Page is visible in the bytes).
    if not re.search(rb"/Type\s*/Page\b", path.read_bytes()):
        return "没有页面"
    return None


def _check_pymupdf(path: Path) -> str | None | Literal[False]:
    """PyMuPDF parses the whole file: catches a broken cross-reference table or objects,
    zero pages and pages without text. False when PyMuPDF is not installed."""
    try:
        import pymupdf
    except ImportError:
        return False
    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            if doc.page_count == 0:
                return "没有页面"
            if not any(page.get_text().strip() for page in doc):
                return "页面上没有文字"
    except Exception:  # noqa: BLE001 - MuPDF's errors for a damaged file
        return "文件已损坏，无法解析"
    return None


def _check_poppler(path: Path) -> str | None | Literal[False]:
    """poppler's pdfinfo parses the trailer and page tree (catches a damaged file and zero
    pages), pdftotext the content (catches pages without text). False when poppler is
    not installed."""
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    if not (pdfinfo and pdftotext):
        return False
    try:
        info = subprocess.run([pdfinfo, str(path)], capture_output=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        pages = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M)
        if info.returncode or pages is None:
            return "文件已损坏，无法解析"
        if int(pages.group(1)) == 0:
            return "没有页面"
        text = subprocess.run([pdftotext, "-q", str(path), "-"], capture_output=True,
                              timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if text.returncode:
        return "文件已损坏，无法解析"
    return None if text.stdout.strip() else "页面上没有文字"


def render_png(pdf: Path, dpi: int = 96) -> list[Path]:
    """Render every page of ``pdf`` to ``<stem>-页N.png`` beside it; return the images.

    Uses poppler's pdftoppm, or PyMuPDF when pdftoppm is missing. The pages are made in a
    temporary folder and each put in place atomically; old images of pages that no longer
    exist are removed only then, so a failure leaves the previous images.

    Raises:
        ConversionError: the PDF cannot be rendered (or no renderer is installed).
        OSError: an image could not be written (the file is named).
    """
    from .outputs import save_atomic

    folder, stem = pdf.parent, pdf.stem
    with tempfile.TemporaryDirectory(prefix="nianbao-png-") as tmp:
        pages = _pages_pdftoppm(pdf, dpi, Path(tmp))
        if pages is None:
            pages = _pages_pymupdf(pdf, dpi, Path(tmp))
        if not pages:
            raise ConversionError(f"无法生成页面图片：{pdf.name} 没有可渲染的页面")
        out = []
        for i, page in enumerate(pages, 1):
            target = folder / f"{stem}-页{i}.png"
            save_atomic(partial(shutil.copyfile, page), target)
            out.append(target)
    for old in folder.glob(f"{stem}-页*.png"):
        if old not in out:
            old.unlink(missing_ok=True)
    return out


def _pages_pdftoppm(pdf: Path, dpi: int, tmp: Path) -> list[Path] | None:
    """Render with pdftoppm into ``tmp``; None when pdftoppm is not installed."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        return None
    try:
        done = subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), f"{tmp}/p"],
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
    except subprocess.TimeoutExpired:
        raise ConversionError(f"无法生成页面图片：pdftoppm 处理 {pdf.name} 超时") from None
    except OSError:
        return None
    if done.returncode:
        raise ConversionError(f"无法生成页面图片：pdftoppm 无法读取 {pdf.name}"
                              f"（PDF 可能已损坏，或磁盘空间不足）")
    return sorted(tmp.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


def _pages_pymupdf(pdf: Path, dpi: int, tmp: Path) -> list[Path]:
    try:
        import pymupdf
    except ImportError:
        raise ConversionError("生成页面图片需要 pdftoppm（sudo apt-get install -y "
                              "poppler-utils）或 PyMuPDF（pip install pymupdf）") from None
    out = []
    try:
        with pymupdf.open(pdf, filetype="pdf") as doc:
            for i, page in enumerate(doc, 1):
                target = tmp / f"p-{i}.png"
                page.get_pixmap(dpi=dpi).save(target)
                out.append(target)
    except OSError:
        raise
    except Exception:  # noqa: BLE001 - MuPDF's errors for a damaged file
        raise ConversionError(f"无法生成页面图片：无法读取 {pdf.name}"
                              f"（PDF 可能已损坏，或磁盘空间不足）") from None
    return out


if __name__ == "__main__":  # python -m generator.pdf a.docx b.docx
    print("\n".join(map(str, convert_to_pdf([Path(a) for a in sys.argv[1:]]))))
