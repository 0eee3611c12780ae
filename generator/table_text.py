"""Relations between a fixed table and the narrative text (``文中`` in tables.yaml): a
figure the text of a section states (found by the relation's patterns) must stand in the
declared relation to the table's cells. Each mismatch is a warning at the figure in the
text the user typed, with the value the table implies."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from .issues import Issue
from .messages_zh import issue
from .table_spec import OPERATORS, TEXT_TERM, Relation, TableSpec, expand, terms
from .table_values import TableValues, show, sum_terms

if TYPE_CHECKING:
    from .prepared import Ready
    from .rules.narrative import Text

#: How a broken relation reads with the text's figure on the left.
_OP_WORDS = {"=": "应为", "<=": "不应超过", ">=": "不应少于"}
_FLIP = {"=": "=", "<=": ">=", ">=": "<="}


def check_text_relations(prepared: "Ready", specs: list[TableSpec], values: TableValues
                         ) -> list[Issue]:
    """Return a warning for every figure of the narrative text that breaks a ``文中``
    relation of ``specs`` (tables the data gives)."""
    from .rules.narrative import narrative

    texts = narrative(prepared)
    titles = {s.spec.key: s.title for s in prepared.outline.sections}
    out: list[Issue] = []
    for spec in specs:
        if spec.key not in values.present:
            continue
        for relation in spec.relations:
            if relation.text is None:
                continue
            section = relation.text.section
            found = [t for t in texts if t.section == section]
            for text, match, figure in figures(found, relation.text.patterns):
                out += _check(spec, relation, values, text, match, figure,
                              titles.get(section, section))
    return out


def figures(texts: list["Text"], patterns: tuple[str, ...]):
    """Yield (text, match, figure) for each figure ``patterns`` find in ``texts``, once
    per place (an earlier pattern wins where two overlap); no group means 0."""
    compiled = [re.compile(p) for p in patterns]
    for text in texts:
        taken: list[tuple[int, int]] = []
        for pattern in compiled:
            for match in pattern.finditer(text.text):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                yield text, match, Decimal(match.group(1) if pattern.groups else 0)


def _check(spec: TableSpec, relation: Relation, values: TableValues, text: "Text",
           match: re.Match, figure: Decimal, section: str) -> list[Issue]:
    out = []
    for expr in expand(relation):
        op = next(o for o in OPERATORS if o in expr)
        left, right = (terms(side, spec) for side in expr.split(op, 1))
        if not any(name == TEXT_TERM for _, name in left):  # the figure on the left
            left, right, op = right, left, _FLIP[op]
        total_l = sum_terms(left, spec, values, None, figure)
        total_r = sum_terms(right, spec, values, None, figure)
        if {"=": total_l == total_r, "<=": total_l <= total_r, ">=": total_l >= total_r}[op]:
            continue
        sign = next(s for s, name in left if name == TEXT_TERM)
        expected = figure + sign * (total_r - total_l)
        cells = [name for _, name in right if name != TEXT_TERM]
        kind = spec.value(cells[0]) if len(cells) == 1 else None
        hint = (f"，或写成 {{{{ {spec.key}.{cells[0]} }}}} 引用表中数字"
                if len(right) == 1 and kind is not None and match.re.groups else "")
        loc = replace(text.loc, column=match.start() + 1)
        out.append(replace(issue(
            "table_text_mismatch", loc, section=section, snippet=match.group(0),
            table=spec.title, actual=show(figure, kind) if kind else figure,
            expected=show(expected, kind) if kind else expected, op=_OP_WORDS[op],
            relation=relation.ident, rule=relation.description, hint=hint),
            snippet=match.group(0)))
    return out
