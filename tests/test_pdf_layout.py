"""The grid, measured: the examples converted to PDF by LibreOffice, read with PyMuPDF.

Every full body page holds 22 lines on the 579-twip grid, full lines of Chinese text hold
28 characters, the text block sits on the 37/35/28/26 mm margins, page numbers read
"— N —" on alternating sides 7 mm below the block, and the page furniture (signature,
版记, 版头, 附件) lands where GB/T 9704 puts it. All examples are built and converted
once, in one LibreOffice run.
"""

from __future__ import annotations

import os
import re
import statistics

import pytest
from conftest import EXAMPLES_DIR
from pdf_measure import BOTTOM, LEFT, PITCH, RIGHT, TOP, full_width_cjk_lines, ink_rows, read_pdf

EXAMPLES = ("funing-2023", "zichuan-2024", "shanhaiguan-2020", "funing-2023-wenjian")
CHAR_MM = 320 / 56.693  # one 3号 character
NO_START = set("，。、；：？！）》」』】〕”’…—")
NO_END = set("（《「『【〔“‘")


def _require_tools() -> None:
    """Skip without LibreOffice or PyMuPDF, except in CI, where they must be present."""
    from generator.pdf import find_soffice

    missing = []
    if find_soffice() is None:
        missing.append("LibreOffice（soffice）")
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        missing.append("PyMuPDF")
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must run the PDF tests, but {', '.join(missing)} is missing "
                    "(.ci/run installs libreoffice-writer-nogui and the fonts)")
    if missing:
        pytest.skip(f"未安装 {'、'.join(missing)}，且不在 CI 中（CI 环境变量未设置）：跳过 PDF 实测")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Return {example: BuildResult} with DOCX and PDF, converted in one soffice run."""
    _require_tools()
    from generator.api import build_reports

    out = tmp_path_factory.mktemp("pdf-examples")
    results = build_reports([EXAMPLES_DIR / name for name in EXAMPLES], out, pdf=True)
    for result in results:
        assert result.pdf_error is None, result.pdf_error
        assert result.pdf is not None and result.pdf.is_file()
    return dict(zip(EXAMPLES, results))


@pytest.fixture(scope="session")
def pages(built):
    return {name: read_pdf(result.pdf) for name, result in built.items()}


DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _full_pages(pages):
    """Yield (page, kept) for the pages whose text runs on to the next page (not the last,
    not the 版头 page, not the page before a 附件's page break, not the page before the
    signature block, whose last body paragraph keep-with-next may have taken along);
    ``kept`` when the next page starts with a heading that keep-with-next took from this
    page's last row."""
    for page, following in zip(pages, pages[1:]):
        if following.lines and re.fullmatch(r"附件\d*", following.lines[0].text):
            continue
        if any(line.size > 30 for line in page.lines):  # the red 发文机关标志
            continue
        if any(DATE.fullmatch(line.text.replace(" ", "")) for line in following.lines):
            continue
        kept = bool(following.lines and HEADING.match(following.lines[0].text)
                    and round(page.lines[-1].grid) == 20)
        yield page, kept


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_full_page_holds_22_lines_on_the_grid(pages, name):
    full = list(_full_pages(pages[name]))
    assert full, "the example should fill at least one page"
    for page, kept in full:  # 22 rows, the last one used; a blank line holds a row too
        rows = [line.grid for line in page.lines]
        assert max(abs(r - round(r)) for r in rows) < 0.05, page.number
        rows = [round(r) for r in rows]
        assert rows == sorted(set(rows)) and rows[0] == 0, page.number
        assert rows[-1] == (20 if kept else 21), page.number
    assert sum(len(page.lines) == 22 for page, _ in full) >= len(full) / 2


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_block_lies_on_the_margins(pages, name):
    body = [line for page in pages[name] for line in page.lines]
    full = [page for page, kept in _full_pages(pages[name]) if not kept]
    gaps = [b.baseline - a.baseline for page in full for a, b in zip(page.lines, page.lines[1:])]
    pitch = statistics.median(gaps)
    assert pitch == pytest.approx(PITCH, abs=0.02)
    first = [page.lines[0] for page in full]
    last = [page.lines[-1] for page in full]
    top = min(line.baseline for line in first) - 0.8 * pitch
    bottom = max(line.baseline for line in last) + 0.2 * pitch
    assert top == pytest.approx(TOP, abs=1.0)
    assert bottom == pytest.approx(BOTTOM, abs=1.0)
    assert min(line.x0 for line in body) == pytest.approx(LEFT, abs=1.0)
    assert max(line.x1 for line in body) == pytest.approx(RIGHT, abs=1.0)
    assert all(LEFT - 0.5 < line.x0 and line.x1 < RIGHT + 0.5 for line in body)


def _cluster(text: str) -> float:
    """Return the width in 字 of what cannot be split from the start of ``text``: a Latin
    word (half-width characters plus LibreOffice's Asian/Latin gap), or a character with
    an opening mark before it and closing marks after it."""
    run = re.match(r"[\x21-\x7e]+", text)
    if run:
        return 0.5 * len(run.group(0)) + 0.2
    size = 2 if text[0] in NO_END else 1
    while size < len(text) and text[size] in NO_START:
        size += 1
    return size


@pytest.mark.parametrize("name", EXAMPLES)
def test_full_lines_of_chinese_hold_28_characters(pages, name):
    lines = full_width_cjk_lines(pages[name])
    assert len(lines) >= 20
    plain = 0
    for line, following in lines:
        pitch = statistics.median(line.advances)
        if pitch == pytest.approx(15.75 * 25.4 / 72, abs=0.02):  # not stretched
            assert len(line.text) == 28, line.text
            plain += 1
        else:  # justified wider: the next line's first unbreakable cluster did not fit
            assert len(line.text) >= 25 and len(line.text) + _cluster(following.text) > 28, (
                line.text, following.text)
    assert plain >= 0.8 * len(lines)


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_numbers_alternate_sides_7mm_below_the_block(built, pages, name):
    for page in pages[name]:
        assert len(page.footer) == 1, page.number
        number = page.footer[0]
        assert re.fullmatch(rf"—\s*{page.number}\s*—", number.text)
        if page.number % 2:
            assert number.x1 == pytest.approx(RIGHT - 280 / 56.693, abs=0.3)
        else:
            assert number.x0 == pytest.approx(LEFT + 280 / 56.693, abs=0.3)
    ink = ink_rows(built[name].pdf, 1, BOTTOM + 2, BOTTOM + 12)
    assert ink is not None
    stroke = (ink[0] + ink[1]) / 2  # the 一字线 and the digits around it
    assert stroke - BOTTOM == pytest.approx(7.0, abs=1.0)


@pytest.mark.parametrize("name", EXAMPLES)
def test_pdf_keeps_every_character(built, pages, name):
    import docx

    document = docx.Document(str(built[name].output))
    expected = re.sub(r"\s", "", "".join(p.text for p in document.paragraphs))
    found = re.sub(r"\s", "", "".join(line.text for page in pages[name] for line in page.lines))
    assert found == expected


def test_official_fonts_render_with_the_free_stand_ins(pages):
    fonts = {f for page in pages["funing-2023-wenjian"] for line in page.lines + page.footer
             for f in line.fonts}
    assert any("NotoSerifCJK" in f and "Bold" in f for f in fonts)  # 小标宋
    assert any("NotoSerifCJK" in f and "Regular" in f for f in fonts)  # 仿宋, 宋体
    assert any("NotoSansCJK" in f for f in fonts)  # 黑体
    assert any("UKai" in f for f in fonts)  # 楷体
    assert any("LiberationSerif" in f for f in fonts)  # Times New Roman
    assert not any("DejaVu" in f for f in fonts)


@pytest.mark.parametrize("name, sealed", [("funing-2023", False), ("zichuan-2024", False),
                                          ("funing-2023-wenjian", True)])
def test_signature_and_date_sit_at_their_right_indents(built, pages, name, sealed):
    import docx

    document = docx.Document(str(built[name].output))
    indents = {p.style.style_id: p.paragraph_format.right_indent.twips / 56.693
               for p in document.paragraphs if p.style.style_id in ("GwSignature", "GwDate")}
    if sealed:
        assert indents["GwDate"] == pytest.approx(4 * CHAR_MM, abs=0.01)
    lines = {line.text: line for page in pages[name] for line in page.lines}
    config = built[name].prepared.workspace.config
    name_line = lines[config.signature]
    date_line = next(line for text, line in lines.items() if re.fullmatch(r"\d{4}年\d+月\d+日",
                                                                             text.replace(" ", "")))
    assert name_line.x1 == pytest.approx(RIGHT - indents["GwSignature"], abs=0.3)
    assert date_line.x1 == pytest.approx(RIGHT - indents["GwDate"], abs=0.3)
    assert date_line.grid == pytest.approx(name_line.grid + 1, abs=0.05)


@pytest.mark.parametrize("name", ["funing-2023", "funing-2023-wenjian"])
def test_imprint_ends_on_the_last_line_of_the_last_page(pages, name):
    last = pages[name][-1]
    assert last.lines[-1].text.endswith("印发")
    assert round(last.lines[-1].grid) == 21
    rules = [r for r in last.rules if not r[4] or r[4] == (0.0, 0.0, 0.0)]
    assert rules, "the 版记 rules"
    for y, x0, x1, width, _ in rules:
        assert x0 == pytest.approx(LEFT, abs=0.1) and x1 == pytest.approx(RIGHT, abs=0.1)
    assert rules[0][3] == pytest.approx(1.0) and rules[-1][3] == pytest.approx(1.0)
    assert rules[-1][0] + 0.5 * 0.353 == pytest.approx(TOP + 22 * PITCH, abs=0.3)
    assert all(r[3] == pytest.approx(0.75) for r in rules[1:-1])
    assert len(rules) == (3 if name.endswith("wenjian") else 2)


def test_letterhead_mark_35mm_below_the_block_and_red_rule(built, pages):
    pdf = built["funing-2023-wenjian"].pdf
    first = pages["funing-2023-wenjian"][0]
    mark = ink_rows(pdf, 1, TOP, TOP + 60, red=True)
    assert mark is not None and mark[0] - TOP == pytest.approx(35.0, abs=1.0)
    red = [r for r in first.rules if r[4] == (1.0, 0.0, 0.0)]
    assert len(red) == 1
    y, x0, x1, _, _ = red[0]
    assert x0 == pytest.approx(LEFT, abs=0.1) and x1 == pytest.approx(RIGHT, abs=0.1)
    number = next(line for line in first.lines if "〔2024〕" in line.text)
    ink = ink_rows(pdf, 1, number.baseline - 8, number.baseline + 3)
    assert y - ink[1] == pytest.approx(4.0, abs=1.0)
    title = next(line for line in first.lines if line.text.startswith("秦皇岛市抚宁区人民政府")
                 and line.size == pytest.approx(22))
    assert title.grid == pytest.approx(11, abs=0.05)  # two blank lines after the rule


def test_attachment_page_label_and_title(pages):
    page = next(p for p in pages["funing-2023-wenjian"] if p.lines[0].text == "附件1")
    label, title = page.lines[0], page.lines[1]
    assert round(label.grid) == 0 and label.x0 == pytest.approx(LEFT, abs=0.1)
    assert round(title.grid) == 2 and (title.x0 + title.x1) / 2 == pytest.approx(106, abs=1)
    assert any("NotoSansCJK" in f for f in label.fonts)


@pytest.mark.parametrize("name", ["funing-2023", "zichuan-2024"])
def test_pdf_metadata_comes_from_the_docx(built, name):
    import pymupdf

    with pymupdf.open(built[name].pdf) as doc:
        meta = doc.metadata
    config = built[name].prepared.workspace.config
    assert meta["title"] == built[name].context["doc_title"] and meta["title"]
    assert meta["author"] == config.organ
    from datetime import datetime

    import docx

    created = docx.Document(str(built[name].output)).core_properties.created
    made = datetime.strptime(meta["creationDate"][2:10], "%Y%m%d")
    assert abs((made - created.replace(hour=0, minute=0, second=0, tzinfo=None)).days) <= 1


@pytest.mark.parametrize("name", EXAMPLES)
def test_check_layout_page_rules_pass_on_the_examples(built, name):
    from generator.layout_check import check_layout

    assert check_layout(built[name].output, pdf=built[name].pdf).findings == []
