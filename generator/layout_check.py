"""Check any DOCX against the GB/T 9704-2012 layout (``nianbao check-layout``).

Page rules (paper, margins, grid, footers) live here; paragraph rules (body, titles,
headings, numbering, dates, 版记) in `layout_rules`. Every finding names its rule, where
it is (paragraph number and first characters, or section), what was found and what is
expected. Effective formatting is resolved through styles (`docx_inspect`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from . import styles as S
from .docx_inspect import NS, Inspector, W
from .fonts import family_of
from .layout_findings import Finding, LayoutReport, NotADocx

__all__ = ["Finding", "LayoutReport", "NotADocx", "check_layout"]

MM = S.TWIPS_PER_MM
TOLERANCE_MM = 1.0


def check_layout(path: Path | str, pages: bool = False,
                 pdf: Path | None = None) -> LayoutReport:
    """Return the GB/T 9704 findings of the DOCX at ``path``.

    With ``pages`` (or a ready ``pdf`` of it) the page-position rules run too: the DOCX
    is converted with LibreOffice; without it an info finding says they did not run.

    Raises:
        NotADocx: the file does not exist or cannot be opened as a DOCX.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    if not path.is_file():
        raise NotADocx(f"找不到文件：{path}")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise NotADocx(f"不是有效的 Word（.docx）文件：{path}（{exc}）") from None
    from .layout_rules import classify, paragraph_findings

    inspector = Inspector(document)
    report = LayoutReport(str(path))
    report.findings += page_findings(document)
    report.findings += footer_findings(document, inspector)
    report.findings += paragraph_findings(document, inspector)
    if pages or pdf is not None:
        from .layout_pages import pdf_findings

        report.findings += pdf_findings(path, document, classify(document, inspector), pdf)
    return report


# -- page geometry ------------------------------------------------------------------------

def _mm(twips: float) -> str:
    return f"{twips / MM:.1f} mm"


def page_findings(document) -> Iterable[Finding]:
    """Yield paper-size, margin and document-grid findings, per section."""
    expected_margins = {"上": S.MARGIN_TOP, "下": S.MARGIN_BOTTOM, "左": S.MARGIN_LEFT,
                        "右": S.MARGIN_RIGHT}
    for number, section in enumerate(document.sections, 1):
        width, height = section.page_width.twips, section.page_height.twips
        if abs(width - S.PAGE_WIDTH) > MM or abs(height - S.PAGE_HEIGHT) > MM:
            yield Finding("page.size", "error", "纸张应为 A4（210 × 297 mm，纵向）",
                          f"{_mm(width)} × {_mm(height)}", "210.0 mm × 297.0 mm", section=number)
        found = {"上": section.top_margin, "下": section.bottom_margin,
                 "左": section.left_margin, "右": section.right_margin}
        wrong = {k: v.twips for k, v in found.items()
                 if v is None or abs(v.twips - expected_margins[k]) > TOLERANCE_MM * MM}
        if wrong:
            yield Finding("page.margins", "error",
                          "页边距应为上 37、下 35、左 28、右 26 mm（版心 156 × 225 mm），误差 ±1 mm",
                          "，".join(f"{k} {_mm(v)}" for k, v in wrong.items()),
                          "，".join(f"{k} {_mm(expected_margins[k])}" for k in wrong),
                          section=number)
        grid = section._sectPr.find("w:docGrid", NS)
        kind = grid.get(W + "type") if grid is not None else None
        if kind in ("lines", "linesAndChars", "snapToChars"):
            yield Finding("page.doc_grid", "warning",
                          "文档网格会让 LibreOffice/WPS 排版走样（每行 14 字、标题占两行）；"
                          "请用固定行距 28.95 磅和字距 −0.25 磅实现 22 行 × 28 字",
                          f"docGrid type={kind}", "不指定网格类型", section=number)


# -- page numbers -------------------------------------------------------------------------

def _has_page_field(paragraphs) -> bool:
    for p in paragraphs:
        el = p._p
        instr = " ".join(t.text or "" for t in el.iter(W + "instrText"))
        instr += " ".join(f.get(W + "instr") or "" for f in el.iter(W + "fldSimple"))
        if re.search(r"\bPAGE\b", instr):
            return True
    return False


def _page_paragraph(paragraphs):
    return next((p for p in paragraphs if _has_page_field([p])), None)


def footer_findings(document, inspector: Inspector) -> Iterable[Finding]:
    """Yield page-number findings: a PAGE field on odd and even pages, odd right and even
    left with a 1 字 gap, "— N —" in 4号宋体 (spec §7)."""
    odd_even = document.settings.odd_and_even_pages_header_footer
    for number, section in enumerate(document.sections, 1):
        odd = list(section.footer.paragraphs)  # python-docx follows "linked to previous"
        if not _has_page_field(odd):
            yield Finding("footer.page_number", "error", "页脚中应有页码（PAGE 域）",
                          "无页码", "「— 1 —」式页码，单页居右、双页居左", section=number)
            continue
        if not odd_even:
            yield Finding("footer.odd_even", "error",
                          "页码应单页居右、双页居左：需设置「奇偶页不同」并分别编排页脚",
                          "单双页页脚相同", "奇偶页不同", section=number)
        else:
            even = list(section.even_page_footer.paragraphs)
            if not _has_page_field(even):
                yield Finding("footer.page_number", "error", "双页页脚中应有页码（PAGE 域）",
                              "双页无页码", "双页页码居左", section=number)
            else:
                yield from _footer_side(inspector, _page_paragraph(even), "left", number)
        yield from _footer_side(inspector, _page_paragraph(odd), "right", number)


def _footer_side(inspector: Inspector, paragraph, side: str, section: int) -> Iterable[Finding]:
    fmt = inspector.paragraph(paragraph._p)
    label = "单页" if side == "right" else "双页"
    gap = fmt.twips("ind", side)
    if fmt.align != side or not 200 <= gap <= 400:
        yield Finding("footer.position", "error",
                      f"{label}页码应{'居右' if side == 'right' else '居左'}并空一字",
                      f"对齐 {fmt.align}，{'右' if side == 'right' else '左'}缩进 {gap} twips",
                      f"对齐 {side}，缩进 280 twips（一个 4 号字）", section=section)
    text = paragraph.text.strip()
    runs = [inspector.run(paragraph._p, r) for r, t in inspector.runs(paragraph._p) if t.strip()]
    fonts = {r.east_asia for r in runs} | {r.ascii for r in runs}
    sizes = {r.size for r in runs}
    if not re.fullmatch(r"—\s*\d+\s*—", text) or sizes != {S.SIZE_4HAO} or any(
            family_of(f) != "宋体" for f in fonts):
        yield Finding("footer.format", "warning",
                      "页码应为 4 号宋体半角阿拉伯数字，左右各放一条一字线：— 1 —",
                      f"「{text}」{'、'.join(sorted(str(f) for f in fonts))} "
                      f"{'、'.join(str((s or 0) / 2) for s in sizes)} 磅",
                      "「— 1 —」宋体 14 磅", section=section)
