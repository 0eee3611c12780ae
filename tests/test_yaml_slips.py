"""A typing slip in YAML is reported at its own line, naming the likely cause, not where
the parser got confused later (a line or more below)."""

from __future__ import annotations

import pytest

from generator.api import validate_workspace

HEAD = "模板: work-report\n"
CASES = [
    ("机关：秦皇岛市抚宁区人民政府\n年度: 2023\n导语: 测试\n", 2, "全角「：」"),
    ("机关: 抚宁区\n年度 2023\n导语: 测试\n", 3, "漏写了冒号"),
    ("机关:抚宁区\n年度: 2023\n导语: 测试\n", 2, "冒号后面可能漏了空格"),
    ("机关: 抚宁区\n年度: 2023\n部门:\n\u3000- 司法局\n导语: 测试\n", 5, "全角空格"),
    ('机关: 抚宁区\n年度: 2023\n导语: "测试”\n发文机关署名: 抚宁区\n', 4, "引号可能不成对"),
]


@pytest.mark.parametrize("body,line,hint", CASES, ids=[c[2] for c in CASES])
def test_report_yaml_slip_at_its_line(make_tree, body, line, hint):
    root = make_tree({"report.yaml": HEAD + body, "departments/.keep": ""})
    found = [i for i in validate_workspace(root).issues if i.code == "yaml_syntax"]
    assert [(i.loc.file, i.loc.line) for i in found] == [("report.yaml", line)]
    assert hint in found[0].message


def test_department_file_slip_at_its_line(make_tree):
    dept = "部门: 司法局\n内容:\n  - 章节: 正文\n    标题：法律援助\n    正文: 共受理案件8件。\n"
    root = make_tree({"report.yaml": HEAD + "机关: 抚宁区\n年度: 2023\n",
                      "departments/司法局.yaml": dept})
    found = [i for i in validate_workspace(root).issues if i.code == "yaml_syntax"]
    assert [(i.loc.file, i.loc.line) for i in found] == [("departments/司法局.yaml", 4)]
    assert "全角「：」" in found[0].message
