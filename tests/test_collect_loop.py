"""The secretary's loop end to end: init → departments fill the workbooks (input cells only)
→ validate clean → build; a fresh workspace fails validation cell by cell; the xlsx twin of
zichuan-2024 builds to the same text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from serve_support import FIGURES  # the figures each department types in

from generator.api import build_report, init_workspace, prepare, validate_workspace
from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data_examples"

# What each department "types" into its value cells, by 组.名称 (consistent figures, so
# that the catalogue's relation and rate rules stay quiet).
ENFORCEMENT = {
    "市场监管局": {"行政执法.案件数": 520, "行政执法.罚没款": 12.5, "行政执法.执法人员": 80,
                "行政执法.持证人数": 78},
    "公安局": {"行政执法.案件数": 1300, "行政执法.罚没款": 30.25, "行政执法.执法人员": 200,
            "行政执法.持证人数": 190},
}
ITEMS = {
    "司法局": [
        ("主要举措和成效", "加强行政复议工作",
         "办理行政复议案件{{ 行政复议.受理 }}件，纠错率{{ 行政复议.纠错率 | 带单位 }}。\n"
         "受理法律援助案件{{ 法律援助.受理案件 }}件。"),
        ("存在的不足和原因", None, "一是基层法治力量薄弱。"),
        ("第一责任人职责", "压实第一责任人职责", "主要负责人带头学法。"),
        ("下一年度主要安排", "深化行政执法改革", "继续推进。"),
    ],
    "市场监管局": [
        ("主要举措和成效", "严格规范公正文明执法",
         "全区办理行政执法案件{{ 行政执法.案件数 }}件，其中市场监管"
         "{{ 行政执法.案件数.分项.市场监管局 }}件，罚没款{{ 行政执法.罚没款 }}万元。"),
    ],
}
DEPARTMENTS = ["司法局", "市场监管局", "公安局"]


def fill_like_a_department(path: Path, name: str) -> None:
    """Type figures and items into the workbook's unlocked input cells only."""
    wb = openpyxl.load_workbook(path)
    figures = {**FIGURES, **ENFORCEMENT.get(name, {})}
    sheet = wb["指标"]
    for row in range(4, sheet.max_row + 1):
        group, metric = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        if group and metric:
            cell = sheet.cell(row, 3)
            assert cell.protection.locked is False and sheet.cell(row, 2).protection.locked
            cell.value = figures[f"{group}.{metric}"]
    items = wb["工作举措"]
    for row, (section, heading, text) in enumerate(ITEMS.get(name, []), start=4):
        for col, value in ((1, section), (4, heading), (5, text)):
            assert items.cell(row, col).protection.locked is False
            items.cell(row, col).value = value
    wb.save(path)


@pytest.fixture
def fresh(tmp_path) -> Path:
    root = tmp_path / "测试区-2023"
    result = init_workspace(root, region="测试区", year=2023, departments=DEPARTMENTS)
    assert result.report.ok and len(result.written) == 4
    return root


def test_the_whole_loop(fresh, tmp_path, open_docx):
    for name in DEPARTMENTS:
        fill_like_a_department(fresh / "departments" / f"{name}.xlsx", name)
    report = validate_workspace(fresh)
    assert report.issues == [], [i.text() for i in report.issues]
    result = build_report(fresh, tmp_path / "out")
    assert result.output is not None
    text = "\n".join(open_docx(result.output).texts())
    assert "办理行政复议案件110件，纠错率20%。" in text
    assert "受理法律援助案件817件。" in text
    assert "全区办理行政执法案件1820件，其中市场监管520件，罚没款42.75万元。" in text
    assert "测试区人民政府" in text and "2023年度法治政府建设情况报告" in text


def test_validate_on_a_fresh_workspace_names_sheet_and_cell(fresh, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(fresh), "--json"])
    assert exited.value.code == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    unfilled = [i for i in issues if i["code"] == "metric_unfilled"]
    assert {i["file"] for i in unfilled} == {f"departments/{n}.xlsx" for n in DEPARTMENTS}
    assert all(i["sheet"] == "指标" and i["cell"].startswith("C") for i in unfilled)
    judicial = {i["path"] for i in unfilled if i["file"] == "departments/司法局.xlsx"}
    assert "指标.法律援助.受理案件.值" in judicial
    assert "指标.行政复议.上年结转.值" not in judicial  # optional metrics may stay empty


def test_the_reading_path_imports_neither_pandas_nor_openpyxl():
    code = ("import sys; from generator.api import prepare; "
            f"prepare(r'{EXAMPLES / 'zichuan-2024-xlsx'}'); "
            "print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_zichuan_xlsx_builds_to_the_same_text_as_its_yaml_twin(example_docx, open_docx):
    yaml_text = open_docx(example_docx("zichuan-2024")).texts()
    xlsx_text = open_docx(example_docx("zichuan-2024-xlsx")).texts()
    assert xlsx_text == yaml_text


def test_zichuan_xlsx_has_the_same_data_as_its_yaml_twin():
    twin = prepare(EXAMPLES / "zichuan-2024")
    ours = prepare(EXAMPLES / "zichuan-2024-xlsx")
    assert ours.report.ok
    assert [d.data for d in ours.workspace.departments] == \
        [d.data for d in twin.workspace.departments]
    assert ours.outline.blocks == twin.outline.blocks


def test_the_committed_workbooks_are_what_the_script_writes(tmp_path):
    script = REPO / "scripts" / "make_zichuan_xlsx.py"
    subprocess.run([sys.executable, str(script), str(EXAMPLES / "zichuan-2024"),
                    str(tmp_path / "again")], check=True, capture_output=True, cwd=REPO)
    again = prepare(tmp_path / "again")
    committed = prepare(EXAMPLES / "zichuan-2024-xlsx")
    assert [d.data for d in again.workspace.departments] == \
        [d.data for d in committed.workspace.departments]
    assert (tmp_path / "again" / "report.yaml").read_text(encoding="utf-8") == \
        (EXAMPLES / "zichuan-2024-xlsx" / "report.yaml").read_text(encoding="utf-8")
