"""Choose the report type of an imported report when ``--template`` is not given: the
template whose title pattern (or name) shares the longest run of words with the report's
title, the top-level headings its sections recognise breaking a tie; the default type
unless another one matches clearly better."""

from __future__ import annotations

import re
from typing import Any

from .recognise import Recognised

#: A title must share at least this many characters with a template's title to choose it.
MIN_TITLE_MATCH = 6
_VARIABLE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def common_run(a: str, b: str) -> int:
    """Return the length of the longest common substring of ``a`` and ``b``."""
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else 0)
        best = max(best, max(current))
        previous = current
    return best


def _score(rec: Recognised, kind: Any) -> tuple[int, int]:
    from .sections import heading_section

    title = re.sub(r"\s", "", "".join(rec.title))
    names = [_VARIABLE.sub("|", kind.title_pattern), str(kind.manifest.name)]
    words = [w for n in names for w in n.split("|") if w]
    title_match = max((common_run(title, w) for w in words), default=0)
    specs = kind.sections
    sections = {heading_section(n.heading, specs, n.typed) for n in rec.nodes if n.heading}
    return title_match, len(sections - {None})


def choose_template(rec: Recognised) -> tuple[str, bool]:
    """Return (template name, True when it was chosen by the title rather than the
    default)."""
    from ..report_type import DEFAULT_TEMPLATE, load_report_type
    from ..templates import available_templates

    scores = {}
    for name in available_templates():
        kind, _ = load_report_type(name)
        if kind is not None:
            scores[name] = _score(rec, kind)
    if not scores:
        return DEFAULT_TEMPLATE, False
    best = max(scores, key=lambda n: (scores[n], n == DEFAULT_TEMPLATE))
    default = scores.get(DEFAULT_TEMPLATE, (0, 0))
    if best == DEFAULT_TEMPLATE or scores[best][0] < MIN_TITLE_MATCH or scores[best] <= default:
        return DEFAULT_TEMPLATE, False
    return best, True
