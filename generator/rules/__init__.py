"""Report-level rules: small functions that look at the prepared report and yield issues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from ..issues import Issue
from .completeness import required_sections

if TYPE_CHECKING:
    from ..api import Prepared

Rule = Callable[["Prepared"], Iterable[Issue]]

RULES: tuple[Rule, ...] = (required_sections,)


def run_rules(prepared: "Prepared") -> list[Issue]:
    """Return the issues of every registered rule."""
    return [found for rule in RULES for found in rule(prepared)]
