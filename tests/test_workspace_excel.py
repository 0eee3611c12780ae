"""Workbooks in a workspace: mixed with YAML, bad files reported without hiding the others,
lock files ignored, save-as messages, one file per department; and `nianbao status`."""

from __future__ import annotations

import json
import random

import openpyxl
import pytest

from generator.api import validate_workspace, workspace_status
from generator.cli import main
from generator.workbook_metrics import WorkbookMetric
from generator.workbook_writer import MetricRow, WorkbookSpec, write_workbook

REPORT = "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n部门: [司法局, 市场监管局]\n"
ALL_THREE = REPORT.replace("市场监管局]", "市场监管局, 公安局]")
YAML_DEPT = """\
指标:
  法律援助:
    受理案件: {值: 817, 单位: 件}
内容:
  - 章节: 正文
    标题: 加强法律援助
    正文: 共受理援助案件{{ 法律援助.受理案件 }}件，查处{{ 市场监管.食品案件 }}件。
"""


def workbook(path, value="约3000", rows=None):
    """Write a 市场监管局-like workbook with one metric and one narrative row."""
    spec = WorkbookSpec(path.stem, "测试区", 2023, [("正文", "正文")],
                        metrics=[MetricRow(WorkbookMetric("市场监管", "食品案件", "件", "count"))],
                        items=rows if rows is not None else [
                            {"章节": "正文", "标题": "食品安全", "正文": "严查食品安全。"}])
    write_workbook(path, spec)
    wb = openpyxl.load_workbook(path)
    wb["指标"]["C4"] = value
    wb.save(path)


def run(capsys, *args):
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return exited.value.code, capsys.readouterr().out


@pytest.fixture
def ws(make_tree):
    root = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": YAML_DEPT})
    workbook(root / "departments" / "市场监管局.xlsx", value=42)
    return root


def test_yaml_and_xlsx_departments_merge(ws):
    report = validate_workspace(ws)
    assert report.issues == []


def test_one_bad_file_never_hides_the_others(ws, capsys):
    (ws / "departments" / "公安局.xlsx").write_bytes(random.Random(7).randbytes(3000))
    workbook(ws / "departments" / "市场监管局.xlsx", value="约3000")
    code, out = run(capsys, "validate", str(ws), "--json")
    assert code == 1
    found = {(i["code"], i["file"], i["sheet"], i["cell"]) for i in json.loads(out)["issues"]}
    assert ("xlsx_corrupt", "departments/公安局.xlsx", None, None) in found
    assert ("cell_not_number", "departments/市场监管局.xlsx", "指标", "C4") in found
    assert ("ref_undefined", "departments/司法局.yaml", None, None) in found


@pytest.mark.parametrize("name", ["公安局.xls", "公安局.et", "公安局.csv"])
def test_other_spreadsheet_formats_ask_for_xlsx(ws, name):
    (ws / "departments" / name).write_bytes(b"a,b\n1,2\n")
    (problem,) = [i for i in validate_workspace(ws).issues if i.loc.file.endswith(name)]
    assert problem.code == "xlsx_save_as" and "另存为" in problem.message


def test_office_lock_files_are_ignored(ws):
    (ws / "departments" / "~$市场监管局.xlsx").write_bytes(b"\x00lock")
    assert validate_workspace(ws).issues == []


def test_two_files_for_one_department(ws):
    (ws / "departments" / "司法局.xlsx").write_bytes(
        (ws / "departments" / "市场监管局.xlsx").read_bytes())
    codes = [(i.code, i.loc.file) for i in validate_workspace(ws).issues]
    # the copy is named 司法局 but holds 市场监管局's workbook: it is the one to remove
    assert ("department_duplicate", "departments/司法局.xlsx") in codes
    assert ("department_name_mismatch", "departments/司法局.xlsx") in codes


def test_pydantic_errors_in_a_workbook_point_at_the_cell(ws):
    workbook(ws / "departments" / "市场监管局.xlsx", value=1,
             rows=[{"章节": "正文", "标题": "甲", "正文": "乙"},
                   {"章节": "正文", "标题": "丙", "正文": "丁", "标识": "x"},
                   {"上级": "x", "标题": "一、戊", "正文": "己"}])
    found = [(i.code, i.loc.sheet, i.loc.cell) for i in validate_workspace(ws).issues]
    assert ("typed_numbering", "工作举措", "D6") in found


def test_status_table_and_json(ws, capsys):
    (ws / "report.yaml").write_text(ALL_THREE, encoding="utf-8")
    (ws / "departments" / "公安局.xlsx").write_bytes(b"junk")
    status = workspace_status(ws)
    rows = {d.name: d for d in status.departments}
    assert [d.name for d in status.departments] == ["司法局", "市场监管局", "公安局"]
    assert (rows["司法局"].state, rows["司法局"].metrics_filled,
            rows["司法局"].metrics_expected, rows["司法局"].items) == ("ok", 1, None, 1)
    assert (rows["市场监管局"].metrics_filled, rows["市场监管局"].metrics_expected) == (1, 1)
    assert (rows["公安局"].state, rows["公安局"].errors) == ("unreadable", 1)
    code, out = run(capsys, "status", str(ws), "--json")
    assert code == 0
    data = json.loads(out)
    assert [d["label"] for d in data["departments"]] == ["可用", "可用", "无法读取"]
    code, out = run(capsys, "status", str(ws))
    assert code == 0 and "市场监管局" in out and "无法读取" in out


def test_status_of_a_fresh_collection(make_tree, capsys):
    root = make_tree({"report.yaml": ALL_THREE.replace("work-report", "fazhi-annual")})
    workbook(root / "departments" / "司法局.xlsx", value=None, rows=[])
    status = workspace_status(root)
    assert [(d.name, d.state) for d in status.departments] == [
        ("司法局", "blank"), ("市场监管局", "missing"), ("公安局", "missing")]
    assert [s.key for s in status.empty_sections if s.required] == [
        "主要举措和成效", "存在的不足和原因", "第一责任人职责", "下一年度主要安排"]
    code, out = run(capsys, "status", str(root))
    assert code == 0 and "未报送" in out and "尚无内容的章节" in out


@pytest.mark.parametrize("value, code", [(12.5, "metric_not_integer"), (-3, "negative_value")])
def test_workbook_and_yaml_figures_share_one_check_path(ws, make_tree, value, code):
    """A decimal count is judged by the metric rules, the same code for YAML and Excel,
    located at the value cell or line."""
    workbook(ws / "departments" / "市场监管局.xlsx", value=value)
    found = [(i.code, i.loc.sheet, i.loc.cell) for i in validate_workspace(ws).issues
             if i.code == code]
    assert found == [(code, "指标", "C4")]
    yaml_ws = make_tree({"report.yaml": REPORT, "departments/市场监管局.yaml":
                         f"指标:\n  市场监管:\n    食品案件: {{值: {value}, 单位: 件}}\n"},
                        name="yaml")
    assert [(i.code, i.loc.line) for i in validate_workspace(yaml_ws).issues
            if i.code == code] == [(code, 3)]


def test_a_rate_over_100_in_a_workbook_is_out_of_bounds(ws):
    spec = WorkbookSpec("市场监管局", "测试区", 2023, [("正文", "正文")],
                        metrics=[MetricRow(WorkbookMetric("市场监管", "抽检合格率", "%", "rate"))])
    path = ws / "departments" / "市场监管局.xlsx"
    write_workbook(path, spec)
    book = openpyxl.load_workbook(path)
    book["指标"]["C4"] = 120
    book.save(path)
    found = [(i.code, i.loc.cell) for i in validate_workspace(ws).issues]
    assert ("metric_out_of_bounds", "C4") in found
