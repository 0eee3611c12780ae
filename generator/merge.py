"""Merge the departments' material: metrics into one namespace, items into sections."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .issues import Issue
from .messages_zh import issue
from .models import Item
from .references import Group, figure
from .workspace import Department, Workspace


@dataclass
class Node:
    """An item placed in the report, with its origin and merged children."""

    item: Item
    dept: Department
    path: tuple
    children: list[Node] = field(default_factory=list)

    def loc(self, *sub: str | int):
        return self.dept.loc(self.path + sub)


@dataclass
class Merged:
    """Everything the outline needs: items by section, metric groups, issues."""

    sections: dict[str, list[Node]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # "组.名称" -> file
    issues: list[Issue] = field(default_factory=list)


def merge(ws: Workspace) -> Merged:
    """Return the workspace's items by section key and its metrics by group."""
    out = Merged()
    _merge_metrics(ws.departments, out)
    nodes_by_id: dict[str, Node] = {}
    pending: list[Node] = []
    for dept in ws.departments:
        for index, item in enumerate(dept.data.items):
            node = _build(item, dept, ("内容", index), nodes_by_id, out.issues, top=True)
            if item.section is not None and item.parent is None:
                out.sections.setdefault(item.section, []).append(node)
            elif item.parent is not None and item.section is None:
                pending.append(node)
            else:
                out.issues.append(issue("item_placement", node.loc()))
    _attach(pending, nodes_by_id, out.issues)
    return out


def _merge_metrics(departments: list[Department], out: Merged) -> None:
    for dept in departments:
        for group, figures in dept.data.metrics.items():
            for name, metric in figures.items():
                key = f"{group}.{name}"
                loc = dept.loc(("指标", group, name))
                if not (group.isidentifier() and name.isidentifier()):
                    bad = group if not group.isidentifier() else name
                    out.issues.append(issue("bad_identifier", loc, field=bad))
                    continue
                if key in out.sources:
                    out.issues.append(issue("metric_conflict", loc, metric=key,
                                            other=out.sources[key]))
                    continue
                out.sources[key] = dept.file
                out.groups.setdefault(group, Group(group))[name] = figure(
                    metric.value, metric.unit)


def _build(item: Item, dept: Department, path: tuple, ids: dict[str, Node],
           issues: list[Issue], top: bool = False) -> Node:
    node = Node(item, dept, path)
    if not top and (item.section is not None or item.parent is not None):
        issues.append(issue("child_placement", node.loc()))
    if item.id is not None:
        if item.id in ids:
            other = ids[item.id].loc("标识").describe()
            issues.append(issue("item_id_duplicate", node.loc("标识"), id=item.id, other=other))
        else:
            ids[item.id] = node
    for index, child in enumerate(item.children):
        node.children.append(_build(child, dept, path + ("子项", index), ids, issues))
    return node


def _attach(pending: list[Node], ids: dict[str, Node], issues: list[Issue]) -> None:
    for node in pending:
        parent = ids.get(node.item.parent or "")
        if parent is None:
            close = difflib.get_close_matches(node.item.parent or "", list(ids), n=1)
            hint = f"，是否应为「{close[0]}」？" if close else "；请检查上级条目的「标识」"
            issues.append(issue("parent_unknown", node.loc("上级"), parent=node.item.parent,
                                hint=hint))
        elif _is_ancestor(node, parent):
            issues.append(issue("parent_cycle", node.loc("上级"),
                                chain=f"{node.item.id} → {node.item.parent}"))
        else:
            parent.children.append(node)


def _is_ancestor(node: Node, other: Node) -> bool:
    """Return True when ``other`` is ``node`` or lies in its subtree."""
    return other is node or any(_is_ancestor(child, other) for child in node.children)
