"""The GB/T 9704 layout of a built DOCX, read back with python-docx and its XML (spec §1–§7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import styles as S
from generator.formatting import text_width
from generator.template_builder import build_docx

REPO = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
HEADING_FONT = {"GwH1": "黑体", "GwH2": "楷体_GB2312", "GwH3": BODY_FONT, "GwH4": BODY_FONT}
HEADING_MARKER = {
    "GwH1": r"[一二三四五六七八九十]+、",
    "GwH2": r"（[一二三四五六七八九十]+）",
    "GwH3": r"\d+\.",
    "GwH4": r"（\d+）",
}


@pytest.fixture(scope="module")
def funing(example_docx, open_docx):
    return open_docx(example_docx("funing-2023"))


@pytest.fixture(scope="module")
def shanhaiguan(example_docx, open_docx):
    return open_docx(example_docx("shanhaiguan-2020"))


@pytest.fixture(scope="module")
def zichuan(example_docx, open_docx):
    return open_docx(example_docx("zichuan-2024"))


def _attr(element, name: str) -> str | None:
    return element.get(f"{W}{name}")


def _sect(view):
    sects = view.doc.element.body.findall(f"{W}sectPr")
    assert len(sects) == 1
    return sects[0]


# -- page geometry and grid (spec §1, §2) -----------------------------------------------------

def test_a4_page_margins_and_footer_distance(funing):
    sect = _sect(funing)
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (_attr(size, "w"), _attr(size, "h")) == ("11906", "16838")
    assert {k: _attr(margins, k) for k in ("top", "bottom", "left", "right", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474", "footer": "1417"}
    assert len(funing.doc.sections) == 1


def test_doc_grid_has_line_pitch_579_and_no_type(funing):
    grid = _sect(funing).find(f"{W}docGrid")
    assert _attr(grid, "linePitch") == "579"
    assert _attr(grid, "type") is None and _attr(grid, "charSpace") is None


def test_twenty_two_lines_fit_the_text_block():
    assert 22 * S.LINE_PITCH <= S.PAGE_HEIGHT - S.MARGIN_TOP - S.MARGIN_BOTTOM
    assert S.PAGE_WIDTH - S.MARGIN_LEFT - S.MARGIN_RIGHT == 8845


# -- the Normal (body) style ------------------------------------------------------------------

def test_normal_style(funing):
    normal = funing.style("Normal")
    ppr, rpr = normal.find(f"{W}pPr"), normal.find(f"{W}rPr")
    fonts = rpr.find(f"{W}rFonts")
    assert _attr(fonts, "eastAsia") == BODY_FONT
    assert _attr(rpr.find(f"{W}sz"), "val") == "32"
    assert _attr(rpr.find(f"{W}spacing"), "val") == "-5"
    spacing = ppr.find(f"{W}spacing")
    assert (_attr(spacing, "line"), _attr(spacing, "lineRule")) == ("579", "exact")
    assert _attr(ppr.find(f"{W}ind"), "firstLine") == "640"
    assert _attr(ppr.find(f"{W}jc"), "val") == "both"


def test_every_paragraph_has_exact_579_twip_lines(funing, shanhaiguan):
    for view in (funing, shanhaiguan):
        for paragraph in view.paragraphs():
            line = view.paragraph_property(paragraph, "spacing", "line")
            assert view.paragraph_property(paragraph, "spacing", "lineRule") == "exact"
            if paragraph.style.style_id.startswith("GwImprint"):
                # 版记 lines may give up the width of their rules to stay on the grid
                assert int(line) <= 579, paragraph.text
            else:
                assert line == "579", paragraph.text


def test_body_paragraphs_effective_format(funing):
    body = [p for p in funing.paragraphs() if p.style.style_id == "Normal" and p.text.strip()]
    assert len(body) > 20
    for paragraph in body:
        assert funing.paragraph_property(paragraph, "ind", "firstLine") == "640"
        assert funing.paragraph_property(paragraph, "jc") == "both"
        tail = paragraph.runs[-1]  # the body run (after a run-in heading, if any)
        assert funing.run_property(paragraph, tail, "rFonts", "eastAsia") == BODY_FONT
        assert funing.run_property(paragraph, tail, "sz") == "32"
        assert funing.run_property(paragraph, tail, "spacing") == "-5"


# -- title and headings (spec §4, §15) ---------------------------------------------------------

def test_title(funing):
    titles = [p for p in funing.paragraphs() if p.style.style_id == "GwTitle"]
    assert [p.text for p in titles] == ["秦皇岛市抚宁区人民政府", "2023年法治政府建设工作报告"]
    for paragraph in titles:
        run = paragraph.runs[0]
        assert funing.run_property(paragraph, run, "rFonts", "eastAsia") == TITLE_FONT
        assert funing.run_property(paragraph, run, "sz") == "44"
        assert funing.paragraph_property(paragraph, "jc") == "center"
        assert funing.paragraph_property(paragraph, "ind", "firstLine") == "0"
    assert funing.paragraphs()[0].style.style_id == "GwTitle"


def test_standalone_headings_font_by_marker_type(shanhaiguan):
    seen = set()
    for paragraph in shanhaiguan.paragraphs():
        style = paragraph.style.style_id
        if style not in HEADING_FONT:
            continue
        seen.add(style)
        assert re.match(HEADING_MARKER[style], paragraph.text), (style, paragraph.text)
        for run in paragraph.runs:
            assert shanhaiguan.run_property(paragraph, run, "rFonts", "eastAsia") == \
                HEADING_FONT[style]
            assert shanhaiguan.run_property(paragraph, run, "sz") == "32"
        assert shanhaiguan.style(style).find(f"{W}pPr/{W}keepNext") is not None
        assert not paragraph.text.endswith("。")
    assert {"GwH1", "GwH2"} <= seen


def test_run_in_headings_keep_heading_font_then_body_font(shanhaiguan):
    seen = set()
    for paragraph in shanhaiguan.paragraphs():
        runs = paragraph.runs
        char_style = runs[0].style.style_id if runs and runs[0].style is not None else None
        if not (char_style or "").endswith("Char"):
            continue
        level = char_style[:-4]
        seen.add(level)
        head, rest = runs[0], runs[1:]
        # "（一）加强组织领导。" — or the bare marker of a numbered text ("3.加强……")
        assert re.match(HEADING_MARKER[level] + r"(.*[。！？；：])?$", head.text), head.text
        assert shanhaiguan.run_property(paragraph, head, "rFonts", "eastAsia") == \
            HEADING_FONT[level]
        assert rest and "".join(r.text for r in rest).strip()
        for run in rest:
            assert run.style is None or not run.style.style_id.startswith("Gw")
            assert shanhaiguan.run_property(paragraph, run, "rFonts", "eastAsia") == BODY_FONT
        assert paragraph.style.style_id == "Normal"
    assert {"GwH2", "GwH3"} <= seen


def test_character_and_paragraph_heading_styles_are_defined_in_styles_xml(funing):
    for spec in S.STYLES:
        element = funing.style(spec.style_id)
        assert element is not None, spec.style_id
        assert _attr(element, "type") == spec.kind
        fonts = element.find(f"{W}rPr/{W}rFonts")
        assert _attr(fonts, "eastAsia") == spec.east_asia
        assert _attr(element.find(f"{W}rPr/{W}sz"), "val") == str(spec.size)


# -- footers: "— N —", odd right / even left (spec §7) -----------------------------------------

def test_even_and_odd_footers_are_enabled(funing):
    settings = funing.part("word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    assert funing.doc.settings.odd_and_even_pages_header_footer is True


@pytest.mark.parametrize("which, jc, side", [("odd", "right", "right"), ("even", "left", "left")])
def test_footer(funing, which, jc, side):
    section = funing.doc.sections[0]
    footer = section.footer if which == "odd" else section.even_page_footer
    assert not footer.is_linked_to_previous
    assert len(footer.paragraphs) == 1
    paragraph = footer.paragraphs[0]
    assert funing.paragraph_property(paragraph, "jc") == jc
    ind = paragraph._p.find(f"{W}pPr/{W}ind")
    assert _attr(ind, side) == "280"
    other = "left" if side == "right" else "right"
    assert _attr(ind, other) in (None, "0")
    runs = paragraph._p.findall(f"{W}r")
    assert runs[0].findtext(f"{W}t") == "— " and runs[-1].findtext(f"{W}t") == " —"
    instr = "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))
    assert instr.strip() == "PAGE"
    kinds = [_attr(f, "fldCharType") for f in paragraph._p.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    for run in paragraph.runs:
        for slot in ("ascii", "hAnsi", "eastAsia"):
            assert funing.run_property(paragraph, run, "rFonts", slot) == "宋体"
        assert funing.run_property(paragraph, run, "sz") == "28"


# -- signature, date, 印发 (spec §6, §8) ------------------------------------------------------

def _closing(view) -> dict[str, object]:
    return {p.style.style_id: p for p in view.paragraphs()
            if p.style.style_id in ("GwSignature", "GwDate", "GwImprint")}


@pytest.mark.parametrize("example, name, date, indents", [
    ("funing", "秦皇岛市抚宁区人民政府", "2024年1月9日", (640, 1600)),
    ("zichuan", "淄川区人民政府", "2025年1月10日", (1120, 640)),
])
def test_signature_and_date_right_indents(request, example, name, date, indents):
    view = request.getfixturevalue(example)
    closing = _closing(view)
    signature, day = closing["GwSignature"], closing["GwDate"]
    assert (signature.text, day.text) == (name, date)
    expected = S.signature_indents(text_width(name), text_width(date), False)
    assert expected == indents
    for paragraph, indent in zip((signature, day), indents):
        assert view.paragraph_property(paragraph, "jc") == "right"
        assert view.paragraph_property(paragraph, "ind", "right") == str(indent)
        assert view.paragraph_property(paragraph, "ind", "firstLine") == "0"
    paragraphs = view.paragraphs()
    at = [p._p for p in paragraphs].index(signature._p)
    assert paragraphs[at - 1].text == "" and paragraphs[at - 2].text.strip()
    assert paragraphs[at + 1]._p is day._p


def _borders(view, paragraph) -> set[str]:
    """Return the sides of the paragraph's rules (direct or from its style chain)."""
    containers = [paragraph._p.find(f"{W}pPr")]
    containers += [s.find(f"{W}pPr") for s in view._chain(paragraph.style.style_id)]
    for ppr in containers:
        if ppr is not None and ppr.find(f"{W}pBdr") is not None:
            return {child.tag.replace(W, "") for child in ppr.find(f"{W}pBdr")}
    return set()


def test_imprint_line(funing):
    imprint = _closing(funing)["GwImprint"]
    # the organ starts 1 字 in, the date ends 1 字 before the right edge (spec §8)
    assert imprint.text.strip() == "秦皇岛市抚宁区人民政府办公室\t2024年1月9日印发"
    for run in imprint.runs:
        assert funing.run_property(imprint, run, "sz") == "28"
        assert funing.run_property(imprint, run, "rFonts", "eastAsia") == BODY_FONT
    assert {"top", "bottom"} <= _borders(funing, imprint)
    stops = [t for t in imprint._p.iter(f"{W}tab") if _attr(t, "val") == "right"]
    stops += [t for s in funing._chain("GwImprint") for t in s.iter(f"{W}tab")
              if _attr(t, "val") == "right"]
    assert stops and _attr(stops[0], "pos") == str(S.TEXT_WIDTH - 280)
    assert funing.paragraphs()[-1]._p is imprint._p


def test_no_imprint_without_imprint_organ(zichuan):
    assert "GwImprint" not in _closing(zichuan)


def test_sealed_signature_block(session_tree, open_docx):
    from generator.api import build_report

    root = session_tree({
        "report.yaml": """\
            模板: work-report
            机关: 某区人民政府
            年度: 2023
            发文机关署名: 某区人民政府
            成文日期: 2024-01-09
            用印: true
            """,
        "departments/a.yaml": "内容:\n  - 章节: 正文\n    正文: 正文段落。\n",
    }, "sealed")
    view = open_docx(build_report(root, root.parent / "out").output)
    closing = _closing(view)
    name, date = closing["GwSignature"], closing["GwDate"]
    assert view.paragraph_property(date, "ind", "right") == "1280"
    # N = D = 6 字: the 署名 is centred over the date, R_name = 4 + (D − N) / 2 = 4 字
    assert view.paragraph_property(name, "ind", "right") == "1280"
    paragraphs = view.paragraphs()
    at = [p._p for p in paragraphs].index(name._p)
    assert [p.text for p in paragraphs[at - 2:at]] == ["", ""]
    assert paragraphs[at - 3].text == "正文段落。"


# -- the template packages are reproducible ------------------------------------------------------

@pytest.mark.parametrize("name", ["fazhi-annual", "work-report"])
def test_template_builder_reproduces_the_committed_template(name, tmp_path):
    committed = REPO / "templates" / name / "template.docx"
    (tmp_path / name).mkdir()
    (tmp_path / name / "template.yaml").write_text("名称: x\n", encoding="utf-8")
    from generator.template_builder import main

    assert main([str(tmp_path)]) == 0
    assert (tmp_path / name / "template.docx").read_bytes() == committed.read_bytes()
    assert build_docx(name) == build_docx(name) == committed.read_bytes()


def test_template_holds_docxtpl_tags_and_styles(open_docx):
    view = open_docx(REPO / "templates" / "fazhi-annual" / "template.docx")
    text = "\n".join(p.text for p in view.paragraphs())
    assert "{%p for b in blocks %}" in text and "{{ b.head }}" in text
    assert view.style("Normal") is not None and view.style("GwFooter") is not None


def test_heading_style_follows_the_marker_type_at_every_depth(session_tree, open_docx):
    from generator.api import build_report

    item = """\
        内容:
          - 章节: 正文
            标题: 第一级
            子项:
              - 标题: 第二级
                连排: false
                子项:
                  - 标题: 第三级
                    连排: false
                    子项:
                      - 标题: 第四级
                        连排: false
                        正文: 正文。
        """
    styled = {}
    for second, name in (("括号", "paren"), ("数字", "arabic")):
        root = session_tree({
            "report.yaml": f"模板: work-report\n机关: 某区人民政府\n年度: 2023\n"
                           f"编号: {{二级样式: {second}}}\n",
            "departments/a.yaml": item,
        }, name)
        view = open_docx(build_report(root, root.parent / "out").output)
        styled[second] = [(s, t) for s, t in view.styled() if s.startswith("GwH")]
        for paragraph in view.paragraphs():
            style = paragraph.style.style_id
            if style in HEADING_FONT:
                assert view.run_property(paragraph, paragraph.runs[0], "rFonts",
                                         "eastAsia") == HEADING_FONT[style]
    assert styled["括号"] == [("GwH1", "一、第一级"), ("GwH2", "（一）第二级"),
                             ("GwH3", "1.第三级"), ("GwH4", "（1）第四级")]
    # two-level variant: "1." at depth 2 takes the 仿宋 level-3 style, not 楷体
    assert styled["数字"] == [("GwH1", "一、第一级"), ("GwH3", "1.第二级"),
                             ("GwH4", "（1）第三级"), ("GwH4", "①第四级")]
