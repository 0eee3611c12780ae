"""The signature block and the 附件说明 at a page end, measured in the PDF.

GB/T 9704 7.3.5: 发文机关署名 and 成文日期 stay on a page with body text; when they do not
fit, the last body lines go with them. The workspaces below end their body on the last
rows of page 1 (each body line is one 28-character grid line), so that without
keep-with-next the signature, the date, or both land alone on page 2, or the 附件说明
is split. The PDF is read back with PyMuPDF (`pdf_measure`), and `check-layout` must
agree: silent on these documents, and reporting both rules once keepNext is removed.
"""

from __future__ import annotations

import re

import pytest
from conftest import write_tree
from pdf_measure import read_pdf
from test_pdf_layout import _require_tools

FILL = "法治政府建设稳步推进各项工作取得新进展" * 8
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
NAMES = "甲乙丙丁戊己庚辛"
# (one-line paragraphs before a three-line last paragraph, 附件); without keep-with-next
# the body ends on rows 19, 20 and 21 of page 1 (0-based), and the 附件说明 starts on
# row 20 or 21
CASES = {"date-alone": (15, 0), "both-alone": (16, 0), "blank-first": (17, 0),
         "note-split": (14, 2), "note-split-3": (15, 3)}
NOTES = {2: ["某区人民政府关于法治政府建设重点任务落实情况的统计表和说明材料", "行政执法统计年报"],
         3: ["行政复议统计表", "行政执法统计年报", "法律援助统计表"]}


def _paragraph(lines: int) -> str:
    return FILL[: 26 + 28 * (lines - 1) - 1] + "。"


def _workspace(root, index: int, lines: int, notes: int):
    items = "".join(f"  - 章节: 正文\n    正文: {_paragraph(1)}\n" for _ in range(lines))
    items += f"  - 章节: 正文\n    正文: {_paragraph(3)}\n"
    attached = "".join(f"  - 名称: {name}\n" for name in NOTES.get(notes, []))
    report = (f"模板: work-report\n机关: 某{NAMES[index]}区人民政府\n年度: 2023\n"
              "发文机关署名: 某区人民政府\n成文日期: 2024-01-09\n"
              + (f"附件:\n{attached}" if attached else ""))
    return write_tree(root, {"report.yaml": report, "departments/a.yaml": "内容:\n" + items})


@pytest.fixture(scope="module")
def closing(tmp_path_factory):
    """Return {case: BuildResult}, all converted in one LibreOffice run."""
    _require_tools()
    from generator.api import build_reports

    base = tmp_path_factory.mktemp("closing")
    roots = [_workspace(base / case, i, *CASES[case]) for i, case in enumerate(CASES)]
    results = build_reports(roots, base / "out", pdf=True)
    for result in results:
        assert result.pdf is not None, (result.pdf_error, [i.text() for i in result.report.issues])
    return dict(zip(CASES, results))


def _located(pdf):
    """Return [(page, text)] of the body lines, in reading order."""
    return [(page.number, line.text) for page in read_pdf(pdf) for line in page.lines]


@pytest.mark.parametrize("case", CASES)
def test_signature_and_date_share_a_page_with_body_text(closing, case):
    lines = _located(closing[case].pdf)
    signature = max(i for i, (_, text) in enumerate(lines) if text == "某区人民政府")
    date = next(i for i, (_, text) in enumerate(lines) if DATE.fullmatch(text.replace(" ", "")))
    page = lines[signature][0]
    assert lines[date][0] == page and date == signature + 1
    body = [text for p, text in lines[:signature] if p == page and text.startswith(FILL[:6])]
    assert body, f"page {page} holds only the signature block: {lines[-6:]}"
    assert page == 2  # the case is at a page end: the body needs both pages
    assert _located(closing[case].pdf)[0][0] == 1


@pytest.mark.parametrize("case", ["note-split", "note-split-3"])
def test_attachment_note_stays_on_one_page(closing, case):
    lines = _located(closing[case].pdf)
    first = next(i for i, (_, text) in enumerate(lines) if text.startswith("附件："))
    last = next(i for i, (_, text) in enumerate(lines) if text.endswith(NOTES[CASES[case][1]][-1]))
    block = lines[first:last + 1]
    assert len(block) == 3, block  # 2–3 lines: a name that wraps, or three short ones
    assert len({page for page, _ in block}) == 1, block


def test_docx_keeps_the_closing_paragraphs_with_the_last_body_paragraph(tmp_path):
    """Read back without LibreOffice: which paragraphs carry keepNext / keepLines."""
    import docx

    from generator.api import build_report

    root = _workspace(tmp_path / "ws", 0, 2, 2)
    document = docx.Document(str(build_report(root, tmp_path / "out").output))
    paras = document.paragraphs
    texts = [p.text for p in paras]
    last_body = max(i for i, t in enumerate(texts) if t.startswith(FILL[:6]))
    date = texts.index("2024年1月9日")
    kept = [i for i, p in enumerate(paras) if p.paragraph_format.keep_with_next]
    assert kept == list(range(last_body, date))  # body end, blanks, 附件说明, 署名
    assert [paras[i].style.style_id for i in kept].count("GwAttachNote") == 2
    together = [i for i, p in enumerate(paras) if p.paragraph_format.keep_together]
    assert [paras[i].style.style_id for i in together] == ["GwAttachNote"] * 2


# -- check-layout reads the page positions ---------------------------------------------

def _without_keeps(source, target):
    """Save ``source`` without keepNext/keepLines (the layout before the fix)."""
    import docx

    from generator.docx_inspect import W

    document = docx.Document(str(source))
    for tag in ("keepNext", "keepLines"):
        for element in list(document.element.body.iter(W + tag)):
            element.getparent().remove(element)
    document.save(target)
    return target


def test_check_layout_is_silent_on_built_reports_and_reports_the_unkept_ones(closing, tmp_path):
    from generator.layout_check import check_layout
    from generator.pdf import convert_to_pdf

    for case, result in closing.items():
        assert check_layout(result.output, pdf=result.pdf).findings == [], case
    unkept = [_without_keeps(r.output, tmp_path / f"{case}.docx") for case, r in closing.items()]
    for path, pdf in zip(unkept, convert_to_pdf(unkept)):
        report = check_layout(path, pdf=pdf)
        assert "closing.alone" in report.rules("error"), path.name
        finding = next(f for f in report.findings if f.rule == "closing.alone")
        assert "第2页" in finding.found and finding.text == "某区人民政府"
        split = "attachment.note_split" in report.rules("warning")
        assert split == path.stem.startswith("note"), path.name


def _foreign(path, signature_on_new_page: bool, note_split: bool = False):
    """Write a python-docx document: body, 附件说明, a right-aligned signature and date."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    for _ in range(3):
        document.add_paragraph(_paragraph(2))
    document.add_paragraph("附件：1.行政复议统计表")
    document.add_paragraph("2.行政执法统计年报").paragraph_format.page_break_before = note_split
    document.add_paragraph("")
    for text in ("某县人民政府", "2024年1月9日"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.paragraphs[-2].paragraph_format.page_break_before = signature_on_new_page
    document.save(path)
    return path


def test_check_layout_finds_the_signature_block_of_any_docx_by_shape(tmp_path):
    _require_tools()
    from generator.layout_check import check_layout
    from generator.pdf import convert_to_pdf

    paths = [_foreign(tmp_path / "alone.docx", True, note_split=True),
             _foreign(tmp_path / "fine.docx", False)]
    alone, fine = (check_layout(p, pdf=pdf) for p, pdf in zip(paths, convert_to_pdf(paths)))
    finding = next(f for f in alone.findings if f.rule == "closing.alone")
    assert finding.text == "某县人民政府" and "第3页" in finding.found
    assert "正文止于第1页" in finding.found  # the 附件说明 is not body text
    assert "attachment.note_split" in alone.rules("warning")
    assert "第1页至第2页" in next(f.found for f in alone.findings
                                  if f.rule == "attachment.note_split")
    assert "heading.order" not in alone.rules()  # 「2.行政执法统计年报」 is a 附件说明 item
    assert not {"closing.alone", "attachment.note_split"} & fine.rules()


def test_check_layout_converts_the_docx_itself(tmp_path):
    _require_tools()
    from generator.layout_check import check_layout

    path = _foreign(tmp_path / "alone.docx", True)
    assert "closing.alone" in check_layout(path, pages=True).rules("error")
    assert not check_layout(path).rules() & {"closing.alone", "page.not_checked"}


def test_without_libreoffice_the_report_says_the_page_rules_did_not_run(tmp_path, monkeypatch,
                                                                         capsys):
    from generator.cli import main

    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "no-soffice"))
    path = _foreign(tmp_path / "alone.docx", True)
    with pytest.raises(SystemExit):
        main(["check-layout", str(path)])
    out = capsys.readouterr().out
    assert "说明" in out and "未检查分页" in out and "LibreOffice" in out
    assert "Traceback" not in out
    with pytest.raises(SystemExit):
        main(["check-layout", str(path), "--json"])
    import json

    data = json.loads(capsys.readouterr().out)
    info = [f for f in data["findings"] if f["severity"] == "info"]
    assert [f["rule"] for f in info] == ["page.not_checked"]
    assert "closing.alone" not in {f["rule"] for f in data["findings"]}
