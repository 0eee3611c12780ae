"""Each proofreader rule: text it must flag (every occurrence, with offset and fix) and
real usage it must leave alone; `nianbao lint` end to end."""

from __future__ import annotations

import json

import pytest
from conftest import shared_path

from generator.cli import main
from generator.proof.document import check_document
from generator.proof.paragraph import PARAGRAPH_RULES
from generator.proof.reader import paragraphs


def found(code: str, text: str) -> list:
    return list(PARAGRAPH_RULES[code](text))


@pytest.mark.parametrize("code, text, snippets", [
    ("blank_figure", "共培训执法人员人次，罚没款万元。", ["人次", "万元"]),
    ("blank_figure", "开展普法活动场，发放宣传资料份。", ["场", "份"]),
    ("placeholder", "由XX局牵头，某某同志负责，待补充。", ["XX", "某某", "待补充"]),
    ("malformed_date", "20205月、2021年-2025、《规划（2016-2020）》", ["20205月", "2021年-2025", "2016-2020"]),
    ("doubled_punctuation", "办结，，群众满意。。", ["，，", "。。"]),
    ("cjk_space", "基础建设 。一是 加强", [" ", " "]),
    ("ascii_quotes", '推行"一站式"服务', ['"', '"']),
    ("number_format", "受理1,250件，办结率为105%，共3千人", ["1,250", "105%", "3千"]),
    ("repeated_text", "规范的的执法，进一步进一步加强，按照按程序", ["的", "进一步", "按"]),
    ("repeated_text", "按按照规定", ["按"]),
    ("repeated_sentence", "加强执法人员培训工作，落实制度。加强执法人员培训工作，提升水平。", ["加强执法人员培训工作，"]),
    ("typo_confusion", "截止目前，其它单位如实反应问题，2021年来", ["截止", "其它", "反应", "来"]),
    ("term_near_miss", "落实《法治政府建设实施纲要（2022—2025年）》和《法治政府建设施纲要》",
     ["《法治政府建设实施纲要（2022—2025年）》", "法治政府建设施纲要"]),
    ("numbering_sequence", "一是加强领导；二是完善制度；二是强化督查；四是狠抓落实。", ["二是", "四是"]),
    ("unbalanced_brackets", "《人民日报》新华社、法治日报》、《税务报", ["》", "《"]),
])
def test_rule_flags_every_occurrence(code: str, text: str, snippets: list[str]) -> None:
    hits = found(code, text)
    assert [h.snippet for h in hits] == snippets
    for hit in hits:
        assert text[hit.start:hit.end] == hit.snippet


@pytest.mark.parametrize("code, text", [
    ("blank_figure", "服务人次较多，每万元GDP能耗下降，共计817件，约300余场次，案件、市场、客户、商户提供"),
    ("placeholder", "X名法律明白人，XXL，某企业"),
    ("malformed_date", "《纲要（2021—2025年）》，2020年5月8日，2021—2025年"),
    ("doubled_punctuation", "一是……二是……，“一站式”。"),
    ("cjk_space", "中共嘉兴市委 嘉兴市人民政府关于报告，《贯彻讲话精神 深化防控的意见》"),
    ("ascii_quotes", "GB/T 9704 \"A\" text"),
    ("number_format", "增长150%，1.加强领导，12345热线，3千米，3.5万份"),
    ("repeated_text", "等等，一步一步，家家户户，不了了之，关于转发通知的通知的通知，按照按月"),
    ("repeated_sentence", "加强组织领导。完善工作制度。"),
    ("typo_confusion", "截止到2020年，截止日期，其他单位，群众反应强烈，近年来，必需品"),
    ("term_near_miss", "省委、省政府《法治政府建设实施纲要（2016—2020年）》，现行规范性文件，领导干部法治"),
    ("numbering_sequence", "一是加强领导；二是完善制度。一是强化督查。"),
    ("unbalanced_brackets", "“一站式”服务（试行）(草案)《规定》【通知】"),
])
def test_rule_leaves_real_usage_alone(code: str, text: str) -> None:
    assert found(code, text) == []


def _doc(*lines: str):
    paras = paragraphs(list(enumerate(lines, 1)))
    return [(paras[i].line, f.code, f.snippet) for i, f in check_document(paras)]


def test_document_rules() -> None:
    assert _doc("一、甲", "（一）乙。", "二、丙", "（二）丁。") == [(4, "numbering_runon", "（二）")]
    assert _doc("一、甲", "（一）乙。", "（三）丙。") == [(3, "numbering_sequence", "（三）")]
    assert _doc("一、甲", "1、乙。") == [(2, "numbering_malformed", "1、")]
    assert _doc("一、甲", "（一）乙。", "（二）丁。") == []
    assert _doc("一、甲", "（一）乙。", "(二)丁。", "（三）戊。") == [(3, "numbering_mixed", "(二)")]
    text = "全年召开专题会议4次，研究部署法治政府建设工作。"
    assert _doc(text, text) == [(2, "repeated_paragraph", text)]
    assert _doc("某县人民政府", "正文。", "某县人民政府") == []
    assert _doc("全年召开专题会议4次，研究部署法治政府建设工作，推动任务落实") == \
        [(1, "missing_end_punct", "实")]


def test_reader_skips_web_chrome() -> None:
    lines = ["source: https://example.gov.cn/a.html", "", "某县2023年法治政府建设情况报告",
             "发布时间：2024-01-05 来源：县司法局 字号：【大 中 小】", "首页 > 政务公开 > 法治政府",
             "| 索引号 | 001 |", "文号", "某政〔2024〕1号", "某县", "2023年法治政府建设情况报告",
             "2023年，我县扎实推进法治政府建设。"]
    assert [p.text for p in paragraphs(list(enumerate(lines, 1)))] == [
        "某县2023年法治政府建设情况报告", "2023年，我县扎实推进法治政府建设。"]


def test_lint_cli_json_on_the_seeds(capsys) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--json", *map(str, seeds)])
    result = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 0  # the seeds' slips are warnings
    got = {(i["code"], i["snippet"]) for i in result["issues"]}
    assert {("typo_confusion", "截止"), ("typo_confusion", "营业照"), ("digit_ge_typo", "各"),
            ("spaced_digits", " "), ("typo_confusion", "调节"),
            ("numbering_runon", "(三)")} <= got
    assert all(i["line"] and i["column"] for i in result["issues"])


def test_lint_cli_docx_and_template(tmp_path, capsys) -> None:
    from docx import Document

    doc = Document()
    for text in ("一、主要举措和成效", "全年共办理案件约件，，群众满意。"):
        doc.add_paragraph(text)
    path = tmp_path / "报告.docx"
    doc.save(path)
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--json", "--template", "fazhi-annual", str(path)])
    result = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 1
    codes = [i["code"] for i in result["issues"]]
    assert "blank_figure" in codes and "doubled_punctuation" in codes
    assert codes.count("required_item_missing") == 3  # 不足, 第一责任人, 下一年度


def test_lint_cli_missing_file(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "没有这个文件.txt"])
    assert exit_info.value.code == 2


def test_lint_sums_up_half_width_punctuation_once_per_file() -> None:
    from generator.lint import lint_paragraphs

    paras = paragraphs(list(enumerate(["全县推进法治建设,成效明显。", "审查文件12件(含部门文件3件);办结。",
                                       "全年办理案件36件。"], 1)))
    found = [i for i in lint_paragraphs(paras, "报告.txt") if "punctuation" in i.code]
    assert [(i.code, i.loc.line, i.loc.column, i.snippet, i.fix) for i in found] == [
        ("ascii_punctuation_file", 1, 9, ",", "，")]
    assert "全文有 4 处半角标点" in found[0].message and "输出时" not in found[0].message
    assert "第 1、2 行" in found[0].message


@pytest.mark.parametrize("code, text, snippets", [
    ("enumeration_comma", "拓展行业性，专业性调解领域，推进规范化，标准化建设", ["，", "，"]),
    ("enumeration_comma", "将法治宣传，法治审核等作为重点", ["，"]),
    ("repeated_text", "在疫情期间，为确保困难家庭在疫情期间渡过难关", ["在疫情期间"]),
    ("term_near_miss", "现提将我镇法治政府建设情况报告如下：", ["现提将"]),
    ("term_near_miss", "深入开展四个个意识教育，落实严格规范公正文明执执法", ["四个个意识", "严格规范公正文明执执法"]),
])
def test_new_rules_flag(code: str, text: str, snippets: list[str]) -> None:
    hits = found(code, text)
    assert [h.snippet for h in hits] == snippets
    for hit in hits:
        assert text[hit.start:hit.end] == hit.snippet


@pytest.mark.parametrize("code, text", [
    ("enumeration_comma", "推进制度化、规范化，积极化解行政争议，持续深化，强化措施，创新方式，形式多样"),
    ("enumeration_comma", "加强法治宣传，完善制度等工作；规范化，规范化"),
    ("repeated_text", "在疫情期间，我们坚持服务。在疫情期间，我们做好防控。"),
    ("term_near_miss", "现特将有关情况报告如下：现将情况汇报如下："),
])
def test_new_rules_leave_real_usage_alone(code: str, text: str) -> None:
    assert found(code, text) == []


def test_report_year_and_same_sound_slips() -> None:
    title = "某县2023年法治政府建设情况报告"
    assert _doc(title, "2023年，全县推进法治建设。", "一、2022年工作情况", "二、2024年工作安排") == \
        [(3, "report_year_mismatch", "2022")]
    assert _doc(title, "今年（2022年）是关键一年。") == [(2, "report_year_mismatch", "2022")]
    assert _doc("2023年，全县推进法治建设。", "一、2021年以来的成效",
                "（一）2021—2025年规划", "今年（2023年）是关键一年。") == []
    assert _doc("某县法治政府建设情况报告", "一、2021年工作情况") == []  # no year to compare with
    assert _doc("办政大厅处于验收阶段。", "配备办证大厅办公设备。") == \
        [(1, "term_near_miss", "办政大厅")]
    assert _doc("落实重大执法决定法制审核制度。", "推进法制审核全覆盖。", "严格法治审核。") == \
        [(3, "term_near_miss", "法治审核")]
    assert _doc("推进行政执法人员培训。", "持证执法人员120名。") == []  # 政/证 at a word's edge
