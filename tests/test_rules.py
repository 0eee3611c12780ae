"""Rules beyond the one-fixture-per-code tests: the finders' negatives, derived rates and
同比 in prose, switching rules off, summing additive metrics, R10's exceptions, and the
data examples (zero errors; only the warnings their READMEs explain)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path

from generator.api import build_report, prepare, validate_workspace
from generator.cli import main
from generator.rules import text as t
from generator.rules.catalogue import resolve
from generator.rules.report import deadline
from generator.yoy import change_text

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data_examples"

REPORT = """\
模板: work-report
机关: 测试县人民政府
年度: 2023
"""


def dept(body: str, metrics: str = "") -> str:
    out = "部门: 测试县司法局\n"
    if metrics:
        out += "指标:\n" + metrics
    return out + "内容:\n  - 章节: 正文\n    标题: 加强行政复议\n    正文: '" + body + "'\n"


def codes(report) -> list[str]:
    return [i.code for i in report.issues]


# -- text finders: what they must not flag ------------------------------------------

@pytest.mark.parametrize("text", [
    "共计817件，", "约300余场次", "以学习为名，", "评选法治达人。", "达到国家标准", "预约人员",
    "为人民服务", "公共项目建设", "共同推进", "由司法局调整为", "X名法律明白人",
])
def test_blank_figure_ignores_ordinary_wording(text: str) -> None:
    assert t.blank_figure(text) is None


@pytest.mark.parametrize("text, match", [
    ("办理各类公证事项约件，", "约件"), ("共个部门", "共个"), ("标准由调整为", "由调整为"),
    ("纠错率为%", "为%"), ("罚款共计万元", "共计万元"),
])
def test_blank_figure_finds_the_gap(text: str, match: str) -> None:
    assert t.blank_figure(text)["match"] == match


@pytest.mark.parametrize("finder, text", [
    (t.malformed_date, "2020年5月8日、2月29日，《纲要（2021—2025年）》"),
    (t.spaced_digits, "GB/T 9704—2012，2023年"),
    (t.digit_ge_typo, "2023年各部门"),
    (t.placeholder, "XXL，X名"),
    (t.unbalanced_brackets, "“一站式”服务（试行）(草案)《规定》"),
    (t.ascii_punctuation, "增长1.5%，共3.5万份，http://a.b"),
    (t.fullwidth_digits, "2023年"),
])
def test_finders_accept_correct_text(finder, text: str) -> None:
    assert finder(text) is None


@pytest.mark.parametrize("text, hint", [("20205月", "2020年5月"), ("202010月", "2020年10月")])
def test_malformed_date_suggests_the_fix(text: str, hint: str) -> None:
    assert hint in t.malformed_date(text)["hint"]


def test_invalid_calendar_dates_are_flagged() -> None:
    assert t.malformed_date("2023年2月30日") is not None
    assert t.malformed_date("13月5日") is not None


def test_text_rules_do_not_fire_on_the_seed_reports() -> None:
    """The three published reports contain exactly two real slips (11各部门, 36 次)."""
    seeds = shared_path("seeds")
    hits = set()
    for seed in seeds.glob("*.txt"):
        for line in seed.read_text(encoding="utf-8").splitlines():
            for code, finder in t.FINDERS.items():
                if code != "ascii_punctuation" and finder(line):  # seeds folded ，to ,
                    hits.add((code, finder(line)["match"][:6]))
    assert {c for c, _ in hits} <= {"digit_ge_typo", "spaced_digits"}


# -- derived rates and 同比 ------------------------------------------------------------

def test_derived_rate_is_available_in_prose(make_tree) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": dept(
        "纠错率{{ 行政复议.纠错率 | 带单位 }}。",
        "  行政复议:\n    审结: 30\n    纠错: 4\n")})
    prepared = prepare(ws)
    assert prepared.report.ok, prepared.report.issues
    assert prepared.outline.blocks[-1].text == "纠错率13.33%。"


def test_supplied_rate_wins_over_the_derived_one(make_tree) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": dept(
        "{{ 行政复议.纠错率 }}", "  行政复议:\n    审结: 30\n    纠错: 4\n    纠错率: 13.3\n")})
    prepared = prepare(ws)
    assert prepared.outline.blocks[-1].text == "13.3"
    assert "rate_mismatch" not in codes(prepared.report)  # 0.03 pp is within 0.1


def test_rate_denominator_falls_back(make_tree) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": dept(
        "{{ 行政应诉.负责人出庭率 }}", "  行政应诉:\n    案件数: 8\n    负责人出庭: 6\n")})
    assert prepare(ws).outline.blocks[-1].text == "75"


@pytest.mark.parametrize("current, last, rate, text", [
    (112.3, 100, False, "同比增长12.3%"), (95, 100, False, "同比下降5.0%"),
    (100, 100, False, "与上年持平"), (100.04, 100, False, "与上年持平"),
    (31.5, 29.4, True, "同比提高2.1个百分点"), (5, 0, False, None), (0, 0, False, "与上年持平"),
])
def test_change_text(current, last, rate, text) -> None:
    assert change_text(current, last, rate=rate) == text


def _two_years(make_tree, body: str, metrics: str, last_metrics: str, extra: str = "") -> Path:
    make_tree({"report.yaml": REPORT.replace("2023", "2022"),
               "departments/司法局.yaml": "部门: 测试县司法局\n指标:\n" + last_metrics},
              name="y2022")
    return make_tree({"report.yaml": REPORT + "上年工作区: ../y2022\n" + extra,
                      "departments/司法局.yaml": dept(body, metrics)}, name="y2023")


def test_yoy_helper_in_prose(make_tree) -> None:
    ws = _two_years(make_tree, "受理{{ 行政复议.受理 }}件，{{ 同比(行政复议.受理) }}。",
                    "  行政复议:\n    受理: 112\n", "  行政复议:\n    受理: 100\n")
    prepared = prepare(ws)
    assert prepared.report.ok, prepared.report.issues
    assert prepared.outline.blocks[-1].text == "受理112件，同比增长12.0%。"


def test_yoy_of_a_derived_rate_is_in_points(make_tree) -> None:
    ws = _two_years(make_tree, "{{ 同比(行政复议.纠错率) }}",
                    "  行政复议:\n    审结: 100\n    纠错: 12\n",
                    "  行政复议:\n    审结: 100\n    纠错: 10\n")
    assert prepare(ws).outline.blocks[-1].text == "同比提高2.0个百分点"


def test_previous_from_the_command_line_wins(make_tree) -> None:
    ws = _two_years(make_tree, "{{ 同比(行政复议.受理) }}", "  行政复议:\n    受理: 100\n",
                    "  行政复议:\n    受理: 100\n")
    other = make_tree({"report.yaml": REPORT.replace("2023", "2022"),
                       "departments/司法局.yaml": "指标:\n  行政复议:\n    受理: 80\n"},
                      name="other")
    assert prepare(ws, previous=other).outline.blocks[-1].text == "同比增长25.0%"


def test_large_change_is_quiet_with_a_note_or_a_higher_threshold(make_tree) -> None:
    noted = _two_years(make_tree, "文字。", "  行政复议:\n    受理: {值: 30, 变动说明: 新增复议点}\n",
                       "  行政复议:\n    受理: 10\n")
    assert "yoy_change_large" not in codes(validate_workspace(noted))
    loose = make_tree({"report.yaml": REPORT + "上年工作区: ../y2022\n同比预警幅度: 300\n",
                       "departments/司法局.yaml": dept("文字。", "  行政复议:\n    受理: 30\n")},
                      name="loose")
    assert "yoy_change_large" not in codes(validate_workspace(loose))


def test_cli_previous_option(make_tree, capsys) -> None:
    ws = _two_years(make_tree, "文字。", "  行政复议:\n    受理: 30\n",
                    "  行政复议:\n    受理: 10\n")
    (ws / "report.yaml").write_text(REPORT, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(ws), "--strict", "--previous", str(ws.parent / "y2022")])
    assert exit_info.value.code == 1
    assert "yoy_change_large" in capsys.readouterr().out


# -- additive metrics, switches, deadlines ------------------------------------------------

def test_additive_metrics_are_summed(make_tree) -> None:
    ws = make_tree({
        "report.yaml": REPORT,
        "departments/司法局.yaml": dept("共办理{{ 行政执法.案件数 }}件。",
                                       "  行政执法:\n    案件数: 12\n"),
        "departments/市场监管局.yaml": "指标:\n  行政执法:\n    案件数: 30\n"})
    prepared = prepare(ws)
    assert prepared.report.ok, prepared.report.issues
    assert prepared.outline.blocks[-1].text == "共办理42件。"


@pytest.mark.parametrize("name", ["W3", "below_recommended", "w3"])
def test_switch_off_by_code_or_spec_number(make_tree, name: str) -> None:
    ws = make_tree({"report.yaml": REPORT + f"关闭规则:\n  - 规则: {name}\n    原因: 口径不同\n",
                    "departments/司法局.yaml": dept("文字。", "  行政执法:\n    人均培训学时: 30\n")})
    report = validate_workspace(ws, strict=True)
    assert codes(report) == ["rule_disabled"]
    assert report.ok
    assert "口径不同" in report.issues[0].message


def test_switch_needs_a_reason(make_tree) -> None:
    ws = make_tree({"report.yaml": REPORT + "关闭规则:\n  - 规则: W3\n", "departments/a.yaml": ""})
    assert "missing" in codes(validate_workspace(ws))


def test_spec_numbers_resolve_to_rules() -> None:
    assert [r.code for r in resolve("R9")] == ["year_date_mismatch"]
    assert {r.code for r in resolve("R1")} >= {"metric_out_of_bounds", "negative_value"}
    assert resolve("W7") == []


@pytest.mark.parametrize("organ, month", [
    ("河北省人民政府", 4), ("中共河北省委", 4), ("北京市人民政府", 4), ("广西壮族自治区人民政府", 4),
    ("秦皇岛市抚宁区人民政府", 3), ("河北省司法厅", 3), ("石家庄市人民政府", 3),
])
def test_reporting_deadline_by_level(organ: str, month: int) -> None:
    assert deadline(organ, 2023)[0].month == month


# -- headings and years (R10) ----------------------------------------------------------------

@pytest.mark.parametrize("heading, ok", [
    ("2023年工作回顾", True), ("2022年以来的工作", False),
    ("贯彻《法治政府建设实施纲要（2021—2025年）》", True), ("2021—2025年规划落实情况", True),
    ("2024年工作打算", True), ("2024年重点工作", False),
])
def test_heading_years(make_tree, heading: str, ok: bool) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml":
                    "内容:\n  - 章节: 正文\n    标题: " + heading + "\n    正文: 文字。\n"})
    assert ("heading_year_mismatch" not in codes(validate_workspace(ws))) is ok


def test_plan_section_headings_name_the_next_year(make_tree) -> None:
    items = """内容:
  - 章节: 主要举措和成效
    标题: 加强组织领导
    正文: 文字。
  - 章节: 存在的不足和原因
    正文: 文字。
  - 章节: 第一责任人职责
    正文: 文字。
  - 章节: 下一年度主要安排
    标题: {heading}
    正文: 文字。
"""
    report = "模板: fazhi-annual\n机关: 测试县人民政府\n年度: 2023\n"
    good = make_tree({"report.yaml": report, "departments/a.yaml":
                      items.format(heading="2024年深化行政执法改革")}, name="good")
    bad = make_tree({"report.yaml": report, "departments/a.yaml":
                     items.format(heading="2023年深化行政执法改革")}, name="bad")
    assert validate_workspace(good, strict=True).issues == []
    assert codes(validate_workspace(bad)) == ["heading_year_mismatch"]


# -- the data examples -------------------------------------------------------------------------

@pytest.mark.parametrize("name, warnings", [
    ("funing-2023", ["typo_confusion", "enumeration_comma"]),
    ("shanhaiguan-2020", ["repeated_text"] * 2 + ["typo_confusion"] * 3 + ["enumeration_comma"]), ("zichuan-2024", ["below_recommended"]),
])
def test_examples_have_no_errors_and_only_explained_warnings(name: str, warnings) -> None:
    report = validate_workspace(EXAMPLES / name)
    assert report.errors == 0
    assert codes(report) == warnings  # each one explained in the example's README
    readme = (EXAMPLES / name / "README.md").read_text(encoding="utf-8")
    assert all(code in readme for code in warnings)


def test_shanhaiguan_as_annual_report_lacks_the_required_items() -> None:
    report = validate_workspace(EXAMPLES / "shanhaiguan-2020", template="fazhi-annual")
    missing = [i for i in report.issues if i.code == "section_missing"]
    assert {i.severity for i in missing} == {"error"}
    text = " ".join(i.message for i in missing)
    for item in ("党政主要负责人履行推进法治建设第一责任人职责情况", "存在的不足和原因"):
        assert item in text
    assert all("法治政府建设与责任落实督察工作规定" in i.message for i in missing)


def test_build_refuses_an_unavailable_yoy_but_drafts_it(make_tree, tmp_path) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": dept(
        "{{ 同比(行政复议.受理) }}", "  行政复议:\n    受理: 3\n")})
    refused = build_report(ws, tmp_path / "out")
    assert refused.output is None
    assert codes(refused.report) == ["yoy_unavailable"]
    draft = prepare(ws, draft=True)  # what build --draft renders
    assert draft.outline.blocks[-1].text == "【待补充：同比（行政复议.受理）】"
    assert codes(draft.report) == ["yoy_unavailable"]  # the marker is not a placeholder


def test_a_salvaged_year_does_not_raise_year_rules(make_tree) -> None:
    ws = make_tree({"report.yaml": "模板: work-report\n机关: 测试县人民政府\n年度: 2023年\n"
                                   "成文日期: 2024-01-09\n"})
    assert codes(validate_workspace(ws)) == ["int_type"]


def test_text_rules_locate_items_after_an_invalid_one(make_tree) -> None:
    ws = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": """\
内容:
  - 章节: 正文
    标题: 甲
    连排: 也许
  - 章节: 正文
    标题: 乙
    正文: 办理公证事项约件。
"""})
    found = validate_workspace(ws).flatten(("code", "line", "path"))
    assert ("blank_figure", 7, "内容.1.正文.0") in found
