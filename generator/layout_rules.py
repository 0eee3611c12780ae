"""Paragraph rules of the layout checker: body, titles, headings by marker type, heading
numbering order, dates and the 版记 rules (spec §2–§8, §15).

Each paragraph gets a role (title, heading, body, closing, 版记, …) from its style, its
alignment and its text; the rules for that role then read its effective formatting.
Repeated problems are reported once, with the first paragraph and a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import styles as S
from .docx_inspect import NS, Inspector, ParaFormat, paragraph_text
from .fonts import family_of
from .layout_findings import Finding, Severity

MARKERS = (
    (1, re.compile(r"^([一二三四五六七八九十]+)、")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")),
    (3, re.compile(r"^(\d+)[.．、](?!\d)")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
)
MARKER_FAMILY = {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
LEVEL_NAME = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_PADDED = re.compile(r"\d{4}年0\d月|\d{1,2}月0\d日")
_HAN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}年[〇零一二三四五六七八九十]{1,2}月")
_NOTE_ITEM = re.compile(r"^\d+[.．]")
_IMPRINT_TEXT = re.compile(r"^\s*(抄送|主送)[：:]|印发\s*$")


def _number(text: str) -> int:
    """Return the value of a marker number: 3, 十二, 二十一."""
    if text.isdigit():
        return int(text)
    digits = "一二三四五六七八九"
    tens, _, unit = text.rpartition("十")
    if "十" not in text:
        return digits.index(text) + 1
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(unit) + 1 if unit else 0)


@dataclass
class Para:
    index: int
    el: object
    text: str
    fmt: ParaFormat
    role: str = "body"
    level: int = 0
    number: int = 0


@dataclass
class _Collector:
    """Group findings by (rule, found) so a wrong Normal style is one finding."""

    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, para: Para, rule: str, severity: Severity, message: str, found: str,
            expected: str) -> None:
        key = (rule, found)
        if key in self.findings:
            old = self.findings[key]
            self.findings[key] = Finding(**{**old.as_dict(), "count": old.count + 1})
            return
        self.findings[key] = Finding(rule, severity, message, found, expected,
                                     paragraph=para.index, text=para.text[:12])


def _role(inspector: Inspector, para: Para, seen_body: bool) -> str:
    style, text, fmt = para.fmt.style_id or "", para.text.strip(), para.fmt
    run = inspector.run(para.el, _first_run(inspector, para))
    if not text:
        return "blank"
    if style.startswith("GwImprint") or _IMPRINT_TEXT.search(text):
        return "imprint"
    if style == "GwMark" or (run.color or "").upper() in ("FF0000", "E60000", "C00000"):
        return "mark"
    if style == "GwDocNumber" or re.match(r"^\S+〔\d{4}〕\d+号", text):
        return "docnumber"
    if re.fullmatch(r"附件\d*", text):
        return "attach_label"
    if style == "GwTitle" or (fmt.align == "center" and (run.size or 0) >= 36):
        return "title"
    if fmt.align == "right":
        return "closing"
    if style == "GwAttachNote" or text.startswith("附件："):
        return "attach_note"
    for level, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            para.level, para.number = level, _number(match.group(1))
            return "heading"
    if not seen_body and text.endswith(("：", ":")) and fmt.first_line <= 0:
        return "recipient"
    return "body"


def _first_run(inspector: Inspector, para: Para):
    runs = [r for r, t in inspector.runs(para.el) if t.strip()]
    return runs[0] if runs else None


def _fonts(inspector: Inspector, para: Para, only_first: bool = False) -> set[str]:
    """Return the East Asian fonts of the runs with Chinese text (the first such run)."""
    out = []
    for r, t in inspector.runs(para.el):
        if _CJK.search(t):
            out.append(inspector.run(para.el, r).east_asia or "（未指定）")
            if only_first:
                break
    return set(out)


def _check_font(c: _Collector, inspector: Inspector, para: Para, family: str, rule: str,
                what: str, only_first: bool = False) -> None:
    for font in sorted(_fonts(inspector, para, only_first)):
        if family_of(font) != family:
            c.add(para, rule, "error", f"{what}应使用{family}", font, family)


def _check_size(c: _Collector, inspector: Inspector, para: Para, size: int, rule: str,
                what: str) -> None:
    run = inspector.run(para.el, _first_run(inspector, para))
    if run.size != size:
        found = f"{run.size / 2:g} 磅" if run.size else "未指定"
        c.add(para, rule, "error", f"{what}字号应为 {size / 2:g} 磅", found, f"{size / 2:g} 磅")


def _check_body(c: _Collector, inspector: Inspector, para: Para, block: int) -> None:
    pitch = para.fmt.exact_pitch
    if pitch is None or block // pitch != S.LINES_PER_PAGE:
        found = (f"{para.fmt.spacing.get('lineRule', 'auto')} "
                 f"{para.fmt.spacing.get('line', '240')}")
        c.add(para, "body.line_spacing", "error",
              "正文应为固定行距，使每页排 22 行（约 28.95 磅）", found, "exact 579 twips")
    elif pitch < 570:
        c.add(para, "body.line_spacing", "warning", "行距偏小，22 行排不满版心",
              f"exact {pitch}", "exact 579 twips")
    first = para.fmt.first_line
    chars = para.fmt.ind.get("firstLineChars")
    if chars == "200" and "firstLine" not in para.fmt.ind:
        c.add(para, "body.indent", "warning", "只用字符单位写首行缩进，LibreOffice 会忽略",
              "firstLineChars=200", "firstLine=640（并可加 firstLineChars=200）")
    elif not 600 <= first <= 680:
        c.add(para, "body.indent", "error", "正文首行应缩进 2 字（640 twips）",
              f"{first} twips", "640 twips")


def paragraph_findings(document, inspector: Inspector) -> list[Finding]:
    """Return the findings of the body paragraphs."""
    section = document.sections[0]
    block = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    c = _Collector()
    paras = classify(document, inspector)
    for para in paras:
        _check_paragraph(c, inspector, para, block)
    found = list(c.findings.values())
    found += _chars_per_line(inspector, paras, width)
    found += numbering_findings([p for p in paras if p.role == "heading"])
    found += date_findings(paras)
    found += imprint_findings(inspector, [p for p in paras if p.role == "imprint"])
    return found


def classify(document, inspector: Inspector) -> list[Para]:
    """Return every body paragraph with its role (title, heading, body, closing, …)."""
    paras: list[Para] = []
    seen_body = False
    for index, el in enumerate(document.element.body.findall("w:p", NS), 1):
        para = Para(index, el, paragraph_text(el), inspector.paragraph(el))
        para.role = _role(inspector, para, seen_body)
        if paras and paras[-1].role == "attach_note" and _NOTE_ITEM.match(para.text.strip()):
            para.role, para.level, para.number = "attach_note", 0, 0  # 「2.名称」 of 附件说明
        seen_body |= para.role in ("body", "heading")
        paras.append(para)
    return paras


def _check_paragraph(c: _Collector, inspector: Inspector, para: Para, block: int) -> None:
    role = para.role
    if role in ("body", "recipient", "attach_note", "closing"):
        _check_font(c, inspector, para, "仿宋", "body.font", "正文")
        _check_size(c, inspector, para, S.SIZE_3HAO, "body.size", "正文")
    if role == "body":
        _check_body(c, inspector, para, block)
    elif role == "heading":
        family = MARKER_FAMILY[para.level]
        _check_font(c, inspector, para, family, "heading.font",
                    f"「{LEVEL_NAME[para.level]}」级标题", only_first=True)
        _check_size(c, inspector, para, S.SIZE_3HAO, "heading.size", "标题")
        _check_body(c, inspector, para, block)
        mark = para.text[:4]
        if para.level == 3 and re.match(r"^\d+、", mark):
            c.add(para, "heading.marker", "warning", "三级标题序号应为「1.」", mark, "1.")
        if para.level in (2, 4) and para.text.startswith("("):
            c.add(para, "heading.marker", "warning", "标题序号应使用全角括号（）", mark, "（…）")
    elif role == "title":
        _check_font(c, inspector, para, "小标宋", "title.font", "标题")
        _check_size(c, inspector, para, S.SIZE_2HAO, "title.size", "标题")
    elif role == "attach_label":
        _check_font(c, inspector, para, "黑体", "attachment.label", "附件标识")


def _chars_per_line(inspector: Inspector, paras: list[Para], width: int) -> list[Finding]:
    body = next((p for p in paras if p.role == "body"), None)
    if body is None:
        return []
    run = inspector.run(body.el, _first_run(inspector, body))
    pitch = (run.size or 21) * 10 + run.spacing
    chars = width // pitch
    if chars == S.CHARS_PER_LINE:
        return []
    return [Finding("body.chars_per_line", "warning",
                    "每行应排 28 字：3 号字需把字距紧缩 0.25 磅（w:spacing −5）",
                    f"每行 {chars} 字（字号 {(run.size or 21) / 2:g} 磅，字距 {run.spacing} twips）",
                    "每行 28 字", paragraph=body.index, text=body.text[:12])]


def numbering_findings(headings: list[Para]) -> list[Finding]:
    """Return heading-order findings: gaps, repeats, and restart/continuous mixed."""
    out: list[Finding] = []
    stack: list[Para] = []  # open headings, shallowest first
    last_under: dict[tuple[int, int], int] = {}  # (level, id(parent)) → last number
    last_any: dict[int, int] = {}
    modes: dict[int, set[str]] = {}
    for h in headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        key = (h.level, id(stack[-1]) if stack else 0)
        previous = last_under.get(key)
        if previous is not None:
            expected = {previous + 1}
        else:
            expected = {1, last_any.get(h.level, 0) + 1}
            if h.number == 1 and h.level in last_any:
                modes.setdefault(h.level, set()).add("restart")
            elif h.number != 1 and h.number == last_any.get(h.level, 0) + 1:
                modes.setdefault(h.level, set()).add("continuous")
        if h.number not in expected:
            want = "或".join(_marker(h.level, n) for n in sorted(expected))
            out.append(Finding("heading.order", "error", "标题序号不连续或重复",
                               _marker(h.level, h.number), want, paragraph=h.index,
                               text=h.text[:12]))
        elif len(modes.get(h.level, ())) == 2:
            out.append(Finding("heading.order", "error",
                               "同一级标题有的在上级下重新编号、有的全文连续编号",
                               _marker(h.level, h.number), "全部重新起编或全部连续",
                               paragraph=h.index, text=h.text[:12]))
            modes[h.level] = {"reported"}
        last_under[key] = last_any[h.level] = h.number
        stack.append(h)
    return out


def _marker(level: int, n: int) -> str:
    from .numbering import marker

    return marker(("chinese", "paren_chinese", "arabic", "paren_arabic")[level - 1], n)


def date_findings(paras: list[Para]) -> list[Finding]:
    """Return dates written with zero padding or Chinese numerals (spec §6)."""
    out = []
    for p in paras:
        for pattern, expected in ((_PADDED, "2024年3月1日（不编虚位）"),
                                  (_HAN_YEAR, "阿拉伯数字，如 2024年3月1日")):
            match = pattern.search(p.text)
            if match:
                out.append(Finding("date.format", "error",
                                   "日期应使用阿拉伯数字，年份写全，月、日不编虚位",
                                   match.group(0), expected, paragraph=p.index,
                                   text=p.text[:12]))
    return out


def _rule(fmt: ParaFormat, side: str) -> int:
    border = fmt.borders.get(side) or {}
    if border.get("val") in (None, "nil", "none"):
        return 0
    return int(border.get("sz", "0") or 0)


def imprint_findings(inspector: Inspector, block: list[Para]) -> list[Finding]:
    """Return 版记 findings: thick first and last rules, thin rules between, as wide as
    the text block, 4号 text (spec §8)."""
    if not block:
        return []
    out = []
    first, last = block[0], block[-1]
    checks = [(first, "top", (7, 12), "第一条分隔线应为粗线（0.35 mm）"),
              (last, "bottom", (7, 12), "最后一条分隔线应为粗线（0.35 mm）")]
    checks += [(p, "top", (4, 6), "版记中间的分隔线应为细线（0.25 mm）") for p in block[1:]]
    for para, side, (low, high), message in checks:
        size = _rule(para.fmt, side)
        if not low <= size <= high:
            out.append(Finding("imprint.rules", "error", message,
                               f"{size / 8:g} 磅" if size else "无分隔线",
                               f"{low / 8:g}–{high / 8:g} 磅", paragraph=para.index,
                               text=para.text[:12]))
    for para in block:
        inset = min(para.fmt.twips("ind", "left"), para.fmt.twips("ind", "left") + para.fmt.first_line)
        if inset > 20 or para.fmt.twips("ind", "right") > 20:
            out.append(Finding("imprint.rules", "error", "版记分隔线应与版心等宽（段落不能左右缩进）",
                               f"左 {inset}、右 {para.fmt.twips('ind', 'right')} twips", "0",
                               paragraph=para.index, text=para.text[:12]))
        run = inspector.run(para.el, _first_run(inspector, para))
        if run.size != S.SIZE_4HAO:
            out.append(Finding("imprint.size", "warning", "版记应使用 4 号字",
                               f"{(run.size or 0) / 2:g} 磅", "14 磅", paragraph=para.index,
                               text=para.text[:12]))
    return out
