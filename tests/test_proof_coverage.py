"""Every code the proofreader can report has a positive case (the code is reported) and
a negative case (a near twin written right: the code is not), run through `lint` on
paragraphs; the table must cover every code the proofreader has."""

from __future__ import annotations

import pytest

from generator.lint import lint_files, lint_paragraphs
from generator.proof.paragraph import PARAGRAPH_RULES
from generator.proof.reader import paragraphs

DOC_RULE = ["一、甲", "（一）乙。"]
TEXT = "全年召开专题会议4次，研究部署法治政府建设工作，推动任务落实"

#: code -> (lines that must yield it, lines that must not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "blank_figure": (["全年共办理案件约件。"], ["全年共办理案件约300件。"]),
    "placeholder": (["由XX局牵头负责。"], ["由县司法局牵头负责。"]),
    "malformed_date": (["20205月召开会议。"], ["2020年5月召开会议。"]),
    "spaced_digits": (["召开会议36 次。"], ["召开会议36次。"]),
    "fullwidth_digits": (["召开会议３６次。"], ["召开会议36次。"]),
    "digit_ge_typo": (["组织11各部门开展检查。"], ["组织11个部门开展检查，各部门积极配合。"]),
    "ascii_punctuation_file": (["加强领导,落实责任。"], ["加强领导，落实责任。"]),
    "unbalanced_brackets": (["落实《规定的要求。"], ["落实《规定》的要求。"]),
    "doubled_punctuation": (["办结，，群众满意。"], ["办结，群众满意。"]),
    "cjk_space": (["夯实基础建设 。"], ["夯实基础建设。"]),
    "ascii_quotes": (['推行"一站式"服务。'], ["推行“一站式”服务。"]),
    "number_format": (["受理1,250件。"], ["受理1250件。"]),
    "repeated_text": (["规范的的执法。"], ["规范的执法。"]),
    "repeated_sentence": (["加强执法人员培训工作，落实制度。加强执法人员培训工作，提升水平。"],
                          ["加强执法人员培训工作，落实制度，提升水平。"]),
    "typo_confusion": (["截止目前已全部整改。"], ["截至目前已全部整改。"]),
    "term_near_miss": (["认真贯彻《优化营商环境条条例》。"], ["认真贯彻《优化营商环境条例》。"]),
    "numbering_sequence": (["一是加强领导；三是完善制度。"], ["一是加强领导；二是完善制度。"]),
    "enumeration_comma": (["拓展行业性，专业性调解领域。"], ["拓展行业性、专业性调解领域。"]),
    "missing_clause_punct": (["经验做法在省级媒体宣传报道3次被司法厅推广。"],
                             ["经验做法在省级媒体宣传报道，3次被司法厅推广，先后3次被评为先进。"]),
    "numbering_malformed": (["一、甲", "1、乙。"], ["一、甲", "（一）乙。", "1.丙。"]),
    "numbering_mixed": ([*DOC_RULE, "(二)丁。", "（三）戊。"], [*DOC_RULE, "（二）丁。", "（三）戊。"]),
    "numbering_runon": ([*DOC_RULE, "二、丙", "（二）丁。"], [*DOC_RULE, "二、丙", "（一）丁。"]),
    "numbering_level": (["（一）甲。", "一、乙", "（一）丙。"], ["一、乙", "（一）丙。"]),
    "repeated_paragraph": ([TEXT + "。", TEXT + "。"], [TEXT + "。", TEXT + "，取得成效。"]),
    "date_range_mixed": (["落实《纲要（2021—2025年）》。", "落实《规划（2021-2025年）》。"],
                         ["落实《纲要（2021—2025年）》。", "落实《规划（2021—2025年）》。"]),
    "missing_end_punct": ([TEXT], [TEXT + "。", TEXT + "!"]),  # a half-width end mark is not missing
    "date_after_signing": (["2024年3月5日召开会议。", "某县人民政府", "2024年1月10日"],
                           ["2024年1月5日召开会议。", "某县人民政府", "2024年1月10日"]),
    "report_year_mismatch": (["某县2023年法治政府建设情况报告", "一、2021年工作情况", "全年办结。"],
                             ["某县2023年法治政府建设情况报告", "一、2023年工作情况", "全年办结。"]),
}

#: Codes checked elsewhere: ascii_punctuation is the validate form of
#: ascii_punctuation_file (below); required_item_missing needs a report type (below).
OTHER = {"ascii_punctuation", "required_item_missing"}


def _codes(lines: list[str]) -> set[str]:
    return {i.code for i in lint_paragraphs(paragraphs(list(enumerate(lines, 1))), "报告.txt")}


@pytest.mark.parametrize("code", sorted(CASES))
def test_positive_and_negative(code: str) -> None:
    positive, negative = CASES[code]
    assert code in _codes(positive), positive
    assert code not in _codes(negative), negative


def test_every_proofreader_code_has_cases() -> None:
    from generator.rules.catalogue import BY_CODE

    # typed_numbering and title_typed_marker judge workspace data, and district_paragraph_copied
    # compares districts in a rollup (its fixture is a rollup case): not the proofreader's
    proof = {c for c, r in BY_CODE.items() if r.category == "文字"} | set(PARAGRAPH_RULES)
    proof -= {"typed_numbering", "title_typed_marker", "district_paragraph_copied"}
    missing = {c for c in proof if c not in CASES and c not in OTHER}
    assert not missing, missing


def test_ascii_punctuation_in_validate() -> None:
    rule = PARAGRAPH_RULES["ascii_punctuation"]
    assert [f.fix for f in rule("加强领导,落实责任。")] == ["，"]
    assert list(rule("加强领导，落实责任。")) == []


def test_required_items(tmp_path) -> None:
    bare = tmp_path / "缺项.txt"
    bare.write_text("某县2023年法治政府建设情况报告\n一、主要举措和成效\n全年办结案件。\n", encoding="utf-8")
    full = tmp_path / "齐全.txt"
    full.write_text("某县2023年法治政府建设情况报告\n一、主要举措和成效\n全年办结案件。\n"
                    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n县长带头学法。\n"
                    "三、存在的不足和原因\n队伍力量不足。\n四、下一年度主要安排\n继续推进。\n",
                    encoding="utf-8")
    missing = [i for i in lint_files([bare], template="fazhi-annual").issues
               if i.code == "required_item_missing"]
    assert {i.message.split("「")[1].split("」")[0] for i in missing} == {
        "存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况"}
    assert not [i for i in lint_files([full], template="fazhi-annual").issues
                if i.code == "required_item_missing"]
