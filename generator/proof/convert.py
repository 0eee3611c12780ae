"""Read .doc / .wps reports through LibreOffice: convert a copy to .docx in a temp folder.

Same care as the PDF conversion (pdf.py): the private LibreOffice profile under its lock,
soffice in a process group of its own that is killed when it is done, times out or we are
interrupted, and a Chinese message for every failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

#: Seconds one conversion may take ($NIANBAO_CONVERT_TIMEOUT overrides).
TIMEOUT_ENV = "NIANBAO_CONVERT_TIMEOUT"
DEFAULT_TIMEOUT = 120.0


class ConvertProblem(Exception):
    """The file cannot be converted (message in Chinese)."""


def missing_message(path: Path) -> str:
    return (f"检查 {path.name} 需要 LibreOffice（soffice），本机没有找到。请安装 LibreOffice"
            f"（Debian/Ubuntu：sudo apt install libreoffice-writer），或用 WPS/Word 把它另存为"
            f" .docx 后再检查；也可用环境变量 NIANBAO_SOFFICE 指明 soffice 的位置")


def with_docx(path: Path, read: Callable[[Path], list[str]], timeout: float | None = None) -> list[str]:
    """Convert ``path`` (.doc, .wps) to .docx in a temp folder and return ``read`` of it.

    Raises:
        ConvertProblem: LibreOffice is missing, failed, timed out or wrote nothing.
    """
    from ..pdf import ConversionError, _kill_group, _profile_lock, find_soffice, profile_dir

    soffice = find_soffice()
    if soffice is None:
        raise ConvertProblem(missing_message(path))
    limit = timeout if timeout is not None else _timeout()
    with tempfile.TemporaryDirectory(prefix="nianbao-lint-") as tmp:
        source = Path(tmp, "in", "report" + path.suffix.lower())
        source.parent.mkdir()
        shutil.copyfile(path, source)  # a plain name: the user's may confuse soffice
        outdir = Path(tmp, "out")
        profile = profile_dir()
        command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(outdir), str(source)]
        try:
            with _profile_lock(profile):
                _run(command, limit, path, _kill_group)
        except ConversionError as exc:  # the lock could not be had
            raise ConvertProblem(str(exc)) from None
        converted = outdir / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ConvertProblem(f"LibreOffice 无法读取 {path.name}（文件可能已损坏，或不是 Word/WPS 文档）；"
                                 "请用 WPS/Word 打开后另存为 .docx 再检查")
        return read(converted)


def _run(command: list[str], limit: float, path: Path, kill_group) -> None:
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=os.name == "posix")
    except OSError as exc:
        raise ConvertProblem(f"无法启动 LibreOffice（{command[0]}）：{exc.strerror or exc}") from None
    try:
        proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        raise ConvertProblem(f"转换 {path.name} 时 LibreOffice 超过 {limit:g} 秒仍未完成，已结束它的全部进程"
                             f"（可用环境变量 {TIMEOUT_ENV} 设置时限，单位秒）") from None
    finally:  # also on Ctrl+C: never leave LibreOffice running
        kill_group(proc)


def _timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ConvertProblem(f"环境变量 {TIMEOUT_ENV} 应为正数（秒），现为「{raw}」")
    return value
