"""Read a department collection workbook (.xlsx) into the same plain data as a YAML file.

Tables are found by their header row (see `workbook_layout`), never by sheet name or
position. Every value is recorded in the `SourceMap` with its sheet and cell, so messages
read ``departments/司法局.xlsx > 指标 > C7``. Problems become issues; nothing here raises
because of what is in the file. Only python-calamine and the standard library are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..formatting import format_number
from ..issues import Issue, Location
from ..messages_zh import issue
from ..workbook_layout import (
    FILL_DOWN,
    INFO_LABELS,
    ITEM_HEADERS,
    ITEM_KEYS,
    METRIC_HEADERS,
    METRIC_KEYS,
    NO,
    YES,
)
from ..workbook_metrics import KIND_ZH, kind_of
from .cells import cell_text, parse_figure
from .sheets import Grid, Table, WorkbookProblem, cell_ref, find_table, load_grids
from .source_map import SourceMap
from .xlsx_parts import CellFacts, cell_facts, sniff

INFO_SEARCH_ROWS = 40


@dataclass
class WorkbookRead:
    """What was read from one workbook: data shaped like a department YAML file (None when
    the file is unusable), its source map, the issues found, and the metric rows offered."""

    file: str
    data: dict[str, Any] | None = None
    smap: SourceMap = field(default_factory=SourceMap)
    issues: list[Issue] = field(default_factory=list)
    expected: int = 0

    def add(self, code: str, loc: tuple = (), /, **ctx: Any) -> None:
        """Record issue ``code`` at the position of ``loc``."""
        self.issues.append(issue(code, self.smap.location(self.file, loc), **ctx))

    def add_at(self, code: str, sheet: str, cell: str, **ctx: Any) -> None:
        """Record issue ``code`` at a cell that has no data path."""
        self.issues.append(issue(code, Location(file=self.file, sheet=sheet, cell=cell), **ctx))


def read_workbook(path: Path, file: str) -> WorkbookRead:
    """Return the data, source map and issues of the workbook at ``path`` (``file`` is the
    workspace-relative name used in messages)."""
    out = WorkbookRead(file)
    try:
        problem = sniff(path)
    except OSError as exc:
        out.add("file_unreadable", detail=str(exc))
        return out
    if problem is not None:
        out.add(problem[0], **problem[1])
        return out
    try:
        grids = load_grids(path)
    except WorkbookProblem as failure:
        out.add(failure.code, **failure.ctx)
        return out
    metrics, items, others = _classify(grids)
    if not metrics and not items:
        out.add("workbook_no_tables")
        return out
    data: dict[str, Any] = {}
    for grid in others:
        _read_info(grid, out, data)
    if not metrics:
        out.add("sheet_missing", sheet="指标", headers="名称、值")
    if not items:
        out.add("sheet_missing", sheet="工作举措", headers="标题、正文")
    facts: dict[str, CellFacts] = {}

    def facts_of(sheet: str) -> CellFacts:  # read the sheet's XML once, and only if needed
        if sheet not in facts:
            facts[sheet] = cell_facts(path, sheet)
        return facts[sheet]

    for table in metrics:
        _read_metrics(table, out, data, facts_of)
    for table in items:
        _read_items(table, out, data)
    out.data = data
    return out


def _classify(grids: list[Grid]) -> tuple[list[Table], list[Table], list[Grid]]:
    """Return the metric tables, the item tables and the other sheets."""
    metrics, items, others = [], [], []
    for grid in grids:
        table = find_table(grid, METRIC_HEADERS, METRIC_KEYS)
        if table is not None:
            metrics.append(table)
            continue
        table = find_table(grid, ITEM_HEADERS, ITEM_KEYS)
        (items.append(table) if table is not None else others.append(grid))
    return metrics, items, others


def _read_info(grid: Grid, out: WorkbookRead, data: dict[str, Any]) -> None:
    found: dict[str, tuple[str, str]] = {}
    for row in range(min(INFO_SEARCH_ROWS, len(grid.rows))):
        cells = grid.rows[row]
        for col, value in enumerate(cells):
            label = re.sub(r"[\s：:*＊]", "", value) if isinstance(value, str) else None
            key = INFO_LABELS.get(label or "")
            if key is None or key in found:
                continue
            for right in range(col + 1, len(cells)):
                text = cell_text(grid.get(row, right, fill=True))
                if text is not None:
                    found[key] = (text, cell_ref(row, right))
                    break
    if "部门" in found:
        data["部门"] = found["部门"][0]
        out.smap.set_cell(("部门",), grid.name, found["部门"][1])
    contact = " ".join(found[k][0] for k in ("联系人", "电话") if k in found)
    if contact:
        data["联系人"] = contact
        out.smap.set_cell(("联系人",), grid.name, found["联系人" if "联系人" in found else "电话"][1])


def _read_metrics(table: Table, out: WorkbookRead, data: dict[str, Any], facts_of) -> None:
    grid, cols = table.grid, table.columns
    out.smap.set_cell(("指标",), grid.name)
    seen: dict[tuple[str, str], str] = {}
    for row in range(table.header_row + 1, len(grid.rows)):
        group = cell_text(grid.get(row, cols.get("组"), fill=True))
        name = cell_text(grid.get(row, cols["名称"]))
        value_ref = cell_ref(row, cols["值"])
        if name is None:
            if grid.get(row, cols["值"]) is not None:
                out.add_at("metric_unnamed", grid.name, value_ref)
            continue
        if group is None and "." in name:
            group, name = name.split(".", 1)
        loc = ("指标", group or "?", name)
        out.smap.set_cell(loc, grid.name, cell_ref(row, cols["名称"]))
        if group is None:
            out.add("metric_no_group", loc, field=name)
            continue
        out.expected += 1
        if (group, name) in seen:
            out.add("metric_conflict", loc, metric=f"{group}.{name}", other=seen[group, name])
            continue
        seen[group, name] = Location(out.file, sheet=grid.name,
                                     cell=cell_ref(row, cols["名称"])).describe()
        if ("指标", group) not in out.smap.positions and "组" in cols:
            out.smap.set_cell(("指标", group), grid.name, cell_ref(row, cols["组"]))
        entry = _metric(grid, row, cols, loc, out, facts_of)
        if entry is not None:
            data.setdefault("指标", {}).setdefault(group, {})[name] = entry


def _metric(grid: Grid, row: int, cols: dict[str, int], loc: tuple, out: WorkbookRead,
            facts_of) -> dict[str, Any] | None:
    """Return ``{值, 单位, 说明}`` of one metric row, or None (blank or refused)."""
    group, name = loc[1], loc[2]
    unit = cell_text(grid.get(row, cols.get("单位")))
    note = cell_text(grid.get(row, cols.get("说明")))
    raw = grid.get(row, cols["值"])
    value_ref = cell_ref(row, cols["值"])
    for key in ("值", "单位", "说明"):
        if key in cols:
            out.smap.set_cell(loc + (key,), grid.name, cell_ref(row, cols[key]))
    kind = kind_of(group, name, unit)
    facts = None
    if raw is None or (kind == "rate" and isinstance(raw, (int, float)) and 0 < raw <= 1):
        facts = facts_of(grid.name)
    if raw is None and facts is not None and value_ref in facts.unsaved_formulas:
        formula = facts.unsaved_formulas[value_ref] or "（共享公式）"
        out.add("formula_no_value", loc + ("值",), field=name, formula=formula)
        return None
    if raw is None and facts is not None and value_ref in facts.errors:
        out.add("cell_not_number", loc + ("值",), field=name, expected=KIND_ZH[kind],
                input=facts.errors[value_ref], hint="（公式计算出错，请检查公式或直接填写数字）")
        return None
    percent = bool(facts and value_ref in facts.percent)
    figure = parse_figure(raw, kind, unit, percent_format=percent)
    if figure.code is not None:
        out.add(figure.code, loc + ("值",), field=name, expected=KIND_ZH[kind],
                input=_short(raw), hint=figure.hint)
        return None
    if figure.value is None:  # blank (`CellValue.blank`)
        if cell_text(grid.get(row, cols.get("必填"))) in YES:
            out.add("metric_unfilled", loc + ("值",), field=name, group=group)
        return None
    if figure.original is not None:
        out.add("cell_normalised", loc + ("值",), field=name, input=_short(figure.original),
                value=format_number(figure.value))
    entry: dict[str, Any] = {"值": figure.value}
    if unit:
        entry["单位"] = unit
    if note:
        entry["说明"] = note
    return entry


def _read_items(table: Table, out: WorkbookRead, data: dict[str, Any]) -> None:
    grid, cols = table.grid, table.columns
    items = data.setdefault("内容", [])
    for row in range(table.header_row + 1, len(grid.rows)):
        cells: dict[str, tuple[str, str]] = {}
        typed = False
        for key, col in cols.items():
            raw = grid.get(row, col)
            text = cell_text(raw if raw is not None else grid.get(row, col, key in FILL_DOWN))
            if text is not None:
                typed = typed or raw is not None
                cells[key] = (text, cell_ref(row, col))
        if not typed:  # blank, or only the spill-over of a merged 章节 cell
            continue
        index = len(items)
        anchor = cells.get("标题") or cells.get("正文") or next(iter(cells.values()))
        out.smap.set_cell(("内容", index), grid.name, anchor[1])
        for key, (_, ref) in cells.items():
            out.smap.set_cell(("内容", index, key), grid.name, ref)
        items.append({key: _item_value(key, text) for key, (text, _) in cells.items()})


def _item_value(key: str, text: str) -> Any:
    if key == "涵盖":
        return [part for part in re.split(r"[、,，;；\s]+", text) if part]
    if key in ("编号", "连排"):
        lowered = text.lower()
        return True if lowered in YES else False if lowered in NO else text
    return text


def _short(value: Any) -> str:
    text = cell_text(value) if not isinstance(value, str) else value
    text = str(text if text is not None else value)
    return text if len(text) <= 40 else text[:37] + "……"
