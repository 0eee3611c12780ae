"""One defect found in a paragraph: where it is, what it is, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """A defect at ``text[start:end]`` of one paragraph.

    ``ctx`` fills the Chinese message template of ``code`` (messages_zh); ``fix`` is the
    replacement of the snippet when it is certain, else None.
    """

    code: str
    start: int
    end: int
    snippet: str
    ctx: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    fix: str | None = None


def around(text: str, start: int, end: int, before: int = 6, after: int = 4) -> str:
    """Return the text around ``text[start:end]`` (for messages)."""
    return text[max(0, start - before):min(len(text), end + after)]
