"""Document rules: what only shows across paragraphs of an existing report.

Heading numbering (jumps, repeats, run-on under a new parent, malformed markers, mixed
marker forms, skipped levels), repeated paragraphs, mixed year-range styles, a paragraph
without its closing mark, a date after the 成文日期, near-misses of a term used elsewhere
in the report, and the report type's required items recognised by meaning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from .finding import Finding
from .paragraph import _ENUM, _cn_value, _label
from .reader import Paragraph
from .typos import document_homophones, document_near_misses

_CN_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Heading:
    """A heading number at the start of a paragraph."""

    level: int  # 1 一、 2 （一） 3 1. 4 （1）
    number: int
    marker: str  # as written
    form: str  # the marker's form, to compare within one document (e.g. "1." vs "1、")
    malformed: str | None = None  # the right form, when this one is broken


_L1 = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*([、，,．.：:])(?![{_CN_NUM}]、)")
_L2 = re.compile(rf"^([（(])\s*([{_CN_NUM}]{{1,3}})\s*([）)])(、)?")
_L2_NO_OPEN = re.compile(rf"^([{_CN_NUM}]{{1,3}})[）)]")
_L2_NO_CLOSE = re.compile(rf"^[（(]([{_CN_NUM}]{{1,3}})(?=[^{_CN_NUM}）)是])")
_L3 = re.compile(r"^(\d{1,2})\s*([.．、])(?![\d.])")
_L4 = re.compile(r"^([（(])(\d{1,2})([）)])")


def heading_of(text: str) -> Heading | None:
    """Return the heading number that ``text`` starts with, or None."""
    if match := _L2.match(text):
        value = _cn_value(match[2])
        fixed = f"（{match[2]}）" if match[4] else None
        width = "full" if match[1] == "（" else "half"
        return Heading(2, value, match.group(0), width, fixed)
    if match := _L2_NO_OPEN.match(text):
        return Heading(2, _cn_value(match[1]), match.group(0), "broken", f"（{match[1]}）")
    if match := _L2_NO_CLOSE.match(text):
        return Heading(2, _cn_value(match[1]), match.group(0), "broken", f"（{match[1]}）")
    if match := _L1.match(text):
        fixed = None if match[2] == "、" else f"{match[1]}、"
        return Heading(1, _cn_value(match[1]), match.group(0), "、", fixed)
    if match := _L4.match(text):
        width = "full" if match[1] == "（" else "half"
        return Heading(4, int(match[2]), match.group(0), width)
    if match := _L3.match(text):
        sep = "." if match[2] in ".．" else "、"
        fixed = None if match[2] == "." else f"{match[1]}."  # GB/T 9704-2012 7.3.3: 1.
        return Heading(3, int(match[1]), match.group(0), sep, fixed)
    return None


def check_document(paras: list[Paragraph]) -> Iterator[tuple[int, Finding]]:
    """Yield (paragraph index, finding) for every document-level defect."""
    heads = [heading_of(p.text) for p in paras]
    yield from numbering(paras, heads)
    yield from enumerations(paras, heads)
    yield from repeated_paragraphs(paras)
    yield from repeated_formula(paras)
    yield from range_styles(paras)
    yield from end_marks(paras, heads)
    yield from dates_after_signing(paras)
    yield from report_year(paras, heads)
    yield from document_near_misses([p.text for p in paras])
    yield from document_homophones([p.text for p in paras])


def numbering(paras: list[Paragraph], heads: list[Heading | None]) -> Iterator[tuple[int, Finding]]:
    """Heading numbers: malformed markers, mixed forms, jumps, repeats, run-on, skipped levels."""
    used_levels = {h.level for h in heads if h}
    forms: dict[int, Counter] = {}
    for h in heads:
        if h and h.form != "broken":
            forms.setdefault(h.level, Counter())[h.form] += 1
    current: dict[int, int | None] = {1: None, 2: None, 3: None, 4: None}
    last: dict[int, int] = {}
    runon_reported: set[int] = set()
    for index, (para, head) in enumerate(zip(paras, heads)):
        if head is None or head.number < 1:
            continue
        L = head.level
        span = (0, len(head.marker))
        if head.malformed:
            yield index, _f("numbering_malformed", head, span,
                            {"marker": head.marker.strip(), "right": head.malformed}, head.malformed)
        elif L in forms and len(forms[L]) > 1:
            usual, _ = forms[L].most_common(1)[0]
            if head.form != usual and forms[L][head.form] < forms[L][usual]:
                right = _marker(L, head.number, usual)
                yield index, _f("numbering_mixed", head, span,
                                {"marker": head.marker.strip(), "right": right}, right)
        previous = current[L]
        if previous is None:
            if head.number != 1:
                if last.get(L) is not None and head.number == last[L] + 1:
                    if L not in runon_reported:
                        runon_reported.add(L)
                        yield index, _f("numbering_runon", head, span,
                                        {"marker": head.marker.strip(),
                                         "first": _marker(L, 1, head.form)}, None)
                else:
                    yield index, _seq(head, span, 1)
        elif head.number != previous + 1:
            yield index, _seq(head, span, previous + 1)
        if L > 1 and current[L - 1] is None and (L - 1) in used_levels and previous is None:
            parent = _marker(L - 1, 1, "full" if L - 1 in (2, 4) else ("、" if L - 1 == 1 else "."))
            yield index, _f("numbering_level", head, span,
                            {"marker": head.marker.strip(), "parent": parent}, None)
        current[L] = head.number
        last[L] = head.number
        for deeper in range(L + 1, 5):
            current[deeper] = None


def _marker(level: int, n: int, form: str) -> str:
    cn = _label(n)
    if level == 1:
        return f"{cn}、"
    if level == 2:
        return f"（{cn}）" if form != "half" else f"({cn})"
    if level == 3:
        return f"{n}{form if form in '.、' else '.'}"
    return f"（{n}）" if form != "half" else f"({n})"


def _f(code: str, head: Heading, span: tuple[int, int], ctx: dict, fix: str | None) -> Finding:
    return Finding(code, span[0], span[1], head.marker, ctx, fix)


def _seq(head: Heading, span: tuple[int, int], expected: int) -> Finding:
    kind = "重复" if head.number < expected else "跳号"
    want = _marker(head.level, expected, head.form)
    return _f("numbering_sequence", head, span,
              {"found": head.marker.strip(), "expected": want, "kind": kind}, None)


def enumerations(paras: list[Paragraph], heads: list[Heading | None]) -> Iterator[tuple[int, Finding]]:
    """一是/二是 labels that open consecutive paragraphs: jumps and repeats."""
    last = 0
    for index, (para, head) in enumerate(zip(paras, heads)):
        if head is not None:
            last = 0
        labels = [(m, _cn_value(m[1])) for m in _ENUM.finditer(para.text)]
        if not labels:
            continue
        first, value = labels[0]
        if first.start() <= len(head.marker if head else "") and last and value not in (1, last + 1):
            kind = "重复" if value <= last else "跳号"
            yield index, Finding("numbering_sequence", first.start(), first.end() + 1,
                                 first[1] + "是", {"found": first[1] + "是",
                                                   "expected": _label(last + 1) + "是", "kind": kind})
        last = labels[-1][1]


def repeated_paragraphs(paras: list[Paragraph]) -> Iterator[tuple[int, Finding]]:
    """A paragraph or heading printed twice in the report."""
    seen: dict[str, int] = {}
    for index, para in enumerate(paras):
        key = re.sub(r"\s", "", para.text)
        if len(key) < 6 or re.search(r"(?:委|府|局|院|会|部|厅|室|办|处|所)$", key):
            continue  # the organ's name above the title and again as the signature
        if key in seen:
            yield index, Finding("repeated_paragraph", 0, len(para.text), para.text,
                                 {"text": para.text[:24] + ("…" if len(para.text) > 24 else ""),
                                  "first": paras[seen[key]].line}, fix="")
        else:
            seen[key] = index


_FORMULA = re.compile(r"现将[^。：]{0,40}?(?:报告|汇报)如下")


def repeated_formula(paras: list[Paragraph]) -> Iterator[tuple[int, Finding]]:
    """The opening formula 现将……报告如下 written twice."""
    seen = False
    for index, para in enumerate(paras):
        for match in _FORMULA.finditer(para.text):
            if seen:
                yield index, Finding("repeated_sentence", match.start(), match.end(),
                                     match.group(0), {"sentence": match.group(0)})
            seen = True


_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}年?\s*([—–\-~～])\s*(?:19|20)\d{2}(?!\d)")
_DASH_STYLE = {"—": "—", "–": "—", "-": "-", "~": "～", "～": "～"}


def range_styles(paras: list[Paragraph]) -> Iterator[tuple[int, Finding]]:
    """Year ranges written with different connecting marks in one report."""
    found = [(i, m) for i, p in enumerate(paras) for m in _RANGE.finditer(p.text)]
    styles = Counter(_DASH_STYLE[m[1]] for _, m in found)
    if len(styles) < 2:
        return
    usual = max(styles, key=lambda s: (styles[s], s == "—"))
    for index, match in found:
        style = _DASH_STYLE[match[1]]
        if style != usual:
            yield index, Finding("date_range_mixed", match.start(1), match.end(1), match[1],
                                 {"range": match.group(0), "usual": usual}, fix=usual)


_CLOSING = "。；：！？…”’）)》」】!?;:"  # half-width marks are ascii_punctuation's business


def end_marks(paras: list[Paragraph], heads: list[Heading | None]) -> Iterator[tuple[int, Finding]]:
    """A body paragraph that stops without 。；：！？ (headings and signature lines excepted)."""
    for index, (para, head) in enumerate(zip(paras, heads)):
        text = para.text.rstrip()
        if para.truncated or len(text) < 25 or text[-1] in _CLOSING:
            continue
        body = text[len(head.marker):] if head else text
        if "。" not in body[:-1] and (head is not None or "，" not in body):
            continue  # a heading, a title or a signature line
        if re.search(r"[|｜]", text):
            continue  # a table row
        yield index, Finding("missing_end_punct", len(text) - 1, len(text), text[-1],
                             {"tail": text[-12:]})


_DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")


def dates_after_signing(paras: list[Paragraph]) -> Iterator[tuple[int, Finding]]:
    """A full date in the text later than the 成文日期 (the date line after the body)."""
    signing = None
    for para in reversed(paras[-4:]):
        if match := re.fullmatch(r"\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*", para.text):
            signing = _date(match)
            break
    if signing is None:
        return
    for index, para in enumerate(paras[:-1]):
        for match in _DATE.finditer(para.text):
            when = _date(match)
            if when and when > signing:
                yield index, Finding("date_after_signing", match.start(), match.end(),
                                     match.group(0), {"date": match.group(0),
                                                      "signed": f"{signing.year}年{signing.month}月{signing.day}日"})


def _date(match: re.Match) -> dt.date | None:
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


#: The title of an annual report: 某县2023年法治政府建设情况报告 / 2023年度依法行政工作报告.
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})年度?[^。，,]{0,24}?(?:法治政府建设|法治建设|依法行政|法治)"
                         r"[^。，,]{0,16}(?:报告|情况)")
#: The opening of the body: 2023年，… (not 2020年以来: that names a starting point).
_OPENING_YEAR = re.compile(r"^((?:19|20)\d{2})年度?[，,]")
#: A year in a heading, not inside a range (2021—2025年) and not a starting point (以来).
_HEAD_YEAR = re.compile(r"(?<![\d—\-–~～至到])((?:19|20)\d{2})年(?!度?\s*[—\-–~～至到]|以来)")
#: 今年/本年度 glossed with a year: 今年（2023年）, 本年度(2023年).
_THIS_YEAR = re.compile(r"(?:今年|本年度?)[（(]((?:19|20)\d{2})年?[）)]")


def report_year(paras: list[Paragraph], heads: list[Heading | None]) -> Iterator[tuple[int, Finding]]:
    """A heading whose year is neither the report's year nor the next (一、2022年法治政府
    建设情况 in a 2023 report), and 今年/本年 glossed with another year.

    The report's year is the title's (the first lines without 。), else the year the body
    opens with (2023年，…); a report without either is not checked.
    """
    year = None
    for para in paras[:4]:
        if "。" not in para.text and (match := _TITLE_YEAR.search(para.text)):
            year = int(match[1])
            break
    if year is None:
        for para in paras[:6]:
            if match := _OPENING_YEAR.match(para.text):
                year = int(match[1])
                break
    if year is None:
        return
    for index, (para, head) in enumerate(zip(paras, heads)):
        text = para.text
        heading = text.split("。")[0]  # 一、2022年工作情况 / （一）2022年工作情况。正文……
        if index and (head or "。" not in text) and len(heading) <= 40:
            for match in _HEAD_YEAR.finditer(heading):
                if int(match[1]) not in (year, year + 1):
                    yield index, _year(match, year, "标题")
        for match in _THIS_YEAR.finditer(text):
            if int(match[1]) != year:
                yield index, _year(match, year, "「今年」「本年」")


def _year(match: re.Match, year: int, what: str) -> Finding:
    return Finding("report_year_mismatch", match.start(1), match.end(1), match[1],
                   {"found": match[1], "year": year, "what": what,
                    "context": match.string[max(0, match.start() - 4):match.end() + 8]})
