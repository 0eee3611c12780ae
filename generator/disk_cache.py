"""A per-user folder of compiled artefacts that outlive one process (like ``__pycache__``).

A fresh ``nianbao`` process would otherwise compile the same Jinja templates and regular
expressions on every run: tens of milliseconds of a command that takes a few hundred.
`jinja_env` keeps compiled template code here, `startup_cache` the regex engine's code and
the code of dataclass methods.

Where: ``$NIANBAO_CACHE_DIR``, else ``$XDG_CACHE_HOME/nianbao``, else ``~/.cache/nianbao``,
in a subfolder per nianbao version and Python; ``NIANBAO_CACHE_DIR=off`` turns it off.
Everything is best effort: a missing, unwritable or damaged cache costs only the compile it
would have saved, never a build. The folder is private (0700): what it holds is executed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_OFF = ("off", "0", "no", "false")
#: Files kept per subfolder: one in `PRUNE_EVERY` writes drops the least recently written.
KEEP_FILES = 4000
PRUNE_EVERY = 64
_folder: Path | None | bool = False  # False: not looked up yet


def folder() -> Path | None:
    """Return this version's cache folder (created on first use), or None when off."""
    global _folder
    if _folder is False:
        _folder = _locate()
    return _folder  # type: ignore[return-value]


def _locate() -> Path | None:
    chosen = os.environ.get("NIANBAO_CACHE_DIR")
    if chosen is not None and chosen.strip().lower() in _OFF + ("",):
        return None
    if chosen:
        base = Path(chosen)
    elif os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"]) / "nianbao"
    else:
        base = Path.home() / ".cache" / "nianbao"
    version = sys.modules[__package__].__version__  # the package, loaded before this module
    target = base / f"{version}-{sys.implementation.cache_tag}"
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(target):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    return target


def _private(path: Path) -> bool:
    """Return False when someone else could put code in ``path`` (POSIX: another owner,
    or writable by group or others); such a folder is not used."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def fingerprint(*files: Path) -> bytes:
    """Return a digest of ``files``' contents: what a kept entry was made from, so that it
    is not used after they change (a file that cannot be read counts as empty)."""
    import hashlib

    digest = hashlib.sha256()
    for file in files:
        try:
            digest.update(file.read_bytes())
        except OSError:
            pass
        digest.update(b"\0")
    return digest.digest()


def reset() -> None:
    """Look the folder up again (tests change ``NIANBAO_CACHE_DIR``)."""
    global _folder
    _folder = False


def read(name: str) -> bytes | None:
    """Return the bytes stored under ``name`` (a relative path), or None."""
    base = folder()
    if base is None:
        return None
    try:
        return (base / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Store ``data`` under ``name`` atomically (temp file + rename); failures are ignored."""
    base = folder()
    if base is None:
        return
    import random
    import tempfile

    target = base / name
    temp = None
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
        if target.parent != base and random.randrange(PRUNE_EVERY) == 0:
            prune(target.parent)
    except OSError:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def prune(subfolder: Path, keep: int = KEEP_FILES) -> None:
    """Remove all but the ``keep`` most recently written files of ``subfolder``."""
    try:
        files = sorted(subfolder.iterdir(), key=lambda f: f.stat().st_mtime, reverse=True)
        for stale in files[keep:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
