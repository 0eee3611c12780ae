"""Text rules: what published reports get wrong in their wording (blank figures, placeholders,
broken dates, stray spaces, typos, unpaired brackets, half-width punctuation).

The rules are the proofreader's paragraph rules (generator/proof/paragraph.py), which
``nianbao lint`` runs too; `paragraph_rules` runs them over all narrative texts, one
issue per occurrence. `FINDERS` keeps the first-match form of the older ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from ..issues import Issue, Location
from ..messages_zh import issue
from ..numbering import typed_marker
from ..proof.paragraph import PARAGRAPH_RULES, findings
from .narrative import config_texts, narrative

if TYPE_CHECKING:
    from ..prepared import Ready

Finder = Callable[[str], "dict | None"]


# -- the proofreader's paragraph rules (generator/proof/), all occurrences ----------------
def _first(code: str) -> Finder:
    """Return the first-match form of a paragraph rule: the message context or None."""
    rule = PARAGRAPH_RULES[code]

    def finder(text: str) -> dict | None:
        found = next(iter(rule(text)), None)
        return None if found is None else dict(found.ctx)

    finder.__name__ = code
    finder.__doc__ = rule.__doc__
    return finder


blank_figure = _first("blank_figure")
placeholder = _first("placeholder")
malformed_date = _first("malformed_date")
spaced_digits = _first("spaced_digits")
fullwidth_digits = _first("fullwidth_digits")
digit_ge_typo = _first("digit_ge_typo")
ascii_punctuation = _first("ascii_punctuation")
unbalanced_brackets = _first("unbalanced_brackets")

#: The first-match finders of the rules that predate the proofreader.
FINDERS: dict[str, Finder] = {
    "blank_figure": blank_figure,
    "placeholder": placeholder,
    "malformed_date": malformed_date,
    "spaced_digits": spaced_digits,
    "fullwidth_digits": fullwidth_digits,
    "digit_ge_typo": digit_ge_typo,
    "ascii_punctuation": ascii_punctuation,
    "unbalanced_brackets": unbalanced_brackets,
}


def paragraph_rules(prepared: "Ready") -> Iterator[Issue]:
    """Yield the issues of every proofreader paragraph rule in every narrative text, with
    the position in the text (``column``), the snippet and the fix: code by code in the
    order of `PARAGRAPH_RULES`, each code's in text order (as one rule per code would),
    every text proofread once."""
    by_code: dict[str, list] = {}
    for text in narrative(prepared):
        for code, hits in findings(text.text).items():
            by_code.setdefault(code, []).append((text.loc, hits))
    for code in PARAGRAPH_RULES:
        for at, hits in by_code.get(code, ()):
            for found in hits:  # the location built field by field: replace() is slow
                loc = Location(at.file, at.line, at.sheet, at.cell, at.path, found.start + 1)
                made = issue(code, loc, **found.ctx)
                yield Issue(code, made.severity, made.message, loc, found.snippet, found.fix)


def title_typed_marker(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``title_typed_marker`` for a report title line or a section title in
    report.yaml that starts with a typed heading number (items: ``typed_numbering``)."""
    for text in config_texts(prepared):
        marker = typed_marker(text.raw) if text.heading else None
        if marker:
            yield issue("title_typed_marker", text.loc, marker=marker)


TEXT_RULES = (title_typed_marker, paragraph_rules)
