"""Page furniture of the DOCX: 版头, 附件说明, 附件 pages and 版记 — their geometry, and
the padding that puts the 版记 on the last lines of the last page (spec §4, §8, §9).

`letterhead_geometry` and `attachment_note_lines` compute the template values from the
document model; ``pad_imprint`` runs on the rendered document: it sets the 版记 line
heights so that the rules do not push the grid, estimates how many grid lines the
content takes (``linefit``) and inserts blank lines before the 版记 so that its last
rule meets the bottom of the text block.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from . import styles as S
from .document import Letterhead
from .formatting import text_width
from .linefit import count_lines, text_advance

LINES_PER_PAGE = S.LINES_PER_PAGE
BLOCK_HEIGHT = S.TEXT_HEIGHT  # 12756 twips
MARK_TOP = 1984  # the mark's top edge 35 mm below the top of the text block
IMPRINT_STYLES = ("GwImprint", "GwImprintCc")


def letterhead_geometry(head: Letterhead | None) -> dict[str, Any] | None:
    """Return the 版头 geometry: mark size and squeeze, and the heights that put the
    mark's top 35 mm below the text block and keep the following lines on the grid."""
    if head is None:
        return None
    mark = head.mark
    size = round(head.size * 20)  # twips
    scale = min(100, math.floor(S.TEXT_WIDTH * 99 / (text_width(mark) * size)))
    line = max(2 * S.LINE_PITCH, round(size * 1.25))
    # LibreOffice puts the baseline at 80 % of an exact line; the em box top is 0.88 em up.
    before = max(0, round(MARK_TOP - (0.8 * line - 0.88 * size)))
    glyph_bottom = before + 0.8 * line + 0.12 * size
    number_line = math.ceil((glyph_bottom + 2 * S.LINE_PITCH) / S.LINE_PITCH)
    # red rule 4 mm (227 twips) below the 发文字号's glyphs, whose bottom is 78 twips
    # above the bottom of their exact 579-twip line
    rule_space = round((227 - 78) / 20)
    return {"mark": mark, "size": round(size / 10), "scale": max(scale, 30), "line": line,
            "before": before, "gap": number_line * S.LINE_PITCH - before - line,
            "number": head.number, "signer": head.signer,
            "rule_space": rule_space,
            "spacer": S.LINE_PITCH - (rule_space + S.RULE_THICK // 8) * 20}


def attachment_note_lines(names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return the 附件说明 lines with the indents that align wrapped names."""
    notes = []
    for index, name in enumerate(names, 1):
        lead = "附件：" if index == 1 else ""
        number = f"{index}." if len(names) > 1 else ""
        start = S.INDENT_FIRST_LINE + (0 if index == 1 else _start_of("附件：", number[:1]))
        left = S.INDENT_FIRST_LINE + _start_of("附件：" + number, name[:1])
        notes.append({"text": lead + number + name, "left": left, "hanging": left - start})
    return notes


def _start_of(prefix: str, char: str) -> int:
    """Return where ``char`` starts after ``prefix``, in twips (LibreOffice advances)."""
    return round(text_advance(prefix + char) - text_advance(char))


# -- after rendering: geometry, heights and padding ---------------------------------------

def place_furniture(document, context: dict[str, Any]) -> None:
    """Set the report-dependent geometry of the 版头 and of 附件说明 on the rendered
    document; the template keeps valid default numbers, so Word can open it."""
    head = context.get("letterhead")
    notes = iter(context.get("attachment_notes") or [])
    if not head and not context.get("attachment_notes"):
        return
    paras = document.element.body.findall(_q("p"))
    for index, p in enumerate(paras):
        style = p.find(f"{_q('pPr')}/{_q('pStyle')}")
        style = style.get(_q("val")) if style is not None else None
        following = paras[index + 1] if index + 1 < len(paras) else None
        if style == "GwMark" and head:
            _set(p, "pPr/spacing", before=head["before"], line=head["line"])
            for run in p.findall(_q("r")):
                _set(run, "rPr/w", val=head["scale"])
                _set(run, "rPr/sz", val=head["size"])
                _set(run, "rPr/szCs", val=head["size"])
            _set(following, "pPr/spacing", line=head["gap"])
        elif style == "GwDocNumber" and head:
            _set(p, "pPr/pBdr/bottom", space=head["rule_space"])
            _set(following, "pPr/spacing", line=head["spacer"])
        elif style == "GwAttachNote":
            note = next(notes, None)
            if note:
                _set(p, "pPr/ind", left=note["left"], hanging=note["hanging"])


def keep_closing_together(document) -> None:
    """Keep the end of the body with 附件说明, 署名 and 成文日期 (GB/T 9704 7.3.5, spec §6.3).

    Sets keepNext on the last body paragraph, the blank lines, the 附件说明 lines and the
    署名 before the date, and keepLines on each 附件说明 line, so that Word and LibreOffice
    move the last body lines to the next page rather than leave the signature alone there
    or split the 附件说明.
    """
    paras = document.element.body.findall(_q("p"))
    styles = [_style_of(p) for p in paras]
    closing = ("GwSignature", "GwDate")
    ends = [i for i, s in enumerate(styles) if s in closing]
    notes = [i for i, s in enumerate(styles) if s == "GwAttachNote"]
    if ends:
        last = start = ends[-1]
        while start > 0 and styles[start - 1] in closing:
            start -= 1
        while start > 0 and (styles[start - 1] == "GwAttachNote" or not _text(paras[start - 1])):
            start -= 1
        for p in paras[max(start - 1, 0):last]:  # from the last body paragraph on
            _keep(p, "keep_with_next")
    elif notes:
        for index in notes[:-1]:
            _keep(paras[index], "keep_with_next")
    for index in notes:
        _keep(paras[index], "keep_together")


def _style_of(p) -> str | None:
    props = next(p.iterchildren(_PPR), None)  # faster than find() with a path
    style = next(props.iterchildren(_PSTYLE), None) if props is not None else None
    return style.get(_VAL) if style is not None else None


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_q("t"))).strip()


def _keep(p, what: str) -> None:
    """Turn on keep_with_next or keep_together (w:keepNext, w:keepLines) on ``p``."""
    from docx.text.parfmt import ParagraphFormat

    setattr(ParagraphFormat(p), what, True)


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _set(element, path: str, **values: int) -> None:
    """Set w: attributes on the element at ``path`` (w:-prefixed steps) below ``element``."""
    target = element.find("/".join(_q(step) for step in path.split("/")))
    if target is None:
        raise ValueError(f"template has no {path} where the layout expects it")
    for name, value in values.items():
        target.set(_q(name), str(value))


def pad_imprint(document, even_page: bool = False, padding: int | None = None) -> int | None:
    """Insert blank lines before the 版记 so that it ends on the last grid line of a page
    (an even page with ``even_page``); return their number, or None without a 版记.

    ``padding`` forces the number (a second pass after measuring the PDF).
    """
    from .docx_inspect import Inspector

    body = document.element.body
    paras = body.findall(f"{{{_W}}}p")
    inspector = Inspector(document)
    first = len(paras)
    while first > 0 and inspector.paragraph_style(paras[first - 1]) in IMPRINT_STYLES:
        first -= 1
    if first == len(paras):
        return None
    imprint_lines = sum(_fix_imprint_height(inspector, p) for p in paras[first:])
    page, used = _fill(inspector, paras[:first])
    if padding is None:
        free = (BLOCK_HEIGHT - used) // S.LINE_PITCH
        padding = free - imprint_lines
        if padding < 0:
            padding, page = padding + LINES_PER_PAGE, page + 1
        if even_page and page % 2:
            padding += LINES_PER_PAGE
    for _ in range(padding):
        paras[first].addprevious(_blank())
    return padding


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PPR, _PSTYLE, _VAL, _RPR, _R, _T, _TAB = (
    f"{{{_W}}}{tag}" for tag in ("pPr", "pStyle", "val", "rPr", "r", "t", "tab"))


def _blank():
    from docx.oxml import parse_xml

    return parse_xml(f'<w:p xmlns:w="{_W}"/>')


class _Formats:
    """The inspector's paragraph and run formats, resolved once per distinct property
    XML: the thousands of body paragraphs of a long report share a handful of them
    (the formats depend on nothing else: the style id is inside ``w:pPr``); and the
    line-fitting arguments of each (paragraph, run) format pair."""

    def __init__(self, inspector) -> None:
        from lxml.etree import tostring

        self.inspector, self.tostring = inspector, tostring
        self.paras: dict[Any, Any] = {}
        self.runs: dict[tuple[Any, Any], Any] = {}
        self.fits: dict[tuple[Any, Any], tuple[int, int, int, int]] = {}
        self.last: tuple[Any, Any] = (None, None)

    def _key(self, element, tag: str) -> Any:
        """Return a key equal for equal property XML: None without it, the lone child's
        tag, attributes and text for a single leaf (a bare style reference), else the XML."""
        props = next(element.iterchildren(tag), None) if element is not None else None
        if props is None:
            return None
        if len(props) == 1 and not props.attrib:
            leaf = props[0]
            if not len(leaf):
                return (leaf.tag, tuple(leaf.attrib.items()), leaf.text)
        return self.tostring(props)

    def paragraph(self, p):
        key = self._key(p, _PPR)
        self.last = (p, key)  # `run` is asked about the same paragraph next
        fmt = self.paras.get(key)
        if fmt is None:
            fmt = self.paras[key] = self.inspector.paragraph(p)
        return fmt

    def run(self, p, r):
        return self._run(self._para_key(p), p, r)[0]

    def _para_key(self, p) -> Any:
        return self.last[1] if self.last[0] is p else self._key(p, _PPR)

    def _run(self, para: Any, p, r) -> tuple[Any, tuple[Any, Any]]:
        key = (para, self._key(r, _RPR))
        fmt = self.runs.get(key)
        if fmt is None:
            fmt = self.runs[key] = self.inspector.run(p, r)
        return fmt, key

    def lines(self, p, fmt) -> int:
        """Return `_lines` of ``p`` (whose format is ``fmt``), its arguments cached;
        the text and its first run found in one pass (as `paragraph_text` and
        `_first_text_run`: without a tab, the run of the first text)."""
        parts, first = [], None
        for node in p.iter(_T, _TAB):
            if node.tag == _TAB:
                return 1
            value = node.text
            if value:
                parts.append(value)
                first = node if first is None else first
        text = "".join(parts)
        if "\t" in text or first is None:
            return 1
        r = first.getparent()
        run, key = self._run(self._para_key(p), p, r if r.tag == _R else _first_text_run(p))
        fit = self.fits.get(key)
        if fit is None:
            fit = self.fits[key] = _fit(fmt, run)
        return count_lines(text, *fit)


def _lines(inspector, p, fmt) -> int:
    """Return how many lines paragraph ``p`` takes (``linefit``'s estimate)."""
    from .docx_inspect import paragraph_text

    text = paragraph_text(p)
    if "\t" in text or not text:
        return 1
    return count_lines(text, *_fit(fmt, inspector.run(p, _first_text_run(p))))


def _fit(fmt, run) -> tuple[int, int, int, int]:
    """Return `count_lines`' width, first-line indent, size and spacing for a paragraph
    of format ``fmt`` whose first text run has format ``run``."""
    width = S.TEXT_WIDTH - fmt.twips("ind", "left") - fmt.twips("ind", "right")
    return width, fmt.first_line, run.size or S.SIZE_3HAO, run.spacing


def _first_text_run(p):
    """Return the first run of ``p`` with text (as ``Inspector.runs(p)[0][0]``), or None."""
    for r in p.iter(_R):
        for t in r.iter(_T):
            if t.text:
                return r
        if next(r.iterchildren(_TAB), None) is not None:
            return r
    return None


def _border(fmt, side: str) -> int:
    """Return the height a top/bottom border adds, in twips (width plus spacing)."""
    border = fmt.borders.get(side)
    if not border or border.get("val") in (None, "nil", "none"):
        return 0
    return round(int(border.get("sz", 0)) * 20 / 8 + int(border.get("space", 0)) * 20)


def _fix_imprint_height(inspector, p) -> int:
    """Make a 版记 paragraph with its rules exactly N grid lines high; return N."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Twips
    from docx.text.parfmt import ParagraphFormat

    fmt = inspector.paragraph(p)
    lines = _lines(inspector, p, fmt)
    extra = _border(fmt, "top") + _border(fmt, "bottom")
    pf = ParagraphFormat(p)
    pf.line_spacing = Twips(S.LINE_PITCH - math.ceil(extra / lines))
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    return lines


def _fill(inspector, paras) -> tuple[int, int]:
    """Return (page, twips used on it) after laying out ``paras`` line by line.

    A run of keep-with-next paragraphs plus the first line of the paragraph after it
    moves to a new page when it does not fit (as LibreOffice does), if it fits on one.
    """
    page, used = 1, 0
    formats = _Formats(inspector)
    fmts, lines = [], []
    for p in paras:
        fmts.append(formats.paragraph(p))
        lines.append(formats.lines(p, fmts[-1]))
    shapes: dict[int, _Shape] = {}
    geometry = [shapes.get(id(fmt)) or shapes.setdefault(id(fmt), _Shape.of(fmt))
                for fmt in fmts]
    for index, (shape, count) in enumerate(zip(geometry, lines)):
        if shape.page_break_before and (used or page > 1):
            page, used = page + 1, 0
        pitch = shape.pitch
        if shape.keep_next and used and not (index and geometry[index - 1].keep_next):
            chain = _chain_height(geometry, lines, index)
            if used + chain > BLOCK_HEIGHT >= chain:
                page, used = page + 1, 0
        used += shape.before + shape.top
        for _ in range(count):
            if used + pitch > BLOCK_HEIGHT:
                page, used = page + 1, 0
            used += pitch
        used += shape.bottom + shape.after
    return page, used


class _Shape(NamedTuple):
    """The vertical geometry of a paragraph format, in twips."""

    before: int
    after: int
    top: int  # border heights
    bottom: int
    pitch: int
    keep_next: bool
    page_break_before: bool

    @classmethod
    def of(cls, fmt) -> _Shape:
        return cls(fmt.twips("spacing", "before"), fmt.twips("spacing", "after"),
                   _border(fmt, "top"), _border(fmt, "bottom"),
                   fmt.exact_pitch or S.LINE_PITCH, bool(fmt.keep_next),
                   bool(fmt.page_break_before))


def _chain_height(shapes: list[_Shape], lines: list[int], start: int) -> int:
    """Return the height of the keep-with-next run starting at ``shapes[start]`` plus
    the first line of the paragraph that ends it."""
    height = 0
    for index in range(start, len(shapes)):
        shape, count = shapes[index], lines[index]
        if not shape.keep_next:
            return height + shape.before + shape.pitch
        height += shape.before + shape.top + count * shape.pitch + shape.bottom + shape.after
    return height
