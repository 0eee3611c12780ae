"""Estimate how many grid lines a paragraph takes, the way LibreOffice breaks CJK text.

Used to pad the last page so that the 版记 sits on its bottom lines (spec §8) without a
second conversion. The model: CJK characters and full-width punctuation advance one 字
(size + character spacing); Latin text uses Times New Roman widths; LibreOffice adds
1/5 of the font height between a CJK ideograph and a Latin letter or digit (it ignores
``w:autoSpaceDE``; punctuation and spaces get no gap);
a line may not start with closing punctuation nor end with opening punctuation; runs of
Latin letters and digits never break. Punctuation never hangs past the margin: the
template turns hanging off for LibreOffice (see template_builder), so a closing mark that
does not fit takes the character before it to the next line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from . import styles as S

# Times New Roman / Liberation Serif advances in 1/1000 em for printable ASCII (32..126).
_TIMES = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)
#: May not start a line (GB/T 15834 line-start rule, as LibreOffice's zh-CN list).
NO_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃～,.;:?!)]}")
#: May not end a line.
NO_END = set("（《「『【〔〈“‘([{")


def _is_han(char: str) -> bool:
    """Return whether ``char`` is a CJK ideograph (or kana), i.e. Asian *text*."""
    return "\u3400" <= char <= "\u9fff" or "\u3040" <= char <= "\u30ff" or "\uf900" <= char <= "\ufaff"


def _gap(left: str, right: str) -> bool:
    """Return whether LibreOffice puts its Asian/Latin gap between two characters."""
    return ((_is_han(left) and right.isascii() and right.isalnum())
            or (_is_han(right) and left.isascii() and left.isalnum()))


def advance(char: str, size: int = S.SIZE_3HAO, spacing: int = S.CHAR_SPACING) -> float:
    """Return the advance of ``char`` in twips at ``size`` half-points."""
    em = size * 10  # twips
    if char.isascii():
        return _TIMES[ord(char) - 32] * em / 1000 + spacing if " " <= char <= "~" else 0
    return em + spacing


def _width(unit: str, prev: str | None, size: int, spacing: int) -> float:
    """Return the width of ``unit`` after ``prev`` (with Asian/Latin gaps)."""
    gap = size * 10 / 5
    width, last = 0.0, prev
    for char in unit:
        if last is not None and _gap(last, char):
            width += gap
        width += advance(char, size, spacing)
        last = char
    return width


@lru_cache(maxsize=2048)
def count_lines(text: str, width: int = S.TEXT_WIDTH, first_line: int = S.INDENT_FIRST_LINE,
                size: int = S.SIZE_3HAO, spacing: int = S.CHAR_SPACING) -> int:
    """Return the number of lines ``text`` takes in a paragraph ``width`` twips wide.

    Each line is found with one bisection on the running widths, then stepped back to
    the last allowed break (the same greedy fill as `_count_lines_by_unit`, which takes
    the rare cases of a first line indented by zero or less and of control characters).
    """
    if not text:
        return 1
    # zero-width characters (controls, which isprintable() finds quickly): unit by unit
    if first_line <= 0 or (not text.isprintable() and _CONTROL.search(text)):
        return _count_lines_by_unit(text, width, first_line, size, spacing)
    advances, gaps = _advances(text, size, spacing)
    total = list(accumulate(advances, initial=0.0))
    n, limit = len(text), width + 0.5
    lines, start, used = 1, 0, float(first_line)
    while True:
        # the last position whose running width still fits on this line
        end = min(bisect_right(total, limit - used + total[start]) - 1, n)
        while start < end < n and _no_break(text, end):
            end -= 1
        if end <= start:  # not even one unit fits
            if used > 0 and start == 0 and lines == 1:
                lines, used = 2, 0.0  # the indent alone on the first line
                continue
            end = start + 1  # a unit at the start of a line is placed whole
            while end < n and _no_break(text, end):
                end += 1
        if end >= n:
            return lines
        lines, start, used = lines + 1, end, -gaps[end]


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_ASCII = re.compile("[\x20-\x7e]+")


def _advances(text: str, size: int, spacing: int) -> tuple[list[float], list[float]]:
    """Return the advance of each character of ``text`` (no control characters) with
    LibreOffice's Asian/Latin gap before it added, and those gaps (as `_gaps_before`).

    Every non-ASCII character advances one 字, so only the runs of ASCII are looked at:
    a gap can only fall at either end of one (its first or last character a letter or
    digit, the character beyond a CJK ideograph)."""
    table = _advance_table(size, spacing)
    advances: list[float] = [size * 10 + spacing] * len(text)  # = advance() of non-ASCII
    gaps = [0.0] * len(text)
    gap, n = size * 10 / 5, len(text)
    for match in _ASCII.finditer(text):
        start, end = match.span()
        advances[start:end] = map(table.__getitem__, match.group())
        if start and text[start].isalnum() and _is_han(text[start - 1]):
            advances[start] += gap
            gaps[start] = gap
        if end < n and text[end - 1].isalnum() and _is_han(text[end]):
            advances[end] += gap
            gaps[end] = gap
    return advances, gaps


def _no_break(text: str, i: int) -> bool:
    """Return whether a line may not break before ``text[i]`` (0 < i < len(text)): before
    a closing mark, after an opening mark, inside a run of non-space ASCII (`_unit_ends`)."""
    char, prev = text[i], text[i - 1]
    return (char in NO_START or prev in NO_END
            or (char.isascii() and not char.isspace() and prev.isascii() and not prev.isspace()))


def _count_lines_by_unit(text: str, width: int, first_line: int, size: int,
                         spacing: int) -> int:
    """Return the number of lines of ``text``, filling unit by unit (the reference)."""
    table = _advance_table(size, spacing)
    gaps = _gaps_before(text, size * 10 / 5)
    # running totals of advances plus gaps: a unit's width is a difference of two of them
    total = list(accumulate((table[c] + g for c, g in zip(text, gaps)), initial=0.0))
    lines, used, start = 1, float(first_line), 0
    for end in _unit_ends(text):
        w = total[end] - total[start]
        if used + w > width + 0.5 and used > 0:
            lines, used, w = lines + 1, 0.0, w - gaps[start]
        used += w
        start = end
    return lines


class _Advances(dict):
    """char → advance in twips for one size and spacing, filled on first use."""

    def __init__(self, size: int, spacing: int):
        super().__init__()
        self.size, self.spacing = size, spacing

    def __missing__(self, char: str) -> float:
        value = self[char] = advance(char, self.size, self.spacing)
        return value


@lru_cache(maxsize=16)
def _advance_table(size: int, spacing: int) -> _Advances:
    return _Advances(size, spacing)


def _gaps_before(text: str, gap: float) -> list[float]:
    """Return LibreOffice's Asian/Latin gap before each character (0 for the first)."""
    han = [("\u3400" <= c <= "\u9fff") or ("\u3040" <= c <= "\u30ff")
           or ("\uf900" <= c <= "\ufaff") for c in text]  # as _is_han, inlined for speed
    alnum = [c.isascii() and c.isalnum() for c in text]
    return [0.0] + [gap if (han[i - 1] and alnum[i]) or (alnum[i - 1] and han[i]) else 0.0
                    for i in range(1, len(text))]


def _unit_ends(text: str) -> list[int]:
    """Return where each unbreakable unit ends: a Latin word, or a character with the
    closing marks after it and the opening marks before it (kinsoku)."""
    latin = [c.isascii() and not c.isspace() for c in text]
    ends = [i for i in range(1, len(text))
            if not (text[i] in NO_START or text[i - 1] in NO_END or (latin[i] and latin[i - 1]))]
    ends.append(len(text))
    return ends


def text_advance(text: str, size: int = S.SIZE_3HAO, spacing: int = S.CHAR_SPACING) -> float:
    """Return the width of ``text`` on one line in twips, Asian/Latin gaps included."""
    return _width(text, None, size, spacing)
