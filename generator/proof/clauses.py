"""Punctuation missing between clauses or list items, where the pattern decides it:

- a 一是/二是 lead phrase that runs into its sentence while the paragraph's other leads
  end with 。 (三是提升考评实效制定考核指标，…);
- a new clause that starts with a count and 被/获, glued to the verb before it
  (媒体宣传报道7次被省政府推介);
- a cited title glued to the next item of a 、 list (《人民日报》新华社、…).
"""

from __future__ import annotations

from typing import Iterator

from .finding import Finding, around
from .lazy import lazy

_HAN = "\u4e00-\u9fff"
_LEAD = lazy(r"(?:^|(?<=[。；：，\s]))([一二三四五六七八九十]{1,2})是(?![否非])")
_MARK = lazy(r"[。；：，！？]")
_TITLE = lazy(r"《[^《》]*》")
#: A lead is short: the others end within this many characters, this one runs on.
_LEAD_SLACK = 8


def missing_clause_marks(text: str) -> Iterator[Finding]:
    """Yield each place where clauses or list items meet without a mark."""
    if "是" in text:
        yield from _run_on_leads(text)
    if "次被" in text or "次获" in text:
        yield from _count_clauses(text)
    if "》" in text and "、" in text and _ANY_GLUED_TITLE.search(text):
        yield from _glued_titles(text)


def _run_on_leads(text: str) -> Iterator[Finding]:
    leads = list(_LEAD.finditer(text))
    if len(leads) < 2:
        return
    flat = _TITLE.sub("《》", text)  # a title counts as two characters
    ends = []
    for match in leads:
        start = _flat_offset(text, flat, match.end())
        found = _MARK.search(flat, start)
        ends.append((found.start() - start, found.group(0)) if found else (len(flat) - start, ""))
    for i, (match, (length, mark)) in enumerate(zip(leads, ends)):
        others = [e for j, e in enumerate(ends) if j != i]
        if mark == "。" or not all(m == "。" for _, m in others):
            continue
        longest = max(n for n, _ in others)
        if length > longest + _LEAD_SLACK and length > 20:
            start, end = match.start(), match.end() + longest + 2
            yield Finding("missing_clause_punct", start, min(end, len(text)), text[start:end],
                          {"context": text[start:end] + "…",
                           "hint": f"「{match[1]}是」后的小标题与下文之间缺少「。」"
                                   f"（本段其他小标题都以「。」结束）"})


def _flat_offset(text: str, flat: str, pos: int) -> int:
    """Map an offset of ``text`` to ``flat`` (titles collapsed to 《》)."""
    removed = sum(len(m.group(0)) - 2 for m in _TITLE.finditer(text, 0, pos) if m.end() <= pos)
    return pos - removed


#: Words before a count that make it part of the same clause (先后3次被评为).
_COUNT_ADVERBS = ("先后", "累计", "共计", "连续", "曾经", "已经", "分别", "前后", "相继", "总计", "合计")
_COUNT_CLAUSE = lazy(rf"(?<=[{_HAN}])(\d+)次(?=被|获)")


def _count_clauses(text: str) -> Iterator[Finding]:
    for match in _COUNT_CLAUSE.finditer(text):
        before = text[max(0, match.start() - 2):match.start()]
        if before in _COUNT_ADVERBS or before[-1:] in "共已曾又再均第达计约近超逾多有各":
            continue
        pos = match.start()
        yield Finding("missing_clause_punct", pos - 2, match.end() + 1, text[pos - 2:match.end() + 1],
                      {"context": around(text, pos, match.end(), 8, 4),
                       "hint": f"「{match.group(0)}」起是新的分句，前面应加「，」"})


#: 《人民日报》新华社、: the next item, a name ending like a medium or an organ.
#: What every match of _GLUED_TITLE holds, without its costly class of Chinese characters.
_ANY_GLUED_TITLE = lazy("(?<=[、被在])《[^《》]{1,20}》[^、]{1,8}?"
                        "(?:社|台|网|报|刊|杂志|频道|平台|部|局|院|厅|委|中心)(?=、)")
_GLUED_TITLE = lazy(
    rf"(?<=[、被在])《[^《》]{{1,20}}》([{_HAN}]{{1,8}}?(?:社|台|网|报|刊|杂志|频道|平台|部|局|院|厅|委|中心))(?=、)")


def _glued_titles(text: str) -> Iterator[Finding]:
    for match in _GLUED_TITLE.finditer(text):
        pos = match.start(1)
        yield Finding("missing_clause_punct", pos - 1, match.end(1), text[pos - 1:match.end(1)],
                      {"context": around(text, pos, pos, 10, 6),
                       "hint": f"并列的「{text[match.start():pos]}」与「{match[1]}」之间缺少「、」"})
