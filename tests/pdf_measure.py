"""Measure a PDF page by page with PyMuPDF: text lines on the grid, rules, ink rows.

Units are millimetres from the top-left corner of the page. LibreOffice puts the baseline
of an exact-height line at 80 % of the line (sw/source/core/text/itrform2.cxx), so the
top of a line box is ``baseline - 0.8 * pitch``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
PITCH = 579 / 56.693  # 10.2129 mm
TOP, BOTTOM, LEFT, RIGHT = 37.0, 297.0 - 35.0, 28.0, 210.0 - 26.0
FOOTER_LIMIT = BOTTOM + 1.5  # baselines below this are page numbers


@dataclass
class Line:
    baseline: float
    x0: float
    x1: float
    text: str
    advances: list[float]  # mm between consecutive character origins
    fonts: set[str]
    size: float

    @property
    def grid(self) -> float:
        """Return the (fractional) grid row of this line: 0 is the first of 22."""
        return (self.baseline - TOP - 0.8 * PITCH) / PITCH


@dataclass
class Page:
    number: int
    lines: list[Line]  # body lines, top to bottom
    footer: list[Line]
    rules: list[tuple[float, float, float, float, tuple]]  # y, x0, x1, width(pt), colour


def read_pdf(path: Path) -> list[Page]:
    """Return every page's text lines (grouped by baseline), footer lines and rules."""
    import pymupdf

    pages = []
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, 1):
            rows: dict[float, list] = {}  # baseline -> spans; a span keeps its own order
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if span["chars"]:
                            key = round(span["chars"][0]["origin"][1] / MM, 1)
                            rows.setdefault(key, []).append(span)
            body, footer = [], []
            for y in sorted(rows):
                spans = sorted(rows[y], key=lambda s: s["chars"][0]["origin"][0])
                chars = [(c, s["font"], s["size"]) for s in spans for c in s["chars"]]
                text = "".join(c[0]["c"] for c in chars)
                xs = [c[0]["origin"][0] / MM for c in chars]
                line = Line(y, min(c[0]["bbox"][0] for c in chars) / MM,
                            max(c[0]["bbox"][2] for c in chars) / MM, text,
                            [b - a for a, b in zip(xs, xs[1:])], {c[1] for c in chars},
                            max(c[2] for c in chars))
                (footer if y > FOOTER_LIMIT else body).append(line)
            rules = {}
            for d in page.get_drawings():
                r = d["rect"]
                if r.height < 1:  # a horizontal rule
                    key = (round(r.y0 / MM, 2), round(r.x0 / MM, 2), round(r.x1 / MM, 2),
                           d.get("width") or 0, tuple(d.get("color") or ()))
                    rules[key] = key
            pages.append(Page(number, body, footer, sorted(rules)))
    return pages


def ink_rows(path: Path, page: int, top: float, bottom: float, red: bool = False,
             dpi: int = 600) -> tuple[float, float] | None:
    """Return the first and last row (mm) with dark (or red) ink between top and bottom."""
    import pymupdf

    with pymupdf.open(path) as doc:
        p = doc[page - 1]
        clip = pymupdf.Rect(0, top * MM, p.rect.width, bottom * MM)
        pix = p.get_pixmap(dpi=dpi, clip=clip)
    data, n, width = pix.samples, pix.n, pix.width
    rows = []
    for y in range(pix.height):
        line = data[y * width * n:(y + 1) * width * n]
        for x in range(0, width * n, n * 2):
            r, g, b = line[x], line[x + 1], line[x + 2]
            hit = (r > 180 and g < 90 and b < 90) if red else (r < 110 and g < 110 and b < 110)
            if hit:
                rows.append(y)
                break
    if not rows:
        return None
    scale = 25.4 / dpi
    return top + rows[0] * scale, top + (rows[-1] + 1) * scale


def full_width_cjk_lines(pages: list[Page]) -> list[tuple[Line, Line | None]]:
    """Return (line, next line) for lines of Chinese text only that start at the left
    margin and end at the right one (the next line may be on the next page)."""
    lines = [line for page in pages for line in page.lines]
    return [(line, following) for line, following in zip(lines, lines[1:])
            if abs(line.x0 - LEFT) < 0.3 and line.x1 > RIGHT - 0.6
            and not any(c.isascii() for c in line.text)]
