"""Drafts (``build --draft``): a visible 草稿 mark on every page, and 【待核实：…】 after
every paragraph that validation flagged."""

from __future__ import annotations

from typing import Iterable, Sequence

from .document import Paragraph, Table
from .issues import Issue
from .references import MARKER

FLAG = "【待核实：{}】"
HEADER = "草稿（未通过检查，待核实处已在正文中标出，不得印发）"
MAX_NOTE = 80  # characters of one message inside the document


def flagged(blocks: Sequence[Paragraph | Table], issues: Iterable[Issue]) -> dict[int, list[str]]:
    """Return {block index: [message, …]} for the warnings and errors that point into a
    paragraph: by its file and data path, or by a metric the paragraph references."""
    out: dict[int, list[str]] = {}
    for found in issues:
        if found.severity == "info" or not found.loc.file:
            continue
        path = found.loc.path or ""
        parts = path.split(".")
        metric = f"{parts[1]}.{parts[2]}" if parts[0] == "指标" and len(parts) >= 3 else None
        for index, block in enumerate(blocks):
            if not isinstance(block, Paragraph):
                continue
            if metric is not None:
                hit = metric in block.refs
            else:
                hit = any(file == found.loc.file and _within(origin, path)
                          for file, origin in block.origins)
            if hit and found.message not in out.get(index, []):
                out.setdefault(index, []).append(found.message)
    return out


def _within(origin: str, path: str) -> bool:
    """Return whether data ``path`` is the paragraph's ``origin``, inside it, or holds it."""
    if not path or not origin:
        return path == origin
    return origin == path or origin.startswith(path + ".") or path.startswith(origin + ".")


def notes(document, flags: dict[int, list[str]]) -> dict[int, str]:
    """Return the 【待核实：…】 note of each flagged body paragraph, unless the paragraph
    already shows its problem as a 【待补充】/【待核实】 marker."""
    already = (MARKER.split("{")[0], FLAG.split("{")[0])
    out = {}
    for index, messages in flags.items():
        paragraph = document.body[index]
        if isinstance(paragraph, Paragraph) and not any(m in paragraph.head + paragraph.text for m in already):
            out[index] = FLAG.format("；".join(_short(m) for m in messages))
    return out


def _short(message: str) -> str:
    return message if len(message) <= MAX_NOTE else message[:MAX_NOTE - 1] + "…"


def add_header(document, text: str = HEADER) -> None:
    """Put ``text`` in red at the top of every page (odd and even headers)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    for section in document.sections:
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.font.size = Pt(12)
            run.font.bold = True
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
