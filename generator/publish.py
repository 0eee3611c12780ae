"""Turn built reports into PDFs (one LibreOffice for the batch) and page images.

After the conversion the position of each 版记 is read back from the PDF (with poppler's
pdftotext, or PyMuPDF). If the estimate of `furniture.pad_imprint` was off, the report is
rendered again with the measured padding and converted once more — all such reports in
one further LibreOffice run.
"""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import styles as S
from .pdf import convert_to_pdf, render_png

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .office import ResidentOffice
    from .prepared import BuildResult

MM = 72 / 25.4  # PDF points per millimetre
PITCH_MM = S.LINE_PITCH / S.TWIPS_PER_MM
TOP_MM = S.MARGIN_TOP / S.TWIPS_PER_MM
BOTTOM_MM = (S.PAGE_HEIGHT - S.MARGIN_BOTTOM) / S.TWIPS_PER_MM
LINES = S.LINES_PER_PAGE
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


def publish(results: Sequence[BuildResult], png: bool = False, dpi: int = 96,
            office: ResidentOffice | None = None) -> None:
    """Write a PDF (and with ``png`` page images) next to each result's DOCX, through
    the resident ``office`` when given (see `office.resident_office`), else one-shot.

    Raises:
        pdf.LibreOfficeMissing, pdf.ConversionError: the PDFs could not be made.
    """
    with Publisher(office) as publisher:
        for result in results:
            publisher.add(result)
        publisher.finish(png, dpi)


class Publisher:
    """Convert reports as they are built: with a resident office each `add` hands the
    DOCX to a worker thread at once (LibreOffice converts while the next report is
    rendered); without one, `finish` converts them all in one soffice run. `finish` then
    measures the 版记 padding and converts the re-rendered reports once more."""

    def __init__(self, office: ResidentOffice | None = None) -> None:
        self.convert = _Converter(office)
        self.pool = None
        if office is not None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(1, thread_name_prefix="nianbao-pdf")
        self.items: list[tuple[BuildResult, Path, Future | None]] = []
        self.failed: dict[Path, str] = {}

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:  # on an error: pending files are dropped
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)

    def add(self, result: BuildResult) -> None:
        """Queue the PDF of ``result`` (nothing when its DOCX was not written)."""
        from .outputs import keep_edited

        output = result.output
        if output is None:
            return
        backup = keep_edited(output.with_suffix(".pdf"))
        if backup is not None:
            result.backups.append(backup)
        future = None
        if self.pool is not None and self.convert.office is not None:
            future = self.pool.submit(self.convert, [output], self.failed)
        self.items.append((result, output, future))

    def finish(self, png: bool = False, dpi: int = 96) -> None:
        """Wait for the conversions; re-pad and convert again where the PDF says so; make
        the page images with ``png``.

        Raises:
            pdf.LibreOfficeMissing, pdf.ConversionError: the PDFs could not be made.
        """
        waiting = [o for _, o, future in self.items if future is None]
        made = iter(self.convert(waiting, self.failed) if waiting else [])
        for result, output, future in self.items:
            result.pdf = future.result()[0] if future is not None else next(made)
            result.pdf_error = self.failed.get(output.resolve())
        again = [(r, o) for r, o, _ in self.items if r.pdf is not None and _repad(r)]
        if again:
            self.convert([o for _, o in again], self.failed)
            for result, output in again:
                result.pdf_error = self.failed.get(output.resolve())
                result.pdf = None if result.pdf_error else result.pdf
        if png:
            for result, _, _ in self.items:
                if result.pdf is not None:
                    result.images = render_png(result.pdf, dpi)


class _Converter:
    """convert(files, failed): through the office while it works, else one-shot."""

    def __init__(self, office: ResidentOffice | None) -> None:
        self.office = office

    def __call__(self, files: list[Path], failed: dict[Path, str]) -> list[Path | None]:
        if self.office is not None:
            from .office import OfficeUnavailable

            try:
                return self.office.convert(files, failed=failed)
            except OfficeUnavailable:  # it never started: the one-shot call says why
                self.office = None
        return convert_to_pdf(files, failed=failed)


def _repad(result: BuildResult) -> bool:
    """Render the DOCX again when the PDF shows the 版记 off the last lines; return
    whether it was rendered."""
    used, document, output, prepared = (result.padding, result.document, result.output,
                                        result.prepared)
    if (used is None or result.pdf is None or document is None or output is None
            or prepared is None or prepared.template is None):  # not rendered
        return False
    even = bool(document.imprint and document.imprint.even_page)
    wanted = measured_padding(result.pdf, used, even)
    if wanted is None or wanted == used:
        return False
    from .render import render_docx

    rendered = render_docx(prepared.template.docx, document, output, wanted)
    result.context, result.padding = rendered.context, rendered.padding
    return True


def text_lines(pdf: Path) -> list[tuple[int, int, str]] | None:
    """Return (page, grid line, text) of every body line, read with poppler's pdftotext
    (fast) or PyMuPDF; None when neither is available or the PDF cannot be read."""
    rows = _rows_pdftotext(pdf)
    if rows is None:
        rows = _rows_pymupdf(pdf)
    if rows is None:
        return None
    out = []
    for page, middle, text in rows:  # middle: the vertical centre of the glyphs, in mm
        if middle > BOTTOM_MM + 1:  # the page number
            continue
        out.append((page, math.floor((middle - TOP_MM) / PITCH_MM), text.strip("　 ")))
    return out


def page_rows(pdf: Path) -> list[tuple[int, float, str]] | None:
    """Return (page from 0, vertical centre in mm, text) of every text row of every page;
    None when neither pdftotext nor PyMuPDF can read the PDF."""
    rows = _rows_pdftotext(pdf, tail=False)
    return _rows_pymupdf(pdf) if rows is None else rows


def _rows_pdftotext(pdf: Path, tail: bool = True) -> list[tuple[int, float, str]] | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    first = 1
    if tail:  # the 版记 and what precedes it: the last 3 pages
        counts = [int(n) for n in re.findall(rb"/Count (\d+)", pdf.read_bytes())]
        first = max(1, max(counts, default=1) - 2)
    done = subprocess.run([tool, "-f", str(first), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True)
    if done.returncode:
        return None
    rows = []
    for number, page in enumerate(done.stdout.split("<page ")[1:], first - 1):
        lines: dict[float, list[tuple[float, str]]] = {}
        for x, y0, y1, text in _WORD.findall(page):
            middle = (float(y0) + float(y1)) / 2 / MM
            lines.setdefault(round(middle, 1), []).append((float(x), html.unescape(text)))
        rows += [(number, y, "".join(t for _, t in sorted(words)))
                 for y, words in sorted(lines.items())]
    return rows


def _rows_pymupdf(pdf: Path) -> list[tuple[int, float, str]] | None:
    try:
        import pymupdf

        doc = pymupdf.open(pdf)
    except Exception:  # no PyMuPDF, or an unreadable PDF: keep the estimate  # noqa: BLE001
        return None
    rows = []
    with doc:
        for number, page in enumerate(doc.pages()):
            lines: dict[float, list] = {}
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        y0, y1 = span["bbox"][1], span["bbox"][3]
                        key = round((y0 + y1) / 2 / MM, 1)
                        lines.setdefault(key, []).append((span["bbox"][0], span["text"]))
            rows += [(number, y, "".join(t for _, t in sorted(words)))
                     for y, words in sorted(lines.items())]
    return rows


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
