"""`status`: where collection stands — per department and per section of the template."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .issues import Report
from .models import Item
from .workspace import DEPARTMENTS_DIR, department_files

#: State of a department's material → Chinese label (and the order of severity).
#: "blank" is an untouched file: no metric value and no work item filled in — a collection
#: workbook fresh from `init`, or an empty YAML file. It is 待收集, and the problems of its
#: unfilled template (every metric_unfilled) are not counted as errors by `status`.
STATES = {"missing": "未报送", "unreadable": "无法读取", "blank": "待收集", "errors": "待修改",
          "ok": "可用"}
#: Listed on their own as 尚无内容的章节, so not counted again in the error total.
SECTION_CODES = frozenset({"section_missing", "section_empty"})


@dataclass
class DepartmentStatus:
    """One row of the status table."""

    name: str
    file: str | None
    state: str
    metrics_filled: int = 0
    metrics_expected: int | None = None  # rows of a workbook's 指标 sheet; None for YAML
    items: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class SectionStatus:
    """A section of the template that nothing has been supplied for yet."""

    key: str
    title: str
    required: bool


@dataclass
class Status:
    """The status of a workspace; ``report`` holds every issue found on the way."""

    root: Path
    departments: list[DepartmentStatus] = field(default_factory=list)
    empty_sections: list[SectionStatus] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def pending(self) -> int:
        """Return how many departments are 待收集 (untouched)."""
        return sum(1 for d in self.departments if d.state == "blank")

    def counted(self) -> Report:
        """Return the issues `status` counts: not those of untouched files (an unfilled
        template is not an error yet) nor empty sections (listed separately)."""
        untouched = {d.file for d in self.departments if d.state == "blank"}
        return Report([i for i in self.report.issues
                       if i.loc.file not in untouched and i.code not in SECTION_CODES])

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form of ``status --json``."""
        return {
            "workspace": str(self.root),
            "departments": [{**asdict(d), "label": d.label} for d in self.departments],
            "empty_sections": [asdict(s) for s in self.empty_sections],
            "pending": self.pending,
            "errors": self.counted().errors,
            "warnings": self.counted().warnings,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


def workspace_status(path: Path | str, template: str | None = None) -> Status:
    """Return the collection status of the workspace at ``path``.

    Raises:
        WorkspaceNotFound: when ``path`` has no report.yaml.
    """
    from .pipeline import prepare

    prepared = prepare(path, template)
    ws = prepared.workspace
    status = Status(ws.root, report=prepared.report)
    counts = Counter((i.loc.file, i.severity) for i in prepared.report.issues)
    loaded = {d.file: d for d in ws.departments}
    rows: dict[str, DepartmentStatus] = {}
    for file_path in department_files(ws.root):
        rel = f"{DEPARTMENTS_DIR}/{file_path.name}"
        row = _row(file_path.stem, rel, loaded.get(rel))
        if row.state != "blank":
            row.errors, row.warnings = counts[rel, "error"], counts[rel, "warning"]
        if row.state == "ok" and row.errors:
            row.state = "errors"
        rows.setdefault(file_path.stem, row)
    order = list(ws.config.departments or []) if ws.config else []
    for name in order:
        rows.setdefault(name, DepartmentStatus(name, None, "missing"))
    rank = {name: index for index, name in enumerate(order)}
    status.departments = sorted(rows.values(), key=lambda r: (rank.get(r.name, len(rank)), r.name))
    if prepared.outline is not None:
        status.empty_sections = [
            SectionStatus(s.spec.key, s.title, s.spec.required)
            for s in prepared.outline.sections
            if not s.nodes and s.spec.key not in prepared.outline.covered]
    return status


def _row(name: str, rel: str, dept) -> DepartmentStatus:
    if dept is None:
        return DepartmentStatus(name, rel, "unreadable")
    filled = sum(len(figures) for figures in dept.data.metrics.values())
    items = _count(dept.data.items)
    state = "ok" if filled or items else "blank"
    return DepartmentStatus(name, rel, state, filled, dept.expected, items)


def _count(items: list[Item]) -> int:
    return sum(1 + _count(item.children) for item in items)
