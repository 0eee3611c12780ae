"""Figures in prose as metric candidates: 「受理行政复议申请64件」 → 行政复议.受理 = 64.

A number followed by one of a catalogue metric's units is a candidate for that metric
when its clause (the text between two commas) names the metric: a word for its group
(行政复议, 复议) and a word for the figure itself (受理, 立案) before the number. The
words are the catalogue's own names plus the synonyms below, what reports write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..formatting import format_number

#: Group -> words that name it in prose.
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "行政执法": ("行政执法", "执法"),
    "行政复议": ("行政复议", "复议"),
    "行政应诉": ("行政应诉", "应诉", "行政诉讼"),
    "法律援助": ("法律援助", "援助"),
    "人民调解": ("人民调解", "调解"),
    "规范性文件": ("规范性文件",),
    "重大行政决策": ("重大行政决策", "重大决策"),
    "法律顾问": ("法律顾问", "公职律师"),
    "普法": ("普法", "法治宣传", "宣传活动"),
}
#: Metric -> words that name the figure itself (before the number, in its clause).
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "行政执法.案件数": ("执法案件", "处罚案件", "行政处罚"),
    "行政执法.罚没款": ("罚没", "罚款"),
    "行政执法.执法人员": ("执法人员",),
    "行政执法.持证人数": ("持证", "执法证"),
    "行政执法.参训人数": ("参训", "培训"),
    "行政执法.人均培训学时": ("人均",),
    "行政复议.收到": ("收到", "接收", "新收"),
    "行政复议.受理": ("受理", "立案", "办理"),
    "行政复议.上年结转": ("结转",),
    "行政复议.审结": ("审结", "办结"),
    "行政复议.纠错": ("纠错", "纠正"),
    "行政复议.纠错率": ("纠错率",),
    "行政应诉.案件数": ("应诉案件", "诉讼案件", "应诉"),
    "行政应诉.开庭": ("开庭",),
    "行政应诉.负责人出庭": ("负责人出庭",),
    "行政应诉.败诉": ("败诉",),
    "行政应诉.负责人出庭率": ("出庭率", "出庭应诉率"),
    "行政应诉.败诉率": ("败诉率",),
    "法律援助.受理案件": ("受理", "办理", "援助案件"),
    "人民调解.受理": ("受理", "排查", "调处"),
    "人民调解.调解成功": ("调解成功", "成功调解", "调处成功"),
    "人民调解.成功率": ("成功率",),
    "规范性文件.制发": ("制发", "出台", "印发"),
    "规范性文件.审核": ("审核", "审查"),
    "规范性文件.备案": ("备案", "报备"),
    "规范性文件.备案率": ("备案率", "报备率"),
    "规范性文件.清理": ("清理",),
    "规范性文件.保留": ("保留",),
    "规范性文件.修改": ("修改",),
    "规范性文件.废止": ("废止",),
    "重大行政决策.数量": ("决策事项", "作出"),
    "重大行政决策.合法性审查": ("合法性审查", "合法性审核"),
    "法律顾问.人数": ("聘请", "聘用"),
    "法律顾问.出具意见": ("出具", "意见"),
    "普法.活动场次": ("开展", "举办", "活动"),
    "普法.受众": ("受众", "覆盖", "参与"),
}
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|亿)?")
_CLAUSE = re.compile(r"[^，,；;。！？!?：:]+")
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")


@dataclass(frozen=True)
class Candidate:
    """One figure found in prose: metric key, value, unit, the sentence, and where the
    number stands in its paragraph (start, end of the digits)."""

    key: str
    value: int | float
    unit: str
    sentence: str
    paragraph: int
    start: int
    end: int
    linkable: bool  # the digits are the figure as a reference prints it (no 万/亿)


def metric_words(catalogue: Any) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """Return, per catalogue metric, (group words, name words, units)."""
    out = {}
    for key, spec in catalogue.metrics.items():
        group, _, name = key.partition(".")
        groups = GROUP_WORDS.get(group, (group,))
        names = NAME_WORDS.get(key, ()) + (name,)
        units = tuple(spec.units) if spec.kind != "比率" else ("%", "％")
        out[key] = (groups, names, units)
    return out


def find_figures(paragraphs: Iterable[str], catalogue: Any) -> list[Candidate]:
    """Return the metric candidates of ``paragraphs`` in reading order."""
    words = metric_words(catalogue)
    units = sorted({u for _, _, us in words.values() for u in us}, key=len, reverse=True)
    unit_re = re.compile("|".join(re.escape(u) for u in units)) if units else None
    found: list[Candidate] = []
    for index, text in enumerate(paragraphs):
        if unit_re is None:
            break
        for sentence in _SENTENCE.finditer(text):
            for clause in _CLAUSE.finditer(sentence.group(0)):
                found.extend(_in_clause(text, index, sentence, clause, words, unit_re))
    return found


def _in_clause(text: str, index: int, sentence: re.Match, clause: re.Match,
               words: dict, unit_re: re.Pattern[str]) -> Iterable[Candidate]:
    chunk = clause.group(0)
    base = sentence.start() + clause.start()
    before_clause = sentence.group(0)[:clause.start()]
    for number in _NUMBER.finditer(chunk):
        unit = unit_re.match(chunk, number.end())
        if unit is None:
            continue
        prefix = chunk[:number.start()]
        best: tuple[int, int, str] | None = None
        for key, (groups, names, units) in words.items():
            if unit.group(0) not in units:
                continue
            name_at = max((prefix.rfind(w) + len(w) for w in names if w in prefix), default=-1)
            if name_at < 0:
                continue
            in_clause = any(g in prefix for g in groups)
            if not in_clause and not any(g in before_clause for g in groups):
                continue
            score = (name_at + (1000 if in_clause else 0), len(key))
            if best is None or score > best[:2]:
                best = (*score, key)
        if best is None:
            continue
        digits, scale = number.group(1), number.group(2)
        value: int | float = float(digits) if "." in digits else int(digits)
        if scale:
            value = value * (10_000 if scale == "万" else 100_000_000)
            value = int(value) if float(value).is_integer() else value
        yield Candidate(best[2], value, unit.group(0), sentence.group(0).strip(), index,
                        base + number.start(1), base + number.end(1),
                        not scale and format_number(value) == digits)


def link(text: str, candidates: list[Candidate], escape=lambda t: t) -> str:
    """Return ``text`` with each linkable candidate's digits replaced by a reference; the
    text between them goes through ``escape``."""
    out, at = [], 0
    for cand in sorted((c for c in candidates if c.linkable), key=lambda c: c.start):
        out += [escape(text[at:cand.start]), "{{ " + cand.key + " }}"]
        at = cand.end
    return "".join(out) + escape(text[at:])
