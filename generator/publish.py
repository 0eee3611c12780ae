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
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import styles as S
from .pdf import ConversionError, LibreOfficeMissing, convert_to_pdf, render_png
from .prepared import release as release  # where it lives: off the PDF path

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


#: Reports rendered ahead of the conversion: enough to keep LibreOffice busy, few enough
#: that a batch's memory does not grow with its size.
AHEAD = 2


class Publisher:
    """Convert reports as they are built.

    With a resident office each `add` hands the DOCX to a worker thread at once, so
    LibreOffice converts while the next report is rendered, and takes in the PDFs that
    are ready: their 版记 padding is measured (a re-rendered report is queued again) and,
    without ``keep``, the result drops its models (`release`) — a batch's memory does not
    grow with its size. Without an office, `finish` converts everything in one soffice run.
    """

    def __init__(self, office: ResidentOffice | None = None, keep: bool = True) -> None:
        self.convert = _Converter(office)
        self.keep = keep
        self.pool = None
        if office is not None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(1, thread_name_prefix="nianbao-pdf")
        # (result, DOCX, its conversion, whether it is the second one) in order
        self.queue: deque[tuple[BuildResult, Path, Future, bool]] = deque()
        self.batch: list[tuple[BuildResult, Path]] = []  # converted one-shot by `finish`
        self.results: list[BuildResult] = []
        self.failed: dict[Path, str] = {}

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:  # on an error: pending files are dropped
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)

    def add(self, result: BuildResult) -> None:
        """Queue the PDF of ``result`` (nothing when its DOCX was not written).

        Raises:
            OSError: the previous PDF, edited by someone, cannot be kept aside.
        """
        from .outputs import keep_edited

        output = result.output
        if output is None:
            release(result, self.keep)
            return
        backup = keep_edited(output.with_suffix(".pdf"))
        if backup is not None:
            result.backups.append(backup)
        self.results.append(result)
        if self.pool is not None and self.convert.office is not None:
            self.queue.append((result, output, self.pool.submit(self.convert, [output],
                                                                self.failed), False))
            while len(self.queue) > AHEAD:  # LibreOffice is the slower: keep pace with it
                self._settle(wait=True, limit=1)
            self._settle(wait=False)
        else:
            self.batch.append((result, output))

    def _settle(self, wait: bool, limit: int | None = None) -> None:
        """Take in the finished conversions at the head of the queue (with ``wait``: all,
        or the first ``limit``, waiting for them)."""
        while self.queue and (wait or self.queue[0][2].done()) and limit != 0:
            limit = None if limit is None else limit - 1
            result, output, future, second = self.queue.popleft()
            try:
                made = future.result()[0]
                error = self.failed.get(output.resolve())
                if second:
                    result.pdf = None if error else result.pdf
                    result.pdf_error = error
                else:
                    result.pdf, result.pdf_error = made, error
                    if made is not None and _repad(result):
                        again = self.pool.submit(self.convert, [output], self.failed)  # type: ignore[union-attr]
                        self.queue.append((result, output, again, True))
                        continue
            except (ConversionError, LibreOfficeMissing, OSError) as exc:
                from .oserrors import describe

                result.pdf = None
                result.pdf_error = describe(exc) if isinstance(exc, OSError) else str(exc)
            release(result, self.keep)

    def finish(self, png: bool = False, dpi: int = 96) -> None:
        """Wait for the conversions (or convert the rest one-shot, then re-pad and convert
        again where the PDF says so); make the page images with ``png``.

        Raises:
            pdf.LibreOfficeMissing, pdf.ConversionError: the PDFs could not be made.
        """
        self._settle(wait=True)
        if self.batch:
            made = self.convert([o for _, o in self.batch], self.failed)
            for (result, output), pdf in zip(self.batch, made):
                result.pdf, result.pdf_error = pdf, self.failed.get(output.resolve())
            again = [(r, o) for r, o in self.batch if r.pdf is not None and _repad(r)]
            if again:
                self.convert([o for _, o in again], self.failed)
                for result, output in again:
                    result.pdf_error = self.failed.get(output.resolve())
                    result.pdf = None if result.pdf_error else result.pdf
            for result, _ in self.batch:
                release(result, self.keep)
        if png:
            for result in self.results:
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
