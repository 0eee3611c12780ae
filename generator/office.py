"""A resident LibreOffice: started once per batch, driven through UNO, always ended.

``soffice --convert-to`` pays LibreOffice's start-up (~1–2 s) on every call, and `publish`
may call it twice (once more for the reports whose 版记 padding is measured again). A
`ResidentOffice` starts one headless soffice listening on a private pipe as soon as the
batch begins — its start-up overlaps the rendering of the DOCX — and converts every file
through it: the start-up is paid once, mostly hidden.

It needs Python's UNO bridge (Debian/Ubuntu: ``python3-uno``; found also when this Python
is not the system's, as long as the versions match) and a real LibreOffice installation.
Without them, or with ``NIANBAO_UNO=0``, `resident_office` yields None and callers use
the one-shot `pdf.convert_to_pdf`, with the same outputs and checks.

The office runs in a process group of its own, with the packaged fonts.conf and a private
profile. If it dies during a batch it is started again (at most `RESTARTS` times) and the
file is converted again; a conversion that takes longer than the time limit kills it. On
leaving `resident_office` — normally, on an error or on Ctrl+C — the whole group is
killed: no soffice outlives the command.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from .pdf import (
    ConversionError,
    LibreOfficeMissing,
    _deliver,
    _kill_group,
    _seconds,
    conversion_env,
    find_soffice,
    fontconfig_file,
    profile_dir,
)

UNO_ENV = "NIANBAO_UNO"  # "0" turns the resident office off
START_TIMEOUT = 60.0  # seconds until a starting office must accept the connection
FILE_TIMEOUT = 120.0  # seconds one file may take (default; $NIANBAO_PDF_TIMEOUT)
RESTARTS = 2  # times an office that died is started again within one batch
_DEBIAN_UNO = "/usr/lib/python3/dist-packages"
_uno: Any = None  # the uno module, once imported; False when it cannot be


def load_uno() -> Any:
    """Return the ``uno`` module, or None when this Python cannot load it (or
    $NIANBAO_UNO is 0). Tries the system's Debian package too, without leaving its
    folder on ``sys.path``."""
    global _uno
    if os.environ.get(UNO_ENV, "").strip() == "0":
        return None
    if _uno is None:
        _uno = _import_uno() or False
    return _uno or None


def _import_uno() -> Any:
    """Import ``uno`` without keeping the import hook it installs: the hook turns every
    failed import in the process into a plain ImportError, which breaks libraries that
    catch ModuleNotFoundError for their optional parts (uvicorn, for one)."""
    import builtins

    original = builtins.__import__
    try:
        return _import_uno_module()
    finally:
        builtins.__import__ = original


def _import_uno_module() -> Any:
    try:
        return importlib.import_module("uno")
    except ImportError:
        pass
    if not (Path(_DEBIAN_UNO, "uno.py").is_file() and _bridge_matches()):
        return None
    sys.path.append(_DEBIAN_UNO)
    try:
        return importlib.import_module("uno")
    except Exception:  # noqa: BLE001 - another Python's bridge: ImportError, OSError...
        sys.modules.pop("uno", None)
        return None
    finally:
        sys.path.remove(_DEBIAN_UNO)


def _bridge_matches() -> bool:
    """Return whether the system's pyuno was built for this Python's version (loading
    another version's bridge would crash the interpreter, not raise ImportError)."""
    want = f"libpython{sys.version_info[0]}.{sys.version_info[1]}.".encode()
    for library in ("/usr/lib/libreoffice/program/libpyuno.so",
                    "/usr/lib/libreoffice/program/pyuno.so"):
        try:
            found = set(re.findall(rb"libpython\d+\.\d+\.", Path(library).read_bytes()))
        except OSError:
            continue
        return found == {want}
    return False


def real_office(soffice: str) -> bool:
    """Return whether ``soffice`` belongs to a LibreOffice installation (its program
    folder holds types.rdb), not a wrapper script that only converts."""
    return (Path(soffice).resolve().parent / "types.rdb").is_file()


class OfficeDied(Exception):
    """The office ended (or stopped answering) during a call."""


class OfficeUnavailable(ConversionError):
    """The office never accepted a connection: convert one-shot instead."""


class ResidentOffice:
    """One headless soffice on a private pipe; `convert` files through it; `close` ends it.

    The process starts in ``__init__`` (without waiting); the first `convert` waits until it
    accepts the connection.
    """

    def __init__(self, soffice: str, uno: Any, fonts_conf: Path, profile: Path,
                 kept: dict | None = None) -> None:
        self.soffice, self.uno, self.profile = soffice, uno, profile
        self.env = conversion_env(fonts_conf)
        self.proc: subprocess.Popen | _Kept | None = None
        self.desktop: Any = None
        self.starts, self.deaths, self.connected, self.owned = 0, 0, False, True
        self._log = tempfile.TemporaryFile()
        if kept is not None:  # the office `nianbao office start` left running: not ours
            self.proc, self.pipe, self.owned = _Kept(kept["pid"]), kept["pipe"], False
            try:
                self._connect(5.0)
                return
            except OfficeDied:
                self.proc, self.owned = None, True
        self._start()

    def _start(self) -> None:
        self.pipe = f"nianbao-{os.getpid()}-{secrets.token_hex(6)}"
        command = [self.soffice, "--headless", "--invisible", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={self.profile.as_uri()}",
                   f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"]
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT, env=self.env,
                                         start_new_session=os.name == "posix")
        except OSError as exc:
            from .oserrors import reason

            raise ConversionError(f"无法启动 LibreOffice：{reason(exc)}（{self.soffice}）") from None
        self.desktop, self.starts, self.owned = None, self.starts + 1, True

    def _connect(self, wait: float | None = None) -> Any:
        """Return the office's Desktop, waiting for a starting office to accept (at most
        ``wait`` s, default $NIANBAO_PDF_START_TIMEOUT or 60)."""
        if self.desktop is not None:
            return self.desktop
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + (wait or _seconds("NIANBAO_PDF_START_TIMEOUT",
                                                        START_TIMEOUT))
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise OfficeDied("LibreOffice 启动后立即退出")
            try:
                context = resolver.resolve(url)
                break
            except Exception:  # noqa: BLE001 - NoConnectException while it starts
                if time.monotonic() > deadline:
                    raise OfficeDied("LibreOffice 启动超时") from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        self.connected = True
        return self.desktop

    def stop(self) -> None:
        """Kill the office's process group (idempotent); leave a kept office running."""
        if self.proc is not None and self.owned:
            _kill_group(self.proc)  # type: ignore[arg-type]
        self.proc, self.desktop = None, None

    def close(self) -> None:
        self.stop()
        self._log.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _props(self, **values: Any) -> tuple:
        props = []
        for name, value in values.items():  # createUnoStruct: no need for uno's import hook
            prop = self.uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            prop.Name, prop.Value = name, value
            props.append(prop)
        return tuple(props)

    def _convert_one(self, source: Path, target: Path, limit: float) -> None:
        """Write the PDF of ``source`` to ``target``; kill the office after ``limit`` s."""
        desktop = self._connect()
        proc = self.proc
        assert proc is not None
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            _kill_group(proc)  # type: ignore[arg-type]

        timer = threading.Timer(limit, expire)
        timer.daemon = True
        timer.start()
        try:
            doc = desktop.loadComponentFromURL(
                source.as_uri(), "_blank", 0,
                self._props(Hidden=True, ReadOnly=True, MacroExecutionMode=0,
                            UpdateDocMode=0))
            if doc is None:
                raise ConversionError(f"LibreOffice 无法打开 {source.name}")
            try:
                doc.storeToURL(target.as_uri(), self._props(FilterName="writer_pdf_Export"))
            finally:
                try:
                    doc.close(True)
                except Exception:  # noqa: BLE001 - closing a document of a dead office
                    pass
        except ConversionError:
            raise
        except Exception as exc:  # noqa: BLE001 - UNO: DisposedException, IOException...
            if expired.is_set():
                timer.join()  # the whole group is gone before we go on
                raise ConversionError(
                    f"PDF 转换失败：LibreOffice 转换 {source.name} 超过 {limit:g} 秒仍未完成，"
                    f"已结束它的全部进程（可用环境变量 NIANBAO_PDF_TIMEOUT 设置时限，单位秒）"
                ) from None
            if proc.poll() is not None or not _answers(desktop):
                raise OfficeDied(str(exc)) from None
            raise ConversionError(f"LibreOffice 未能转换 {source.name}：{exc}") from None
        finally:
            timer.cancel()

    def convert(self, docx_files: Sequence[Path], failed: dict[Path, str] | None = None,
                timeout: float | None = None) -> list[Path | None]:
        """Convert every DOCX to a PDF next to it, checked like `pdf.convert_to_pdf`;
        return the PDFs. With ``failed`` a file that fails gets None and its reason there
        (keyed by the resolved DOCX); without it the first failure is raised.

        Raises:
            OfficeUnavailable: the office never started here (nothing was converted).
            ConversionError: a file could not be converted (without ``failed``).
            OSError: a PDF could not be put in place (without ``failed``).
        """
        limit = timeout if timeout is not None else _seconds("NIANBAO_PDF_TIMEOUT",
                                                             FILE_TIMEOUT)
        made: list[Path | None] = []
        with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
            for index, file in enumerate(Path(f).resolve() for f in docx_files):
                staged = Path(tmp, f"{index:04d}.pdf")
                try:
                    self._with_restart(file, staged, limit)
                    made.append(_deliver(staged, file.with_suffix(".pdf"), ""))
                except OfficeUnavailable:
                    raise
                except (ConversionError, OSError) as exc:
                    if failed is None:
                        raise
                    from .oserrors import describe

                    failed[file] = describe(exc) if isinstance(exc, OSError) else str(exc)
                    made.append(None)
                staged.unlink(missing_ok=True)
        return made

    def _with_restart(self, source: Path, target: Path, limit: float) -> None:
        """Convert one file; start the office again when it died (at most `RESTARTS`
        times per batch) or was killed on the time limit."""
        while True:
            if self.proc is None:
                if self.deaths > RESTARTS:
                    raise ConversionError(f"PDF 转换失败：LibreOffice 意外退出，"
                                          f"已重启 {RESTARTS} 次仍未成功")
                self._start()
            try:
                return self._convert_one(source, target, limit)
            except OfficeDied as exc:
                self.stop()
                if not self.connected:  # it never worked here: no point in restarting
                    raise OfficeUnavailable(str(exc)) from None
                self.deaths += 1
            except ConversionError:
                if not self.alive():  # killed on the time limit: the next file gets a new one
                    self.stop()
                raise


def _answers(desktop: Any) -> bool:
    """Return whether the office still answers a trivial call."""
    try:
        desktop.getComponents()
        return True
    except Exception:  # noqa: BLE001 - a dead bridge
        return False


class _Kept:
    """A kept office started by another command: enough of Popen for `_kill_group`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        return None if _running(self.pid) else 0

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while _running(self.pid):
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return 0


def _running(pid: int, marker: str | None = None) -> bool:
    """Return whether process ``pid`` runs (not a zombie), and with ``marker`` whether
    its command line holds it (a recycled pid is not our office)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        line = Path(f"/proc/{pid}/cmdline").read_bytes() if marker else b""
    except (OSError, IndexError):
        return False
    return state != "Z" and (marker is None or marker.encode() in line)


_started_here: list[subprocess.Popen] = []  # kept offices this process started


def _kept_state() -> Path:
    return profile_dir().with_name(profile_dir().name + "-kept.json")


def kept_office() -> dict | None:
    """Return {pid, pipe} of the office `start_kept` left running, or None."""
    try:
        state = json.loads(_kept_state().read_text(encoding="utf-8"))
        pid, pipe = int(state["pid"]), str(state["pipe"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {"pid": pid, "pipe": pipe} if _running(pid, pipe) else None


def start_kept() -> tuple[bool, int]:
    """Start an office that outlives the command (``nianbao office start``): every later
    conversion uses it. Return (started now, its pid); (False, pid) when one runs.

    Raises:
        pdf.LibreOfficeMissing: soffice is not installed.
        ConversionError: UNO is missing, or the office does not start.
    """
    if not Path("/proc/self/stat").is_file():  # _running could not find it again
        raise ConversionError("常驻 LibreOffice 目前只支持 Linux")
    running = kept_office()
    if running is not None:
        return False, running["pid"]
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing()
    uno = load_uno() if real_office(soffice) else None
    if uno is None:
        raise ConversionError("无法启动常驻 LibreOffice：需要 LibreOffice 的 Python 接口（UNO），"
                              "请安装：sudo apt-get install -y python3-uno")
    profile = profile_dir().with_name(profile_dir().name + "-kept")
    with fontconfig_file() as conf:
        office = ResidentOffice(soffice, uno, conf, profile)
        try:
            office._connect()
        except OfficeDied as exc:
            office.close()
            raise ConversionError(f"无法启动常驻 LibreOffice：{exc}") from None
    assert isinstance(office.proc, subprocess.Popen)
    from .outputs import save_atomic

    text = json.dumps({"pid": office.proc.pid, "pipe": office.pipe})
    save_atomic(lambda temp: Path(temp).write_text(text, encoding="utf-8"), _kept_state())
    office._log.close()
    _started_here.append(office.proc)  # a Popen must not be collected while it runs
    return True, office.proc.pid


def stop_kept() -> int | None:
    """End the office `start_kept` left running; return its pid (None: none ran)."""
    running = kept_office()
    _kept_state().unlink(missing_ok=True)
    if running is None:
        return None
    _kill_group(_Kept(running["pid"]))  # type: ignore[arg-type]
    for proc in [p for p in _started_here if p.pid == running["pid"]]:
        proc.wait()  # reap our own child
        _started_here.remove(proc)
    return running["pid"]


@contextmanager
def resident_office() -> Iterator[ResidentOffice | None]:
    """Yield a started `ResidentOffice`, or None when UNO or a real LibreOffice is
    missing (the caller then converts one-shot). The office's processes are killed on
    exit, whatever the exit."""
    soffice = find_soffice()
    uno = load_uno() if soffice is not None and real_office(soffice) else None
    if soffice is None or uno is None:
        yield None
        return
    with ExitStack() as stack:
        conf = stack.enter_context(fontconfig_file())
        profile = stack.enter_context(_own_profile())
        try:
            office = ResidentOffice(soffice, uno, conf, profile, kept_office())
        except ConversionError:  # cannot even be started: the one-shot call will say why
            yield None
            return
        atexit.register(office.stop)  # even if the caller's finally never runs
        try:
            yield office
        finally:
            office.close()
            atexit.unregister(office.stop)  # a kept office goes on running


@contextmanager
def _own_profile() -> Iterator[Path]:
    """Yield the kept profile of resident offices (fast start), or, while another run of
    nianbao uses it, a fresh temporary one."""
    kept = profile_dir().with_name(profile_dir().name + "-uno")
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    handle = None
    if fcntl is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            handle = open(kept.with_name(kept.name + ".lock"), "w")
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if handle is not None:
                handle.close()
            handle = None
    if handle is not None:
        with handle:
            yield kept
        return
    fresh = Path(tempfile.mkdtemp(prefix="nianbao-lo-"))
    try:
        yield fresh
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
