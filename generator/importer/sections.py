"""Map an imported report's top-level headings to the report type's sections by meaning
(the synonym table `lint` uses), keeping the report's order."""

from __future__ import annotations

import re
from typing import Any

from ..proof.required import SYNONYMS
from .recognise import Node, Recognised

#: Sections whose words are the most specific are tried first.
_PRIORITY = ("存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况",
             "下一年度主要安排", "主要举措和成效")


def _patterns(spec: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (heading patterns, text patterns) of a section: the template's own 同义标题 /
    同义正文 when it gives them (as `lint` does), else the built-in synonyms."""
    name = str(spec.item or spec.title)
    heads, texts = SYNONYMS.get(name, ((), ()))
    own_heads, own_texts = tuple(spec.heading_synonyms), tuple(spec.text_synonyms)
    if own_heads or own_texts:
        heads, texts = own_heads, own_texts
    return heads + (re.escape(spec.key), re.escape(name)), texts


def _ordered(specs: list[Any]) -> list[Any]:
    rank = {name: i for i, name in enumerate(_PRIORITY)}
    return sorted(specs, key=lambda s: rank.get(str(s.item or s.title), len(rank)))


def heading_section(heading: str, specs: list[Any], typed: str = "") -> str | None:
    """Return the key of the section ``heading`` names (its own name or fixed title first,
    then the synonyms, which may match the heading with its typed marker ``typed``), or
    None."""
    for spec in specs:
        title = "" if "{" in spec.title else str(spec.title)
        if spec.key in heading or str(spec.item or spec.title) in heading or (
                title and title in heading):
            return spec.key
    for spec in _ordered(specs):
        if any(re.search(p, h) for p in _patterns(spec)[0] for h in (heading, typed + heading)):
            return spec.key
    return None


def text_section(text: str, specs: list[Any]) -> str | None:
    """Return the key of the section whose typical wording ``text`` uses, or None."""
    for spec in _ordered(specs):
        if any(re.search(p, text) for p in _patterns(spec)[1]):
            return spec.key
    return None


def assign(rec: Recognised, specs: list[Any]) -> tuple[list[str], list[str]]:
    """Set each top-level node's section; return (section order, warnings).

    A heading that names no section, or names one the report has already left, goes into
    the current section with a warning. Unnumbered paragraphs at the very end that speak
    of a later section (不足, 下一年) become unnumbered blocks of that section.
    """
    keys = [s.key for s in specs]
    warnings: list[str] = []
    _split_tail(rec, specs)
    used: list[str] = []
    current = keys[0] if keys else ""
    for node in rec.nodes:
        found = heading_section(node.heading, specs, node.typed) if node.heading else None
        if node.section and not found:
            found = node.section
        label = f"第{node.line}段「{(node.heading or ''.join(node.text[:1]))[:20]}」"
        if found is None:
            if node.heading:
                warnings.append(f"{label}未能对应到章节，已归入「{current}」")
        elif found in used and found != current:
            warnings.append(f"{label}像是「{found}」，但报告已在其后写了「{current}」，"
                            f"为保持原文顺序已归入「{current}」")
        else:
            current = found
        node.section = current
        if current not in used:
            used.append(current)
    order = used + [k for k in keys if k not in used]
    return order, warnings


def _split_tail(rec: Recognised, specs: list[Any]) -> None:
    """Move the last paragraphs of the last heading's text that begin a later section
    (their wording says so) into unnumbered top-level blocks."""
    if not rec.nodes:
        return
    last = rec.nodes[-1]
    while last.children:
        last = last.children[-1]
    for index in range(1, len(last.text)):
        key = text_section(last.text[index], specs)
        if key and key != rec.nodes[-1].section and heading_section(
                rec.nodes[-1].heading or "", specs, rec.nodes[-1].typed) != key:
            tail = last.text[index:]
            del last.text[index:]
            blocks: list[Node] = []
            for para in tail:
                found = text_section(para, specs)
                if found and (not blocks or blocks[-1].section != found):
                    blocks.append(Node(None, 1, 0, [para], numbered=False, section=found))
                else:
                    blocks[-1].text.append(para)
            rec.nodes.extend(blocks)
            return


def table_headings(rec: Recognised, specs: list[Any]) -> dict[str, str]:
    """Return the title of each section with a fixed table (template 表格) by key, and make
    its first top-level heading that title: the section then prints its own heading, with
    the table after it, and that node's text and sub-items become the section's items."""
    tabled = {s.key for s in specs if s.tables}
    titles: dict[str, str] = {}
    nodes: list[Node] = []
    for node in rec.nodes:
        key = node.section or ""
        if key not in tabled or key in titles or node.heading is None:
            nodes.append(node)
            continue
        titles[key] = node.heading
        children, node.children = node.children, []
        node.heading, node.numbered = None, False
        if node.text:  # kept as unnumbered paragraphs (the same node: `covers` keeps it)
            nodes.append(node)
        for child in children:
            child.section = key
            nodes.append(child)
    rec.nodes = nodes
    return titles


def covers(rec: Recognised, specs: list[Any]) -> dict[int, list[str]]:
    """Return, by node id, the required sections without a node of their own whose typical
    wording that node's text uses (the first such node; like `lint`, a mention counts)."""
    present = {n.section for n in rec.nodes}
    out: dict[int, list[str]] = {}
    for spec in specs:
        if not spec.required or spec.key in present:
            continue
        texts = _patterns(spec)[1]
        if not texts:
            continue
        for node in rec.all_nodes():
            if any(re.search(p, t) for p in texts for t in node.text[:3]):
                out.setdefault(id(node), []).append(spec.key)
                break
    return out
