"""Page-position rules of the layout checker, read from a rendering of the DOCX.

GB/T 9704 7.3.5: 发文机关署名 and 成文日期 stay on a page with body text (spec §6.3);
and a 附件说明 that fits on one page is not split. Where a paragraph lands is known only
after layout, so the DOCX is converted to PDF with LibreOffice and the PDF's text rows
are aligned, character by character, with the DOCX paragraphs.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable, Sequence

from . import styles as S
from .layout_findings import Finding
from .layout_rules import Para

MM = S.TWIPS_PER_MM
DATE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年[\d〇一二三四五六七八九十]{1,2}月"
                  r"[\d〇一二三四五六七八九十]{1,3}日")
SKIPPED = "未检查分页（署名和成文日期是否与正文同页、附件说明是否跨页）"
Rows = Sequence[tuple[int, float, str]]


def pdf_findings(path: Path, document, paras: list[Para], pdf: Path | None = None) -> list[Finding]:
    """Return the page findings of the DOCX at ``path``, converting it to PDF with
    LibreOffice unless ``pdf`` is given; an info finding says when they could not run."""
    if pdf is None:
        rows, reason = _convert_and_read(path)
    else:
        from .publish import page_rows

        rows, reason = page_rows(pdf), "无法读取 PDF 中的文字"
    if rows is None:
        return [Finding("page.not_checked", "info", f"{SKIPPED}：{reason}", reason,
                        "用 LibreOffice 排版后检查")]
    return page_findings(document, paras, rows)


def _convert_and_read(path: Path) -> tuple[Rows | None, str]:
    """Convert a copy of the DOCX in a temporary folder; return (rows, why not)."""
    from .pdf import INSTALL_HINT, ConversionError, LibreOfficeMissing, convert_to_pdf
    from .publish import page_rows

    with tempfile.TemporaryDirectory(prefix="nianbao-check-") as tmp:
        copy = Path(tmp) / "check.docx"
        shutil.copyfile(path, copy)
        try:
            made = convert_to_pdf([copy])[0]
        except LibreOfficeMissing:
            return None, ("未找到 LibreOffice（soffice），无法排出页面；请安装："
                          f"{INSTALL_HINT}（或设置环境变量 NIANBAO_SOFFICE）")
        except ConversionError as exc:
            return None, str(exc)
        return page_rows(made), "无法读取 PDF 中的文字（需要 poppler-utils 或 PyMuPDF）"


def page_findings(document, paras: list[Para], rows: Rows) -> list[Finding]:
    """Return the findings of the signature block and the 附件说明 on the pages ``rows``
    (page, vertical centre in mm, text) of a rendering of ``document``."""
    lines = _text_block(document, rows)
    main = _main_text(paras)
    pages = _page_of_chars(main, lines)
    out: list[Finding] = []
    signature, date = closing_paragraphs(main)
    block = [p for p in (signature, date) if p is not None]
    notes = attachment_notes(main)
    if block:
        body = next((p for p in reversed(main[:main.index(block[0])])
                     if p.role in ("body", "heading") and p not in notes), None)
        first, last = pages(block[0], 0), pages(block[-1], -1)
        end = pages(body, -1) if body is not None else None
        if first is not None and last is not None and (first != last or end != first):
            alone = "、".join(("署名", "成文日期")[i] for i, p in enumerate((signature, date))
                             if p is not None and pages(p, 0) not in (end, None))
            out.append(Finding(
                "closing.alone", "error",
                "发文机关署名和成文日期应与正文同页；排不下时应把正文最后几行移到下一页，"
                "不能让署名或日期单独成页",
                f"{alone or '署名和成文日期'}在第{last + 1}页，正文止于第{(end or 0) + 1}页"
                if end is not None else f"第{last + 1}页只有署名和成文日期",
                "与正文最后几行同页", paragraph=block[0].index, text=block[0].text[:12]))
    if notes:
        first, last = pages(notes[0], 0), pages(notes[-1], -1)
        if first is not None and last is not None and first != last:
            out.append(Finding(
                "attachment.note_split", "warning",
                "附件说明能排在一页时不应跨页（可设置「段中不分页」「与下段同页」）",
                f"第{first + 1}页至第{last + 1}页", "同一页", paragraph=notes[0].index,
                text=notes[0].text[:12]))
    return out


def _text_block(document, rows: Rows) -> list[tuple[int, str]]:
    """Drop header and footer rows (outside the first section's text block)."""
    section = document.sections[0]
    top = (section.top_margin.twips if section.top_margin is not None else 0) / MM - 1
    bottom = ((section.page_height.twips - (section.bottom_margin.twips
               if section.bottom_margin is not None else 0)) / MM + 1)
    return [(page, text) for page, middle, text in rows if top <= middle <= bottom]


def _main_text(paras: list[Para]) -> list[Para]:
    """Return the paragraphs before the 附件 pages and the 版记."""
    out: list[Para] = []
    for para in paras:
        if para.role == "imprint" or (para.role == "attach_label"
                                      and any(p.role == "body" for p in out)):
            break
        out.append(para)
    return out


def closing_paragraphs(paras: list[Para]) -> tuple[Para | None, Para | None]:
    """Return (署名, 成文日期): by style GwSignature/GwDate, else by shape — the last date
    line, and the short or right-aligned line just above it."""
    styled = {p.fmt.style_id: p for p in paras if p.fmt.style_id in ("GwSignature", "GwDate")}
    if styled:
        return styled.get("GwSignature"), styled.get("GwDate")
    date = next((p for p in reversed(paras) if DATE.fullmatch(re.sub(r"\s", "", p.text))), None)
    if date is None:
        return None, None
    above = next((p for p in reversed(paras[:paras.index(date)]) if p.text.strip()), None)
    if above is not None and (above.role == "closing" or (
            len(above.text.strip()) <= 25 and not above.text.strip().endswith(("。", "；", "：")))):
        return above, date
    return None, date


def attachment_notes(paras: list[Para]) -> list[Para]:
    """Return the 附件说明 paragraphs: 「附件：1.名称」 and the numbered items after it
    (style GwAttachNote, or found by their text in `layout_rules.classify`)."""
    start = next((i for i, p in enumerate(paras) if p.role == "attach_note"), None)
    if start is None:
        return []
    notes = []
    for para in paras[start:]:
        if para.role != "attach_note":
            break
        notes.append(para)
    return notes


def _page_of_chars(paras: list[Para], rows: list[tuple[int, str]]
                   ) -> Callable[[Para, int], int | None]:
    """Return ``page(para, k)``: the page (from 0) of the k-th non-space character of
    ``para`` in the rendering, or None where the texts do not match."""
    doc_chars: list[str] = []
    starts: dict[int, int] = {}
    for para in paras:
        starts[id(para)] = len(doc_chars)
        doc_chars += re.sub(r"\s", "", para.text)
    pdf_chars: list[str] = []
    pdf_page: list[int] = []
    for number, text in rows:
        for char in re.sub(r"\s", "", text):
            pdf_chars.append(char)
            pdf_page.append(number)
    mapping: dict[int, int] = {}
    blocks: Sequence[tuple[int, int, int]]
    if pdf_chars[:len(doc_chars)] == doc_chars:  # the PDF keeps every character
        blocks = [(0, 0, len(doc_chars))]
    else:  # tables, text boxes, fields: align what matches
        blocks = SequenceMatcher(None, "".join(doc_chars), "".join(pdf_chars),
                                 autojunk=False).get_matching_blocks()
    for a, b, size in blocks:
        for k in range(size):
            mapping[a + k] = b + k
    lengths = {id(p): len(re.sub(r"\s", "", p.text)) for p in paras}

    def page(para: Para, k: int) -> int | None:
        length = lengths[id(para)]
        if not length:
            return None
        at = mapping.get(starts[id(para)] + (k % length))
        return pdf_page[at] if at is not None else None

    return page
