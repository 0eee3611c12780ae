"""The one "did you mean" helper: the closest known name to a misspelt one."""

from __future__ import annotations

import difflib
from typing import Iterable

MAX_CHARS = 200  # longer input is compared by its start (difflib is quadratic)


def closest(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """Return the choice most like ``word`` (difflib ratio ≥ ``cutoff``), or None."""
    found = difflib.get_close_matches(word[:MAX_CHARS], list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.5,
                 otherwise: str = "") -> str:
    """Return 「，是否应为「x」？」 for the closest choice, else ``otherwise``."""
    match = closest(word, choices, cutoff)
    return f"，是否应为「{match}」？" if match else otherwise
