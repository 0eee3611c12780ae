"""Every piece of narrative text of a workspace, rendered, with where it came from.

Text rules and heading rules read the text as it will appear (references resolved), but
report the position of the text the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Callable, Iterator

from ..issues import Location
from ..references import MARKER, ReferenceProblem

if TYPE_CHECKING:
    from ..merge import Node
    from ..models import Item
    from ..prepared import Ready

_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_MARKER = re.compile(re.escape(MARKER.split("{")[0]) + r"[^】]*】")

#: report.yaml keys holding one line of text that goes into the report.
CONFIG_TEXTS = (("主送机关", "recipient"), ("发文机关署名", "signature"), ("附注", "note"),
                ("印发机关", "imprint_organ"))


@dataclass(frozen=True)
class Text:
    """One text: as typed (``raw``), as it will read (``text``), its file and its location
    (built by ``locate`` when first asked for: most texts never raise an issue)."""

    raw: str
    text: str
    file: str
    locate: Callable[[], Location] = field(compare=False, repr=False)
    heading: bool = False
    section: str | None = None  # the template section key, for item texts

    @cached_property
    def loc(self) -> Location:
        return self.locate()


def render(prepared: "Ready", raw: str) -> str:
    """Return ``raw`` with references resolved; unresolvable ones (reported elsewhere)
    become 0 so that they neither hide nor fake a problem."""
    if "{" not in raw:
        return raw
    try:
        text = prepared.renderer.render(raw)
    except ReferenceProblem:
        return _EXPRESSION.sub("0", raw)
    return text if MARKER.split("{")[0] in raw else _MARKER.sub("0", text)


_LAST: list = []  # [(prepared, texts)] of the latest call: a dozen rules read the same texts


def narrative(prepared: "Ready") -> list[Text]:
    """Return the texts of report.yaml, then of every department's items."""
    if _LAST and _LAST[0][0] is prepared:
        return _LAST[0][1]
    texts = list(_narrative(prepared))
    _LAST[:] = [(prepared, texts)]
    return texts


def _narrative(prepared: "Ready") -> Iterator[Text]:
    yield from config_texts(prepared)
    sections = section_of_nodes(prepared)
    for dept in prepared.workspace.departments:
        for index, item in enumerate(dept.data.items):
            yield from _item_texts(prepared, dept, item, dept.item_path(index), sections,
                                   item.section)


def config_texts(prepared: "Ready") -> Iterator[Text]:
    """Yield report.yaml's texts: title lines, lead, one-line fields, section titles."""
    from ..workspace import REPORT_FILE

    at = prepared.workspace.config_loc
    config = prepared.config
    for index, line in enumerate(config.title or ()):
        yield Text(line, render(prepared, line), REPORT_FILE, partial(at, "标题", index),
                   heading=True)
    for index, para in enumerate(config.lead):
        yield Text(para, render(prepared, para), REPORT_FILE, partial(at, "导语", index))
    for key, attr in CONFIG_TEXTS:
        value = getattr(config, attr)
        if value:
            yield Text(value, render(prepared, value), REPORT_FILE, partial(at, key))
    for key, options in config.sections.items():
        if options.title:
            yield Text(options.title, render(prepared, options.title), REPORT_FILE,
                       partial(at, "章节", key, "标题"), heading=True, section=key)


def _item_texts(prepared: "Ready", dept, item: "Item", path: tuple,
                sections: dict, section: str | None) -> Iterator[Text]:
    section = sections.get((dept.file, path), section)
    if item.heading:
        yield Text(item.heading, render(prepared, item.heading), dept.file,
                   partial(dept.loc, path + ("标题",)), heading=True, section=section)
    for index, para in enumerate(item.text):
        yield Text(para, render(prepared, para), dept.file,
                   partial(dept.loc, path + ("正文", index)), section=section)
    for index, child in enumerate(item.children):
        yield from _item_texts(prepared, dept, child, path + ("子项", index), sections,
                               section)


def section_of_nodes(prepared: "Ready") -> dict[tuple[str, tuple], str]:
    """Return the section key of every placed item, by (file, YAML path)."""
    out: dict[tuple[str, tuple], str] = {}
    for key, nodes in prepared.merged.sections.items():
        for node in walk(nodes):
            out[(node.dept.file, node.path)] = key
    return out


def walk(nodes: list["Node"]) -> Iterator["Node"]:
    """Yield ``nodes`` and all their descendants, depth first, in reading order."""
    for node in nodes:
        yield node
        yield from walk(node.children)
