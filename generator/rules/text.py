"""Text rules: what published reports get wrong in their wording (blank figures, placeholders,
broken dates, stray spaces, typos, unpaired brackets, half-width punctuation).

Each finder is a pure function ``str -> dict | None`` (the message context of the first
problem in the text); `TEXT_RULES` turns each into a rule over all narrative texts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Callable, Iterator

from ..formatting import normalise_punctuation
from ..issues import Issue
from ..messages_zh import issue
from ..numbering import typed_marker
from .texts import config_texts, narrative

if TYPE_CHECKING:
    from ..prepared import Prepared

Finder = Callable[[str], "dict | None"]
_HAN = "\u4e00-\u9fff"
_FULL_DIGITS = "０１２３４５６７８９"
_TO_HALF = str.maketrans(_FULL_DIGITS, "0123456789")

# -- blank figures: a trigger word directly followed by a unit, the number left out ------
_STRONG_UNIT = r"(?:万元|亿元|万人次|人次|场次|户次|家次|件次|学时|%|％)"
_WEAK_UNIT = r"[件个次人场项家名户起份条所台处宗批篇辆元]"
_TRIGGER = r"(?:共计|合计|累计|总计|达到|约为|共有|分别为|增至|降至|[约共计达为])"
_END = r"(?=[，。；、：）,;:)！？\s]|$)"
_BLANK = re.compile(
    r"(?=[约共计达为由合累总分增降])"  # every alternative starts with one of these (speed)
    rf"(?:{_TRIGGER}{_STRONG_UNIT}"
    rf"|(?!为名|达人){_TRIGGER}{_WEAK_UNIT}{_END}"  # 以……为名，法治达人。
    r"|(?<!公)共[个件项]"  # 共个部门 (公共项目 is fine)
    r"|由(?:调整|提高|增加|提升|降低|减少|上升|下降|压缩|缩减|缩短|延长|扩大)(?:为|到|至))"
)


def blank_figure(text: str) -> dict | None:
    """Return the context of a blank figure (约件, 共个, 由调整为, 为%), or None."""
    match = _BLANK.search(text)
    if not match:
        return None
    start, end = max(0, match.start() - 8), min(len(text), match.end() + 4)
    return {"match": match.group(0), "snippet": text[start:end]}


_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XxＸｘ×]{2,}(?![A-Za-z])|[＿_]{2,}|【\s*】"
                          r"|[？?]{2,}|○{2,}|□{2,}")


_PLACEHOLDER_CHARS = re.compile(r"[XxＸｘ×＿_【？?○□]")


def placeholder(text: str) -> dict | None:
    """Return the context of a placeholder left in the text (XX, ＿＿, 【】, ？？)."""
    if not _PLACEHOLDER_CHARS.search(text):
        return None
    match = _PLACEHOLDER.search(text)
    return {"match": match.group(0)} if match else None


# -- dates ---------------------------------------------------------------------------
_RUN_IN = re.compile(r"(?<![\d.])((?:19|20)\d{2})(0?[1-9]|1[0-2])月")
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")


def malformed_date(text: str) -> dict | None:
    """Return the context of a broken date: 20205月, 2020年13月, 2月30日."""
    if "月" not in text:
        return None
    match = _RUN_IN.search(text)
    if match:
        return {"match": match.group(0),
                "hint": f"（年份与月份之间缺少「年」，应为「{match[1]}年{int(match[2])}月」）"}
    for match in _FULL_DATE.finditer(text):
        if not _valid(int(match[1]), int(match[2]), int(match[3] or 1)):
            return {"match": match.group(0), "hint": "（该日期不存在）"}
    for match in _MONTH_DAY.finditer(text):
        if not _valid(2000, int(match[1]), int(match[2])):  # 2000: 2月29日 exists
            return {"match": match.group(0), "hint": "（该日期不存在）"}
    return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# -- digits ----------------------------------------------------------------------------
_SPACED = re.compile(rf"[{_HAN}][ \u3000]+\d|\d[ \u3000]+[{_HAN}]")


def spaced_digits(text: str) -> dict | None:
    """Return the context of a space between a digit and a Chinese character (36 次)."""
    match = _SPACED.search(text)
    if not match:
        return None
    return {"match": text[max(0, match.start() - 3):match.end() + 2]}


def fullwidth_digits(text: str) -> dict | None:
    """Return the context of full-width digits (２０２３)."""
    match = re.search(f"[{_FULL_DIGITS}]+", text)
    return {"match": match.group(0)} if match else None


_DIGIT_GE = re.compile(rf"\d+各(?=[{_HAN}])")


def digit_ge_typo(text: str) -> dict | None:
    """Return the context of 各 typed for the measure word 个 after a number (11各部门)."""
    match = _DIGIT_GE.search(text)
    return {"match": match.group(0) + text[match.end():match.end() + 2]} if match else None


# -- punctuation ---------------------------------------------------------------------
_ASCII_MARKS = re.compile(r"[,;:?!()]")


def ascii_punctuation(text: str) -> dict | None:
    """Return the context of half-width punctuation that the output turns full width."""
    if not _ASCII_MARKS.search(text):
        return None
    plain = text.translate(_TO_HALF)
    fixed = normalise_punctuation(plain)
    if fixed == plain:
        return None
    first = next(i for i, (a, b) in enumerate(zip(plain, fixed)) if a != b)
    return {"match": plain[max(0, first - 4):first + 3]}


_PAIRS = (("《", "》", "书名号"), ("“", "”", "引号"), ("（", "）", "括号"))


def unbalanced_brackets(text: str) -> dict | None:
    """Return the context of the first unpaired 《》, “” or （） in ``text``."""
    text = text.replace("(", "（").replace(")", "）")
    for open_, close, name in _PAIRS:
        depth = 0
        for char in re.findall(f"[{open_}{close}]", text):
            if char == open_:
                depth += 1
            elif char == close:
                depth -= 1
                if depth < 0:
                    return {"pair": f"{name}「{open_}{close}」",
                            "detail": f"「{close}」之前没有对应的「{open_}」"}
        if depth > 0:
            return {"pair": f"{name}「{open_}{close}」",
                    "detail": f"有 {depth} 个「{open_}」没有对应的「{close}」"}
    return None


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


def text_rule(code: str, finder: Finder) -> Callable[["Prepared"], Iterator[Issue]]:
    """Return a rule yielding ``code`` for each narrative text in which ``finder`` fires."""
    def rule(prepared: "Prepared") -> Iterator[Issue]:
        for text in narrative(prepared):
            found = finder(text.text)
            if found is not None:
                yield issue(code, text.loc, **found)

    rule.__name__ = rule.__qualname__ = code
    rule.__doc__ = finder.__doc__
    return rule


def title_typed_marker(prepared: "Prepared") -> Iterator[Issue]:
    """Yield ``title_typed_marker`` for a report title line or a section title in
    report.yaml that starts with a typed heading number (items: ``typed_numbering``)."""
    for text in config_texts(prepared):
        marker = typed_marker(text.raw) if text.heading else None
        if marker:
            yield issue("title_typed_marker", text.loc, marker=marker)


TEXT_RULES = (title_typed_marker,
              *(text_rule(code, finder) for code, finder in FINDERS.items()))
