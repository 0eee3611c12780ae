"""Body tables in the DOCX: each `document.Table` becomes a real Word table after the
paragraph that precedes it in the body, in the style of published reports: 仿宋 五号,
single 0.5 pt black borders, centred cells, merged cells as declared, leading header rows
repeated on every page (w:tblHeader), rows not split across pages. A table's caption is a
centred 黑体 paragraph right above it, kept with the table (as the HTML prints it)."""

from __future__ import annotations

import re
from typing import Any

from .document import Document, Paragraph, Table
from .styles import CHAR_SPACING, FONT_BODY, FONT_HEI, LINE_PITCH, SIZE_3HAO

_LAYOUT = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]")  # as render.verify_complete compares


def _comparable(text: str) -> str:
    return _LAYOUT.sub("", text)

SIZE = 21  # half-points: 五号 (10.5 pt)
TEXT_WIDTH = 8845  # twips: 156 mm, the GB/T 9704 text width


def insert_tables(docx, document: Document) -> None:
    """Insert every table of ``document.body`` into the rendered ``docx``."""
    if not any(isinstance(b, Table) for b in document.body):
        return
    from docx.oxml.ns import qn

    paragraphs = docx.element.body.findall(qn("w:p"))
    texts = [_comparable("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in paragraphs]
    position, anchor = 0, None
    for block in document.body:
        if isinstance(block, Paragraph):
            want = _comparable(block.head + block.text)
            while position < len(texts) and texts[position] != want:
                position += 1
            if position < len(texts):
                anchor = paragraphs[position]
                position += 1
        elif anchor is not None:
            for element in ([caption_element(block.caption)] if block.caption else []) + [
                    table_element(block)]:
                anchor.addnext(element)
                anchor = element


def caption_element(text: str) -> Any:
    """Return the w:p of a table caption: 黑体 三号, centred, on the line grid, kept with
    the table below it."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    font = (f'<w:rFonts w:ascii="{FONT_HEI}" w:hAnsi="{FONT_HEI}" w:eastAsia="{FONT_HEI}" '
            f'w:cs="{FONT_HEI}"/>')
    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="0" '
        f'w:line="{LINE_PITCH}" w:lineRule="exact"/><w:ind w:left="0" w:right="0" '
        'w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr>'
        f'<w:r><w:rPr>{font}<w:spacing w:val="{CHAR_SPACING}"/><w:sz w:val="{SIZE_3HAO}"/>'
        f'<w:szCs w:val="{SIZE_3HAO}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def table_element(table: Table, width: int = TEXT_WIDTH) -> Any:
    """Return the w:tbl element of ``table``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    widths = column_widths(table, width)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = "".join(_row(table, r, widths) for r in range(len(table.rows)))
    return parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="04A0"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')


def column_widths(table: Table, width: int = TEXT_WIDTH) -> list[int]:
    """Return the grid column widths (twips): each column in proportion to the longest
    text of its one-column cells, between 4 and 10 characters, so long row labels get
    room and figures stay narrow."""
    grid = _grid(table)
    columns = max((len(row) for row in grid), default=1)
    demand = [4] * columns
    for r, line in enumerate(grid):
        for c, slot in enumerate(line):
            if slot[0] == "cell":
                cell = table.rows[r][slot[1]]
                if cell.colspan == 1:
                    demand[c] = max(demand[c], min(10, len(cell.text)))
    total = sum(demand)
    widths = [width * d // total for d in demand]
    widths[-1] += width - sum(widths)
    return widths


def _grid(table: Table) -> list[list[tuple]]:
    """Return, per row and grid column: ("cell", index) where a cell of the row starts,
    ("cont", colspan) where a cell from above continues down (vMerge), ("skip",) where
    a colspan covers the column."""
    taken: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) -> (owner row, col)
    spans: dict[tuple[int, int], int] = {}
    out: list[list[tuple]] = []
    for r, row in enumerate(table.rows):
        line: list[tuple] = []

        def covered(c: int) -> None:
            owner = taken[(r, c)]
            line.append(("cont", spans[owner]) if c == owner[1] else ("skip",))

        c = 0
        for i, cell in enumerate(row):
            while (r, c) in taken:
                covered(c)
                c += 1
            line.append(("cell", i))
            spans[(r, c)] = cell.colspan
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr:
                        taken[(r + dr, c + dc)] = (r, c)
            line.extend([("skip",)] * (cell.colspan - 1))
            c += cell.colspan
        while (r, c) in taken:
            covered(c)
            c += 1
        out.append(line)
    return out


def _row(table: Table, r: int, widths: list[int]) -> str:
    from xml.sax.saxutils import escape

    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < table.header_rows else "")
    cells = []
    columns = len(widths)
    for c, slot in enumerate(_grid(table)[r]):
        if slot[0] == "cont":
            cells.append(_tc("", slot[1], sum(widths[c:c + slot[1]]), "continue"))
        elif slot[0] == "cell":
            cell = table.rows[r][slot[1]]
            label = not (cell.header or cell.text.replace(".", "").isdigit()
                         or cell.text in ("", "/"))
            cells.append(_tc(escape(cell.text), cell.colspan, sum(widths[c:c + cell.colspan]),
                             "restart" if cell.rowspan > 1 else "",
                             label and cell.colspan < columns))
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def _tc(text: str, span: int, width: int, merge: str, left: bool = False) -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    merge_xml = f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else (
        "<w:vMerge/>" if merge else "")
    font = (f'<w:rFonts w:ascii="{FONT_BODY}" w:hAnsi="{FONT_BODY}" w:eastAsia="{FONT_BODY}" '
            f'w:cs="{FONT_BODY}"/>')
    run = (f'<w:r><w:rPr>{font}<w:sz w:val="{SIZE}"/>'
           f'<w:szCs w:val="{SIZE}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
           if text else "")
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{merge_xml}'
            '<w:vAlign w:val="center"/></w:tcPr>'
            '<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
            'w:line="280" w:lineRule="exact"/><w:ind w:left="0" w:right="0" w:firstLine="0" '
            f'w:firstLineChars="0"/><w:jc w:val="{"left" if left else "center"}"/></w:pPr>'
            f'{run}</w:p></w:tc>')
