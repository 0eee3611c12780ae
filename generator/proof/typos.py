"""Typos: a small curated confusion list and a glossary of official terms.

Each confusion entry names the context that makes the word wrong and the public source
that says so. Only entries whose context decides the question are listed: a word that is
right in some contexts and wrong in others is matched in the wrong context only.

The glossary check (glossary.py, terms in generator/data/glossary.txt) flags a
near-miss of an official term: one character missing, extra, doubled or two
neighbours swapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .finding import Finding, around
from .glossary import near_misses
from .lazy import lazy

_HAN = "\u4e00-\u9fff"
XIANDAI = "《现代汉语词典》（第7版）"


@dataclass(frozen=True)
class Confusion:
    """``pattern`` matches the wrong word in its wrong context; group 1 is the word."""

    pattern: re.Pattern
    right: str
    reason: str
    source: str
    needs: str  # a string that every match contains (the pattern runs only if it is there)


def _c(pattern: str, right: str, reason: str, source: str = XIANDAI, needs: str = "") -> Confusion:
    """``needs`` defaults to the first group of ``pattern`` that is a plain word."""
    word = re.search(r"\(([^()|?:\\\[\]{}.*+^$]+)\)", pattern)  # no Han class: costly to compile
    needs = needs or (word[1] if word else "")
    assert needs, pattern
    return Confusion(lazy(pattern), right, reason, source, needs)


CONFUSIONS: tuple[Confusion, ...] = (
    _c(r"(截止)(?!到|于|日期|时间|期限|时限|日|前)(?=目前|当前|现在|今|本年|年底|上年|去年|\d|[一二]〇)",
       "截至", "「截止」是到期停止，后面不带时间；表示「到某时为止」应写「截至」",
       XIANDAI + "「截止」「截至」条"),
    _c(r"(其它)", "其他", "公文统一写「其他」", XIANDAI + "「其它」条（同「其他」）；"
       "《党政机关公文处理工作条例》全文用「其他」"),
    _c(r"(反应)(?=问题|情况|诉求|意见|建议|民意|心声)", "反映",
       "把情况、意见告诉上级或有关部门是「反映」", XIANDAI + "「反映」条"),
    _c(r"(?:如实|及时|集中|真实|充分|客观)(反应)", "反映", "表示把客观情况表现出来是「反映」",
       XIANDAI + "「反映」条"),
    _c(r"(必需)(?=[坚严加落做全认切进推把将要按依以提在对从])", "必须",
       "用在动词前表示一定要是副词「必须」；「必需」是一定要有（必需品）", XIANDAI + "「必须」「必需」条"),
    _c(r"(布署)", "部署", "「布署」是错字，应为「部署」", XIANDAI + "「部署」条"),
    _c(r"(既使)", "即使", "连词应为「即使」", XIANDAI + "「即使」条"),
    _c(r"(再接再励)", "再接再厉", "成语为「再接再厉」", XIANDAI + "「再接再厉」条"),
    _c(r"(权利清单)", "权力清单", "政府工作部门的清单是「权力清单」",
       "中办、国办《关于推行地方各级政府工作部门权力清单制度的指导意见》（2015年）"),
    _c(r"(?:规范|制约|监督)(?:行政)?(权利)(?=运行|行使|的运行)", "权力", "行政机关行使的是「权力」",
       "《法治政府建设实施纲要（2021—2025年）》第七部分「健全行政权力制约和监督体系」"),
    _c(r"(法制政府|法制思维|法制方式|习近平法制思想)", "法治", "这些固定提法用「法治」",
       "《法治政府建设实施纲要（2021—2025年）》", needs="法制"),
    _c(r"(?:矛盾|纠纷|枫桥经验”?|诉前|人民|多元)[^。；]{0,6}?(调节)(?=机制|组织|委员会|员|工作|纠纷|矛盾)",
       "调解", "化解矛盾纠纷是「调解」；「调节」是调整数量或程度", "《中华人民共和国人民调解法》"),
    _c(r"第[一二三四五六七八九十百零〇]+(会次)会议", "次", "会议届次写作「第…次会议」",
       "全国人大常委会、地方人大常委会会议名称的通行写法"),
    _c(r"依法治[省市县区镇]委员(会议)", "会会议", "「依法治×委员会」的会议是「委员会会议」",
       "中共中央《关于全面推进依法治国若干重大问题的决定》及各地依法治×委员会名称",
       needs="委员会议"),
    _c(r"(?<!\d)(?:19|20)\d{2}年(来)(?![自到看说访])", "以来", "「2021年以来」，「年来」只用于「近年来」「多年来」",
       XIANDAI + "「以来」条", needs="年来"),
    _c(r"《(法治政府建设纲要)", "法治政府建设实施纲要", "文件名称是《法治政府建设实施纲要》",
       "中共中央、国务院《法治政府建设实施纲要（2015—2020年）》《法治政府建设实施纲要（2021—2025年）》"),
    _c(r"(营业照)", "营业执照", "证照名称是「营业执照」", "《中华人民共和国市场主体登记管理条例》"),
)


#: Any word an entry needs: one scan for all (most paragraphs have none).
_ANY_NEEDS = lazy("|".join(map(re.escape, dict.fromkeys(entry.needs for entry in CONFUSIONS))))


def confusion_typos(text: str) -> Iterator[Finding]:
    """Yield each word of the confusion list used in its wrong context."""
    if not _ANY_NEEDS.search(text):
        return
    seen: set[int] = set()
    for entry in CONFUSIONS:
        if entry.needs not in text:
            continue
        for match in entry.pattern.finditer(text):
            start, end = match.span(1)
            if start in seen:
                continue
            seen.add(start)
            yield Finding("typo_confusion", start, end, match[1],
                          {"word": match[1], "right": entry.right, "reason": entry.reason,
                           "source": entry.source, "context": around(text, start, end)},
                          fix=entry.right)


# -- glossary near-misses ------------------------------------------------------------
_FUNCTION_CHARS = set("的和与及之或并等、")


#: The opening formula 现将……报告如下 with a character slipped in (现提将); 现特将/现再将/
#: 现一并将 are written on purpose.
_FORMULA_EXTRA = lazy(r"现([^将就特再一并拟对把，。\s])将(?=[^。：]{0,40}?(?:报告|汇报)如下)")


def glossary_near_misses(text: str) -> Iterator[Finding]:
    """Yield each near-miss of a glossary term (一个字缺、重或颠倒), each cited edition
    of a plan that does not exist, and the formula 现将……报告如下 with a character too many."""
    if "《" in text:
        yield from wrong_editions(text)
    if "如下" in text:
        for match in _FORMULA_EXTRA.finditer(text):
            yield Finding("term_near_miss", match.start(), match.end(), match.group(0),
                          {"found": match.group(0), "term": "现将"}, fix="现将")
    for start, end, term in near_misses(text):
        variant = text[start:end]
        yield Finding("term_near_miss", start, end, variant,
                      {"found": variant, "term": term}, fix=term)


#: Titles that are cited with their years: the editions that exist.
EDITIONS = {
    "法治政府建设实施纲要": ("2015—2020", "2021—2025"),
    "法治社会建设实施纲要": ("2020—2025",),
    "法治中国建设规划": ("2020—2025",),
}
_EDITION = lazy(r"《(" + "|".join(EDITIONS) + r")（((?:19|20)\d{2})[—–\-~～]((?:19|20)\d{2})年?）》")


def wrong_editions(text: str) -> Iterator[Finding]:
    """Yield each cited edition that does not exist (《法治政府建设实施纲要（2022—2025年）》)."""
    for match in _EDITION.finditer(text):
        if re.search(r"[省市县区](?:委|政府|人民政府)[、，和及]*$", text[max(0, match.start() - 12):match.start()]):
            continue  # 省委、省政府《法治政府建设实施纲要（2016—2020年）》: a local plan of that name
        years = f"{match[2]}—{match[3]}"
        if years not in EDITIONS[match[1]]:
            right = "或".join(f"《{match[1]}（{y}年）》" for y in EDITIONS[match[1]])
            yield Finding("term_near_miss", match.start(), match.end(), match.group(0),
                          {"found": match.group(0), "term": right})


def document_near_misses(paragraphs: list[str]) -> Iterator[tuple[int, Finding]]:
    """Yield (paragraph index, finding) for a word that appears elsewhere in the same
    document with one more character in the middle (电子营业照 / 电子营业执照)."""
    joined = "\n".join(paragraphs)
    counts: dict[str, int] = {}
    for run in re.findall(f"[{_HAN}]{{5,}}", joined):
        for n in (5, 6, 7):
            for i in range(len(run) - n + 1):
                gram = run[i:i + n]
                counts[gram] = counts.get(gram, 0) + 1
    short: dict[str, str] = {}
    for gram, count in counts.items():
        if count < 2:
            continue  # the long form must be the usual one
        for i in range(2, len(gram) - 2):
            if gram[i] in _FUNCTION_CHARS or gram[i] in (gram[i - 1], gram[i + 1]):
                continue  # 推行行政 / 推行政务: a doubled character collapses naturally
            variant = gram[:i] + gram[i + 1:]
            if len(variant) >= 5 and variant not in short:
                short[variant] = gram
    if not short:
        return
    for index, para in enumerate(paragraphs):
        for run in re.finditer(f"[{_HAN}]{{5,}}", para):
            seen = set()
            for n in (5, 6):
                for i in range(run.start(), run.end() - n + 1):
                    gram = para[i:i + n]
                    long = short.get(gram)
                    if long is None or gram in seen or counts.get(gram, 0) > 1:
                        continue
                    if long in para[max(0, i - 2):i + n + 3]:
                        continue
                    seen.add(gram)
                    yield index, Finding("term_near_miss", i, i + n, gram,
                                         {"found": gram, "term": long}, fix=long)


#: Characters an input method offers for the same syllable (tones aside), as they get
#: confused in 公文: 办证/办政, 法制/法治, 部署/布署. Two words of one report that differ
#: in one such character are one word typed twice, once wrong.
HOMOPHONES = """政证正整 治制质致执职直置志至 实施事式时示视试适 理力立例历 建健件监检简鉴
审申深 议意义依易益 权全 规归 法发 务物 管关 报保 定订 办版 行型形 核合 服复府 责则 督度 部布
""".split()
_SOUND = {char: group for group in HOMOPHONES for char in group}


def document_homophones(paragraphs: list[str]) -> Iterator[tuple[int, Finding]]:
    """Yield (paragraph index, finding) for a four-character word that another word of
    the same report spells with one same-sounding character changed (办政大厅 / 办证大厅):
    the rarer spelling, or the first when both are used once."""
    where: dict[str, list[tuple[int, int]]] = {}
    for index, para in enumerate(paragraphs):
        for run in re.finditer(f"[{_HAN}]{{4,}}", para):
            for i in range(run.start(), run.end() - 3):
                where.setdefault(para[i:i + 4], []).append((index, i))
    buckets: dict[tuple[str, int], list[str]] = {}
    for gram in where:
        for i in (1, 2):  # an end character may belong to the next word (行政执法人员/持证执法人员)
            if gram[i] in _SOUND:
                buckets.setdefault((gram[:i] + "_" + gram[i + 1:], i), []).append(gram)
    for (_, i), grams in buckets.items():
        if len(grams) < 2:
            continue
        for gram in grams:
            others = [g for g in grams if g != gram and _SOUND[g[i]] == _SOUND[gram[i]]]
            if not others:
                continue
            other = max(others, key=lambda g: len(where[g]))
            mine, theirs = len(where[gram]), len(where[other])
            if mine > theirs or (mine == theirs and where[gram][0] > where[other][0]):
                continue
            index, start = where[gram][0]
            yield index, Finding("term_near_miss", start, start + 4, gram,
                                 {"found": gram, "term": other}, fix=None)
