"""The typed document model between the outline and every output.

`build_document` turns report.yaml (its templated texts rendered) and the outline into a
`Document`: title lines, 主送, body paragraphs as runs (headings with level and generated
number), the closing (署名, 成文日期, 附注), 版头, 附件说明 and 附件 pages, 版记 and
metadata. Outputs only read it: the DOCX writer (`docx_context`, `render.render_docx`)
derives its template context and page geometry from it; HTML or Markdown writers would
do the same.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from . import styles as S
from .formatting import clean_text, format_date, normalise_punctuation
from .models import ReportConfig
from .outline import Block, Outline
from .references import MARKER


@dataclass(frozen=True)
class Run:
    """A stretch of text of one role: a run-in heading's ``head``, or ``body`` text."""

    text: str
    role: Literal["head", "body"] = "body"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: a heading (kind h1–h4), a run-in heading with its text (r1–r4)
    or plain text (p). ``level`` and ``number`` are the generated heading level and
    marker (0 and "" for plain text); ``origins`` and ``refs`` say where its texts came
    from and which metrics they reference (for draft marks)."""

    kind: str
    runs: tuple[Run, ...]
    level: int = 0
    number: str = ""
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    refs: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def head(self) -> str:
        return "".join([r.text for r in self.runs if r.role == "head"])

    @property
    def text(self) -> str:
        return "".join([r.text for r in self.runs if r.role == "body"])

    def with_note(self, note: str) -> Paragraph:
        """Return the paragraph with ``note`` appended (to the text, else the heading)."""
        role: Literal["head", "body"] = "body" if self.text or not self.head else "head"
        return dataclasses.replace(self, runs=self.runs + (Run(note, role),))


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, how many columns and rows it spans, whether it is a header."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False          # header cell (th)


@dataclass(frozen=True)
class Table:
    """A table in the body. ``rows`` are HTML-style: cells covered by a span are omitted;
    the first ``header_rows`` rows repeat on every page; ``caption`` prints above it."""

    rows: tuple[tuple[Cell, ...], ...]   # HTML-style: cells covered by a span are omitted
    header_rows: int = 1                  # leading rows repeated on every page
    caption: str = ""                     # printed above the table ("" = none)
    kind: str = "table"


@dataclass(frozen=True)
class Closing:
    """署名 and 成文日期 after the body (GB/T 9704 7.3.5), and the 附注 below them."""

    signature: str | None = None
    date_text: str | None = None
    sealed: bool = False
    note: str | None = None

    @property
    def blank_lines(self) -> int:
        """Blank lines between the body and the signature: 2 when sealed, else 1."""
        if not (self.signature or self.date_text):
            return 0
        return 2 if self.sealed else 1


@dataclass(frozen=True)
class Letterhead:
    """版头: 发文机关标志 (its size in points), 发文字号 and 签发人."""

    mark: str
    size: float = S.SIZE_MARK_PT
    number: str = ""
    signer: str = ""


@dataclass(frozen=True)
class AttachmentPage:
    """A 附件 page: its label (附件 / 附件2), title lines and paragraphs."""

    label: str
    title_lines: tuple[str, ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Imprint:
    """版记: 抄送 line, 印发机关 and 印发日期; ``even_page`` puts it on an even page."""

    cc: str | None
    organ: str | None
    date: str
    even_page: bool = False


@dataclass(frozen=True)
class Metadata:
    """Document properties: title, author (the 机关) and whether it is a draft."""

    title: str
    author: str
    draft: bool = False


@dataclass(frozen=True)
class Document:
    """One report, everything an output needs and nothing it computes itself."""

    title_lines: tuple[str, ...]
    body: tuple[Paragraph | Table, ...]
    metadata: Metadata
    recipient: str | None = None
    closing: Closing = Closing()
    letterhead: Letterhead | None = None
    attachment_notes: tuple[str, ...] = ()
    attachment_pages: tuple[AttachmentPage, ...] = ()
    imprint: Imprint | None = None
    #: 公开信息 rows (label, text) for the web version's metadata table, given ones only
    publication: tuple[tuple[str, str], ...] = ()


def clean(text: str | None) -> str:
    return clean_text(normalise_punctuation(text)) if text else ""


def paragraph(block: Block) -> Paragraph:
    """Return the model paragraph of an outline block."""
    runs = tuple(r for r in (Run(block.head, "head"), Run(block.text)) if r.text)
    return Paragraph(block.kind, runs, block.level, block.marker, block.origins, block.refs)


def build_document(config: ReportConfig, outline: Outline, draft: bool = False) -> Document:
    """Return the document of ``config`` (templated texts rendered) and ``outline``."""
    signature = clean(config.signature) or None
    date_text = format_date(config.date) if config.date else None
    if draft and signature and not date_text:
        date_text = MARKER.format("成文日期")
    head = config.letterhead
    return Document(
        title_lines=tuple(outline.title_lines),
        body=tuple(outline.tables[b.text] if b.kind == "table" else paragraph(b)
                   for b in outline.blocks if b.kind != "table" or b.text in outline.tables),
        metadata=Metadata("".join(outline.title_lines), clean(config.organ), draft),
        recipient=clean(config.recipient) or None,
        closing=Closing(signature, date_text, config.sealed, clean(config.note) or None),
        letterhead=Letterhead(clean(head.mark), head.size or S.SIZE_MARK_PT, clean(head.number),
                              clean(head.signer)) if head else None,
        attachment_notes=tuple(clean(a.name).rstrip("。；;，,") for a in outline.attachments),
        attachment_pages=_pages(outline.attachments),
        imprint=_imprint(config),
        publication=_publication(config),
    )


def _publication(config: ReportConfig) -> tuple[tuple[str, str], ...]:
    """Return the 公开信息 rows: 索引号, 发布机构 (default 机关), 发文日期, 成文日期,
    文号 (default 发文字号), 主题分类, 公开方式 — those with a value."""
    info = config.publication
    head = config.letterhead
    rows = [
        ("索引号", clean(info.index) if info else ""),
        ("发布机构", clean(info.publisher if info and info.publisher else config.organ)),
        ("发文日期", format_date(info.published) if info and info.published else ""),
        ("成文日期", format_date(config.date) if config.date else ""),
        ("文号", clean(info.number if info and info.number else head.number if head else None)),
        ("主题分类", clean(info.category) if info else ""),
        ("公开方式", info.mode or "" if info else ""),
    ]
    return tuple((label, text) for label, text in rows if text)


def _pages(items: list) -> tuple[AttachmentPage, ...]:
    from .title import split_title

    pages = []
    for index, item in enumerate(items, 1):
        if item.text:
            name = clean(item.name).rstrip("。；;，,")
            label = "附件" if len(items) == 1 else f"附件{index}"
            title = [clean(t) for t in item.title] if item.title else split_title(name)[0]
            pages.append(AttachmentPage(label, tuple(title), tuple(clean(t) for t in item.text)))
    return tuple(pages)


def _imprint(config: ReportConfig) -> Imprint | None:
    if not (config.imprint_organ or config.cc):
        return None
    when: date | None = config.imprint_date or config.date
    cc = "，".join(clean(c).rstrip("。，、；") for c in config.cc)
    return Imprint(cc + "。" if cc else None, clean(config.imprint_organ) or None,
                   format_date(when) if when else MARKER.format("印发日期"),
                   config.imprint_even_page)


def with_notes(document: Document, notes: dict[int, str]) -> Document:
    """Return ``document`` with ``notes[i]`` appended to body paragraph ``i`` (draft marks)."""
    body = tuple(p.with_note(notes[i]) if i in notes and isinstance(p, Paragraph) else p
                 for i, p in enumerate(document.body))
    return dataclasses.replace(document, body=body)
