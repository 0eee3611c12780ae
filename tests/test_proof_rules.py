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
