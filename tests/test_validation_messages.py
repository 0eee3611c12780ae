"""Located validation errors: code + file + line + YAML path, all problems in one run."""

from __future__ import annotations

import pytest

from generator.api import validate_workspace

FIELDS = ("code", "file", "line", "path")
DEPT = "departments/司法局.yaml"
OTHER = "departments/市场监管局.yaml"

REPORT = "机关: 测试区人民政府\n年度: 2023\n"

# A clean fazhi-annual workspace: the four required sections, two metrics.
JUDICIAL = """\
    部门: 测试区司法局
    指标:
      法律援助:
        受理案件: {值: 817, 单位: 件}
      行政复议:
        纠错率: {值: 29.8, 单位: "%"}
      专项检查:
        检查次数: {值: 12, 单位: 次}
    内容:
      - 章节: 主要举措和成效
        标识: 法律援助
        标题: 加强法律援助
        正文: 共受理援助案件{{ 法律援助.受理案件 }}件，纠错率{{ 行政复议.纠错率 | 带单位 }}。
      - 章节: 存在的不足和原因
        正文: 一是基层力量薄弱。
      - 章节: 第一责任人职责
        正文: 主要负责人履行第一责任人职责。
      - 章节: 下一年度主要安排
        正文: 继续推进。
    """


@pytest.fixture
def workspace(make_tree):
    """Return ``ws(files)``: the clean workspace with ``files`` replaced or added."""

    def ws(files: dict[str, str | bytes] | None = None):
        return make_tree({"report.yaml": REPORT, DEPT: JUDICIAL, **(files or {})})

    return ws


def located(root, **kwargs) -> list[tuple]:
    """Return (code, file, line, path) of every error (warnings of the business rules,
    issue #3, are not this module's concern)."""
    report = validate_workspace(root, **kwargs)
    return [(i.code, i.loc.file, i.loc.line, i.loc.path) for i in report.issues
            if i.severity == "error"]


def messages(root) -> dict[str, str]:
    return {i.code: i.message for i in validate_workspace(root).issues}


def test_base_workspace_is_clean(workspace):
    report = validate_workspace(workspace())
    assert report.ok and report.errors == 0


def test_flatten_gives_code_file_line_path(workspace):
    root = workspace({OTHER: "指标:\n  市场监管:\n    案件: -1\n"})
    flat = validate_workspace(root).flatten(FIELDS)
    assert ("negative_value", OTHER, 3, "指标.市场监管.案件.值") in flat


# -- malformed YAML ------------------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("部门: 市场监管局\n指标:\n  市场监管:\n    案件: 1\n   罚款: 2\n", 5),
    ("部门: 市场监管局\n内容:\n  - 章节: 主要举措和成效\n    标题: 注意: 冒号\n", 4),
    ("部门: 市场监管局\n指标:\n\t市场监管: {}\n", 3),
])
def test_malformed_yaml(workspace, text, line):
    assert located(workspace({OTHER: text})) == [("yaml_syntax", OTHER, line, None)]


def test_malformed_report_yaml_is_reported_and_departments_still_read(workspace):
    root = workspace({"report.yaml": "机关: 测试区人民政府\n年度: 2023: 1\n",
                      OTHER: "指标:\n  市场监管:\n    案件: -1\n"})
    assert sorted(located(root)) == sorted([
        ("yaml_syntax", "report.yaml", 2, None),
        ("negative_value", OTHER, 3, "指标.市场监管.案件.值"),
    ])


def test_duplicate_key(workspace):
    text = "部门: 市场监管局\n指标:\n  市场监管:\n    案件: 1\n    案件: 2\n"
    assert located(workspace({OTHER: text})) == [("yaml_duplicate_key", OTHER, 5, None)]


def test_raw_control_character_in_yaml_is_located(workspace):
    text = "部门: 市场监管局\n内容:\n  - 上级: 法律援助\n    正文: 前\x07后\n"
    assert located(workspace({OTHER: text})) == [("yaml_syntax", OTHER, 4, None)]


def test_impossible_date_is_a_located_error_not_a_crash(workspace):
    root = workspace({"report.yaml": REPORT + "成文日期: 2024-13-01\n"})
    report = validate_workspace(root)
    assert [(i.severity, i.loc.file, i.loc.line) for i in report.issues] == [
        ("error", "report.yaml", 3)]


# -- unknown keys (typos) -------------------------------------------------------------------

def test_unknown_key_in_report_yaml_suggests_the_right_one(workspace):
    root = workspace({"report.yaml": REPORT + "成文日起: 2024-01-09\n"})
    assert located(root) == [("extra_forbidden", "report.yaml", 3, "成文日起")]
    assert "成文日期" in messages(root)["extra_forbidden"]


def test_unknown_key_in_an_item_suggests_the_right_one(workspace):
    text = "部门: 市场监管局\n内容:\n  - 上级: 法律援助\n    标题: 食品安全\n    正闻: 文字\n"
    root = workspace({OTHER: text})
    assert located(root) == [("extra_forbidden", OTHER, 5, "内容.0.正闻")]
    assert "正文" in messages(root)["extra_forbidden"]


def test_unknown_key_in_a_metric_suggests_the_right_one(workspace):
    text = "部门: 市场监管局\n指标:\n  市场监管:\n    案件: {值: 1, 单为: 件}\n"
    root = workspace({OTHER: text})
    assert located(root) == [("extra_forbidden", OTHER, 4, "指标.市场监管.案件.单为")]
    assert "单位" in messages(root)["extra_forbidden"]


# -- wrong types -----------------------------------------------------------------------------

@pytest.mark.parametrize("extra, code, line, path", [
    ("用印: 也许\n", "bool_parsing", 3, "用印"),
    ("标题: {一: 二}\n", "list_type", 3, "标题"),
    ("编号:\n  二级样式: 罗马\n", "literal_error", 4, "编号.二级样式"),
    ("编号:\n  连续编号层级: [九]\n", "int_parsing", 4, "编号.连续编号层级.0"),
    ("成文日期: 明年\n", "date_from_datetime_parsing", 3, "成文日期"),
])
def test_wrong_type_in_report_yaml(workspace, extra, code, line, path):
    root = workspace({"report.yaml": REPORT + "" + extra})
    assert located(root) == [(code, "report.yaml", line, path)]


@pytest.mark.parametrize("year", ["二〇二三", '"2023"', "2023.5"])
def test_year_must_be_an_integer(workspace, year):
    root = workspace({"report.yaml": f"机关: 测试区人民政府\n年度: {year}\n"})
    assert [f[1:] for f in located(root)] == [("report.yaml", 2, "年度")]
    assert located(root)[0][0] in ("int_type", "int_parsing", "int_from_float")


@pytest.mark.parametrize("body, code, line, path", [
    ("指标:\n  市场监管:\n    案件: 多个\n", "number_type", 3, "指标.市场监管.案件.值"),
    ("指标:\n  市场监管:\n    案件: {值: 十}\n", "number_type", 3, "指标.市场监管.案件.值"),
    ("指标:\n  市场监管:\n    案件: true\n", "number_type", 3, "指标.市场监管.案件.值"),
    ("指标:\n  市场监管: 5\n", "dict_type", 2, "指标.市场监管"),
    ("内容:\n  - 上级: 法律援助\n    标题: 甲\n    连排: 是的\n", "bool_parsing", 4, "内容.0.连排"),
    ("内容:\n  - 上级: 法律援助\n    标题: 甲\n    子项: 乙\n", "list_type", 4, "内容.0.子项"),
    ("内容: 文字\n", "list_type", 1, "内容"),
])
def test_wrong_type_in_department(workspace, body, code, line, path):
    assert located(workspace({OTHER: body})) == [(code, OTHER, line, path)]


# -- negative counts ----------------------------------------------------------------------

@pytest.mark.parametrize("metric, line", [("案件: -3", 3), ("案件: {值: -0.5, 单位: 件}", 3)])
def test_negative_count(workspace, metric, line):
    root = workspace({OTHER: f"指标:\n  市场监管:\n    {metric}\n"})
    assert located(root) == [("negative_value", OTHER, line, "指标.市场监管.案件.值")]


# -- missing required metadata --------------------------------------------------------------

@pytest.mark.parametrize("text, missing", [
    ("年度: 2023\n", ["机关"]),
    ("机关: 测试区人民政府\n", ["年度"]),
    ("地区: 测试区\n", ["机关", "年度"]),
])
def test_missing_required_metadata(workspace, text, missing):
    found = located(workspace({"report.yaml": text}))
    assert sorted(found) == sorted(("missing", "report.yaml", 1, key) for key in missing)


@pytest.mark.parametrize("text", ["", "- 机关\n- 年度\n"])
def test_report_yaml_that_is_not_a_mapping(workspace, text):
    found = located(workspace({"report.yaml": text}))
    assert [f[:2] for f in found] == [("not_a_mapping", "report.yaml")]


# -- references, typed numbers, placement ---------------------------------------------------

def test_undefined_reference_is_located_at_the_items_text(workspace):
    text = ("部门: 市场监管局\n内容:\n  - 上级: 法律援助\n    标题: 食品安全\n"
            "    正文: 查处案件{{ 市场监管.食品案件 }}件。\n")
    root = workspace({OTHER: text})
    assert located(root) == [("ref_undefined", OTHER, 5, "内容.0.正文.0")]
    assert "市场监管.食品案件" in messages(root)["ref_undefined"]


def test_undefined_reference_in_a_later_paragraph_and_in_a_child(workspace):
    text = """\
        内容:
          - 上级: 法律援助
            标题: 食品安全
            正文:
              - 第一段。
              - 第二段{{ 法律援助.办结 }}。
            子项:
              - 标题: 药品
                正文: 共{{ 药品.案件 }}件。
        """
    found = located(workspace({OTHER: text}))
    assert sorted(found) == sorted([
        ("ref_undefined", OTHER, 6, "内容.0.正文.1"),
        ("ref_undefined", OTHER, 9, "内容.0.子项.0.正文.0"),
    ])


def test_undefined_reference_in_report_yaml_lead(workspace):
    root = workspace({"report.yaml": REPORT + "导语: 现将{{ 年份 }}年工作报告如下：\n"})
    assert located(root) == [("ref_undefined", "report.yaml", 3, "导语.0")]  # its first paragraph


@pytest.mark.parametrize("item, line, path, marker", [
    ("    标题: 一、食品安全\n    正文: 文字\n", 4, "内容.0.标题", "一、"),
    ("    标题: （二）食品安全\n    正文: 文字\n", 4, "内容.0.标题", "（二）"),
    ("    标题: 食品安全\n    正文: 1.加强监管\n", 5, "内容.0.正文.0", "1."),
    ("    标题: 食品安全\n    正文:\n      - 文字\n      - (3)加强监管\n", 7, "内容.0.正文.1", "(3)"),
])
def test_typed_numbering(workspace, item, line, path, marker):
    root = workspace({OTHER: "部门: 市场监管局\n内容:\n  - 上级: 法律援助\n" + item})
    assert located(root) == [("typed_numbering", OTHER, line, path)]
    assert marker in messages(root)["typed_numbering"]


def test_numbers_that_are_not_markers_pass(workspace):
    item = "    标题: 食品安全\n    正文:\n      - 1.5万元罚没款\n      - 一是加强监管\n"
    root = workspace({OTHER: "部门: 市场监管局\n内容:\n  - 上级: 法律援助\n" + item})
    assert located(root) == []


def test_unknown_section(workspace):
    text = "内容:\n  - 章节: 主要举措\n    标题: 甲\n    正文: 文字\n"
    root = workspace({OTHER: text})
    assert located(root) == [("section_unknown", OTHER, 2, "内容.0.章节")]
    assert "主要举措和成效" in messages(root)["section_unknown"]


def test_unknown_section_in_report_yaml(workspace):
    root = workspace({"report.yaml": REPORT + "章节顺序:\n  - 主要举措和成效\n"
                                              "  - 其它情况\n"})
    assert located(root) == [("section_unknown", "report.yaml", 5, "章节顺序.1")]


def test_unknown_parent(workspace):
    text = "内容:\n  - 上级: 法律援住\n    标题: 甲\n    正文: 文字\n"
    root = workspace({OTHER: text})
    assert located(root) == [("parent_unknown", OTHER, 2, "内容.0.上级")]
    assert "法律援助" in messages(root)["parent_unknown"]


def test_metric_conflict_is_reported_at_the_second_file(workspace):
    text = "部门: 市场监管局\n指标:\n  专项检查:\n    检查次数: {值: 5, 单位: 次}\n"
    root = workspace({OTHER: text})
    assert located(root) == [("metric_conflict", OTHER, 4, "指标.专项检查.检查次数")]
    assert DEPT in messages(root)["metric_conflict"]


@pytest.mark.parametrize("item, code, line, path", [
    ("  - 章节: 主要举措和成效\n    上级: 法律援助\n    正文: 文字\n", "item_placement", 2, "内容.0"),
    ("  - 标题: 甲\n    正文: 文字\n", "item_placement", 2, "内容.0"),
    ("  - 上级: 法律援助\n    标识: 法律援助\n    标题: 甲\n", "item_id_duplicate", 3, "内容.0.标识"),
    ("  - 上级: 法律援助\n    标识: 甲\n", "item_empty", 2, "内容.0"),
    ("  - 上级: 法律援助\n    标题: 甲\n    子项:\n      - 章节: 主要举措和成效\n        正文: 文字\n",
     "child_placement", 5, "内容.0.子项.0"),
])
def test_item_structure_problems(workspace, item, code, line, path):
    assert located(workspace({OTHER: "内容:\n" + item})) == [(code, OTHER, line, path)]


def test_bad_metric_identifier(workspace):
    root = workspace({OTHER: "指标:\n  市场监管:\n    2023案件: 5\n"})
    assert located(root) == [("bad_identifier", OTHER, 3, "指标.市场监管.2023案件")]


def test_covers_unknown_section_is_located(workspace):
    text = "内容:\n  - 上级: 法律援助\n    标题: 甲\n    正文: 文字\n    涵盖: [其它情况]\n"
    found = located(workspace({OTHER: text}))
    assert [f[:2] for f in found] == [("covers_unknown", OTHER)]
    assert found[0][2] == 5


def test_section_title_with_a_typed_marker_is_an_error(workspace):
    root = workspace({"report.yaml": REPORT + "章节:\n  主要举措和成效:\n"
                                              "    标题: 一、主要举措\n"})
    found = located(root)
    assert [f[1:] for f in found] == [("report.yaml", 5, "章节.主要举措和成效.标题")]
    assert found[0][0] in ("title_typed_marker", "typed_numbering")


def test_department_order_names_a_missing_file(workspace):
    root = workspace({"report.yaml": REPORT + "部门:\n  - 司法局\n  - 公安局\n"})
    assert located(root) == [("department_unknown", "report.yaml", 5, "部门.1")]


def test_unsupported_file_is_a_warning_and_strict_makes_it_an_error(workspace):
    root = workspace({"departments/说明.txt": "x"})
    report = validate_workspace(root)
    assert report.flatten(("code", "severity", "file")) == [
        ("unsupported_file", "warning", "departments/说明.txt")]
    assert report.ok and (report.errors, report.warnings) == (0, 1)
    strict = validate_workspace(root, strict=True)
    assert not strict.ok and (strict.errors, strict.warnings) == (1, 0)


def test_unknown_template(workspace):
    root = workspace({"report.yaml": REPORT + "模板: 年度报告\n"})
    assert [f[:2] for f in located(root)] == [("template_unknown", "report.yaml")]
    assert "fazhi-annual" in messages(root)["template_unknown"]
    assert located(root, template="fazhi-annual") == []


# -- required sections -------------------------------------------------------------------------

def test_required_section_missing(workspace):
    text = JUDICIAL.replace("      - 章节: 下一年度主要安排\n        正文: 继续推进。\n", "")
    found = located(workspace({DEPT: text}))
    assert found == [("section_missing", "report.yaml", 1, "章节.下一年度主要安排")]


def test_required_section_covered_by_another_item(workspace):
    text = JUDICIAL.replace("      - 章节: 第一责任人职责\n        正文: 主要负责人履行第一责任人职责。\n",
                            "").replace("        标识: 法律援助\n", "        标识: 法律援助\n        涵盖: [第一责任人职责]\n")
    assert located(workspace({DEPT: text})) == []


def test_work_report_has_no_required_sections(make_tree):
    root = make_tree({"report.yaml": "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n"})
    assert located(root) == []


# -- every problem at once ----------------------------------------------------------------------

def test_every_problem_is_reported_in_one_run(workspace):
    market = """\
        部门: 市场监管局
        指标:
          市场监管:
            食品案件: 104
            罚款: -26.55
            药品案件: {值: 53, 单位: 件}
        内容:
          - 上级: 法律援助
            标题: 加强食品安全执法
            正文: 查处食品类案件{{ 市场监管.食品案件 }}件，药品{{ 市场监管.药械案件 }}件。
          - 上级: 法律援住
            标题: 其他
            正文: 文字
          - 上级: 法律援助
            标题: （三）特种设备
            正文: 文字
        """
    root = workspace({
        OTHER: market,
        "departments/交通运输局.yaml": "指标:\n  交通: 案件: 1\n",
        "report.yaml": REPORT + "成文日起: 2024-01-09\n",
    })
    assert sorted(located(root)) == sorted([
        ("extra_forbidden", "report.yaml", 3, "成文日起"),
        ("yaml_syntax", "departments/交通运输局.yaml", 2, None),
        ("negative_value", OTHER, 5, "指标.市场监管.罚款.值"),
        ("ref_undefined", OTHER, 10, "内容.0.正文.0"),
        ("parent_unknown", OTHER, 11, "内容.1.上级"),
        ("typed_numbering", OTHER, 15, "内容.2.标题"),
    ])


def test_an_invalid_item_does_not_shift_the_location_of_later_ones(workspace):
    market = """\
        内容:
          - 上级: 法律援助
            标题: 甲
            连排: 也许
          - 上级: 法律援助
            标题: 乙
            正文: 文字
          - 上级: 法律援助
            标题: 丙
            正文: 共{{ 市场监管.案件 }}件。
        """
    assert sorted(located(workspace({OTHER: market}))) == sorted([
        ("bool_parsing", OTHER, 4, "内容.0.连排"),
        ("ref_undefined", OTHER, 10, "内容.2.正文.0"),
    ])


def test_duplicate_id_after_an_invalid_item_names_both_real_places(workspace):
    market = """\
        内容:
          - 上级: 法律援助
            标题: 甲
            子项: 乙
          - 上级: 法律援助
            标识: 丙
            标题: 丙
          - 上级: 法律援助
            标识: 丙
            标题: 丁
        """
    root = workspace({OTHER: market})
    assert sorted(located(root)) == sorted([
        ("list_type", OTHER, 4, "内容.0.子项"),
        ("item_id_duplicate", OTHER, 9, "内容.2.标识"),
    ])
    assert "第6行" in messages(root)["item_id_duplicate"]
