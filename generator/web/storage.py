"""Uploaded material: every upload kept as a version, the newest placed into departments/.

Versions live outside departments/ (``.nianbao/web/uploads/<部门>/<时间>-<随机>.xlsx``), so
they never count as second copies of a department; only the newest is copied into
``departments/<部门>.xlsx`` (atomically, under the workspace lock). A department's file that
is not one of the versions (put there by hand, or the blank workbook of `init`) is first
kept as a version too: nothing is ever lost.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..issues import Report
from ..outputs import save_atomic, sha256
from ..workspace import DEPARTMENTS_DIR, REPORT_FILE, department_files
from .security import WEB_DIR

UPLOADS = f"{WEB_DIR}/uploads"
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]|^\.|^~')
ORIGINAL = "-原有"  # the stem's ending of a file found in departments/, kept before replacing
_STAMP = re.compile(r"^(\d{8})-(\d{6})-(\d{6})")


@dataclass
class Version:
    """One kept upload."""

    path: Path
    size: int

    @property
    def original(self) -> bool:
        """Whether this was the department's file before any upload replaced it."""
        return self.path.stem.endswith(ORIGINAL)

    @property
    def when(self) -> str:
        """Return the upload time as 2025年1月3日 9:05:07."""
        found = _STAMP.match(self.path.name)
        if not found:
            return ""
        t = dt.datetime.strptime("".join(found.groups()), "%Y%m%d%H%M%S%f")
        return f"{t.year}年{t.month}月{t.day}日 {t.hour}:{t.minute:02d}:{t.second:02d}"


@dataclass
class Checked:
    """What checking an upload found: its issues, and the department named inside it."""

    report: Report
    inner_name: str | None = None


def department_names(root: Path) -> list[str]:
    """Return the departments of the workspace: report.yaml's 部门, then the other files of
    departments/ (names usable as file names only)."""
    from ..sources.yaml_source import YamlError, load_yaml

    names: list[str] = []
    try:
        data, _ = load_yaml(root / REPORT_FILE)
    except (YamlError, OSError, UnicodeDecodeError):
        data = None
    listed = data.get("部门") if isinstance(data, dict) else None
    for entry in listed if isinstance(listed, list) else []:
        names.extend(n for n in re.split(r"[,，、;；\s]+", str(entry)) if n)
    names.extend(p.stem for p in department_files(root))
    unique = dict.fromkeys(n for n in names if not _BAD_NAME.search(n))
    return list(unique)


class Store:
    """The uploads of one workspace. ``lock`` guards departments/: hold it to read the
    workspace (status, build) so that no placement is seen half-done."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.RLock()

    def folder(self, name: str) -> Path:
        return self.root / UPLOADS / name

    def versions(self, name: str) -> list[Version]:
        """Return the kept uploads of ``name``, newest first."""
        folder = self.folder(name)
        if not folder.is_dir():
            return []
        found = [Version(p, p.stat().st_size) for p in folder.iterdir()
                 if p.is_file() and _STAMP.match(p.name)]
        return sorted(found, key=lambda v: v.path.name, reverse=True)

    def keep(self, name: str, suffix: str, source: IO[bytes], when: dt.datetime | None = None,
             rejected: bool = False, original: bool = False) -> Path:
        """Save ``source`` as a new version of ``name`` (``rejected``: kept aside, never
        used); return its path (never overwrites)."""
        stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
        folder = self.folder(name) / "rejected" if rejected else self.folder(name)
        tag = ORIGINAL if original else ""
        path = folder / f"{stamp}-{secrets.token_hex(4)}{tag}{suffix}"

        def write(temp: str) -> None:
            source.seek(0)
            with open(temp, "wb") as out:
                shutil.copyfileobj(source, out)
        save_atomic(write, path)
        return path

    def place(self, name: str) -> Path | None:
        """Copy the newest version of ``name`` into departments/; return where it went."""
        with self.lock:
            self._keep_originals(name)
            versions = self.versions(name)
            if not versions:
                return None
            newest = versions[0].path
            target = self.root / DEPARTMENTS_DIR / f"{name}{newest.suffix}"
            save_atomic(lambda temp: shutil.copyfile(newest, temp), target)
            for other in self._current(name):
                if other != target:
                    other.unlink(missing_ok=True)  # kept as a version by _keep_originals
            return target

    def _current(self, name: str) -> list[Path]:
        return [p for p in department_files(self.root) if p.stem == name]

    def _keep_originals(self, name: str) -> None:
        known = None
        for path in self._current(name):
            if known is None:
                known = {sha256(v.path) for v in self.versions(name)}
            if sha256(path) not in known:
                with open(path, "rb") as source:
                    when = dt.datetime.fromtimestamp(path.stat().st_mtime)
                    self.keep(name, path.suffix.lower(), source, when, original=True)

    def check(self, name: str, suffix: str, source: IO[bytes]) -> Checked:
        """Validate ``source`` as department ``name``'s file, alone in a scratch copy of
        the workspace (report.yaml and its templates); return its own issues only."""
        from ..pipeline import prepare

        rel = f"{DEPARTMENTS_DIR}/{name}{suffix}"
        with tempfile.TemporaryDirectory(prefix="nianbao-check-") as scratch:
            work = Path(scratch)
            shutil.copyfile(self.root / REPORT_FILE, work / REPORT_FILE)
            if (self.root / "templates").is_dir():
                os.symlink((self.root / "templates").resolve(), work / "templates")
            (work / DEPARTMENTS_DIR).mkdir()
            source.seek(0)
            with open(work / rel, "wb") as out:
                shutil.copyfileobj(source, out)
            prepared = prepare(work)
            own = Report([i for i in prepared.report.issues if i.loc.file == rel])
            inner = next((d.name for d in prepared.workspace.departments if d.file == rel),
                         None)
        return Checked(own, inner)
