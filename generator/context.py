"""The DOCX writer's view of the document model: the plain template context.

`docx_context` is a pure function of the `document.Document`: texts, and the page
geometry of the furniture (版头 heights, 附件说明 indents) computed once from it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .document import Document, Paragraph
from .furniture import attachment_note_lines, letterhead_geometry


def docx_context(document: Document) -> dict[str, Any]:
    """Return the context the DOCX template is rendered with (str, lists, dicts only)."""
    closing = document.closing
    imprint = dataclasses.asdict(document.imprint) if document.imprint else None
    return {
        "doc_title": document.metadata.title,
        "organ": document.metadata.author,  # the document's author (core properties)
        "draft": document.metadata.draft,
        "title_lines": list(document.title_lines),
        "recipient": document.recipient,
        "blocks": [{"kind": p.kind, "head": p.head, "text": p.text} for p in document.body
                   if isinstance(p, Paragraph)],
        "closing_blanks": list(range(closing.blank_lines)),
        "signature": closing.signature,
        "date_text": closing.date_text,
        "note": closing.note,
        "letterhead": letterhead_geometry(document.letterhead),
        "attachment_notes": attachment_note_lines(document.attachment_notes),
        "attachment_pages": [{"label": page.label, "title_lines": list(page.title_lines),
                              "paragraphs": list(page.paragraphs)}
                             for page in document.attachment_pages],
        "imprint": imprint,
    }
