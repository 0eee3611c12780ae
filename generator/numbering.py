"""Heading numbers as text: 一、（一）1.（1）①, computed from the outline, never typed."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Literal, Sequence

MarkerStyle = Literal["chinese", "paren_chinese", "arabic", "paren_arabic", "circled"]

_DIGITS = "零一二三四五六七八九"
#: ①–⑳, ㉑–㉟, ㊱–㊿: the circled numbers Unicode has (1–50).
_CIRCLED = ("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
            + "".join(map(chr, range(0x3251, 0x3260))) + "".join(map(chr, range(0x32B1, 0x32C0))))
_POWERS = ((10**8, "亿"), (10**4, "万"), (1000, "千"), (100, "百"), (10, "十"))

#: Marker styles by level (1-based) for the standard and the two-level variant.
LEVEL_STYLES: dict[str, tuple[MarkerStyle, ...]] = {
    "括号": ("chinese", "paren_chinese", "arabic", "paren_arabic", "circled"),
    "数字": ("chinese", "arabic", "paren_arabic", "circled"),
}


@lru_cache(maxsize=4096)
def chinese_numeral(n: int) -> str:
    """Return ``n`` ≥ 1 in Chinese numerals: 1→一, 10→十, 11→十一, 20→二十, 101→一百零一,
    110→一百一十, 1005→一千零五, 10000→一万."""
    if n < 1:
        raise ValueError(f"chinese_numeral needs a positive number, got {n}")
    text = _numeral(n)
    return text[1:] if text.startswith("一十") else text  # 十一, not 一十一


def _numeral(n: int) -> str:
    for power, word in _POWERS:
        if n >= power:
            head, rest = divmod(n, power)
            tail = ""
            if rest:
                tail = ("零" if rest < power // 10 else "") + _numeral(rest)
            return _numeral(head) + word + tail
    return _DIGITS[n]


def marker(style: MarkerStyle, n: int) -> str:
    """Return the heading marker for the ``n``-th heading in ``style``."""
    if style == "chinese":
        return chinese_numeral(n) + "、"
    if style == "paren_chinese":
        return f"（{chinese_numeral(n)}）"
    if style == "arabic":
        return f"{n}."
    if style == "paren_arabic":
        return f"（{n}）"
    if n > len(_CIRCLED):  # no circled glyph: a bracketed number, distinct from （n）
        return f"〔{n}〕"
    return _CIRCLED[n - 1]


def style_for_level(level: int, second_level: str = "括号") -> MarkerStyle:
    """Return the marker style of heading ``level`` (1-based)."""
    styles = LEVEL_STYLES[second_level]
    if not 1 <= level <= len(styles):
        raise ValueError(f"heading level {level} is deeper than {len(styles)}")
    return styles[level - 1]


def max_depth(second_level: str = "括号") -> int:
    """Return how many heading levels the numbering scheme has."""
    return len(LEVEL_STYLES[second_level])


def number_levels(levels: Sequence[int], continuous: Iterable[int] = ()) -> list[int]:
    """Return the running number of each heading, given the headings' levels in order.

    A level restarts at 1 under each new parent unless it is listed in ``continuous``,
    in which case it runs on through the whole document.
    """
    keep = set(continuous)
    counters: dict[int, int] = {}
    numbers = []
    for level in levels:
        counters[level] = counters.get(level, 0) + 1
        numbers.append(counters[level])
        for deeper in [k for k in counters if k > level and k not in keep]:
            del counters[deeper]
    return numbers


# A typed heading marker at the start of a text (spec §15.1); "1.5万" is not one.
TYPED_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
    r"|\d+[.．、](?!\d)|[（(]\d+[）)]|[①-⑳])"
)


def typed_marker(text: str) -> str | None:
    """Return the heading marker typed at the start of ``text``, or None."""
    match = TYPED_MARKER.match(text)
    return match.group(0).strip() if match else None
