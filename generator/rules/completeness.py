"""Every required section of the template is present and not empty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..issues import Issue
from ..messages_zh import issue

if TYPE_CHECKING:
    from ..prepared import Ready


def required_sections(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``section_missing`` for each required section nobody supplied or covered."""
    for section in prepared.outline.sections:
        spec = section.spec
        if spec.required and spec.key not in prepared.outline.covered:
            basis = spec.basis or f"模板「{prepared.template.name}」要求包含此项"
            yield issue("section_missing", prepared.workspace.config_loc("章节", spec.key),
                        title=spec.item or spec.key, basis=basis)


def organ_items(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``section_item_missing`` when a section lacks what the template requires of
    this kind of organ (章节 按机关要求: every 写法 must occur in the section's text)."""
    import re

    organ = (prepared.config.organ or "").strip()
    for section in prepared.outline.sections:
        wanted = [o for o in section.spec.organ_items if organ.endswith(tuple(o.endings))]
        if not wanted or not section.nodes:
            continue  # an empty required section is section_missing already
        text = "\n".join((n.item.heading or "") + "\n" + "\n".join(n.item.text)
                         for n in _walk(section.nodes))
        for need in wanted:
            absent = [p for p in need.patterns if not re.search(p, text)]
            if absent:
                yield issue("section_item_missing", section.nodes[0].loc("章节"),
                            section=section.title, item=need.item, organ=organ,
                            missing="、".join(absent), basis=need.basis or need.item)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)
