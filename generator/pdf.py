"""DOCX → PDF through LibreOffice headless, many files per process; PDF → PNG pages.

One ``soffice`` process converts a whole batch (a cold start per report costs about as
much as the conversion itself). LibreOffice runs with a private profile, so a desktop
LibreOffice that is open does not swallow the request, and with ``FONTCONFIG_FILE``
pointing at the packaged fonts.conf, so the official font names find their free
stand-ins (spec §11.3) without touching the system's font configuration.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator, Sequence

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
    """LibreOffice ran but did not write every PDF."""


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
    with resources.as_file(resources.files("generator").joinpath("data", "fonts.conf")) as path:
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


@contextmanager
def _profile_lock(profile: Path) -> Iterator[None]:
    """Serialise runs that share the profile (two soffice on one profile hand over)."""
    profile.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent runs are rare there
        yield
        return
    with open(profile.with_name(profile.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def soffice_command(soffice: str, profile: Path, outdir: Path, inputs: Sequence[Path]) -> list[str]:
    """Return the argument list of one batch conversion."""
    return [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(outdir), *map(str, inputs)]


def convert_to_pdf(docx_files: Sequence[Path], timeout: float | None = None) -> list[Path]:
    """Convert every DOCX to a PDF next to it, in one LibreOffice process; return the PDFs.

    Raises:
        LibreOfficeMissing: soffice is not installed.
        ConversionError: soffice failed or left a PDF unwritten.
    """
    files = [Path(f).resolve() for f in docx_files]
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing()
    limit = timeout if timeout is not None else 120 + 20 * len(files)
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp, fontconfig_file() as conf:
        staged = _stage(files, Path(tmp, "in"))
        outdir = Path(tmp, "out")
        profile = profile_dir()
        with _profile_lock(profile):
            try:
                done = subprocess.run(soffice_command(soffice, profile, outdir, staged),
                                      capture_output=True, text=True, timeout=limit,
                                      env=conversion_env(conf), stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                raise ConversionError(f"LibreOffice 转换超时（{limit:.0f} 秒）") from None
            except OSError as exc:
                raise ConversionError(f"无法启动 LibreOffice：{exc}") from None
        return [_deliver(outdir / (s.stem + ".pdf"), f.with_suffix(".pdf"), done)
                for s, f in zip(staged, files)]


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


def _deliver(made: Path, target: Path, done: subprocess.CompletedProcess) -> Path:
    """Move a converted PDF into place atomically; complain if it was not written."""
    if not made.is_file() or made.stat().st_size == 0:
        detail = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or ["无输出"]
        raise ConversionError(f"LibreOffice 未能转换 {target.with_suffix('.docx').name}："
                              f"{detail[0]}")
    from .outputs import record, save_atomic

    save_atomic(lambda temp: shutil.copyfile(made, temp), target)
    record([target])
    return target


def render_png(pdf: Path, dpi: int = 96) -> list[Path]:
    """Render every page of ``pdf`` to ``<stem>-页N.png`` beside it; return the images.

    Uses poppler's pdftoppm, or PyMuPDF when pdftoppm is missing.
    """
    pdftoppm = shutil.which("pdftoppm")
    folder, stem = pdf.parent, pdf.stem
    for old in folder.glob(f"{stem}-页*.png"):
        old.unlink()
    if pdftoppm:
        with tempfile.TemporaryDirectory(prefix="nianbao-png-") as tmp:
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), f"{tmp}/p"],
                           check=True, capture_output=True)
            pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
            return [Path(shutil.move(str(p), folder / f"{stem}-页{i}.png"))
                    for i, p in enumerate(pages, 1)]
    try:
        import pymupdf
    except ImportError:
        raise ConversionError("生成页面图片需要 pdftoppm（sudo apt-get install -y "
                              "poppler-utils）或 PyMuPDF（pip install pymupdf）") from None
    out = []
    with pymupdf.open(pdf) as doc:
        for i, page in enumerate(doc, 1):
            target = folder / f"{stem}-页{i}.png"
            page.get_pixmap(dpi=dpi).save(target)
            out.append(target)
    return out


if __name__ == "__main__":  # python -m generator.pdf a.docx b.docx
    print("\n".join(map(str, convert_to_pdf([Path(a) for a in sys.argv[1:]]))))
