"""Merge the departments' material: metrics into one namespace, items into sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection

from .issues import Issue
from .messages_zh import issue
from .models import Item
from .references import Group, figure
from .suggest import did_you_mean
from .workspace import Department, Workspace


@dataclass
class Node:
    """An item placed in the report, with its origin and merged children."""

    item: Item
    dept: Department
    path: tuple
    children: list[Node] = field(default_factory=list)
    rank: int = 0  # the department's place in report.yaml's 部门 order

    @property
    def order(self) -> tuple:
        """Sort key among siblings: department order, then position in the file."""
        return (self.rank, self.path)

    def loc(self, *sub: str | int):
        return self.dept.loc(self.path + sub)


@dataclass
class Merged:
    """Everything the outline needs: items by section, metric groups, issues."""

    sections: dict[str, list[Node]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # "组.名称" -> file
    issues: list[Issue] = field(default_factory=list)
    # "组.名称" -> (department, YAML path) of its (first) supplier, for locating issues
    origins: dict[str, tuple[Department, tuple]] = field(default_factory=dict)
    derived: dict = field(default_factory=dict)  # "组.名称" -> rate computed from its parts
    parts: dict[str, Group] = field(default_factory=dict)  # additive "组.名称" -> by department


def merge(ws: Workspace, additive: Collection[str] = ()) -> Merged:
    """Return the workspace's items by section key and its metrics by group.

    Metrics listed in ``additive`` may come from several departments: they are summed.
    """
    out = Merged()
    _merge_metrics(ws.departments, out, set(additive) | _declared_additive(ws, out))
    nodes_by_id: dict[str, Node] = {}
    pending: list[Node] = []
    for rank, dept in enumerate(ws.departments):
        for index, item in enumerate(dept.data.items):
            node = _build(item, dept, dept.item_path(index), nodes_by_id, out.issues, top=True)
            _set_rank(node, rank)
            if item.section is not None and item.parent is None:
                out.sections.setdefault(item.section, []).append(node)
            elif item.parent is not None and item.section is None:
                pending.append(node)
            else:
                out.issues.append(issue("item_placement", node.loc()))
    _attach(pending, nodes_by_id, out.issues)
    return out


def _merge_metrics(departments: list[Department], out: Merged,
                   additive: Collection[str] = ()) -> None:
    for dept in departments:
        for group, figures in dept.data.metrics.items():
            for name, metric in figures.items():
                key = f"{group}.{name}"
                loc = dept.loc(("指标", group, name))
                if not (group.isidentifier() and name.isidentifier()):
                    bad = group if not group.isidentifier() else name
                    out.issues.append(issue("bad_identifier", loc, field=bad))
                    continue
                if key in out.sources and key in additive:
                    total = out.groups[group][name] + metric.value
                    out.groups[group][name] = figure(total, out.groups[group][name].unit)
                    _add_part(out, key, dept, metric.value, metric.unit, loc)
                    continue
                if key in out.sources:
                    first, path = out.origins[key]
                    out.issues.append(issue("metric_conflict", loc, metric=key,
                                            other=first.loc(path).describe()))
                    continue
                out.sources[key] = dept.file
                out.origins[key] = (dept, ("指标", group, name))
                out.groups.setdefault(group, Group(group))[name] = figure(
                    metric.value, metric.unit)
                if key in additive:
                    _add_part(out, key, dept, metric.value, metric.unit, loc)
    for key, parts in out.parts.items():  # {{ 组.名称.分项.部门 }}: each department's part
        group, name = key.split(".", 1)
        setattr(out.groups[group][name], PARTS, parts)


#: Attribute of an additive metric holding each department's part (``{{ 组.名称.分项 }}``).
PARTS = "分项"


def _add_part(out: Merged, key: str, dept: Department, value, unit, loc) -> None:
    parts = out.parts.setdefault(key, Group(f"{key}.{PARTS}"))
    first = next(iter(parts.values()), None)
    if first is not None and (unit or "") != first.unit:
        out.issues.append(issue("additive_unit_mismatch", loc, metric=key, unit=unit or "（无）",
                                expected=first.unit or "（无）"))
    stem = dept.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    parts[stem] = figure(value + parts[stem] if stem in parts else value, unit)


def _declared_additive(ws: Workspace, out: Merged) -> set[str]:
    """Return report.yaml's 累加指标 (``组.名称``), reporting malformed entries."""
    keys = set()
    for index, key in enumerate(getattr(ws.config, "additive", None) or ()):
        group, dot, name = key.partition(".")
        if dot and group.isidentifier() and name.isidentifier():
            keys.add(key)
        else:
            out.issues.append(issue("additive_bad_name", ws.config_loc("累加指标", index),
                                    name=key))
    return keys


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
            hint = did_you_mean(node.item.parent or "", ids, 0.4, "；请检查上级条目的「标识」")
            issues.append(issue("parent_unknown", node.loc("上级"), parent=node.item.parent,
                                hint=hint))
        elif _is_ancestor(node, parent):
            issues.append(issue("parent_cycle", node.loc("上级"),
                                chain=f"{node.item.id} → {node.item.parent}"))
        else:
            parent.children.append(node)
            parent.children.sort(key=lambda child: child.order)


def _set_rank(node: Node, rank: int) -> None:
    node.rank = rank
    for child in node.children:
        _set_rank(child, rank)


def _is_ancestor(node: Node, other: Node) -> bool:
    """Return True when ``other`` is ``node`` or lies in its subtree."""
    return other is node or any(_is_ancestor(child, other) for child in node.children)
