"""Pure text formatting: numbers, dates, punctuation, XML-safe text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

Number = int | float | Decimal


def format_number(value: Number, digits: int | None = None) -> str:
    """Return a figure as Chinese reports write it: 817, 2.05, 29.8 (no separators).

    Integers are plain; decimals lose trailing zeros. ``digits`` rounds first.
    """
    if isinstance(value, bool):
        raise TypeError("a figure cannot be a boolean")
    number = Decimal(str(value))
    if digits is not None:
        number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    elif isinstance(value, float):
        number = number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def format_scaled(value: Number, unit: str, digits: int = 1) -> str:
    """Return ``value`` scaled to 万 or 亿: 37000 → 3.7万, 120000000 → 1.2亿."""
    factor = {"万": 10_000, "亿": 100_000_000}[unit]
    return format_number(Decimal(str(value)) / factor, digits) + unit


def format_date(day: dt.date) -> str:
    """Return a date as 2024年1月9日 (Arabic numerals, no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


_CN_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> dt.date | None:
    """Parse 2024-01-09, 2024年1月9日, 2024.1.9 or 2024/1/9; None if it is none of them."""
    match = _CN_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@cache
def ascii_punct_pattern() -> re.Pattern[str]:
    """Return the pattern of an ASCII , ; : ? ! ( ) against Chinese text (compiled on
    first use: its large character classes take milliseconds, and clean text never
    needs it)."""
    return re.compile(
        rf"(?<={_CJK})[,;:?!()]|[,;:?!()](?={_CJK})|(?<={_CJK})\s*\((?=[^()]*\))")


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Characters XML 1.0 forbids (C0 controls except tab, newline, carriage return).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: Quick C-speed tests that spare the slow passes below on the usual clean paragraph.
_ANY_FULL_DIGIT = re.compile("[０-９]")
_ANY_ASCII_PUNCT = re.compile("[,;:?!()]")  # every match of the two subs holds one


def normalise_punctuation(text: str) -> str:
    """Return ``text`` with ASCII , ; : ? ! ( ) next to Chinese text made full width,
    and full-width digits made half width. Decimal points and "1." stay ASCII."""
    if _ANY_FULL_DIGIT.search(text):
        text = text.translate(_FULL_DIGITS)
    if not _ANY_ASCII_PUNCT.search(text):
        return text
    text = ascii_punct_pattern().sub(lambda m: _HALF_TO_FULL[m.group(0).strip()], text)
    # a ")" closing a parenthesis that was opened full width
    return re.sub(r"（([^（）()]*)\)", r"（\1）", text)


def clean_text(text: str) -> str:
    """Return ``text`` without characters that cannot appear in a DOCX (XML 1.0)."""
    return _XML_ILLEGAL.sub("", text)


def text_width(text: str) -> float:
    """Return the width of ``text`` in 字 (one CJK character = 1; digits, Latin = 0.5)."""
    width = 0.0
    for char in text:
        if char.isascii():
            width += 0.72 if char.isupper() else 0.5
        else:
            width += 1.0
    return width
