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
import sys
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).resolve().parents[1] / "data" / "glossary.txt"

#: Characters whose omission or insertion changes the style, not the term
#: (实质性化解 / 实质化解).
FUNCTION_CHARS = frozenset("的和与及之或并等、，性")
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
    """Lookup tables of the terms. Built at once: the terms by their first two
    characters, the set of every three characters a variant may start with, and the set
    of the first two characters of the long terms (a few comprehensions, no table of
    lists per key). Made on first use, per key met in a text: the variants that start
    with three given characters, and the lookups of one pair of characters (`Plan`)."""

    def __init__(self, all_terms: list[str]) -> None:
        self.terms = all_terms
        #: Indexes of the terms (glossary order) by their first two characters.
        self.by_pair: dict[str, list[int]] = {}
        by_pair = self.by_pair
        for k, pair in enumerate([t[:2] for t in all_terms]):
            if pair in by_pair:
                by_pair[pair].append(k)
            else:
                by_pair[pair] = [k]
        #: Every three characters a variant of a term may start with (`starts_of`).
        self.starts = frozenset(
            [t[:3] for t in all_terms] + [t[:2] + t[3] for t in all_terms]
            + [t[0] + t[:2] for t in all_terms] + [t[:2] + t[1] for t in all_terms]
            + [t[1] + t[0] + t[2] for t in all_terms] + [t[0] + t[2] + t[1] for t in all_terms])
        #: The first two characters of the terms checked for an extra character.
        self.extra_pairs = frozenset([t[:2] for t in all_terms if len(t) >= MIN_TERM_EXTRA])
        #: The codes (`pair_codes`) of every pair at which a near-miss may start: the
        #: first two of the three characters above, and the extra pairs.
        self.codes = frozenset(
            _codes([t[:2] for t in all_terms] + [t[1] + t[0] for t in all_terms]
                   + [t[0] + t[2] for t in all_terms] + [t[0] + t[0] for t in all_terms]
                   + list(self.extra_pairs)))
        self.extra_codes = frozenset(_codes(list(self.extra_pairs)))
        #: The codes of the last two characters of the long terms.
        self.end_codes = frozenset(_codes([t[-2:] for t in all_terms if len(t) >= MIN_TERM_EXTRA]))
        #: Every code a text's pairs are looked up in.
        self.wanted = self.codes | self.end_codes
        #: Length of the longest term.
        self.longest = max(map(len, all_terms), default=0)
        #: {variant: term} of the variants that start with three characters, and their
        #: lengths, longest first, by their first four, by those three (made on first use).
        self.near: dict[str, tuple[dict[str, str], dict[str, tuple[int, ...]]]] = {}
        #: Every term, one a line: a variant found in it is part of another term, no slip.
        self.joined = "\n".join(all_terms)
        self.plans: dict[str, Plan] = {}
        self._by_first: dict[str, list[int]] | None = None

    def near_start(self, start: str) -> tuple[dict[str, str], dict[str, tuple[int, ...]]]:
        """Return {variant: term} of the variants that start with ``start`` (the first
        term in glossary order for a variant of two), and their lengths, longest first,
        by their first four characters."""
        x, y, z = start[0], start[1], start[2]
        by_pair = self.by_pair  # a variant's start comes from a term's xy…, yx… or xz…
        found: dict[str, str] = {}
        for k in sorted({*by_pair.get(x + y, ()), *by_pair.get(y + x, ()), *by_pair.get(x + z, ())}):
            term = self.terms[k]
            if start in starts_of(term):
                for variant in variants(term):
                    if variant.startswith(start) and len(variant) >= MIN_TERM:
                        found.setdefault(variant, term)
        lengths: dict[str, set[int]] = {}
        for variant in found:
            lengths.setdefault(variant[:4], set()).add(len(variant))
        entry = self.near[start] = (found, {four: tuple(sorted(ns, reverse=True))
                                            for four, ns in lengths.items()})
        return entry

    def plan(self, pair: str) -> "Plan":
        """Return what to try where the text shows ``pair`` (made on first use)."""
        plan = self.plans.get(pair)
        if plan is None:
            plan = self.plans[pair] = self._plan(pair)
        return plan

    def _plan(self, pair: str) -> "Plan":
        if self._by_first is None:
            self._by_first = {}
            for first, ks in self.by_pair.items():
                self._by_first.setdefault(first[0], []).extend(ks)
        terms = self.terms
        # the terms of which a variant may start with the pair: ab…, ba…, ac…, aa…
        producers = {terms[k] for k in (*self.by_pair.get(pair, ()), *self.by_pair.get(pair[::-1], ()),
                                         *self._by_first.get(pair[0], ()))}
        lengths = tuple(sorted({n for t in producers if pair in _pairs_of(t)
                                for n in (len(t) + 1, len(t), len(t) - 1) if n >= MIN_TERM},
                               reverse=True))
        long = [terms[k] for k in self.by_pair.get(pair, ()) if len(terms[k]) >= MIN_TERM_EXTRA]
        table: dict[tuple[str, int], tuple[str, ...]] = {}
        for term in long:
            key = (term[-2:], len(term))
            table[key] = (*table.get(key, ()), term)
        return Plan(lengths, lengths[0] if lengths else 0,
                    tuple(sorted({len(t) for t in long}, reverse=True)),
                    frozenset(_codes([t[-2:] for t in long])), table)


def starts_of(t: str) -> set[str]:
    """Return the three characters a variant of ``t`` may start with: the first three,
    them with the third left out, one of the first two doubled, or two of them swapped."""
    a, b, c, d = t[0], t[1], t[2], t[3]
    return {a + b + c, a + b + d, a + a + b, a + b + b, b + a + c, a + c + b}


def _pairs_of(t: str) -> set[str]:
    """Return the pairs a variant of ``t`` may start with (its first three characters)."""
    return {t[:2], t[1] + t[0], t[0] + t[2], t[0] + t[0]}


@dataclass(frozen=True)
class Plan:
    """The lookups of one pair of characters: every length a variant of a term of the
    pair may have and the longest; the lengths of the long terms starting with it, the
    codes of their last two characters, and those terms by (last two, length)."""

    lengths: tuple[int, ...]
    longest: int
    extra_lengths: tuple[int, ...]
    extra_ends: frozenset[int]  # codes (`pair_codes`)
    extra: dict[tuple[str, int], tuple[str, ...]]


@lru_cache(maxsize=1)
def index() -> Index:
    """Return the lookup tables of every term: made once per machine and kept in
    `disk_cache` with the tables made on first use since (saved when the process ends),
    else made here."""
    import atexit

    from .. import disk_cache

    name = f"glossary-{disk_cache.fingerprint(DATA, Path(__file__)).hex()[:32]}.marshal"
    built = _restored(name) or Index([t for t in terms() if len(t) >= MIN_TERM])
    atexit.register(_save, built, name, (len(built.near), len(built.plans)))
    return built


#: What a saved index holds (marshal: strings, numbers, tuples, lists, dicts, sets).
_STATE = ("terms", "by_pair", "starts", "extra_pairs", "codes", "extra_codes", "end_codes",
          "wanted", "longest", "near", "joined", "plans", "_by_first")


def _restored(name: str) -> Index | None:
    import marshal

    from .. import disk_cache

    data = disk_cache.read(name)
    try:
        state = marshal.loads(data) if data is not None else None
        if not isinstance(state, dict) or set(state) != set(_STATE):
            return None
        state["plans"] = {pair: Plan(*fields) for pair, fields in state["plans"].items()}
    except (EOFError, ValueError, TypeError):
        return None
    built = Index.__new__(Index)
    built.__dict__.update(state)
    return built


def _save(built: Index, name: str, loaded: tuple[int, int]) -> None:
    """Store ``built`` when it holds more tables than when it was loaded or made."""
    import marshal

    from .. import disk_cache

    if (len(built.near), len(built.plans)) == loaded:
        return
    state = {key: getattr(built, key) for key in _STATE}
    state["plans"] = {pair: (p.lengths, p.longest, p.extra_lengths, p.extra_ends, p.extra)
                      for pair, p in built.plans.items()}
    disk_cache.write(name, marshal.dumps(state))


#: Pairs of characters as integers: two UTF-32 code units read as one 64-bit word, so
#: that the pairs of a text are made in C (`pair_codes`), not slice by slice.
_ENC = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def _codes(pairs: list[str]) -> list[int]:
    """Return the code of each pair of characters of ``pairs``."""
    return memoryview("".join(pairs).encode(_ENC, "surrogatepass")).cast("Q").tolist()


def pair_codes(text: str) -> list[int]:
    """Return the code of each two neighbouring characters of ``text``, by offset."""
    data = memoryview(text.encode(_ENC, "surrogatepass"))
    n = len(text)
    codes = [0] * (n - 1)
    codes[0::2] = data[:n // 2 * 8].cast("Q").tolist()
    codes[1::2] = data[4:4 + (n - 1) // 2 * 8].cast("Q").tolist()
    return codes


def near_misses(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, term) for each near-miss of a glossary term in ``text``, left to
    right, the longest at each place, not overlapping."""
    n = len(text)
    if n < MIN_TERM:
        return
    idx = index()
    # one pass in C over the pairs of the text finds the only places that can matter:
    # where a variant or a long term may start, and where a long term may end
    codes = pair_codes(text)
    places = list(compress(range(n - 1), map(idx.wanted.__contains__, codes)))
    if not places:
        return
    at_end: dict[int, list[int]] = {}
    for j in places:
        if codes[j] in idx.end_codes:
            at_end.setdefault(codes[j], []).append(j)
    starts, first, extra_codes = idx.starts, idx.codes, idx.extra_codes
    stands: dict[int, set[int]] = {}  # by code of an extra pair: where its terms' ends stand
    i = 0
    for place in places:
        code = codes[place]
        if place < i or code not in first:
            continue
        lengths: list[int] = []
        if at_end and code in extra_codes:
            plan = idx.plan(text[place:place + 2])
            stand = stands.get(code)
            if stand is None:
                stand = stands[code] = {j for last in plan.extra_ends.intersection(at_end)
                                        for j in at_end[last]}
            # a window of length + 1 ends with the last two characters of a term of that length
            lengths = [length for length in plan.extra_lengths if place + length - 1 in stand]
        if not lengths and text[place:place + 3] not in starts:
            continue
        found = _at(text, place, idx, lengths)
        if found is None:
            continue
        i, (end, term) = place, found
        # the term itself written right around here (法治政府建设 / 法治政府府建设), or the
        # span overlaps another term written right (依法治国中 is no 法治中国 swapped)
        if term not in text[max(0, i - len(term)):end + len(term)] and not _overlaps_term(text, i, end):
            yield i, end, term
        i = end


def _at(text: str, i: int, idx: Index, lengths: list[int]) -> tuple[int, str] | None:
    """Return (end, term) of the longest near-miss starting at ``i``, or None: a variant,
    else a long term with one character added, of one of ``lengths``."""
    start = text[i:i + 3]
    if start in idx.starts:
        near, by_four = idx.near.get(start) or idx.near_start(start)
        # the lengths of the variants that start like the text here; near the end of
        # the text, where a slice comes out short, every length of the pair (as it was)
        own = by_four.get(text[i:i + 4], ())
        if by_four and i + idx.longest + 1 > len(text):
            plan = idx.plan(start[:2])
            if i + plan.longest > len(text):
                own = plan.lengths
        for length in own:
            variant = text[i:i + length]
            term = near.get(variant)
            if term is not None and variant not in idx.joined:
                return i + length, term
    if not lengths:
        return None
    table = idx.plan(start[:2]).extra
    for length in lengths:
        window = text[i:i + length + 1]
        for term in table.get((window[-2:], length), ()):
            if _one_extra(window, term):
                return i + length + 1, term
    return None


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(map(len, terms()))


def _overlaps_term(text: str, start: int, end: int) -> bool:
    """Return True if a glossary term written right starts before ``start`` and ends
    inside the span, or starts inside the span and ends after it."""
    known = terms()
    longest = _longest()
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
    if not 2 <= k <= len(term) - 2 or window[k] in FUNCTION_CHARS or not "\u4e00" <= window[k] <= "\u9fff":
        return False
    return window[k + 1:] == term[k:] and window[k] != term[k] and window[k] != term[k - 1]
