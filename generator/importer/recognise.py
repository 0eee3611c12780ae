"""Recognise the parts of an existing report: title, 主送, lead, numbered headings and
their bodies, 附件说明, 署名, 成文日期, 附注, 抄送 and 印发.

Headings are found by their typed marker (一、（一）1.（1）①) or, in a DOCX, by a
heading style; the typed numbers are stripped, since the tool generates them. Levels
follow the marker types the report uses (a report using only （一） and 1. has two).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_CN = "一二三四五六七八九十百零〇"
#: (style, pattern) in the standard order of levels; group 1 is the number.
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chinese", re.compile(rf"^([{_CN}]{{1,4}})\s*[、，,．.]\s*")),
    ("paren_chinese", re.compile(rf"^[（(]\s*([{_CN}]{{1,4}})\s*[）)]\s*[、，,．.]?\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.．、](?![\d.．])\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、，,．.]?\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)
STYLE_ORDER = tuple(style for style, _ in MARKERS)
MAX_LEVEL = 4  # the deepest heading level the generated numbering has (括号 style)
#: Where a run-in heading ends: its first sentence, at most this long.
RUN_IN_MAX = 60
_END = "。！？!?：:"
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_IMPRINT = re.compile(r"^(.*?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")
_CC = re.compile(r"^抄\s*送\s*[:：]\s*(.+)$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]\s*(.*)$")
_NOTE = re.compile(r"^[（(](?:此件|本件)[^）)]*[）)]$")
_ORGAN_END = re.compile(r"(?:人民政府|政府|局|委员会|办公室|厅|委|院|中心|办)$")


@dataclass
class Line:
    """One paragraph of the source: text, 1-based line, and a heading level from a DOCX
    style (0: none)."""

    text: str
    line: int
    style_level: int = 0


@dataclass
class Node:
    """A heading (or an unnumbered block) with its paragraphs and children."""

    heading: str | None
    level: int
    line: int
    text: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    run_in: bool = False  # heading and first paragraph shared a line in the source
    numbered: bool = True
    section: str | None = None  # top-level nodes: the section key
    typed: str = ""  # the marker as typed in the source

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Recognised:
    """The parts of one report, in source order."""

    title: list[str] = field(default_factory=list)
    recipient: str | None = None
    lead: list[str] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signature: str | None = None
    date: dt.date | None = None
    note: str | None = None
    cc: list[str] = field(default_factory=list)
    imprint_organ: str | None = None
    imprint_date: dt.date | None = None
    continuous: list[int] = field(default_factory=list)
    deep: list[int] = field(default_factory=list)  # lines of headings too deep, kept as text

    def all_nodes(self):
        for node in self.nodes:
            yield from node.walk()


def typed(text: str) -> tuple[str, int, str] | None:
    """Return (style, number, marker text) of a typed heading marker, or None."""
    for style, pattern in MARKERS:
        match = pattern.match(text)
        if match and len(text) > match.end():
            return style, _number(match.group(1)), match.group(0)
    return None


def strip_marker(text: str) -> str:
    """Return ``text`` without a typed heading marker at its start."""
    found = typed(text)
    return text[len(found[2]):] if found else text


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return ord(token) - ord("①") + 1
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["〇"] = 0
    total, current = 0, 0
    for char in token:
        if char in digits:
            current = digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def recognise(lines: list[Line]) -> Recognised:
    """Return the parts of the report whose chrome-free paragraphs are ``lines``."""
    out = Recognised()
    lines = [ln for ln in lines if ln.text.strip()]
    body = _closing(lines, out)
    start = _front(body, out)
    _body(body[start:], out)
    return out


def _closing(lines: list[Line], out: Recognised) -> list[Line]:
    """Take 版记, 附注, 成文日期, 署名 and 附件说明 off the end; return the rest."""
    end = len(lines)
    while end > 0:
        text = lines[end - 1].text.strip()
        imprint, cc = _IMPRINT.match(text), _CC.match(text)
        if imprint:
            out.imprint_organ = imprint.group(1).strip() or None
            out.imprint_date = parse_date(re.sub(r"\s", "", imprint.group(2)))
        elif cc:
            out.cc = [c for c in re.split(r"[，,、]", cc.group(1).rstrip("。.")) if c.strip()]
        else:
            break
        end -= 1
    if end > 0 and _NOTE.match(lines[end - 1].text.strip()):
        out.note = lines[end - 1].text.strip()
        end -= 1
    if end > 0 and parse_date(lines[end - 1].text):
        out.date = parse_date(lines[end - 1].text)
        end -= 1
        text = lines[end - 1].text.strip() if end > 0 else ""
        if text and len(text) <= 40 and not re.search(r"[。；;，,]", text) and not typed(text):
            out.signature = text
            end -= 1
    if out.signature or out.date:  # 附件说明 stands between the body and the signature
        for index in range(max(0, end - 12), end):
            match = _ATTACHMENT.match(lines[index].text.strip())
            if match:
                names = [match.group(1)] + [ln.text.strip() for ln in lines[index + 1:end]]
                out.attachments = [strip_marker(n).rstrip("。；;") for n in names if n]
                end = index
                break
    return lines[:end]


def _front(lines: list[Line], out: Recognised) -> int:
    """Read title lines and 主送 before the lead; return where the lead starts."""
    index = 0
    while index < len(lines) and index < 4:
        text = lines[index].text.strip()
        if typed(text) or lines[index].style_level:
            break
        if re.search(r"[:：]$", text) and len(text) <= 40 and "。" not in text:
            out.recipient = text.rstrip(":：")
            index += 1
            break
        if len(text) > 40 or re.search(r"[。；;，,]", text):
            break
        out.title.append(text)
        index += 1
    return index


def _levels(lines: list[Line]) -> dict[str, int]:
    """Return the heading level of each marker style the report uses."""
    used = {found[0] for ln in lines if (found := typed(ln.text.strip()))}
    ordered = [s for s in STYLE_ORDER if s in used]
    return {style: index + 1 for index, style in enumerate(ordered)}


def _split_run_in(rest: str) -> tuple[str | None, str, bool]:
    """Return (heading, body, run_in) of the text after a marker."""
    cut = next((i for i, c in enumerate(rest) if c in _END), -1)
    if cut == -1 or cut == len(rest) - 1:
        if len(rest) <= RUN_IN_MAX and not re.search(r"[。！？!?]", rest[:-1]):
            return rest, "", False  # a heading on its own line
        return None, rest, True
    if cut > RUN_IN_MAX or (rest[cut] in "：:" and cut > 30):
        return None, rest, True
    head = rest[:cut] if rest[cut] == "。" else rest[:cut + 1]
    return head, rest[cut + 1:].strip(), True


def _body(lines: list[Line], out: Recognised) -> None:
    levels = _levels(lines)
    stack: list[Node] = []
    numbers: dict[int, list[tuple[int, int]]] = {}  # level -> (parent id, number)
    for ln in lines:
        text = ln.text.strip()
        found = typed(text)
        level = levels.get(found[0], 0) if found else ln.style_level
        if level and level > MAX_LEVEL:
            out.deep.append(ln.line)
            level = 0
        if not level:
            if stack:
                stack[-1].text.append(text)
            else:
                out.lead.append(text)
            continue
        rest = text[len(found[2]):] if found else text
        heading, body, run_in = _split_run_in(rest)
        if heading is None and not found:
            heading, body, run_in = rest, "", False
        while stack and stack[-1].level >= level:
            stack.pop()
        node = Node(heading, level, ln.line, [body] if body else [], run_in=run_in,
                    typed=found[2] if found else "")
        if stack:
            stack[-1].children.append(node)
        else:
            out.nodes.append(node)
        if found:
            parent = id(stack[-1]) if stack else 0
            numbers.setdefault(level, []).append((parent, found[1]))
        stack.append(node)
    out.continuous = [lv for lv, seen in numbers.items() if _runs_on(seen)]


def _runs_on(seen: list[tuple[int, int]]) -> bool:
    """Return True when numbers of one level continue across parents (（一）…（十八）)."""
    parents: list[tuple[int, int]] = []
    for parent, number in seen:
        if not parents or parents[-1][0] != parent:
            parents.append((parent, number))
    return len(parents) > 1 and all(first > 1 for _, first in parents[1:])
