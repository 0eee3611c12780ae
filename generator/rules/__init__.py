"""Report-level rules: small functions that look at the prepared report and yield issues.

Every code a rule can yield is listed, with its severity and description, in
`catalogue.CATALOGUE` (the source of ``nianbao rules`` and docs/rules.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from ..issues import Issue
from .completeness import organ_items, required_sections
from .metrics import METRIC_RULES
from .relations import RELATION_RULES
from .report import REPORT_RULES
from .switches import apply_switches
from .text import TEXT_RULES
from .yoy import YOY_RULES

if TYPE_CHECKING:
    from ..prepared import Prepared, Ready

Rule = Callable[["Ready"], Iterable[Issue]]

RULES: tuple[Rule, ...] = (required_sections, organ_items, *REPORT_RULES, *METRIC_RULES, *RELATION_RULES,
                           *TEXT_RULES, *YOY_RULES)

__all__ = ["RULES", "Rule", "run_rules", "apply_switches"]


def run_rules(prepared: "Prepared") -> list[Issue]:
    """Return the issues of every registered rule (``prepared`` has been taken all the way:
    see `Prepared.ready`)."""
    ready = prepared.ready()
    return [found for rule in RULES for found in rule(ready)]
