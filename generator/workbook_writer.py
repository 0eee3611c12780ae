"""Write a department collection workbook (.xlsx) with openpyxl.

Three sheets: 填表说明 (who, deadline, how to fill, how figures are used), 指标 (one row per
expected metric; only the value column is editable, with Excel data validation) and
工作举措 (one row per narrative item; 章节 from a dropdown). Label cells are locked by
sheet protection without a password, so the structure survives while input cells stay open.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .models import WorkbookExample
from .workbook_layout import INFO_SHEET, ITEM_COLUMNS, ITEM_SHEET, METRIC_COLUMNS, METRIC_SHEET
from .workbook_metrics import KIND_ZH, CellKind, WorkbookMetric

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
OPEN = Protection(locked=False)
SPARE_METRIC_ROWS = 8
MIN_ITEM_ROWS = 30


@dataclass
class MetricRow:
    """A metric row of the 指标 sheet; ``value`` pre-fills the input cell (examples)."""

    spec: WorkbookMetric
    value: int | float | None = None


@dataclass
class WorkbookSpec:
    """Everything one department's workbook shows."""

    department: str  # file stem, e.g. 司法局
    region: str
    year: int
    sections: list[tuple[str, str]]  # (key, title) of the template's sections
    full_name: str | None = None  # 填报部门 cell; defaults to region + department
    contact: str | None = None  # the department's 联系人 (pre-filled in examples)
    deadline: str | None = None
    collector: str | None = None  # who collects the workbooks (汇总联系人)
    metrics: list[MetricRow] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)  # rows keyed by ITEM_COLUMNS
    # The report as the report type words it (抚宁区2023年度法治政府建设情况报告); by default
    # region + year + 年度报告. ``example`` is the type's 填报表 > 示例 for 填表说明.
    report: str | None = None
    example: WorkbookExample | None = None

    @property
    def report_title(self) -> str:
        return self.report or f"{self.region}{self.year}年度报告"

    @property
    def reference(self) -> str:
        """Return the metric reference shown as an example: {{ 组.名称 }}."""
        return "{{ " + (self.example.metric if self.example else "组.名称") + " }}"


def write_workbook(path: Path, spec: WorkbookSpec) -> None:
    """Write the collection workbook of ``spec`` to ``path`` (overwrites; callers check)."""
    book = Workbook()
    book.properties.creator = "nianbao"
    _info_sheet(book.active, spec)
    _metric_sheet(book.create_sheet(METRIC_SHEET), spec)
    _item_sheet(book.create_sheet(ITEM_SHEET), spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def freeze_workbook(path: Path, stamp: bytes = b"2025-01-10T00:00:00Z") -> None:
    """Rewrite a saved workbook so that the same content always gives the same bytes
    (fixed zip entry times and document timestamps): for example files kept in git."""
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp,
                              data)
            frozen = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 10, 0, 0, 0))
            frozen.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(frozen, data)


def _title(ws: Worksheet, text: str, hint: str, width: int) -> None:
    ws["A1"], ws["A2"] = text, hint
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(color="7F6000")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 48


def _header(ws: Worksheet, row: int, names: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for col, (name, width) in enumerate(zip(names, widths), start=1):
        cell = ws.cell(row, col, name)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = ws.cell(row + 1, 1)


def _protect(ws: Worksheet, rows_editable: bool = False) -> None:
    """Lock label cells (no password); keep column widths and row heights adjustable."""
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False
    if rows_editable:
        protection.insertRows = protection.deleteRows = False


def _open_cell(ws: Worksheet, row: int, col: int, value: Any = None) -> None:
    cell = ws.cell(row, col, value)
    cell.protection, cell.fill, cell.border, cell.alignment = OPEN, INPUT_FILL, BOX, WRAP


def _info_sheet(ws: Worksheet, spec: WorkbookSpec) -> None:
    ws.title = INFO_SHEET
    name = spec.full_name or _full_name(spec.region, spec.department)
    _title(ws, f"{spec.report_title} · 部门材料填报表",
           "请先阅读下面的说明，再填写「指标」和「工作举措」两张表；黄色单元格为填写处。", 2)
    rows = [("填报部门", name, True), ("联系人", spec.contact, True), ("联系电话", None, True),
            ("报送截止", spec.deadline or f"{spec.year + 1}年1月10日前", False),
            ("汇总联系人", spec.collector or "（见通知）", False)]
    for row, (label, value, editable) in enumerate(rows, start=4):
        ws.cell(row, 1, label).font = Font(bold=True)
        if editable:
            _open_cell(ws, row, 2, value)
        else:
            ws.cell(row, 2, value)
    ws.cell(10, 1, "填表说明").font = Font(bold=True, size=12)
    for offset, text in enumerate(_instructions(spec), start=11):
        ws.cell(offset, 1, f"{offset - 10}.").alignment = WRAP
        ws.cell(offset, 2, text).alignment = WRAP
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 90
    _protect(ws)


def _full_name(region: str, department: str) -> str:
    return department if department.startswith(region) else f"{region}{department}"


def _instructions(spec: WorkbookSpec) -> list[str]:
    sections = "、".join(key for key, _ in spec.sections)
    return [
        f"本表由{spec.department}填写，汇总后自动生成{spec.report_title}。"
        "请在上方填写联系人和联系电话。",
        "「指标」表：只在黄色的「值」单元格中填写数字。不写单位，不写「约」「余」「多」等字，"
        "不用千分位逗号；没有发生的填 0；比率填 0 到 100 之间的数（如 29.8），不写 %。"
        "「必填」为「是」的不能空着。",
        "表中没有列出、但需要写进报告的数字，请在「指标」表末尾的空白行填写组、名称、值和单位；"
        "组和名称只用汉字、字母和数字。",
        _usage(spec.example),
        f"「工作举措」表：每行一条工作举措。「章节」从下拉列表中选择（{sections}）；"
        "「标题」不写「一、」「（一）」等编号，编号由系统生成，标题末尾不加句号；"
        f"「正文」可用 Alt+Enter 分段，可以引用指标，如「{spec.reference}」。",
        "「标识」和「上级」一般不填；需要把一条内容放在另一条之下时，给上面一条起一个「标识」，"
        "在下面一条的「上级」中填写这个标识（此时不选「章节」）。",
        "请不要改动表头、删除或改名工作表。填好后保存为 .xlsx 文件（不要另存为 .xls、.et 或 "
        f".csv），文件名保持「{spec.department}.xlsx」，在截止日期前报送。",
    ]


def _usage(example: WorkbookExample | None) -> str:
    """Return the 填表说明 sentence on how figures reach the report, with the type's example."""
    text = "数字如何使用：每个指标以「组.名称」进入报告正文，"
    if example is None:
        text += "正文中写「{{ 组.名称 }}」，报告中即为填写的数字。"
    else:
        from .formatting import format_number

        group, _, name = example.metric.partition(".")
        value = format_number(example.value)
        shown = re.sub(r"\{\{\s*" + re.escape(example.metric) + r"\s*\}\}", value, example.text)
        text += (f"例如「{group}」组的「{name}」填 {value}，正文中写「{example.text}」，"
                 f"报告中即为「{shown}」。")
    summed = f"（如{example.additive}）" if example is not None and example.additive else ""
    return text + f"同一指标只由一个部门填报；需要各部门相加的指标{summed}由系统自动合计。"


def _metric_sheet(ws: Worksheet, spec: WorkbookSpec) -> None:
    _title(ws, f"{spec.department} · 指标", "只填写黄色单元格（「值」一列）。没有发生的填 0；"
           "比率填 0–100 的数，不写 %；末尾空行可自行增加指标（填写组、名称、值、单位）。",
           len(METRIC_COLUMNS))
    _header(ws, 3, METRIC_COLUMNS, (14, 20, 12, 8, 48, 6))
    checks = {kind: _validation(kind) for kind in KIND_ZH}
    for ws_row, row in enumerate(spec.metrics, start=4):
        metric = row.spec
        values = (metric.group, metric.name, None, metric.unit, metric.note,
                  "是" if metric.required else "")
        for col, value in enumerate(values, start=1):
            cell = ws.cell(ws_row, col, value)
            cell.border, cell.alignment = BOX, WRAP
        _open_cell(ws, ws_row, 3, row.value)
        checks[metric.kind].add(ws.cell(ws_row, 3).coordinate)
    first_spare = 4 + len(spec.metrics)
    for ws_row in range(first_spare, first_spare + SPARE_METRIC_ROWS):
        for col in range(1, 6):
            _open_cell(ws, ws_row, col)
        checks["amount"].add(ws.cell(ws_row, 3).coordinate)
    for check in checks.values():
        if check.sqref.ranges:
            ws.add_data_validation(check)
    _protect(ws)


def _validation(kind: CellKind) -> DataValidation:
    rule = {"count": ("whole", "greaterThanOrEqual", "0", None),
            "amount": ("decimal", "greaterThanOrEqual", "0", None),
            "rate": ("decimal", "between", "0", "100")}[kind]
    check = DataValidation(type=rule[0], operator=rule[1], formula1=rule[2], formula2=rule[3],
                           allow_blank=True, showErrorMessage=True, showInputMessage=True)
    check.errorTitle, check.error = "数值有误", f"请填写{KIND_ZH[kind]}"
    check.promptTitle, check.prompt = "填写数字", f"{KIND_ZH[kind]}"
    return check


def _item_sheet(ws: Worksheet, spec: WorkbookSpec) -> None:
    _title(ws, f"{spec.department} · 工作举措", "每行一条。「章节」从下拉列表选择；「标题」不写编号、"
           f"不加句号；「正文」可用 Alt+Enter 分段，可引用指标，如 {spec.reference}。",
           len(ITEM_COLUMNS))
    _header(ws, 3, ITEM_COLUMNS, (20, 12, 12, 36, 90))
    keys = ",".join(key for key, _ in spec.sections)
    choose = DataValidation(type="list", formula1=f'"{keys}"', allow_blank=True,
                            showErrorMessage=True)
    choose.errorTitle, choose.error = "章节有误", f"请从下拉列表中选择：{keys}"
    ws.add_data_validation(choose)
    rows = max(MIN_ITEM_ROWS, len(spec.items) + 20)
    for offset in range(rows):
        item = spec.items[offset] if offset < len(spec.items) else {}
        for col, name in enumerate(ITEM_COLUMNS, start=1):
            _open_cell(ws, 4 + offset, col, item.get(name))
        choose.add(ws.cell(4 + offset, 1).coordinate)
    _protect(ws, rows_editable=True)
