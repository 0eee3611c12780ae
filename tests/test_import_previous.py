"""Last year's report file as the 同比 source (--previous, 上年工作区)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from generator.api import build_report, validate_workspace

LAST_YEAR = """\
某县人民政府2022年度法治政府建设情况报告
2022年，我县扎实推进法治政府建设，现报告如下：
一、主要举措和成效
全年受理行政复议申请30件，审结50件。
"""


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "departments").mkdir(parents=True)
    (root / "report.yaml").write_text(
        "模板: work-report\n机关: 某县人民政府\n年度: 2023\n", encoding="utf-8")
    (root / "departments" / "司法局.yaml").write_text(
        "部门: 某县司法局\n指标:\n  行政复议:\n    受理: {值: 64, 单位: 件}\n"
        "    审结: {值: 56, 单位: 件}\n内容:\n  - 章节: 正文\n    标题: 复议\n"
        "    正文: 审结{{ 行政复议.审结 }}件，{{ 同比(行政复议.审结) }}。\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_previous_report_file(workspace: Path, tmp_path: Path, suffix: str) -> None:
    last = tmp_path / f"2022年报告{suffix}"
    if suffix == ".txt":
        last.write_text(LAST_YEAR, encoding="utf-8")
    else:
        document = Document()
        for line in LAST_YEAR.splitlines():
            document.add_paragraph(line)
        document.save(str(last))
    report = validate_workspace(workspace, previous=last)
    large = [i for i in report.issues if i.code == "yoy_change_large"]
    assert [i.message.split("」")[0] for i in large] == ["指标「行政复议.受理"]
    assert "全年受理行政复议申请30件，审结50件。" in large[0].message
    assert not [i for i in report.issues if i.code in ("yoy_unavailable", "previous_missing",
                                                       "previous_year_mismatch")]
    result = build_report(workspace, previous=last)
    texts = [p.text for p in Document(str(result.output)).paragraphs]
    assert any("审结56件，同比增长12.0%" in t for t in texts), texts


def test_previous_report_named_in_report_yaml(workspace: Path) -> None:
    (workspace / "上年报告.txt").write_text(LAST_YEAR, encoding="utf-8")
    with (workspace / "report.yaml").open("a", encoding="utf-8") as handle:
        handle.write("上年工作区: 上年报告.txt\n")
    codes = [i.code for i in validate_workspace(workspace).issues]
    assert "yoy_change_large" in codes and "previous_missing" not in codes
