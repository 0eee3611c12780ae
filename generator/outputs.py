"""Writing outputs safely: atomically, with ordinary permissions, never over an edited file.

Each output folder keeps a small manifest (``.nianbao-manifest.json``) of the files nianbao
wrote there and their SHA-256. Before a file is written again, the one on disk is compared
with the manifest: if someone edited it (in Word or WPS) or put a file of that name there,
it is kept as a numbered copy (``报告（修改稿1）.docx``) and the build says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import IO, Callable

MANIFEST = ".nianbao-manifest.json"
TEMP_SUFFIX = ".tmp"
#: Our temp files: ``.<stem>.<8 random characters of mkstemp>.tmp``.
_OUR_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_SECONDS = 60  # older temp files are left over from a killed run, not being written
_cleaned: set[Path] = set()


def file_mode() -> int:
    """Return the permissions a new file gets from the process umask (0666 & ~umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def save_atomic(save: Callable[[str], object], output: Path) -> None:
    """Call ``save(temp_path)`` next to ``output``, then rename it into place with ordinary
    permissions (mkstemp alone would leave 0600: colleagues could not open the file).

    On failure the temp file is removed and ``output`` is untouched; an OSError that names
    no file (a write hitting a full disk or the file-size limit) or the temp file is raised
    again naming ``output``, so the user learns which file could not be written.
    """
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(output.parent)
        handle, temp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=TEMP_SUFFIX,
                                        dir=output.parent)
        os.close(handle)
    except OSError as exc:
        raise _naming(exc, output, None) from None
    try:
        save(temp)
        os.chmod(temp, file_mode())
        os.replace(temp, output)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise _naming(exc, output, temp) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _naming(exc: OSError, output: Path, temp: str | None) -> OSError:
    """Return ``exc``, or the same error naming ``output`` when it names no file or ours."""
    if exc.filename not in (None, temp) and exc.filename2 is None:
        return exc
    return OSError(exc.errno, exc.strerror or str(exc), str(output))  # OSError picks the subclass


def via_memory(save: Callable[[IO[bytes]], object]) -> Callable[[str], None]:
    """Return a ``save(temp_path)`` for `save_atomic` that lets ``save`` write into memory
    and then writes the bytes. A zip writer (python-docx) whose file fails half-way would
    otherwise print a traceback from its finaliser; in memory it cannot fail that way."""
    def write(temp: str) -> None:
        buffer = io.BytesIO()
        save(buffer)
        with open(temp, "wb") as handle:
            handle.write(buffer.getbuffer())
    return write


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove the temp files of our naming that a killed run left in ``folder`` (once per
    folder and process); return what was removed."""
    if folder in _cleaned:
        return []
    _cleaned.add(folder)
    removed = []
    limit = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        try:
            if _OUR_TEMP.match(path.name) and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {k: v for k, v in files.items() if isinstance(v, str)} if isinstance(files, dict) else {}


def keep_edited(output: Path) -> Path | None:
    """Move ``output`` aside when it is not the file nianbao last wrote there; return the
    copy's path (None when there was nothing to keep)."""
    if not output.is_file():
        return None
    if _read_manifest(output.parent).get(output.name) == sha256(output):
        return None
    for number in range(1, 10_000):
        backup = output.with_name(f"{output.stem}（修改稿{number}）{output.suffix}")
        if not backup.exists():
            os.replace(output, backup)
            return backup
    raise FileExistsError(output)


def record(outputs: list[Path]) -> None:
    """Record the hashes of freshly written ``outputs`` in their folders' manifests."""
    by_folder: dict[Path, list[Path]] = {}
    for path in outputs:
        by_folder.setdefault(path.parent, []).append(path)
    for folder, paths in by_folder.items():
        files = _read_manifest(folder)
        files.update({p.name: sha256(p) for p in paths if p.is_file()})
        text = json.dumps({"files": files}, ensure_ascii=False, indent=1, sort_keys=True)
        save_atomic(lambda temp: Path(temp).write_text(text, encoding="utf-8"),
                    folder / MANIFEST)
