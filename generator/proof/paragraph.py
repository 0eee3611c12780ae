"""Paragraph rules: each takes one paragraph and yields every `Finding` in it.

`validate` runs them on each narrative text of a workspace (rules/text.py) and `lint` on
each paragraph of an existing report (lint.py). Offsets are into the string given.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice
from typing import Callable, Iterator

from ..formatting import _HALF_TO_FULL, ascii_punct_pattern, normalise_punctuation
from .clauses import missing_clause_marks
from .finding import Finding, around
from .lazy import lazy
from .typos import _ANY_NEEDS, confusion_typos, glossary_near_misses

Rule = Callable[[str], Iterator[Finding]]
_HAN = "\u4e00-\u9fff"
_FULL_DIGITS = "０１２３４５６７８９"
_TO_HALF = str.maketrans(_FULL_DIGITS, "0123456789")
_NUMERAL = "0-9０-９零〇一二三四五六七八九十百千万亿两几多余数"
#: Gates: a rule whose every match needs one of a few characters first checks for them
#: with one scan of the text in C (most paragraphs have none, and the rule is skipped).
_ANY_DIGIT = lazy(r"\d")  # \d as the rules use it: any Unicode decimal digit
_ANY_SPACE = lazy("[ \u3000\u00a0\t]")

# -- blank figures --------------------------------------------------------------------
_STRONG_UNIT = r"(?:万元|亿元|万人次|人次|场次|户次|家次|件次|学时|%|％)"
_WEAK_UNIT = r"[件个次人场项家名户起份条所台处宗批篇辆元]"
_TRIGGER = r"(?:共计|合计|累计|总计|达到|约为|共有|分别为|增至|降至|[约共计达为])"
_END = r"(?=[，。；、：）,;:)！？\s]|$)"
_BLANK = lazy(
    r"(?=[约共计达为由合累总分增降])"  # every alternative starts with one of these (speed)
    rf"(?:{_TRIGGER}{_STRONG_UNIT}"
    rf"|(?!为名|达人){_TRIGGER}{_WEAK_UNIT}{_END}"  # 以……为名，法治达人。
    r"|(?<!公)共[个件项]"  # 共个部门 (公共项目 is fine)
    r"|由(?:调整|提高|增加|提升|降低|减少|上升|下降|压缩|缩减|缩短|延长|扩大)(?:为|到|至))"
)
#: A unit that always counts something, after a word instead of a number, at a clause end:
#: 共培训执法人员人次。罚没款万元，(人次较多 is not at a clause end; 每万元 is a rate).
_BARE_UNIT = lazy(
    rf"(?<=[{_HAN}])(?<![{_NUMERAL}每上近超逾约和及或与、按计折])"
    r"(?:万元|亿元|人次|件次|户次|家次|场次|个百分点|%|％)"
    r"(?=[，。；、：）,;:)！？]|$)")
_ANY_UNIT = lazy("[元次点%％]")  # the last character of each unit of _BARE_UNIT
#: _BARE_UNIT without its look-behinds: it starts with a unit, which the re module skips
#: to in C; the character before is checked in `_bare_units`.
_UNIT_AT_END = lazy(r"(?:万元|亿元|人次|件次|户次|家次|场次|个百分点|%|％)(?=[，。；、：）,;:)！？]|$)")
_NOT_BEFORE_UNIT = frozenset("零〇一二三四五六七八九十百千万亿两几多余数每上近超逾约和及或与、按计折")
#: Two characters that every match of _BLANK holds: the last of a trigger and the first
#: of a unit, or 由 and the first of a verb of change.
_ANY_BLANK = lazy("[计到为有至约共达由][万亿人场户家件学%％个次项名起份条所台处宗批篇辆元调提增降减上下压缩延扩]")


def _bare_units(text: str) -> Iterator[re.Match]:
    """Yield the matches of _BARE_UNIT (no unit starts inside another: the matches of
    _UNIT_AT_END are every place a unit ends a clause)."""
    for match in _UNIT_AT_END.finditer(text):
        k = match.start()
        if k and "\u4e00" <= text[k - 1] <= "\u9fff" and text[k - 1] not in _NOT_BEFORE_UNIT:
            yield match
#: A verb of doing or counting, then a short object, then a measure word, then a clause end:
#: 开展普法活动场，发放宣传资料份。(the last two characters must not form a word: 案件、市场)
_VERB = ("办理|受理|办结|审结|调处|调解|化解|开展|举办|组织|培训|发放|接待|查处|检查|出动|"
         "处理|排查|立案|审查|审核|备案|清理|收到|接收|新增|累计|共")
_COUNTED = lazy(rf"(?:{_VERB})([{_HAN}]{{1,8}}?)([件场份次项起人家名户])(?=[，。；、])")
_WORDS = set("""案件 文件 事件 条件 邮件 稿件 证件 软件 部件 物件 要件 附件 信件 函件 配件 急件
市场 现场 广场 考场 农场 立场 会场 商场 战场 剧场 赛场 职场 球场 法场 牧场 林场 官场 主场 登场
资料 股份 身份 年份 月份 省份 部份 名次 层次 档次 批次 班次 车次 屡次 首次 再次 多次 依次 其次
本次 此次 逐次 上次 下次 初次 单次 人次 事项 专项 各项 款项 立项 强项 弱项 选项 单项 分项 子项
个人 法人 责任人 当事人 申请人 他人 本人 负责人 代理人 联系人 证人 老人 病人 工人 家人 群人 亲人
专家 国家 大家 农家 商家 居家 回家 作家 店家 厂家 买家 卖家 东家 姓名 署名 罪名 排名 提名 命名
报名 实名 更名 地名 知名 著名 联名 冠名 无名 户名 用户 农户 住户 商户 门户 开户 账户 落户 入户
困户 体户 客户 散户 大户 专户 发起 提起 兴起 一起 引起 掀起 唤起 说起 崛起 筑起 树起 建起 做起 抓起 立起 看起""".split())


def blank_figures(text: str) -> Iterator[Finding]:
    """Yield each number left out before a measure word or unit (约件, 共培训人员人次)."""
    seen: set[int] = set()
    for match in _BLANK.finditer(text) if _ANY_BLANK.search(text) else ():
        seen.add(match.end())
        yield _blank(text, match.start(), match.end())
    for match in _bare_units(text) if _ANY_UNIT.search(text) else ():
        if match.end() not in seen and not _amount_word(text, match.start()):
            seen.add(match.end())
            yield _blank(text, match.start(), match.end())
    for match in _COUNTED.finditer(text):
        obj, unit = match[1], match[2]
        word = obj[-1] + unit
        if match.end() in seen or word in _WORDS or obj[-1] in _NUMERAL or obj[-2:] + unit in _WORDS:
            continue
        if unit == "人" and obj[-1] in "个法责事请理人":
            continue
        seen.add(match.end())
        yield _blank(text, match.end() - 1, match.end())


def _amount_word(text: str, start: int) -> bool:
    """Return True for 万元 in a name (千万元户) or 百分点 in 几个百分点."""
    return text[max(0, start - 1):start] in {"千", "百", "几", "数"}


def _blank(text: str, start: int, end: int) -> Finding:
    return Finding("blank_figure", start, end, text[start:end],
                   {"match": text[start:end], "snippet": around(text, start, end, 8, 4)})


# -- placeholders ----------------------------------------------------------------------
_PLACEHOLDER = lazy(
    r"(?<![A-Za-z])[XxＸｘ×]{2,}(?![A-Za-z])|[＿_]{2,}|【\s*】|[？?]{2,}|○{2,}|□{2,}|[＊*]{2,}"
    r"|某某|待补充|待填写|待定(?!点)|此处填写|TBD|TODO|(?<=[共计达为约])……(?=[件个次人场项家名户万元%])"
    r"|(?<=[共计达为约])[XxＸｘ×](?=[件个次人场项家户]|万元)")
#: The first character of every alternative of _PLACEHOLDER.
_PLACEHOLDER_GATE = lazy("[XxＸｘ×＿_【？?○□＊*某待此T…]")


def placeholders(text: str) -> Iterator[Finding]:
    """Yield each placeholder or mask left in the text (XX、××、某某、＊＊、待补充)."""
    if not _PLACEHOLDER_GATE.search(text):
        return
    for match in _PLACEHOLDER.finditer(text):
        yield Finding("placeholder", match.start(), match.end(), match.group(0),
                      {"match": match.group(0)})


# -- dates -----------------------------------------------------------------------------
_RUN_IN = lazy(r"(?<![\d.])((?:19|20)\d{2})(0?[1-9]|1[0-2])月")
_FULL_DATE = lazy(r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_MONTH_DAY = lazy(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
#: 2021年-2025 (first year has 年, the second not), 2021年2025年 (no dash).
_RANGE_HALF = lazy(r"(?<!\d)((?:19|20)\d{2})年([—–\-~～至到])((?:19|20)\d{2})(?![\d年])")
#: （2016-2020） after a plan's name: the years of a plan end in 年.
_RANGE_NO_NIAN = lazy(r"(?<=[（(])((?:19|20)\d{2})([—–\-~～])((?:19|20)\d{2})(?=[）)])")
#: What the date patterns hold after 年 (patterns that start with a character: the re
#: module skips to it in C).
_YEAR_DASH = lazy("年[—–\\-~～至到]")
_YEAR_DIGIT = lazy(r"年\d")
_RANGE_NO_DASH = lazy(r"(?<!\d)((?:19|20)\d{2})年((?:19|20)\d{2})年")


def malformed_dates(text: str) -> Iterator[Finding]:
    """Yield each broken date: 20205月, 2020年13月, 2月30日, 2021年-2025, 2021年2025年."""
    if not _ANY_DIGIT.search(text):
        return
    if "月" in text:
        for match in _RUN_IN.finditer(text) if "19" in text or "20" in text else ():
            fix = f"{match[1]}年{int(match[2])}月"
            yield Finding("malformed_date", match.start(), match.end(), match.group(0),
                          {"match": match.group(0),
                           "hint": f"（年份与月份之间缺少「年」，应为「{fix}」）"}, fix=fix)
        for match in _FULL_DATE.finditer(text) if "年" in text and _YEAR_DIGIT.search(text) else ():
            if not _valid(int(match[1]), int(match[2]), int(match[3] or 1)):
                yield _bad_date(match)
        for match in _MONTH_DAY.finditer(text) if "日" in text else ():
            if not _valid(2000, int(match[1]), int(match[2])):  # 2000: 2月29日 exists
                yield _bad_date(match)
    if "年" in text or "(" in text or "（" in text:
        for match in _RANGE_HALF.finditer(text) if "年" in text and _YEAR_DASH.search(text) else ():
            fix = f"{match[1]}年{match[2]}{match[3]}年"
            yield Finding("malformed_date", match.start(), match.end(), match.group(0),
                          {"match": match.group(0), "hint": f"（起止年份应写全，如「{fix}」）"},
                          fix=fix)
        for match in _RANGE_NO_NIAN.finditer(text) if "(" in text or "（" in text else ():
            fix = f"{match[1]}{match[2]}{match[3]}年"
            yield Finding("malformed_date", match.start(), match.end(), match.group(0),
                          {"match": match.group(0), "hint": f"（起止年份后缺少「年」，如「{fix}」）"},
                          fix=fix)
        for match in _RANGE_NO_DASH.finditer(text) if "年19" in text or "年20" in text else ():
            fix = f"{match[1]}—{match[2]}年"
            yield Finding("malformed_date", match.start(), match.end(), match.group(0),
                          {"match": match.group(0), "hint": f"（起止年份之间缺少连接号，如「{fix}」）"},
                          fix=fix)


def _bad_date(match: re.Match) -> Finding:
    return Finding("malformed_date", match.start(), match.end(), match.group(0),
                   {"match": match.group(0), "hint": "（该日期不存在）"})


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# -- digits and number format ----------------------------------------------------------
_SPACED = lazy(rf"(?<=[{_HAN}])[ \u3000\u00a0]+(?=\d)|(?<=\d)[ \u3000\u00a0]+(?=[{_HAN}])")


def spaced_digits(text: str) -> Iterator[Finding]:
    """Yield each space between a digit and a Chinese character (36 次)."""
    if not _ANY_SPACE.search(text):
        return
    for match in _SPACED.finditer(text):
        if _ORGAN_END.search(text[:match.start()]) and re.match(r"\s*\d{4}年\d{1,2}月\d{1,2}日印发$", text[match.start():]):
            continue  # 版记: 印发机关 and 印发日期 are separated by a space
        yield Finding("spaced_digits", match.start(), match.end(), match.group(0),
                      {"match": around(text, match.start(), match.end(), 3, 2)}, fix="")


_FULL_RUN = lazy(f"[{_FULL_DIGITS}][{_FULL_DIGITS}]*")  # X+ as XX*: the re module skips to a class


def fullwidth_digits(text: str) -> Iterator[Finding]:
    """Yield each run of full-width digits (２０２３)."""
    for match in _FULL_RUN.finditer(text):
        yield Finding("fullwidth_digits", match.start(), match.end(), match.group(0),
                      {"match": match.group(0)}, fix=match.group(0).translate(_TO_HALF))


_ANY_DIGIT_GE = lazy(r"\d各")
_DIGIT_GE = lazy(rf"\d+(各)(?=[{_HAN}])")


def digit_ge_typo(text: str) -> Iterator[Finding]:
    """Yield each 各 typed for the measure word 个 after a number (11各部门)."""
    if "各" not in text or not _ANY_DIGIT_GE.search(text):
        return
    for match in _DIGIT_GE.finditer(text):
        yield Finding("digit_ge_typo", match.start(1), match.end(1), "各",
                      {"match": match.group(0) + text[match.end():match.end() + 2]}, fix="个")


_THOUSANDS = lazy(rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d,])(?=[{_HAN}%％])")
_ANY_STOP = lazy("[%件个次人项场家名户元]\\.")
_ASCII_STOP = lazy(rf"(?<=[%件个次人项场家名户元])\.(?=[{_HAN}]|$)")
_RATE = lazy(r"(?<!增长|提高|上升|增幅|增速|同比|环比)(?:率|比例|占比)(?:为|达|达到|是)?"
                   r"(\d{3,}(?:\.\d+)?)[%％]")
#: _RATE without its look-behind (which the re module cannot skip to).
_ANY_RATE = lazy(r"(?:率|比例|占比)(?:为|达|达到|是)?\d{3}")
_MIXED = lazy(r"\d+[十百千](?![米克瓦伏帕赫焦分年兆])")
_ANY_MIXED = lazy("[十百千]")


def number_format(text: str) -> Iterator[Finding]:
    """Yield each malformed figure: 1,234件 (thousands separator), 12件. (ASCII full stop),
    率为105%, 3千 (Arabic and Chinese numerals mixed)."""
    for match in _THOUSANDS.finditer(text) if "," in text else ():
        yield Finding("number_format", match.start(), match.end(), match.group(0),
                      {"match": match.group(0), "hint": "中文公文中的数字不用千分位逗号"},
                      fix=match.group(0).replace(",", ""))
    for match in _ASCII_STOP.finditer(text) if "." in text and _ANY_STOP.search(text) else ():
        if re.match(r"\s*\d+$", text[:match.start()]):
            continue  # 1.加强组织领导 (a heading number)
        yield Finding("number_format", match.start(), match.end(), ".",
                      {"match": around(text, match.start(), match.end(), 4, 2),
                       "hint": "中文句子应以「。」结束"}, fix="。")
    for match in _RATE.finditer(text) if ("率" in text or "比" in text) and _ANY_RATE.search(text) else ():
        if float(match[1]) > 100:
            yield Finding("number_format", match.start(1), match.end(0), match.group(0)[-len(match[1]) - 1:],
                          {"match": match.group(0), "hint": "比率不应超过100%"})
    for match in _MIXED.finditer(text) if _ANY_MIXED.search(text) and _ANY_DIGIT.search(text) else ():
        yield Finding("number_format", match.start(), match.end(), match.group(0),
                      {"match": match.group(0), "hint": "一个数字中阿拉伯数字与汉字数字混用（「万」「亿」除外）"})


# -- punctuation -------------------------------------------------------------------------
_ASCII_MARKS = lazy(r"[,;:?!()]")


def ascii_punctuation(text: str) -> Iterator[Finding]:
    """Yield the first half-width mark that the output turns full width (one per text:
    the rest are the same slip, fixed by the same conversion)."""
    if not _ASCII_MARKS.search(text):
        return
    # (str.translate looks up every character: only when there is a full-width digit)
    plain = text.translate(_TO_HALF) if _FULL_RUN.search(text) else text
    fixed = normalise_punctuation(plain)
    if fixed == plain:
        return
    first = next(i for i, (a, b) in enumerate(zip(plain, fixed)) if a != b)
    yield Finding("ascii_punctuation", first, first + 1, plain[first],
                  {"match": plain[max(0, first - 4):first + 3]}, fix=fixed[first])


def ascii_marks(text: str) -> Iterator[Finding]:
    """Yield every half-width , ; : ? ! ( ) that sits against Chinese text (all of them,
    for ``lint``: there nothing is output, so the text itself must be changed)."""
    if not _ASCII_MARKS.search(text):
        return
    for match in ascii_punct_pattern().finditer(text):
        mark = match.group(0).strip()
        start = match.end() - len(mark) if mark == "(" else match.start()
        yield Finding("ascii_punctuation", start, start + 1, mark,
                      {"match": text[max(0, start - 4):start + 3]}, fix=_HALF_TO_FULL[mark])


_PAIRS = (("《", "》", "书名号"), ("“", "”", "引号"), ("（", "）", "括号"), ("【", "】", "方头括号"))
_PAIR_MARKS = {open_: lazy(f"[{open_}{close}]") for open_, close, _ in _PAIRS}


def unbalanced_brackets(text: str) -> Iterator[Finding]:
    """Yield each unpaired 《》, “”, （） or 【】."""
    text = text.replace("(", "（").replace(")", "）")
    for open_, close, name in _PAIRS:
        if open_ not in text and close not in text:
            continue
        stack: list[int] = []
        for match in _PAIR_MARKS[open_].finditer(text):
            if match.group(0) == open_:
                if open_ == "“" and stack:  # “…“ : the second one should close
                    yield _unpaired(text, stack.pop(), name, open_, close, "opened")
                stack.append(match.start())
            elif stack:
                stack.pop()
            else:
                yield _unpaired(text, match.start(), name, open_, close, "closed")
        for pos in stack:
            yield _unpaired(text, pos, name, open_, close, "opened")


def _unpaired(text: str, pos: int, name: str, open_: str, close: str, kind: str) -> Finding:
    detail = (f"「{close}」之前没有对应的「{open_}」" if kind == "closed"
              else f"「{open_}」没有对应的「{close}」")
    return Finding("unbalanced_brackets", pos, pos + 1, text[pos],
                   {"pair": f"{name}「{open_}{close}」", "detail": detail,
                    "context": around(text, pos, pos + 1)})


_DOUBLED = lazy(r"([，。、；：,;])\1+|[，、；：,;][，。、；：,;]|。[，、；：,;]")
#: Two marks in a row: what every match of _DOUBLED starts with (a pattern that starts
#: with a class: the re module skips to its characters in C).
_ANY_DOUBLED = lazy("[，。、；：,;][，。、；：,;]")


def doubled_punctuation(text: str) -> Iterator[Finding]:
    """Yield each doubled or clashing punctuation mark (，，  。。  、，)."""
    if not _ANY_DOUBLED.search(text):
        return
    for match in _DOUBLED.finditer(text):
        keep = match.group(0)[-1] if match.group(0)[-1] in "。；：" else match.group(0)[0]
        yield Finding("doubled_punctuation", match.start(), match.end(), match.group(0),
                      {"match": match.group(0), "context": around(text, match.start(), match.end())},
                      fix=keep if len(set(match.group(0))) == 1 else None)


_CJK_OR_MARK = f"{_HAN}，。、；：“”《》（）！？"
_SPACE = lazy(rf"(?<=[{_CJK_OR_MARK}])[ \u3000\u00a0\t]+(?=[{_CJK_OR_MARK}])")
#: A space between two organ names is how joint issuers are written (中共某县委 某县人民政府).
_ORGAN_END = lazy(r"(?:委|府|局|院|会|部|厅|室|办|处|所|队|团|社|站)$")


def cjk_spaces(text: str) -> Iterator[Finding]:
    """Yield each stray space between Chinese characters or marks (基础建设 。)."""
    if not _ANY_SPACE.search(text):
        return
    for match in _SPACE.finditer(text):
        if _ORGAN_END.search(text[:match.start()]) and len(text) < 40:
            continue
        before = text[:match.start()]
        if before.rfind("《") > before.rfind("》") or before.rfind("〈") > before.rfind("〉"):
            continue  # a cited title may separate its two parts by a space
        yield Finding("cjk_space", match.start(), match.end(), match.group(0),
                      {"context": around(text, match.start(), match.end(), 4, 3)}, fix="")


_ASCII_QUOTE = lazy(rf"(?<=[{_HAN}，。、；：])[\"'](?=[{_HAN}])|(?<=[{_HAN}])[\"'](?=[{_HAN}，。、；：]|$)")


def ascii_quotes(text: str) -> Iterator[Finding]:
    """Yield each ASCII quotation mark in Chinese text ("一站式" for “一站式”)."""
    if '"' not in text and "'" not in text:
        return
    matches = list(_ASCII_QUOTE.finditer(text))
    for index, match in enumerate(matches):
        double = match.group(0) == '"'
        fix = ("“" if index % 2 == 0 else "”") if double else ("‘" if index % 2 == 0 else "’")
        yield Finding("ascii_quotes", match.start(), match.end(), match.group(0),
                      {"match": match.group(0), "context": around(text, match.start(), match.end()),
                       "fix": fix}, fix=fix)


# -- repeated text -----------------------------------------------------------------------
#: Particles and prepositions that are never doubled in standard written Chinese.
_NEVER_DOUBLED = "的了在是和与及对把被从向于并就而但也都之其该为将"
_DOUBLE_CHAR = lazy(rf"([{_NEVER_DOUBLED}])\1(?!之)")
_DOUBLE_WORD = lazy(rf"([{_HAN}]{{2,6}})\1")
#: ABAB words that are right: 一步一步 (starts with 一), 研究研究 (colloquial) never in 公文.
_ABAB_OK = lazy(r"^(?:一.|的.*|.*的|.*通知|[^\u4e00-\u9fff].*)$")  # 的通知的通知 (转发)
_SENTENCE = lazy(r"[^。；！？，]+[。；！？，]?")


#: The same preposition written twice in two forms (按照按程序).
_DOUBLE_PREP = lazy(r"(?:按照|依照)(按)(?!照|[年月日期时])|(按)按照")


def repeated_text(text: str) -> Iterator[Finding]:
    """Yield each doubled particle or word (的的, 进一步进一步, 按照按), in text order."""
    return iter(sorted(_repeated_text(text), key=lambda f: f.start))


def _repeated_text(text: str) -> Iterator[Finding]:
    if text.count("在") > 1 and any(text.count(end) > 1 for end in _FRAME_ENDS):
        yield from repeated_frames(text)
    for match in _DOUBLE_PREP.finditer(text) if "按" in text else ():
        group = 1 if match[1] else 2
        yield Finding("repeated_text", match.start(group), match.end(group), match[group],
                      {"what": f"「{match.group(0)}」", "context": around(text, match.start(), match.end())},
                      fix="")
    for match in _DOUBLE_CHAR.finditer(text):
        char = match[1]
        if char == "是" and text[max(0, match.start() - 1):match.start()] in "就也还":
            continue  # 就是是 is still wrong, but 是是非非 is not; keep to the plain case
        if char == "为" and text[match.end():match.end() + 1] == "民":
            continue  # 以人为为民? rare; 为为 otherwise wrong
        yield Finding("repeated_text", match.start() + 1, match.end(), char,
                      {"what": f"「{char}」", "context": around(text, match.start(), match.end())},
                      fix="")
    for match in _DOUBLE_WORD.finditer(text):
        word = match[1]
        if _ABAB_OK.match(word) or len(set(word)) == 1:
            continue
        if text.startswith(word, match.end()) or text[:match.start()].endswith(word):
            continue  # three or more in a row is filler, not a slip of the keyboard
        start = match.start() + len(word)
        yield Finding("repeated_text", start, match.end(), word,
                      {"what": f"「{word}」", "context": around(text, match.start(), match.end())},
                      fix="")


#: A framing phrase (在疫情期间, 在执法过程中) written twice in one sentence.
_FRAME_ENDS = ("期间", "过程中", "工作中")  # a frame written twice: its end is there twice
_FRAME = lazy(rf"在[{_HAN}]{{1,8}}?(?:期间|过程中|工作中)")


def repeated_frames(text: str) -> Iterator[Finding]:
    for sentence in re.finditer(r"[^。！？]+", text):
        seen: set[str] = set()
        for match in _FRAME.finditer(sentence.group(0)):
            start = sentence.start() + match.start()
            if match.group(0) in seen:
                yield Finding("repeated_text", start, start + len(match.group(0)), match.group(0),
                              {"what": f"同一句中「{match.group(0)}」",
                               "context": around(text, start, start + len(match.group(0)))}, fix="")
            seen.add(match.group(0))


def repeated_sentences(text: str) -> Iterator[Finding]:
    """Yield each sentence or clause repeated within the paragraph (8 characters or more)."""
    if len(text) < 20:
        return  # two clauses of 10 characters at least
    # the clauses split in C first: only a paragraph with a clause repeated is scanned
    keys = ("".join(text.split()).replace("。", "，").replace("；", "，").replace("！", "，")
            .replace("？", "，").split("，"))  # a clause's key: its text without white space
    if len(set(keys)) == len(keys) or not any(
            len(key) >= 10 and keys.count(key) > 1 for key in keys):
        return
    seen: set[str] = set()
    for match in _SENTENCE.finditer(text):
        body = match.group(0).strip().rstrip("。；！？，")
        if len(body) < 10:
            continue
        key = "".join(body.split())  # str.split and re's \s: the same white space
        if len(key) < 10:
            continue
        if key in seen:
            yield Finding("repeated_sentence", match.start(), match.end(), match.group(0),
                          {"sentence": body[:30] + ("…" if len(body) > 30 else "")}, fix="")
        seen.add(key)


# -- parallel items joined by a comma ---------------------------------------------------
#: Two three-character items with the same suffix, the comma inside one noun phrase:
#: 行业性，专业性调解 / 规范化，标准化建设 (between parallel words the mark is 、).
#: (not 规范化，积极化解: 化解, 化为, 性地 are words of a new clause).
_ANY_SAME_SUFFIX = lazy("([性化])，..\\1")
_SAME_SUFFIX = lazy(rf"(?<=[{_HAN}]{{2}}([性化]))，(?=[{_HAN}]{{2}}\1(?![解为地])[{_HAN}])")
#: A comma before the last item of a list closed by 等, the items opening alike:
#: 将法治宣传，法治审核等作为 (法治… ，法治…等).
#: Gates without a class of Chinese characters (costly to compile): what every match of
#: the pattern below them holds, written with "any character but ，" instead.
_ANY_DENG = lazy("([^，]{2})[^，]{1,6}，\\1[^，]{0,6}?等")
_BEFORE_DENG = lazy(rf"([{_HAN}]{{2}})([{_HAN}]{{1,6}})，\1([{_HAN}]{{0,6}}?)等(?=[{_HAN}，。])")


def enumeration_commas(text: str) -> Iterator[Finding]:
    """Yield each comma between parallel words where the list needs 、 (行业性，专业性调解,
    法治宣传，法治审核等)."""
    if "，" not in text:
        return
    for match in _SAME_SUFFIX.finditer(text) if _ANY_SAME_SUFFIX.search(text) else ():
        left, right = text[match.start() - 3:match.start()], text[match.end():match.end() + 3]
        if left != right:
            yield _enum_comma(text, match.start(), f"{left}」「{right}")
    for match in _BEFORE_DENG.finditer(text) if "等" in text and _ANY_DENG.search(text) else ():
        left, right = match[1] + match[2], match[1] + match[3]
        if left != right:
            comma = match.start() + len(left)
            yield _enum_comma(text, comma, f"{left}」「{right}")


def _enum_comma(text: str, pos: int, items: str) -> Finding:
    return Finding("enumeration_comma", pos, pos + 1, "，",
                   {"items": items, "context": around(text, pos, pos + 1, 6, 6)}, fix="、")


# -- inline enumerations (一是……二是……) ----------------------------------------------------
_ENUM = lazy(r"(?:^|(?<=[。；：，,;:\s]))([一二三四五六七八九十]{1,2})是(?![否非])")
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _cn_value(text: str) -> int:
    if len(text) == 1:
        return _CN[text]
    if text[0] == "十":
        return 10 + _CN.get(text[1], 0)
    if text[1] == "十":
        return _CN[text[0]] * 10
    return -1


def enumeration_sequence(text: str) -> Iterator[Finding]:
    """Yield each 一是/二是 label out of sequence in the paragraph (一是…三是, 二是…二是)."""
    if "是" not in text:
        return
    labels = [(m, _cn_value(m[1])) for m in _ENUM.finditer(text)]
    if len(labels) < 2 or labels[0][1] != 1:
        return
    expected = 1
    for match, value in labels:
        if value == 1 and expected > 1:
            expected = 1  # a new enumeration
        if value != expected:
            kind = "重复" if value < expected else "跳号"
            yield Finding("numbering_sequence", match.start(), match.end(), match.group(0),
                          {"found": match[1] + "是", "expected": _label(expected) + "是",
                           "kind": kind}, fix=None)
        expected = value + 1


def _label(n: int) -> str:
    digits = "一二三四五六七八九十"
    if n <= 10:
        return digits[n - 1]
    return "十" + digits[n - 11] if n < 20 else str(n)


#: code -> rule; the order is the order of the messages for one paragraph.
PARAGRAPH_RULES: dict[str, Rule] = {
    "blank_figure": blank_figures,
    "placeholder": placeholders,
    "malformed_date": malformed_dates,
    "spaced_digits": spaced_digits,
    "fullwidth_digits": fullwidth_digits,
    "digit_ge_typo": digit_ge_typo,
    "ascii_punctuation": ascii_punctuation,
    "unbalanced_brackets": unbalanced_brackets,
    "doubled_punctuation": doubled_punctuation,
    "cjk_space": cjk_spaces,
    "ascii_quotes": ascii_quotes,
    "number_format": number_format,
    "repeated_text": repeated_text,
    "repeated_sentence": repeated_sentences,
    "typo_confusion": confusion_typos,
    "term_near_miss": glossary_near_misses,
    "numbering_sequence": enumeration_sequence,
    "enumeration_comma": enumeration_commas,
    "missing_clause_punct": missing_clause_marks,
}


_ANY_BRACKET = lazy("[《》“”（）【】()]")


#: code -> a cheap test that a text may hold a finding of the rule: each is the rule's
#: own first check (or less), so that `findings` skips a rule without making its
#: generator (most paragraphs give most rules nothing to do).
GATES: dict[str, Callable[[str], object]] = {
    "placeholder": lambda text: _PLACEHOLDER_GATE.search(text),
    "malformed_date": lambda text: _ANY_DIGIT.search(text),
    "spaced_digits": lambda text: _ANY_SPACE.search(text),
    "fullwidth_digits": lambda text: _FULL_RUN.search(text),
    "digit_ge_typo": lambda text: "各" in text,
    "ascii_punctuation": lambda text: _ASCII_MARKS.search(text),
    "unbalanced_brackets": lambda text: _ANY_BRACKET.search(text),
    "doubled_punctuation": lambda text: _ANY_DOUBLED.search(text),
    "cjk_space": lambda text: _ANY_SPACE.search(text),
    "ascii_quotes": lambda text: '"' in text or "'" in text,
    "typo_confusion": lambda text: _ANY_NEEDS.search(text),
    "numbering_sequence": lambda text: "是" in text,
    "enumeration_comma": lambda text: "，" in text,
    "missing_clause_punct": lambda text: "是" in text or "次" in text or "》" in text,
}
_PLAN = [(code, rule, GATES.get(code)) for code, rule in PARAGRAPH_RULES.items()]


#: At most this many findings of one rule in one paragraph (a pasted table of 的的的…).
MAX_PER_RULE = 20


#: The findings of the texts proofread lately, by text, so that building an unchanged
#: paragraph again in the same process (nianbao serve, a batch of reports sharing texts,
#: ``validate`` then ``build``) costs one lookup. Emptied when it holds `CACHE_TEXTS`.
_SEEN: dict[str, dict[str, tuple[Finding, ...]]] = {}
CACHE_TEXTS = 4096


def findings(text: str) -> dict[str, tuple[Finding, ...]]:
    """Return {code: its findings in ``text``, at most `MAX_PER_RULE`} of every paragraph
    rule that finds something (the findings are shared: do not change their ``ctx``)."""
    found = _SEEN.get(text)
    if found is None:
        found = {}
        for code, rule, gate in _PLAN:
            if gate is not None and not gate(text):
                continue
            hits = tuple(islice(rule(text), MAX_PER_RULE))
            if hits:
                found[code] = hits
        if len(_SEEN) >= CACHE_TEXTS:
            _SEEN.clear()
        _SEEN[text] = found
    return found


def clear_cache() -> None:
    """Forget the findings of the texts seen so far (benchmarks of first-time cost)."""
    _SEEN.clear()


def check_paragraph(text: str, codes: "set[str] | None" = None) -> list[Finding]:
    """Return every finding of every paragraph rule (or of ``codes``) in ``text``."""
    found = findings(text)
    return [f for code, hits in found.items() if codes is None or code in codes for f in hits]
