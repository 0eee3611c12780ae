"""Page furniture in report.yaml: 版头, 附件, 抄送/印发 (版记), title shapes, and the line
estimate that pads the 版记 to the bottom of the last page."""

from __future__ import annotations

import pytest

from generator import linefit
from generator.models import ReportConfig
from generator.title import shape_ok, split_title, title_problems


def _config(**extra) -> ReportConfig:
    return ReportConfig.model_validate({"机关": "秦皇岛市抚宁区人民政府", "年度": 2023, **extra})


# -- titles (spec §4.1) ----------------------------------------------------------------------

@pytest.mark.parametrize("title, organ, lines", [
    ("秦皇岛市抚宁区人民政府2023年度法治政府建设情况报告", "秦皇岛市抚宁区人民政府",
     ["秦皇岛市抚宁区人民政府", "2023年度法治政府建设情况报告"]),
    ("秦皇岛市山海关区人民政府关于2020年度法治政府建设情况的报告", "秦皇岛市山海关区人民政府",
     ["秦皇岛市山海关区人民政府关于", "2020年度法治政府建设情况的报告"]),
    ("某县司法局2023年法治政府建设年度报告", "某县司法局", ["某县司法局2023年法治政府建设年度报告"]),
])
def test_long_titles_break_between_words_into_a_trapezoid(title, organ, lines):
    assert split_title(title, (organ,)) == (lines, True)


def test_a_very_long_title_takes_more_lines_and_keeps_words_whole():
    title = ("中共秦皇岛市抚宁区委员会秦皇岛市抚宁区人民政府关于2023年度党政主要负责人"
             "履行推进法治建设第一责任人职责情况的报告")
    lines, ok = split_title(title, ("秦皇岛市抚宁区人民政府",))
    assert ok and "".join(lines) == title and 3 <= len(lines) <= 4
    assert all(not line.startswith(("的", "，")) for line in lines)
    for word in ("秦皇岛市抚宁区人民政府", "2023年度", "第一责任人", "法治建设"):
        assert any(word in line for line in lines), word


@pytest.mark.parametrize("widths, ok", [
    ([11, 14], True), ([10, 15, 17], True), ([12, 16, 9], True),
    ([14, 11], False), ([12, 12], False), ([15, 9, 15], False),
])
def test_trapezoid_or_diamond_shapes(widths, ok):
    assert shape_ok(widths) is ok


def test_explicit_title_lines_are_checked():
    codes = [code for code, _ in title_problems(["秦皇岛市抚宁区人民政府2023年法治政府", "的建设工作报告"])]
    assert codes == ["title_line_start", "title_shape"]
    assert title_problems(["秦皇岛市抚宁区人民政府", "2023年法治政府建设工作报告"]) == []


def test_title_warnings_reach_the_validation_report(make_tree):
    from generator.api import validate_workspace

    root = make_tree({"report.yaml": """
        模板: work-report
        机关: 某县人民政府
        年度: 2023
        标题: [某县人民政府2023年法治政府建设工作情况报告, 的说明]
    """})
    codes = {i.code for i in validate_workspace(root).issues}
    assert {"title_line_start", "title_shape", "title_line_long"} <= codes


# -- report.yaml keys --------------------------------------------------------------------------

def test_doc_number_brackets_are_normalised_and_bad_numbers_rejected():
    from pydantic import ValidationError

    config = _config(版头={"发文机关标志": "抚宁区人民政府文件", "发文字号": "抚政[2024]3号"})
    assert config.letterhead.number == "抚政〔2024〕3号"
    with pytest.raises(ValidationError) as info:
        _config(版头={"发文机关标志": "x", "发文字号": "抚政〔2024〕第03号"})
    assert info.value.errors()[0]["type"] == "doc_number_format"


def furniture_context(config):
    """Return the DOCX context of a document with ``config``'s furniture and no body."""
    from generator.context import docx_context
    from generator.document import build_document
    from generator.outline import Outline

    return docx_context(build_document(config, Outline([], [], [],
                                                       attachments=list(config.attachments))))


def test_furniture_context():
    ctx = furniture_context(_config(
        版头={"发文机关标志": "秦皇岛市抚宁区人民政府文件", "发文字号": "抚政〔2024〕3号"},
        附件=["名单", {"名称": "主要数据", "正文": "第一段\n第二段"}],
        抄送=["市司法局。", "区委依法治区办"], 印发机关="区政府办公室", 成文日期="2024-01-09"))
    head = ctx["letterhead"]
    assert head["scale"] < 100 and head["size"] == 84  # 初号, squeezed to fit 156 mm
    assert (head["before"] + head["line"] + head["gap"]) % 579 == 0  # the grid goes on
    notes = ctx["attachment_notes"]
    assert [n["text"] for n in notes] == ["附件：1.名单", "2.主要数据"]
    assert notes[0]["left"] == notes[1]["left"]  # wrapped names align
    assert notes[0]["left"] - notes[0]["hanging"] == 640
    assert [p["label"] for p in ctx["attachment_pages"]] == ["附件2"]
    assert ctx["imprint"]["cc"] == "市司法局，区委依法治区办。"
    assert ctx["imprint"]["date"] == "2024年1月9日"


def test_a_single_attachment_is_labelled_without_a_number():
    ctx = furniture_context(_config(附件=[{"名称": "数据", "正文": "一段"}]))
    assert ctx["attachment_notes"][0]["text"] == "附件：数据"
    assert ctx["attachment_pages"][0]["label"] == "附件"


# -- the line estimate (LibreOffice's breaking) --------------------------------------------------

@pytest.mark.parametrize("text, lines", [
    ("测" * 26, 1), ("测" * 27, 2), ("测" * 28 + "测" * 28, 3),
    ("测" * 25 + "活动，由", 2),  # "动，" cannot break: 活 stays, 动， goes down
    ("测" * 25 + "“局", 2),  # an opening mark does not end a line
    ("测" * 24 + "12345", 2),  # a number is not split
])
def test_count_lines_with_a_two_character_indent(text, lines):
    assert linefit.count_lines(text) == lines


def test_latin_gap_only_between_ideographs_and_letters_or_digits():
    assert linefit.text_advance("第1") == pytest.approx(315 + 155 + 64)
    assert linefit.text_advance("：1") == pytest.approx(315 + 155)
    assert linefit.text_advance("1.抚") == pytest.approx(155 + 75 + 315)


def test_imprint_padding_and_the_even_page_option(tmp_path):
    """Without LibreOffice: the estimate pads the 版记 to the last lines of page 11 of the
    文件版 example (odd), or of page 12 with 版记偶数页."""
    import shutil

    from conftest import EXAMPLES_DIR

    from generator.api import build_report

    source = EXAMPLES_DIR / "funing-2023-wenjian"
    plain = build_report(source, tmp_path / "plain")
    copy = shutil.copytree(source, tmp_path / "even-ws")
    (copy / "report.yaml").write_text((source / "report.yaml").read_text(encoding="utf-8")
                                      + "\n版记偶数页: true\n", encoding="utf-8")
    even = build_report(copy, tmp_path / "even")
    used = plain.padding  # test_pdf_layout checks where it lands
    assert 0 <= used < 22
    assert even.padding == used + 22


def test_attachment_text_resolves_references_and_locates_bad_ones(make_tree):
    import docx

    from generator.api import build_report

    root = make_tree({
        "report.yaml": "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n"
                       "附件:\n  - 名称: \"{{ 年度 }}年主要数据\"\n"
                       "    正文: 共受理援助案件{{ 法律援助.受理案件 }}件。\n",
        "departments/司法局.yaml": "指标:\n  法律援助:\n    受理案件: 817\n"
                                  "内容:\n  - 章节: 正文\n    标题: 工作\n    正文: 内容。\n",
    })
    result = build_report(root, root / "out")
    assert result.output is not None, result.report.to_json()
    text = [p.text for p in docx.Document(str(result.output)).paragraphs]
    assert "共受理援助案件817件。" in text
    assert any("2023年主要数据" in t for t in text) and not any("{{" in t for t in text)

    (root / "report.yaml").write_text(
        "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n"
        "附件:\n  - 名称: 数据\n    正文: 共{{ 法律援助.受理案 }}件。\n", encoding="utf-8")
    report = build_report(root, root / "out").report
    assert ("ref_undefined", "report.yaml", 6) in report.flatten(("code", "file", "line"))


@pytest.mark.parametrize("name", ["fazhi-annual", "work-report"])
def test_template_attributes_hold_numbers_not_tags(name):
    """Word rejects a template whose attributes hold text like {{ x }}; the report-dependent
    geometry is set after rendering instead (furniture.place_furniture)."""
    import re
    import zipfile

    from generator.templates import find_template

    template, _ = find_template(name)
    with zipfile.ZipFile(template.docx) as package:
        for part in package.namelist():
            if part.endswith(".xml"):
                xml = package.read(part).decode("utf-8")
                assert not re.search(r'="[^"]*(\{\{|\{%)', xml), part


def test_count_lines_agrees_with_the_unit_by_unit_reference():
    """The fast fill (ASCII runs, bisection) counts what the reference fill counts."""
    import random

    rng = random.Random(12)
    alphabet = list("中文汉字测试，。、；：？！（）《》“”…—·%～ABCxyz0129 .,;:?!()-/") + ["１", "é"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 160)))
        for width, first, size, spacing in ((8845, 640, 32, -5), (6000, 320, 28, 0), (900, 640, 32, -5)):
            expected = linefit._count_lines_by_unit(text, width, first, size, spacing)
            assert linefit.count_lines.__wrapped__(text, width, first, size, spacing) == expected, text


@pytest.mark.parametrize("example", ["funing-2023", "funing-2023-wenjian", "shanhaiguan-2020"])
def test_the_cached_line_count_of_every_paragraph_is_the_plain_one(example, example_docx):
    """The padding's cached pass (`_Formats.lines`: one walk for text and first run,
    fitting arguments per format pair) counts what `_lines` counts, paragraph by paragraph
    (tabs, empty paragraphs, 版记 and furniture included)."""
    import docx
    from docx.oxml import parse_xml

    from generator import furniture
    from generator.docx_inspect import Inspector

    document = docx.Document(str(example_docx(example)))
    inspector = Inspector(document)
    formats = furniture._Formats(inspector)
    paras = document.element.body.findall(furniture._q("p"))
    long = "全年办理行政复议案件120件，" * 8
    paras += [parse_xml(f'<w:p xmlns:w="{furniture._W}">{xml}</w:p>') for xml in (
        "", f"<w:r><w:t>{long}</w:t><w:tab/><w:t>{long}</w:t></w:r>",  # a tab: one line
        f'<w:pPr><w:tabs><w:tab w:val="right" w:pos="8000"/></w:tabs></w:pPr><w:r><w:t>{long}</w:t></w:r>',
        f"<w:r><w:t></w:t></w:r><w:r><w:rPr><w:sz w:val=\"44\"/></w:rPr><w:t>{long}</w:t></w:r>")]
    counts = [(formats.lines(p, formats.paragraph(p)), furniture._lines(inspector, p, inspector.paragraph(p)))
              for p in paras]
    assert len(counts) > 40 and any(fast > 1 for fast, _ in counts)
    assert [plain for _, plain in counts[-4:]] == [1, 1, 1, 6]
    assert [fast for fast, _ in counts] == [plain for _, plain in counts]
