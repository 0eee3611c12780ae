"""Relations between figures (spec §14 R2–R8 errors, W2 warning).

A relation is checked only when every figure it names was supplied (or summed): a
missing 上年结转 is not the same as zero.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from ..formatting import format_number
from ..issues import Issue
from ..messages_zh import issue
from ..metric_catalogue import lookup
from .metrics import origin

if TYPE_CHECKING:
    from ..prepared import Ready


@dataclass(frozen=True)
class Relation:
    """``left <op> sum(right)`` must hold; otherwise the issue ``code`` is raised at left."""

    code: str
    left: str
    op: Callable[[float, float], bool]
    right: tuple[str, ...]


RELATIONS: tuple[Relation, ...] = (
    Relation("accepted_gt_received", "行政复议.受理", operator.le, ("行政复议.收到",)),
    Relation("concluded_gt_open", "行政复议.审结", operator.le,
             ("行政复议.受理", "行政复议.上年结转")),
    Relation("corrected_gt_concluded", "行政复议.纠错", operator.le, ("行政复议.审结",)),
    Relation("mediation_success_gt_cases", "人民调解.调解成功", operator.le, ("人民调解.受理",)),
    Relation("lost_gt_cases", "行政应诉.败诉", operator.le, ("行政应诉.案件数",)),
    Relation("certified_gt_staff", "行政执法.持证人数", operator.le, ("行政执法.执法人员",)),
    Relation("cleanup_sum_mismatch", "规范性文件.清理", operator.eq,
             ("规范性文件.保留", "规范性文件.修改", "规范性文件.废止")),
    Relation("review_lt_decisions", "重大行政决策.合法性审查", operator.ge, ("重大行政决策.数量",)),
)


def check(relation: Relation, prepared: "Ready") -> Iterator[Issue]:
    """Yield the relation's issue when all its figures are there and it does not hold."""
    groups = prepared.merged.groups
    left = lookup(groups, relation.left)
    rights = [lookup(groups, key) for key in relation.right]
    if left is None or any(value is None for value in rights):
        return
    total = sum(rights)
    if not relation.op(left, total):
        yield issue(relation.code, origin(prepared, relation.left), left=relation.left,
                    lv=format_number(left), right="」「".join(relation.right),
                    rv=format_number(total))


def relation_rule(relation: Relation) -> Callable[["Ready"], Iterator[Issue]]:
    """Return the rule function checking ``relation``."""
    def rule(prepared: "Ready") -> Iterator[Issue]:
        return check(relation, prepared)

    rule.__name__ = rule.__qualname__ = relation.code
    return rule


RELATION_RULES = tuple(relation_rule(r) for r in RELATIONS)
