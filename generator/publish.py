"""Turn built reports into PDFs (one LibreOffice run for the batch) and page images.

After the conversion the position of each 版记 is read back from the PDF (with PyMuPDF,
when installed). If the estimate of `furniture.pad_imprint` was off, the report is
rendered again with the measured padding and converted once more — all such reports in
one further LibreOffice run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import styles as S
from .pdf import convert_to_pdf, render_png

if TYPE_CHECKING:
    from .api import BuildResult

MM = 72 / 25.4  # PDF points per millimetre
PITCH_MM = S.LINE_PITCH / 56.693
TOP_MM = S.MARGIN_TOP / 56.693
BOTTOM_MM = (S.PAGE_HEIGHT - S.MARGIN_BOTTOM) / 56.693
LINES = 22


def publish(results: Sequence[BuildResult], png: bool = False, dpi: int = 96) -> None:
    """Write a PDF (and with ``png`` page images) next to each result's DOCX.

    Raises:
        pdf.LibreOfficeMissing, pdf.ConversionError: the PDFs could not be made.
    """
    results = [r for r in results if r.output is not None]
    for result, made in zip(results, convert_to_pdf([r.output for r in results])):
        result.pdf = made
    again = [r for r in results if _repad(r)]
    if again:
        convert_to_pdf([r.output for r in again])
    if png:
        for result in results:
            result.images = render_png(result.pdf, dpi)


def _repad(result: BuildResult) -> bool:
    """Render the DOCX again when the PDF shows the 版记 off the last lines; return
    whether it was rendered."""
    context = result.context or {}
    used = context.get("imprint_padding_used")
    if used is None or result.pdf is None:
        return False
    even = bool((context.get("imprint") or {}).get("even_page"))
    wanted = measured_padding(result.pdf, used, even)
    if wanted is None or wanted == used:
        return False
    from .render import render_docx

    prepared = result.prepared
    context["imprint_padding"] = wanted
    render_docx(prepared.template.docx, context, result.output,
                sealed=prepared.workspace.config.sealed)
    return True


def text_lines(pdf: Path) -> list[tuple[int, int, str]] | None:
    """Return (page, grid line, text) of every body line, or None without PyMuPDF."""
    try:
        import pymupdf
    except ImportError:
        return None
    out = []
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc):
            rows: dict[float, list] = {}
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        for char in span["chars"]:
                            rows.setdefault(round(char["origin"][1], 1), []).append(char)
            for y in sorted(rows):
                if y / MM > BOTTOM_MM + 1:  # the page number
                    continue
                chars = sorted(rows[y], key=lambda c: c["bbox"][0])
                # LibreOffice puts the baseline at 80 % of an exact line
                grid = round((y / MM - TOP_MM - 0.8 * PITCH_MM) / PITCH_MM)
                out.append((number, grid, "".join(c["c"] for c in chars).strip("　 ")))
    return out


def measured_padding(pdf: Path, used: int, even_page: bool = False) -> int | None:
    """Return the blank lines that put the 版记 on the last lines of its page, judged from
    the PDF made with ``used`` blank lines; None when it cannot be measured."""
    lines = text_lines(pdf)
    if not lines:
        return None
    tail = range(len(lines) - 1, max(0, len(lines) - 8), -1)
    first = next((i for i in tail if lines[i][2].startswith(("抄送", "主送"))), None)
    if first is None:
        first = next((i for i in tail if lines[i][2].endswith("印发")), None)
    if not first:
        return None
    position = [page * LINES + grid for page, grid, _ in lines]
    content_end = position[first - 1]  # the last line before the blank lines
    imprint = position[-1] - position[first] + 1
    padding = (LINES - 1 - content_end - imprint) % LINES
    if even_page and ((content_end + padding + imprint) // LINES) % 2 == 0:
        padding += LINES
    return padding
