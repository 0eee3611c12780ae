"""Totals that lack a supplying department: who is missing from an additive metric.

A summed metric (可累加) is only as good as its parts. A part is missing when a department
that was asked for the metric did not deliver it:

- a department listed in report.yaml's 部门, or a file in departments/, whose material could
  not be loaded at all — it is asked for what its collection workbook asks for
  (the report type's 报送分工, `ReportType.metrics_for`, which `init` writes workbooks from);
- a department whose file lists the metric (a workbook row, a YAML entry) but whose value
  was refused or left blank where it is required (an error already reported there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .issues import Issue
from .merge import Merged
from .messages_zh import issue
from .workspace import Workspace, department_files

if TYPE_CHECKING:
    from .report_type import ReportType

#: Printed after a partial total in a draft, instead of the plain number.
CAVEAT = "【待核实：缺{}】"


def missing_parts(ws: Workspace, merged: Merged, additive: frozenset[str] | set[str],
                  report_type: ReportType) -> dict[str, list[tuple[str, str]]]:
    """Return ``{组.名称: [(department, reason), …]}`` for every supplied additive metric
    whose total lacks a department's part."""
    supplied = {key for key in merged.sources if key in additive}
    if not supplied:
        return {}
    missing: dict[str, list[tuple[str, str]]] = {}
    for name, reason in _absent_departments(ws):
        for spec in report_type.metrics_for(name):
            if spec.key in supplied:
                missing.setdefault(spec.key, []).append((name, reason))
    refused = _refused_keys(ws)
    for dept in ws.departments:
        delivered = {f"{g}.{n}" for g, figures in dept.data.metrics.items() for n in figures}
        for key in sorted(refused.get(dept.file, set()) & supplied - delivered):
            missing.setdefault(key, []).append((_short_name(dept.file), "数值未填写或有误"))
    return missing


def _absent_departments(ws: Workspace) -> list[tuple[str, str]]:
    """Return (name, reason) of the departments expected but not loaded."""
    loaded = {key for d in ws.departments for key in (d.name, _short_name(d.file))}
    files = {p.stem for p in department_files(ws.root)}
    names = list(ws.config.departments or []) if ws.config else []
    names += sorted(files - set(names))
    out = []
    for name in dict.fromkeys(names):
        if name not in loaded:
            out.append((name, "材料无法读取" if name in files else "未报送材料"))
    return out


def _refused_keys(ws: Workspace) -> dict[str, set[str]]:
    """Return {file: {组.名称}} of metrics with an error reported at their value."""
    out: dict[str, set[str]] = {}
    for found in ws.issues:
        parts = (found.loc.path or "").split(".")
        if found.severity == "error" and found.loc.file and parts[0] == "指标" and len(parts) >= 3:
            out.setdefault(found.loc.file, set()).add(f"{parts[1]}.{parts[2]}")
    return out


def _short_name(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def incomplete_issues(missing: dict[str, list[tuple[str, str]]], merged: Merged) -> list[Issue]:
    """Return one ``metric_total_incomplete`` per partial total, at its first supplier."""
    out = []
    for key, parts in sorted(missing.items()):
        dept, path = merged.origins[key]
        group, name = key.split(".", 1)
        total = merged.groups[group][name]
        who = "、".join(f"{n}（{reason}）" for n, reason in parts)
        out.append(issue("metric_total_incomplete", dept.loc(path), metric=key,
                         total=f"{_plain(total)}{getattr(total, 'unit', '')}", missing=who))
    return out


def mark_partial(missing: dict[str, list[tuple[str, str]]], merged: Merged) -> None:
    """Make each partial total print with a visible 【待核实：缺…】 (``--draft``)."""
    for key, parts in missing.items():
        group, name = key.split(".", 1)
        merged.groups[group][name].caveat = CAVEAT.format("、".join(n for n, _ in parts))


def _plain(value) -> str:
    from .formatting import format_number

    return format_number(value)
