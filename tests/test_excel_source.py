"""generator.sources.excel_source: workbooks read back with every value's sheet and cell,
and every kind of messy input turned into a located issue or a warned normalisation."""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.sources.excel_source import cell_ref, read_workbook
from generator.workbook_metrics import WorkbookMetric
from generator.workbook_writer import MetricRow, WorkbookSpec, write_workbook

FILE = "departments/司法局.xlsx"
SECTIONS = [("主要举措和成效", "举措"), ("存在的不足和原因", "不足")]
# Rows 4.. of the 指标 sheet: C4 收到 (count), C5 受理 (count), C6 纠错率 (rate),
# C7 罚没款 (amount, optional).
METRICS = [
    WorkbookMetric("行政复议", "收到", "件", "count"),
    WorkbookMetric("行政复议", "受理", "件", "count"),
    WorkbookMetric("行政复议", "纠错率", "%", "rate"),
    WorkbookMetric("行政执法", "罚没款", "万元", "amount", required=False),
]


@pytest.fixture
def book(tmp_path) -> Path:
    """A 司法局 workbook as `init` writes it, with every required value filled."""
    path = tmp_path / "司法局.xlsx"
    write_workbook(path, WorkbookSpec("司法局", "测试区", 2023, SECTIONS,
                                      metrics=[MetricRow(m) for m in METRICS]))
    fill(path, {"C4": 10, "C5": 8, "C6": 25.5}, {"A4": "主要举措和成效", "D4": "加强复议",
                                                 "E4": "受理{{ 行政复议.受理 }}件。"})
    return path


def fill(path: Path, metrics: dict, items: dict | None = None, sheet: str = "指标") -> None:
    """Write cell values with openpyxl, as a department would in Excel."""
    wb = openpyxl.load_workbook(path)
    for ref, value in metrics.items():
        wb[sheet][ref] = value
    for ref, value in (items or {}).items():
        wb["工作举措"][ref] = value
    wb.save(path)


def read(path: Path):
    return read_workbook(path, FILE)


def found(result) -> list[tuple]:
    return [(i.code, i.severity, i.loc.sheet, i.loc.cell) for i in result.issues]


def test_a_filled_workbook_reads_like_yaml(book):
    result = read(book)
    assert result.issues == []
    assert result.data["指标"] == {"行政复议": {
        "收到": {"值": 10, "单位": "件"}, "受理": {"值": 8, "单位": "件"},
        "纠错率": {"值": 25.5, "单位": "%"}}}
    assert result.data["内容"] == [{"章节": "主要举措和成效", "标题": "加强复议",
                                   "正文": "受理{{ 行政复议.受理 }}件。"}]
    assert result.data["部门"] == "测试区司法局"
    assert result.expected == 4


def test_every_value_keeps_its_sheet_and_cell(book):
    smap = read(book).smap
    location = smap.location(FILE, ("指标", "行政复议", "受理", "值"))
    assert (location.file, location.sheet, location.cell) == (FILE, "指标", "C5")
    assert location.describe() == f"{FILE} > 指标 > C5"
    assert smap.position(("内容", 0, "正文")).cell == "E4"
    assert smap.position(("内容", 0)).cell == "D4"  # the item: its heading cell


def test_the_message_reads_like_the_issue_example(book):
    fill(book, {"C5": "约60"})
    problem = read(book).issues[0]
    assert problem.text().startswith(f"{FILE} > 指标 > C5 ")
    assert "「受理」应为不小于 0 的整数，实际为「约60」" in problem.message


@pytest.mark.parametrize("cell, value, code", [
    ("C4", "约3000", "cell_not_number"),
    ("C4", "3000余", "cell_not_number"),
    ("C4", "十二", "cell_not_number"),
    ("C4", True, "cell_not_number"),
    ("C4", "12.5%", "cell_not_number"),  # a percent sign only makes sense for a rate
    ("C4", -3, "negative_value"),
    ("C6", "#DIV/0!", "cell_not_number"),
])
def test_refused_values_are_located_errors(book, cell, value, code):
    fill(book, {cell: value})
    result = read(book)
    assert found(result) == [(code, "error", "指标", cell)]


def test_a_date_in_a_number_cell_says_why(book):
    import datetime as dt

    fill(book, {"C4": dt.datetime(2023, 1, 2)})
    problem = read(book).issues[0]
    assert (problem.code, problem.loc.cell) == ("cell_not_number", "C4")
    assert "日期" in problem.message


@pytest.mark.parametrize("cell, value, expected", [
    ("C4", "1,234", 1234),
    ("C4", "１２３", 123),
    ("C4", "12  ", 12),
    ("C4", " 12\u00a0", 12),
    ("C4", "12件", 12),  # the row's own unit typed after the number
    ("C6", "12.5%", 12.5),
    ("C6", "１２.５％", 12.5),
    ("C7", "1,234.5", 1234.5),
])
def test_safe_normalisations_warn(book, cell, value, expected):
    fill(book, {cell: value})
    result = read(book)
    assert found(result) == [("cell_normalised", "warning", "指标", cell)]
    row = int(cell[1:]) - 4
    group, name = METRICS[row].group, METRICS[row].name
    assert result.data["指标"][group][name]["值"] == expected


def test_a_number_stored_as_text_is_accepted_silently(book):
    fill(book, {"C4": "15"})
    result = read(book)
    assert result.issues == [] and result.data["指标"]["行政复议"]["收到"]["值"] == 15


def test_a_percent_formatted_rate_is_read_as_a_percentage(book):
    wb = openpyxl.load_workbook(book)
    wb["指标"]["C6"] = 0.298
    wb["指标"]["C6"].number_format = "0.0%"
    wb.save(book)
    result = read(book)
    assert found(result) == [("cell_normalised", "warning", "指标", "C6")]
    assert result.data["指标"]["行政复议"]["纠错率"]["值"] == pytest.approx(29.8)


def test_unfilled_required_metrics_are_errors_and_optional_ones_are_not(book):
    fill(book, {"C4": None, "C7": None})
    assert found(read(book)) == [("metric_unfilled", "error", "指标", "C4")]


def _cache(path: Path, cell: str, value: str) -> None:
    """Give a formula cell a saved result, as Excel does on save (openpyxl cannot)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                text, count = re.subn(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/?>(</v>)?',
                                      rf"\1<v>{value}</v>", text)
                assert count == 1
                data = text.encode()
            dst.writestr(info, data)
    shutil.move(tmp, path)


def test_a_formula_uses_its_saved_result(book):
    fill(book, {"C4": "=5+5"})
    _cache(book, "C4", "10")
    result = read(book)
    assert result.issues == [] and result.data["指标"]["行政复议"]["收到"]["值"] == 10


def test_a_formula_without_a_saved_result_is_a_clear_error(book):
    fill(book, {"C4": "=SUM(C5:C6)"})
    result = read(book)
    assert found(result) == [("formula_no_value", "error", "指标", "C4")]
    assert "SUM(C5:C6)" in result.issues[0].message


def test_empty_and_hidden_rows_extra_columns(book):
    wb = openpyxl.load_workbook(book)
    sheet = wb["指标"]
    sheet.insert_rows(5, amount=2)  # blank rows inside the table
    sheet.row_dimensions[8].hidden = True  # 纠错率, now on row 8: still read
    sheet["H3"], sheet["H4"] = "审核人", "张三"  # an extra column
    wb.save(book)
    result = read(book)
    assert result.issues == []
    assert result.data["指标"]["行政复议"]["纠错率"]["值"] == 25.5
    assert result.smap.position(("指标", "行政复议", "纠错率", "值")).cell == "C8"


def test_columns_are_found_by_header_not_position(book):
    wb = openpyxl.load_workbook(book)
    wb["指标"].insert_cols(1)  # 值 moves from C to D
    wb["指标"]["D5"] = "约8"
    wb.save(book)
    assert found(read(book)) == [("cell_not_number", "error", "指标", "D5")]


def test_reordered_and_renamed_sheets_are_found_by_header(book):
    wb = openpyxl.load_workbook(book)
    wb.move_sheet("工作举措", offset=-2)
    wb["指标"].title = "Sheet1"
    wb["Sheet1"]["C5"] = "约8"
    wb.save(book)
    result = read(book)
    assert found(result) == [("cell_not_number", "error", "Sheet1", "C5")]
    assert result.data["内容"][0]["标题"] == "加强复议"


def test_merged_group_and_section_cells_apply_to_every_row(book):
    wb = openpyxl.load_workbook(book)
    metrics, items = wb["指标"], wb["工作举措"]
    metrics["A5"] = None
    metrics.merge_cells("A4:A6")  # 行政复议 written once for three rows
    items["D5"], items["E5"] = "第二条", "正文二。"
    items.merge_cells("A4:A6")  # the section spans row 6 too, which stays empty
    wb.save(book)
    result = read(book)
    assert result.issues == []
    assert set(result.data["指标"]["行政复议"]) == {"收到", "受理", "纠错率"}
    assert [i["章节"] for i in result.data["内容"]] == ["主要举措和成效", "主要举措和成效"]


def test_item_flags_and_covers(book):
    wb = openpyxl.load_workbook(book)
    items = wb["工作举措"]
    items["F3"], items["G3"] = "涵盖", "编号"
    items["F4"], items["G4"] = "第一责任人职责、下一年度主要安排", "是"
    wb.save(book)
    item = read(book).data["内容"][0]
    assert item["涵盖"] == ["第一责任人职责", "下一年度主要安排"] and item["编号"] is True


@pytest.mark.parametrize("suffix_or_bytes, code", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "xlsx_save_as"),  # an .xls renamed
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le"),
     "xlsx_encrypted"),
    (b"", "xlsx_corrupt"),
    (random.Random(3).randbytes(4096), "xlsx_corrupt"),
])
def test_unreadable_files_are_one_issue_naming_the_file(tmp_path, suffix_or_bytes, code):
    path = tmp_path / "司法局.xlsx"
    path.write_bytes(suffix_or_bytes)
    result = read(path)
    assert result.data is None
    assert [(i.code, i.loc.file) for i in result.issues] == [(code, FILE)]


def test_a_zip_that_is_not_a_workbook_is_corrupt(tmp_path):
    path = tmp_path / "司法局.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "not a workbook")
    assert [i.code for i in read(path).issues] == ["xlsx_corrupt"]


def test_a_workbook_without_our_tables(tmp_path):
    path = tmp_path / "司法局.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便写的表"
    wb.save(path)
    result = read(path)
    assert result.data is None and [i.code for i in result.issues] == ["workbook_no_tables"]


def test_a_workbook_with_only_narrative_warns_about_the_missing_sheet(book):
    wb = openpyxl.load_workbook(book)
    del wb["指标"]
    wb.save(book)
    result = read(book)
    assert [(i.code, i.severity) for i in result.issues] == [("sheet_missing", "warning")]
    assert result.data["内容"]


def test_cell_ref():
    assert [cell_ref(0, 0), cell_ref(6, 2), cell_ref(0, 25), cell_ref(9, 26)] == \
        ["A1", "C7", "Z1", "AA10"]
