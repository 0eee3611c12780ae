"""Regular expressions compiled on first use.

Compiling a character class of Chinese characters (\\u4e00-\\u9fff) costs a millisecond or
more (the re module fills its 65,536-entry map one character at a time), and most of the
proofreader's patterns only run when their trigger characters occur: a pattern that a
process never needs is never compiled.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("finditer", "search", "match", "fullmatch", "findall", "sub", "subn", "split")


class _Lazy:
    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:  # from now on found on the instance, not through here
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return an object that acts as ``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
