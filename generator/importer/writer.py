"""Write an imported report as a workspace: report.yaml and departments/导入.yaml.

The YAML is written as text (not dumped) so that it reads like a hand-written workspace:
one paragraph per line in ``|`` blocks, headings quoted, a comment naming the source
paragraph above each item. Texts are verbatim; a ``{`` that would start a template tag
is escaped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .figures import Candidate
from .recognise import Node, Recognised

DEPARTMENT_FILE = "departments/导入.yaml"


def scalar(text: str) -> str:
    """Return ``text`` as a double-quoted YAML scalar (JSON is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def protect(text: str) -> str:
    """Escape ``{{``, ``{%`` and ``{#`` so that verbatim text is not read as a template."""
    if not re.search(r"\{[{%#]", text):
        return text
    return re.sub(r"\{(?=[{%#])", "{{ '{' }}", text)


def block(paragraphs: list[str], indent: str) -> str:
    """Return paragraphs as a literal block scalar (``|``), one per line."""
    lines = [re.sub(r"[\t\r\n]+", " ", p).strip() for p in paragraphs]
    return "|\n" + "".join(f"{indent}{line}\n" for line in lines if line)


def report_yaml(rec: Recognised, *, template: str, organ: str, year: int, source: str,
                order: list[str], keys: list[str], titles: dict[str, str] | None = None) -> str:
    """Return the text of report.yaml; ``titles`` are the sections that print their own
    heading (those with a fixed table), by key."""
    out = [f"# 由 nianbao import 从「{source}」导入（{dt.date.today():%Y-%m-%d}）。",
           "# 编号由工具生成：原文中的「一、」「（一）」「1.」等已去掉。",
           f"模板: {template}", f"机关: {scalar(organ)}", f"年度: {year}"]
    if rec.title:
        out.append("标题:")
        out += [f"  - {scalar(protect(t))}" for t in rec.title]
    if rec.recipient:
        out.append(f"主送机关: {scalar(protect(rec.recipient))}")
    if rec.lead:
        out.append("导语: " + block([protect(p) for p in rec.lead], "  ").rstrip("\n"))
    if rec.attachments:
        out.append("附件:")
        out += [f"  - {scalar(protect(a))}" for a in rec.attachments]
    if rec.signature:
        out.append(f"发文机关署名: {scalar(protect(rec.signature))}")
    if rec.date:
        out.append(f"成文日期: {rec.date.isoformat()}")
    if rec.note:
        out.append(f"附注: {scalar(protect(rec.note))}")
    if rec.imprint_organ:
        out.append(f"印发机关: {scalar(protect(rec.imprint_organ))}")
    if rec.imprint_date:
        out.append(f"印发日期: {rec.imprint_date.isoformat()}")
    if rec.cc:
        out.append("抄送:")
        out += [f"  - {scalar(protect(c))}" for c in rec.cc]
    if rec.continuous:
        out.append(f"编号:\n  连续编号层级: [{', '.join(map(str, sorted(rec.continuous)))}]")
    titles = titles or {}
    out.append("# 原文的一级标题即为条目，模板的章节标题不显示"
               + ("；有统计表的章节显示原文的标题，表格印在其后。" if titles else "。"))
    out.append("章节:")
    out += [f"  {key}: {{标题: {scalar(protect(titles[key]))}}}" if key in titles
            else f"  {key}: {{显示标题: false}}" for key in keys]
    out.append("章节顺序:")
    out += [f"  - {key}" for key in order]
    return "\n".join(out) + "\n"


def department_yaml(rec: Recognised, *, organ: str, texts: dict[int, list[str]],
                    covers: dict[int, list[str]], figures: dict[str, Candidate],
                    units: dict[str, str]) -> str:
    """Return the text of departments/导入.yaml; ``texts`` holds each node's paragraphs
    (linked or verbatim) by node id."""
    out = ["# 由 nianbao import 导入的正文；「# 原文第N段」指源文件中的段落。",
           f"# 原报告的机关：{organ}（各部门分别报送时，可把条目移到各部门的文件中）"]
    if figures:
        out.append("# 从正文中识别的数字（请核对）；说明为数字所在的句子。")
        out.append("指标:")
        groups: dict[str, list[str]] = {}
        for key in figures:
            groups.setdefault(key.partition(".")[0], []).append(key)
        for group, members in groups.items():
            out.append(f"  {group}:")
            for key in members:
                cand = figures[key]
                note = cand.sentence if len(cand.sentence) <= 120 else cand.sentence[:119] + "…"
                out.append(f"    {key.partition('.')[2]}: {{值: {_number(cand.value)}, "
                           f"单位: {scalar(units.get(key, cand.unit))}, 说明: {scalar(note)}}}")
    if rec.nodes:
        out.append("内容:")
        for node in rec.nodes:
            out += _item(node, "  ", 1, texts, covers, top=True)
    return "\n".join(out) + "\n"


def _number(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _item(node: Node, indent: str, depth: int, texts: dict[int, list[str]],
          covers: dict[int, list[str]], top: bool = False) -> list[str]:
    lines = [f"{indent}# 原文第{node.line}段"] if node.line else []
    fields: list[str] = []
    if top:
        fields.append(f"章节: {node.section}")
    if node.heading is not None:
        fields.append(f"标题: {scalar(protect(node.heading))}")
    elif node.numbered:
        fields.append("编号: true")
    paragraphs = texts.get(id(node), node.text)
    if node.heading is not None and paragraphs:
        default_run_in = depth >= 2
        if node.run_in != default_run_in:
            fields.append(f"连排: {'true' if node.run_in else 'false'}")
    if covers.get(id(node)):
        fields.append(f"涵盖: [{', '.join(covers[id(node)])}]")
    sub = indent + "    "
    if paragraphs:
        fields.append("正文: " + block(paragraphs, sub).rstrip("\n"))
    for index, text in enumerate(fields):
        lines.append((f"{indent}- " if index == 0 else f"{indent}  ") + text)
    if node.children:
        lines.append(f"{indent}  子项:")
        for child in node.children:
            lines += _item(child, indent + "    ", depth + 1, texts, covers)
    return lines
