"""Markdown and plain text from the document model, for posting elsewhere and for diffs.

Both put one paragraph on one line (Markdown separates them with a blank line), in the
reading order of the DOCX; the title lines make one line. The texts keep the model's
full-width punctuation.
"""

from __future__ import annotations

import re
from typing import Iterator

from .document import Cell, Document, Paragraph, Table

_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_MD_LEAD = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")
_TRAILING_PUNCT = re.compile(r"[。．.：:，,；;！!？?]+$")


def md_escape(text: str) -> str:
    """Escape what Markdown would read as markup (CommonMark backslash escapes)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LEAD.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def render_text(document: Document) -> str:
    """Return the plain text: 公开信息 lines, a blank line, then one paragraph a line."""
    lines = [f"{label}：{text}" for label, text in document.publication]
    if lines:
        lines.append("")
    lines += [text for _, text in reading_order(document)]
    return "\n".join(lines) + "\n"


def render_markdown(document: Document) -> str:
    """Return the Markdown: 公开信息 as a table, ``#`` title, ``##``… headings with
    their numbers, run-in headings in bold, tables as pipe tables."""
    blocks = []
    if document.publication:
        blocks.append("\n".join(["| 项目 | 内容 |", "| --- | --- |"]
                                + [f"| {md_escape(k)} | {md_escape(v)} |"
                                   for k, v in document.publication]))
    for role, item in _md_blocks(document):
        blocks.append(item if role == "raw" else md_escape(item))
    return "\n\n".join(blocks) + "\n"


def _md_blocks(document: Document) -> Iterator[tuple[str, str]]:
    for role, text in reading_order(document, structured=True):
        if role == "title":
            yield "raw", "# " + md_escape(text)
        elif role.startswith("heading"):
            yield "raw", "#" * int(role[-1]) + " " + md_escape(text)
        elif role == "attachment-title":
            yield "raw", "## " + md_escape(text)
        elif role == "run-in":
            head, body = text.split("\x00", 1)
            punct = _TRAILING_PUNCT.search(head)
            tail = punct.group(0) if punct else ""
            core = head[:len(head) - len(tail)]
            yield "raw", (f"**{md_escape(core)}**" if core else "") + md_escape(tail + body)
        elif role == "table":
            yield "raw", text
        elif role == "imprint-start":
            yield "raw", "---"
        else:
            yield "text", text


def reading_order(document: Document, structured: bool = False) -> Iterator[tuple[str, str]]:
    """Yield (role, text) of every paragraph in the DOCX's reading order. Unstructured,
    run-in headings are joined to their text and tables give one line a row."""
    head = document.letterhead
    if head is not None:
        yield "letterhead", head.mark
        if head.number:
            yield "letterhead", head.number + (f"　签发人：{head.signer}" if head.signer else "")
    yield "title", "".join(document.title_lines)
    if document.recipient:
        yield "recipient", document.recipient + "："
    from .html_out import heading_tags

    ranks = heading_tags(document.body)
    for index, block in enumerate(document.body):
        if not isinstance(block, Paragraph):
            yield from _table(block, structured)
        elif index in ranks:
            yield f"heading{ranks[index]}", block.head
        elif block.head and structured:
            yield "run-in", block.head + "\x00" + block.text
        else:
            yield "text", block.head + block.text
    notes = document.attachment_notes
    for index, name in enumerate(notes, 1):
        yield "note", ("附件：" if index == 1 else "") + (f"{index}." if len(notes) > 1 else "") + name
    closing = document.closing
    for text in (closing.signature, closing.date_text, closing.note):
        if text:
            yield "closing", text
    for page in document.attachment_pages:
        yield "attachment-label", page.label
        yield "attachment-title", "".join(page.title_lines)
        for text in page.paragraphs:
            yield "text", text
    imprint = document.imprint
    if imprint is not None:
        if structured:
            yield "imprint-start", ""
        if imprint.cc:
            yield "imprint", f"抄送：{imprint.cc}"
        yield "imprint", (f"{imprint.organ}　" if imprint.organ else "") + f"{imprint.date}印发"


def _table(table: Table, structured: bool) -> Iterator[tuple[str, str]]:
    """A table: a caption line, then (plain) one line a row with cells joined by 　 or
    (Markdown) a pipe table, the slots a span covers left empty."""
    if table.caption:
        yield "text", table.caption
    if not structured:
        for row in table.rows:
            yield "text", "　".join(cell.text for cell in row)
        return
    grid = _grid(table.rows)
    width = max((len(r) for r in grid), default=0)
    rows = [r + [""] * (width - len(r)) for r in grid]
    if not rows:
        return
    lines = ["| " + " | ".join(md_escape(c) for c in rows[0]) + " |",
             "|" + " --- |" * width]
    lines += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows[1:]]
    yield "table", "\n".join(lines)


def _grid(rows: tuple[tuple[Cell, ...], ...]) -> list[list[str]]:
    """Expand HTML-style spans into a full grid of texts (covered slots empty)."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = "" if dr or dc else cell.text
            c += cell.colspan
    height = max((r for r, _ in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(max((c for rr, c in grid if rr == r),
                                                      default=-1) + 1)]
            for r in range(height)]
