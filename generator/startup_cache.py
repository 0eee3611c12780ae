"""Work every ``nianbao`` process used to repeat at start-up, done once per machine.

Two kinds of code are compiled afresh by each Python process, whatever ``__pycache__`` holds:
- **regular expressions**: ``re`` compiles a pattern in Python code, and a class of Chinese
  characters such as ``[一-鿿]`` alone costs about a millisecond (a 65,536-entry map is
  filled); one ``nianbao build`` compiles some 190 patterns (ours, Jinja's, docxtpl's);
- **code made from text**: ``dataclasses`` writes ``__init__``, ``__eq__``… as source text
  and compiles it (the ~90 dataclasses of a build, ours and pydantic's, cost a tenth of it),
  ``typing`` compiles every string annotation pydantic reads (~1,000), and more (`HOOKS`).

`install` (called by the console script only: a library user's process is left alone)
keeps the results in `disk_cache` — the regex engine's code, rebuilt with ``_sre.compile``
as ``re`` itself does after compiling; code objects, compiled with the same flags the hooked
module's own call would use. Same input, same code: behaviour cannot change.
Stores are keyed by the exact Python build; anything unexpected falls back to compiling.
"""

from __future__ import annotations

import atexit
import marshal
import sys
from typing import Any, Callable

MAX_ENTRIES = 4096
_installed = False
_stores: list[_Store] = []


def install() -> None:
    """Route ``re``'s and ``dataclasses``' compiling through the stores for this process."""
    global _installed
    if _installed:
        return
    _installed = True
    _install_regex()
    _install_code()


def installed() -> bool:
    """Return True when this process routes compiling through the stores."""
    return _installed


def compiled_here() -> int:
    """Return how many entries this process compiled itself (not found in a store)."""
    return sum(len(store.added) for store in _stores)


class _Store:
    """One marshal file of compiled entries: what was loaded, and what this run added."""

    def __init__(self, kind: str):
        from . import disk_cache

        self.name = f"{kind}-{sys.hexversion:x}.marshal"
        self.loaded: dict = {}
        data = disk_cache.read(self.name)
        if data is not None:
            try:
                table = marshal.loads(data)
                self.loaded = table if isinstance(table, dict) else {}
            except (EOFError, ValueError, TypeError):
                pass
        self.added: dict = {}
        atexit.register(self.save)
        _stores.append(self)

    def get(self, key: Any) -> Any:
        found = self.loaded.get(key)
        return found if found is not None else self.added.get(key)

    def drop(self, key: Any) -> None:
        self.loaded.pop(key, None)
        self.added.pop(key, None)

    def save(self) -> None:
        """Write the store when this run added to it; past `MAX_ENTRIES` (patterns made
        from data, such as a title's words, accumulate) it starts over with this run's."""
        from . import disk_cache

        if not self.added:
            return
        table = {**self.loaded, **self.added}
        if len(table) > MAX_ENTRIES:
            table = self.added
        try:
            data = marshal.dumps(table)
        except ValueError:  # an entry marshal cannot store: keep the old file
            return
        disk_cache.write(self.name, data)


def _install_regex() -> None:
    try:
        import _sre  # type: ignore[import-not-found]
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10: sre_compile; left alone
        return
    if not all(hasattr(_compiler, n) for n in ("compile", "_code", "SRE_FLAG_DEBUG")):
        return
    store = _Store(f"regex-{_sre.MAGIC}")
    original = _compiler.compile

    def compile(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        key = (p, int(flags))
        entry = store.get(key)
        if entry is not None:
            try:
                return _sre.compile(p, *entry)
            except Exception:  # a damaged entry: compile afresh below
                store.drop(key)
        parsed = _parser.parse(p, flags)  # what _compiler.compile does, keeping its parts
        groupindex = parsed.state.groupdict
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for group, index in groupindex.items():
            indexgroup[index] = group
        code = [int(c) for c in _compiler._code(parsed, flags)]  # opcodes are int subclasses
        entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1,
                 dict(groupindex), tuple(indexgroup))
        pattern = _sre.compile(p, *entry)
        store.added[key] = entry
        return pattern

    _compiler.compile = compile


#: Modules that compile source text at run time, and the builtin each calls by its global
#: name (a module global comes before builtins): dataclass methods, typing's forward
#: references (every string annotation pydantic reads), namedtuple's ``__new__``,
#: annotations evaluated by ``inspect``.
HOOKS = (("dataclasses", "exec"), ("typing", "compile"), ("collections", "eval"),
         ("inspect", "eval"))


def _install_code() -> None:
    import builtins
    from importlib import import_module

    store = _Store("code")
    real_compile = builtins.compile

    def cached_compile(source: Any, filename: Any, mode: str, flags: int = 0,
                       dont_inherit: bool = False, optimize: int = -1) -> Any:
        if not isinstance(source, str) or flags or optimize != -1:
            return real_compile(source, filename, mode, flags, dont_inherit, optimize)
        key = (source, str(filename), mode)
        data = store.get(key)
        if data is not None:
            try:
                return marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                store.drop(key)
        # dont_inherit: the hooked modules have no __future__ imports; this one has
        code = real_compile(source, filename, mode, dont_inherit=True)
        store.added[key] = marshal.dumps(code)
        return code

    def runner(run: Callable[..., Any], mode: str) -> Callable[..., Any]:
        def cached_run(source: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(source, str):
                source = cached_compile(source, "<string>", mode)
            return run(source, *args, **kwargs)
        return cached_run

    for module_name, builtin in HOOKS:
        module = import_module(module_name)
        if builtin == "compile":
            setattr(module, builtin, cached_compile)
        else:
            setattr(module, builtin, runner(getattr(builtins, builtin), builtin))
