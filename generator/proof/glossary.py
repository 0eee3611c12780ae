"""Near-misses of official terms: a glossary term written with one character missing,
extra, doubled, or two neighbours swapped (法治政府建设实施纲要 / 法治政府建设纲要).

The terms (titles of laws, regulations, Party rules, plans; names of organs; fixed
political phrases) are read from ``generator/data/glossary.txt``, each group with its
public source. The index is built once, on first use, and matching is a few dict
lookups per character of text, whatever the number of terms:

- missing / doubled / swapped: the variants of the terms are keys of a dict per first
  two characters, made when the text first shows those two; the text is scanned left to
  right, trying the variant lengths that may start with the two characters at hand;
- extra: a window one character longer than a term, whose first two and last two
  characters are the term's, is looked up by (first two, last two, length) and checked.

Precision: an edit at either end of a term is often another word (现行规范性文件 is no
行政规范性文件 short of 政, 市场监管局 no 市场监管总局 short of 总), so the first two and the
last two characters are never dropped — except the second-last of a long title
(行政处罚法 in 中华人民共和国行政处法, 条 in 行政机关公务员处分例) — and an insertion goes
between the second and the second-last character; a function word
(的、和、与…) dropped or inserted is style, not a typo; a variant that is itself part of
another term, or found next to the term written right, is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).resolve().parents[1] / "data" / "glossary.txt"

#: Characters whose omission or insertion changes the style, not the term
#: (实质性化解 / 实质化解).
FUNCTION_CHARS = frozenset("的和与及之或并等、，性")
_HAN = re.compile("[\u4e00-\u9fff]")
#: Shortest term checked for a missing, doubled or swapped character, and for an extra one.
MIN_TERM = 4
#: Ends of titles whose second-last character may be the one left out.
_TITLE_ENDS = ("法", "条例", "规定", "办法", "细则", "规则", "准则", "纲要", "规划", "意见", "决定", "通知")
MIN_TERM_EXTRA = 7


@dataclass(frozen=True)
class Group:
    name: str
    source: str
    terms: tuple[str, ...]


def parse(text: str) -> list[Group]:
    """Return the groups of a glossary file (see its header for the format)."""
    groups: list[Group] = []
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        parts = [p.strip() for p in head.split("|")]
        prefix = next((p.split("=", 1)[1] for p in parts[2:] if p.startswith("全称=")), "")
        words = [w for line in body.splitlines() if not line.startswith("#") for w in line.split()]
        terms = dict.fromkeys(words + [prefix + w for w in words if prefix])
        groups.append(Group(parts[0], parts[1] if len(parts) > 1 else "", tuple(terms)))
    return groups


@lru_cache(maxsize=1)
def groups() -> tuple[Group, ...]:
    """Return the packaged glossary's groups (read once)."""
    return tuple(parse(DATA.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def terms() -> dict[str, str]:
    """Return {term: name of its first group} for every term of the glossary."""
    out: dict[str, str] = {}
    for group in groups():
        for term in group.terms:
            out.setdefault(term, group.name)
    return out


def variants(term: str) -> Iterator[str]:
    """Yield ``term`` with an inner character left out, a character doubled, or two
    neighbouring characters swapped."""
    last = len(term) - 1 if len(term) >= 7 and term.endswith(_TITLE_ENDS) else len(term) - 2
    for i in range(2, last):
        if term[i] not in FUNCTION_CHARS:
            yield term[:i] + term[i + 1:]
    for i in range(len(term)):
        yield term[:i + 1] + term[i] + term[i + 1:]
    for i in range(len(term) - 1):
        if term[i] != term[i + 1]:
            yield term[:i] + term[i + 1] + term[i] + term[i + 2:]


class Index:
    """Lookup tables of the terms, built on first use: the extra-character table at once,
    the variants that start with three given characters lazily, when a text first shows
    those three (a report meets a few hundred of them, so most variants are never made)."""

    def __init__(self, all_terms: list[str]) -> None:
        #: A term and each variant of it that may start with another pair (swaps of the
        #: first three characters, the first doubled), by that pair.
        self.producers: dict[str, list[str]] = {}
        #: The terms, in glossary order, of which a variant may start with three characters
        #: (the first three, or them with the third left out, one of them doubled or two
        #: of them swapped), by those three.
        self.starts: dict[str, list[str]] = {}
        producers, starts = self.producers, self.starts
        for t in all_terms:  # one pass, sets for the few repeats (the order within a term is free)
            a, b, c, d = t[0], t[1], t[2], t[3]
            ab = a + b
            for pair in {ab, b + a, a + c, a + a}:
                if pair in producers:
                    producers[pair].append(t)
                else:
                    producers[pair] = [t]
            for start in {ab + c, ab + d, a + ab, ab + b, b + a + c, a + c + b}:
                if start in starts:
                    starts[start].append(t)
                else:
                    starts[start] = [t]
        #: {variant: term} of the variants that start with three characters, and their
        #: lengths, longest first, by those three (made on first use).
        self.near: dict[str, tuple[dict[str, str], tuple[int, ...]]] = {}
        #: Every term, one a line: a variant found in it is part of another term, no slip.
        self.joined = "\n".join(all_terms)
        long = [t for t in all_terms if len(t) >= MIN_TERM_EXTRA]
        self.extra: dict[tuple[str, str, int], tuple[str, ...]] = {}
        for term in long:
            key = (term[:2], term[-2:], len(term))
            self.extra[key] = (*self.extra.get(key, ()), term)
        self.extra_lengths = _lengths(long)
        self._ends: dict[str, set[str]] = {}
        for term in long:
            self._ends.setdefault(term[:2], set()).add(term[-2:])
        #: Every pair of characters at which a near-miss may start.
        self.pairs = frozenset(self.producers) | frozenset(self.extra_lengths)
        self.plans: dict[str, Plan] = {}
        #: Slices of each pair of neighbouring characters of a text (made once, not per text).
        self.slices = [slice(k, k + 2) for k in range(4096)]

    def near_start(self, start: str) -> tuple[dict[str, str], tuple[int, ...]]:
        """Return {variant: term} of the variants that start with ``start`` (the first
        term in glossary order for a variant of two), and their lengths, longest first."""
        found: dict[str, str] = {}
        for term in self.starts.get(start, ()):
            for variant in variants(term):
                if variant.startswith(start) and len(variant) >= MIN_TERM:
                    found.setdefault(variant, term)
        entry = self.near[start] = (found, tuple(sorted({len(v) for v in found}, reverse=True)))
        return entry

    def near_lengths(self, pair: str) -> tuple[int, ...]:
        """Return every length a variant of a term of ``pair`` may have, longest first."""
        return tuple(sorted({n for t in self.producers.get(pair, ())
                             for n in (len(t) + 1, len(t), len(t) - 1) if n >= MIN_TERM}, reverse=True))

    def plan(self, pair: str) -> "Plan":
        """Return what to try where the text shows ``pair`` (made on first use)."""
        plan = self.plans.get(pair)
        if plan is None:
            lengths = self.near_lengths(pair)
            plan = self.plans[pair] = Plan(lengths, lengths[0] if lengths else 0,
                                           self.extra_lengths.get(pair, ()),
                                           frozenset(self._ends.get(pair, ())))
        return plan


@dataclass(frozen=True)
class Plan:
    """The lookups of one pair of characters: every length a variant of a term of the
    pair may have and the longest, the lengths of the long terms starting with it and the
    set of their last two characters."""

    lengths: tuple[int, ...]
    longest: int
    extra_lengths: tuple[int, ...]
    extra_ends: frozenset[str]


@lru_cache(maxsize=1)
def index() -> Index:
    """Return the lookup tables of every term (made once)."""
    return Index([t for t in terms() if len(t) >= MIN_TERM])


def _lengths(words: list[str]) -> dict[str, tuple[int, ...]]:
    by_pair: dict[str, set[int]] = {}
    for word in words:
        by_pair.setdefault(word[:2], set()).add(len(word))
    return {pair: tuple(sorted(lengths, reverse=True)) for pair, lengths in by_pair.items()}




def near_misses(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, term) for each near-miss of a glossary term in ``text``, left to
    right, the longest at each place, not overlapping."""
    idx = index()
    # only the places whose two characters start some term or variant can match: find
    # them with one set intersection, not a lookup per character
    if len(text) <= len(idx.slices):
        pairs = set(map(text.__getitem__, idx.slices[:len(text) - 1]))
    else:
        pairs = {text[k:k + 2] for k in range(len(text) - 1)}
    hits = idx.pairs & pairs
    if not hits:
        return
    where: dict[str, list[int]] = {}
    places = []
    for pair in hits:
        places += _find_all(text, pair, where)
    places.sort()
    plans = idx.plans
    i = 0
    for place in places:
        if place < i:
            continue
        pair = text[place:place + 2]
        found = _at(text, place, plans.get(pair) or idx.plan(pair), idx, pairs, where)
        if found is None:
            continue
        i, (end, term) = place, found
        # the term itself written right around here (法治政府建设 / 法治政府府建设), or the
        # span overlaps another term written right (依法治国中 is no 法治中国 swapped)
        if term not in text[max(0, i - len(term)):end + len(term)] and not _overlaps_term(text, i, end):
            yield i, end, term
        i = end


def _find_all(text: str, pair: str, where: dict[str, list[int]]) -> list[int]:
    """Return the offsets of ``pair`` in ``text`` (overlapping too), kept in ``where``."""
    found = where.get(pair)
    if found is None:
        found = where[pair] = []
        k = text.find(pair)
        while k >= 0:
            found.append(k)
            k = text.find(pair, k + 1)
    return found


def _at(text: str, i: int, plan: Plan, idx: Index, pairs: set[str],
        where: dict[str, list[int]]) -> tuple[int, str] | None:
    """Return (end, term) of the longest near-miss starting at ``i``, or None."""
    start = text[i:i + 3]
    entry = idx.near.get(start)
    if entry is None and start in idx.starts:
        entry = idx.near_start(start)
    if entry is not None and entry[1]:  # most places of a text fail on these three characters
        near, own = entry
        # the lengths of the variants that start like the text here; near the end of the
        # text, where a slice comes out short, every length of the pair (as it was)
        for length in own if i + plan.longest <= len(text) else plan.lengths:
            variant = text[i:i + length]
            term = near.get(variant)
            if term is not None and variant not in idx.joined:
                return i + length, term
    ends = plan.extra_ends & pairs
    if not ends:
        return None  # no long term of the pair ends anywhere in the text
    # a window of length + 1 ends with the last two characters of a term of that length:
    # only the lengths at which one of those ends stands in the text
    fits = {j + 1 - i for last in ends for j in _find_all(text, last, where)}
    pair = text[i:i + 2]
    for length in plan.extra_lengths:
        if length not in fits:
            continue
        window = text[i:i + length + 1]
        for term in idx.extra.get((pair, window[-2:], length), ()):
            if _one_extra(window, term):
                return i + length + 1, term
    return None


def _overlaps_term(text: str, start: int, end: int) -> bool:
    """Return True if a glossary term written right starts before ``start`` and ends
    inside the span, or starts inside the span and ends after it."""
    known = terms()
    longest = max(map(len, known))
    for j in range(max(0, start - longest), end):
        for k in range(max(j + MIN_TERM, start + 1), min(len(text), j + longest) + 1):
            if (j < start or k > end) and text[j:k] in known:
                return True
    return False


def _one_extra(window: str, term: str) -> bool:
    """Return True if ``window`` is ``term`` with one inner character added (not a
    function word, not a doubling — that is a variant already)."""
    k = 0
    while k < len(term) and window[k] == term[k]:
        k += 1
    if not 2 <= k <= len(term) - 2 or window[k] in FUNCTION_CHARS or not _HAN.match(window[k]):
        return False
    return window[k + 1:] == term[k:] and window[k] != term[k] and window[k] != term[k - 1]
