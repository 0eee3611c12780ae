"""Metrics from several departments: a conflict naming both places, or — when declared in
report.yaml's 累加指标 or 可累加 in the catalogue — a total with per-department parts."""

from __future__ import annotations

import openpyxl
import pytest

from generator.api import prepare
from generator.workbook_metrics import WorkbookMetric
from generator.workbook_writer import MetricRow, WorkbookSpec, write_workbook

REPORT = "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n部门: [市场监管局, 公安局]\n"
TEXT = ("共查处{{ 市场监管.食品案件 }}件，其中市场监管局{{ 市场监管.食品案件.分项.市场监管局 }}件、"
        "公安局{{ 市场监管.食品案件.分项.公安局 }}件；执法案件{{ 行政执法.案件数 }}件，"
        "公安{{ 行政执法.案件数.分项.公安局 }}件。")


def dept(cases: int, unit: str = "件", text: str | None = None) -> str:
    body = (f"指标:\n  市场监管:\n    食品案件: {{值: {cases}, 单位: {unit}}}\n"
            f"  行政执法:\n    案件数: {{值: {cases * 10}, 单位: 件}}\n")
    if text:
        body += f"内容:\n  - 章节: 正文\n    标题: 执法\n    正文: \"{text}\"\n"
    return body


@pytest.fixture
def ws(make_tree):
    def make(report_extra: str = "", unit: str = "件"):
        return make_tree({"report.yaml": REPORT + report_extra,
                          "departments/市场监管局.yaml": dept(12, text=TEXT),
                          "departments/公安局.yaml": dept(30, unit)})
    return make


def texts(prepared) -> list[str]:
    return [b.text for b in prepared.outline.blocks if b.text]


def test_a_metric_from_two_departments_is_a_conflict_naming_both_places(ws):
    prepared = prepare(ws())
    (conflict,) = [i for i in prepared.report.issues if i.code == "metric_conflict"]
    assert (conflict.loc.file, conflict.loc.line) == ("departments/公安局.yaml", 3)
    assert "departments/市场监管局.yaml 第3行" in conflict.message
    assert "累加指标" in conflict.message


def test_declared_additive_metrics_are_summed_with_parts(ws):
    prepared = prepare(ws("累加指标: [市场监管.食品案件]\n"))
    assert prepared.report.ok, [i.text() for i in prepared.report.issues]
    assert texts(prepared) == ["共查处42件，其中市场监管局12件、公安局30件；执法案件420件，公安300件。"]


def test_a_malformed_additive_entry_is_located(ws):
    prepared = prepare(ws("累加指标: [食品案件]\n"))
    codes = [(i.code, i.loc.file, i.loc.line) for i in prepared.report.issues]
    assert ("additive_bad_name", "report.yaml", 5) in codes


def test_different_units_of_an_additive_metric_warn(ws):
    prepared = prepare(ws("累加指标: 市场监管.食品案件\n", unit="起"))
    found = [(i.code, i.severity, i.loc.file) for i in prepared.report.issues]
    assert ("additive_unit_mismatch", "warning", "departments/公安局.yaml") in found


def test_a_conflict_with_a_workbook_names_its_sheet_and_cell(make_tree):
    root = make_tree({"report.yaml": REPORT, "departments/公安局.yaml": dept(30)})
    path = root / "departments" / "市场监管局.xlsx"
    write_workbook(path, WorkbookSpec("市场监管局", "测试区", 2023, [("正文", "正文")], metrics=[
        MetricRow(WorkbookMetric("市场监管", "食品案件", "件", "count"), 12)]))
    (conflict,) = [i for i in prepare(root).report.issues if i.code == "metric_conflict"]
    assert conflict.loc.file == "departments/公安局.yaml"
    assert "departments/市场监管局.xlsx > 指标 > B4" in conflict.message
    wb = openpyxl.load_workbook(path)
    assert wb["指标"]["B4"].value == "食品案件"
