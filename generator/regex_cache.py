"""Regular expressions compiled once per machine instead of once per process.

CPython compiles a pattern in Python code; a class of Chinese characters such as ``[一-鿿]``
alone costs about a millisecond (it fills a 65,536-entry map), and one ``nianbao build``
compiles some 190 patterns — its own, Jinja's, docxtpl's. `install` (called by the console
script only: a library user's process is left alone) makes ``re`` keep the engine code of
each pattern in `disk_cache` and rebuild later patterns from it with ``_sre.compile``, the
same call ``re`` makes after its own compile. The store is keyed by the exact Python build
and the engine's ``MAGIC``; anything unexpected falls back to ``re``'s own compile.
"""

from __future__ import annotations

import atexit
import marshal
import sys
from typing import Any

MAX_PATTERNS = 4096
_installed = False


def install() -> None:
    """Route ``re``'s compile through the store for the rest of this process."""
    global _installed
    if _installed:
        return
    try:
        import _sre  # type: ignore[import-not-found]
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:
        return
    if not all(hasattr(_compiler, n) for n in ("compile", "_code", "SRE_FLAG_DEBUG")):
        return
    from . import disk_cache

    name = f"regex-{_sre.MAGIC}-{sys.hexversion:x}.marshal"
    stored = _load(disk_cache.read(name))
    added: dict[tuple, tuple] = {}
    original = _compiler.compile

    def compile(p: Any, flags: int = 0) -> Any:
        key = (p, int(flags))
        if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        entry = stored.get(key) or added.get(key)
        if entry is not None:
            try:
                return _sre.compile(p, *entry)
            except Exception:  # a damaged entry: compile afresh below
                stored.pop(key, None)
        parsed = _parser.parse(p, flags)
        groupindex = parsed.state.groupdict
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for group, index in groupindex.items():
            indexgroup[index] = group
        code = [int(c) for c in _compiler._code(parsed, flags)]  # opcodes are int subclasses
        entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1,
                 dict(groupindex), tuple(indexgroup))
        pattern = _sre.compile(p, *entry)
        added[key] = entry
        return pattern

    def save() -> None:
        if added and len(stored) + len(added) <= MAX_PATTERNS:
            disk_cache.write(name, marshal.dumps({**stored, **added}))

    _compiler.compile = compile
    atexit.register(save)
    _installed = True


def _load(data: bytes | None) -> dict[tuple, tuple]:
    if data is None:
        return {}
    try:
        table = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}
