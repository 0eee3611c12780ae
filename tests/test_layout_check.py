"""`nianbao check-layout`: every rule fires on a small crafted DOCX, and stays silent on
what the toolkit builds. Crafted documents are a built example with one thing changed,
or a plain python-docx document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import docx
import pytest
from docx.shared import Mm, Pt

from generator.docx_inspect import NS, W
from generator.layout_check import NotADocx, check_layout

BUILT = ("funing-2023", "zichuan-2024", "shanhaiguan-2020", "funing-2023-wenjian")


@pytest.mark.parametrize("name", BUILT)
def test_documents_the_toolkit_builds_have_no_findings(example_docx, name):
    report = check_layout(example_docx(name))
    assert report.findings == []
    assert report.ok


def test_a_plain_python_docx_document_fails_margins_fonts_and_page_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_paragraph("今年以来，我局认真贯彻落实各项部署。")
    path = tmp_path / "plain.docx"
    document.save(path)
    report = check_layout(path)
    errors = report.rules("error")
    assert {"page.size", "page.margins", "body.font", "heading.font",
            "footer.page_number"} <= errors
    assert not report.ok


# -- one change at a time ------------------------------------------------------------------

def _style(document, style_id: str):
    return document.styles.element.find(f"w:style[@w:styleId='{style_id}']", NS)


def _set(element, path: str, **attrs) -> None:
    """Set attributes on the child at ``path`` (tags without prefix), creating it."""
    from docx.oxml import OxmlElement

    node = element
    for tag in path.split("/"):
        child = node.find(f"w:{tag}", NS)
        if child is None:
            child = OxmlElement(f"w:{tag}")
            node.append(child)
        node = child
    for key, value in attrs.items():
        node.set(W + key, value)


def _mutated(example_docx, tmp_path: Path, name: str, change: Callable) -> Path:
    document = docx.Document(str(example_docx(name)))
    change(document)
    path = tmp_path / "changed.docx"
    document.save(path)
    return path


def _body(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def _normal_east_asia(document, font):
    _style(document, "Normal").find("w:rPr/w:rFonts", NS).set(W + "eastAsia", font)


def _odd_footer(document):
    return document.sections[0].footer.paragraphs[0]


CHANGES = {
    "page.size": ("error", lambda d: setattr(d.sections[0], "page_height", Mm(279))),
    "page.margins": ("error", lambda d: setattr(d.sections[0], "left_margin", Mm(31.7))),
    "page.doc_grid": ("warning", lambda d: _set(d.sections[0]._sectPr, "docGrid",
                                                type="linesAndChars", charSpace="-849")),
    "footer.page_number": ("error", lambda d: [r._r.getparent().remove(r._r) for r in
                                               _odd_footer(d).runs]),
    "footer.odd_even": ("error", lambda d: setattr(d.settings,
                                                   "odd_and_even_pages_header_footer", False)),
    "footer.position": ("error", lambda d: setattr(_odd_footer(d), "alignment", 0)),
    "footer.format": ("warning", lambda d: setattr(_odd_footer(d).runs[0], "text", "第")),
    "body.font": ("error", lambda d: _normal_east_asia(d, "宋体")),
    "body.size": ("error", lambda d: setattr(d.styles["Normal"].font, "size", Pt(14))),
    "body.line_spacing": ("error", lambda d: _set(_style(d, "Normal"), "pPr/spacing",
                                                  line="580")),
    "body.indent": ("error", lambda d: _set(_style(d, "Normal"), "pPr/ind", firstLine="0")),
    "body.chars_per_line": ("warning", lambda d: _set(_style(d, "Normal"), "rPr/spacing",
                                                      val="0")),
    "heading.font": ("error", lambda d: _set(_style(d, "GwH1"), "rPr/rFonts", eastAsia="宋体")),
    "heading.size": ("error", lambda d: _set(_style(d, "GwH2Char"), "rPr/sz", val="30")),
    "heading.order": ("error", lambda d: setattr(_body(d, "二、").runs[0], "text", "三、跳过")),
    "heading.marker": ("warning", lambda d: _body(d, "（一）").insert_paragraph_before("1、写成顿号")),
    "title.font": ("error", lambda d: _set(_style(d, "GwTitle"), "rPr/rFonts", eastAsia="黑体")),
    "title.size": ("error", lambda d: _set(_style(d, "GwTitle"), "rPr/sz", val="36")),
    "date.format": ("error", lambda d: setattr(_body(d, "2024年1月").runs[0], "text",
                                                "2024年01月09日")),
    "imprint.rules": ("error", lambda d: _set(_body(d, "　秦皇岛")._p, "pPr/pBdr/top",
                                              val="nil")),
    "imprint.size": ("warning", lambda d: _set(_style(d, "GwImprint"), "rPr/sz", val="32")),
}


@pytest.mark.parametrize("rule", sorted(CHANGES))
def test_each_rule_fires_on_a_crafted_document(example_docx, tmp_path, rule):
    severity, change = CHANGES[rule]
    report = check_layout(_mutated(example_docx, tmp_path, "funing-2023", change))
    assert rule in report.rules(severity), [(f.rule, f.found) for f in report.findings]
    finding = next(f for f in report.findings if f.rule == rule)
    assert finding.found and finding.expected and finding.message
    assert finding.paragraph is not None or finding.section is not None


def test_attachment_label_font_and_middle_imprint_rule(example_docx, tmp_path):
    def change(document):
        _set(_style(document, "GwAttachLabel"), "rPr/rFonts", eastAsia="仿宋_GB2312")
        _set(_body(document, "　秦皇岛")._p, "pPr/pBdr/top", sz="12")  # thick between

    report = check_layout(_mutated(example_docx, tmp_path, "funing-2023-wenjian", change))
    assert {"attachment.label", "imprint.rules"} <= report.rules("error")


def test_imprint_rules_must_span_the_text_block(example_docx, tmp_path):
    change = lambda d: _set(_body(d, "　抄送")._p, "pPr/ind", left="280", hanging="0")  # noqa: E731
    report = check_layout(_mutated(example_docx, tmp_path, "funing-2023-wenjian", change))
    assert any(f.rule == "imprint.rules" and "等宽" in f.message for f in report.findings)


def test_numbering_may_restart_or_run_on_but_not_both(tmp_path):
    def doc(*texts):
        document = docx.Document()
        for text in texts:
            document.add_paragraph(text)
        path = tmp_path / f"n{len(texts)}.docx"
        document.save(path)
        return {f.found for f in check_layout(path).findings if f.rule == "heading.order"}

    assert doc("一、甲", "（一）a", "（二）b", "二、乙", "（一）c") == set()  # per parent
    assert doc("一、甲", "（一）a", "（二）b", "二、乙", "（三）c") == set()  # continuous
    assert doc("一、甲", "（一）a", "二、乙", "（二）b", "三、丙", "（一）c") == {"（一）"}
    assert doc("一、甲", "三、丙") == {"三、"}
    assert doc("一、甲", "1.a", "3.b") == {"3."}


def test_dates_in_chinese_numerals_are_errors(tmp_path):
    document = docx.Document()
    document.add_paragraph("二〇二四年一月九日")
    path = tmp_path / "date.docx"
    document.save(path)
    assert any(f.rule == "date.format" and f.found == "二〇二四年一月" for f in
               check_layout(path).findings)


def test_fonts_resolve_through_styles_and_theme(tmp_path):
    """python-docx's default document takes its East Asian font from the theme."""
    document = docx.Document()
    document.add_paragraph("正文")
    path = tmp_path / "theme.docx"
    document.save(path)
    body = next(f for f in check_layout(path).findings if f.rule == "body.font")
    assert body.found not in ("（未指定）", "")


def test_json_form_and_cli_exit_codes(example_docx, tmp_path, capsys):
    from generator.cli import main

    document = docx.Document()
    document.add_paragraph("正文")
    plain = tmp_path / "plain.docx"
    document.save(plain)
    with pytest.raises(SystemExit) as exit_info:
        main(["check-layout", str(plain), "--json"])
    assert exit_info.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"ok", "errors", "warnings", "findings"} and data["ok"] is False
    assert {"rule", "severity", "paragraph", "text", "section", "found",
            "expected"} <= set(data["findings"][0])
    with pytest.raises(SystemExit) as exit_info:
        main(["check-layout", str(example_docx("zichuan-2024"))])
    assert exit_info.value.code == 0
    assert "版式检查通过" in capsys.readouterr().out


def test_not_a_docx(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(NotADocx):
        check_layout(bad)
    with pytest.raises(NotADocx):
        check_layout(tmp_path / "missing.docx")
