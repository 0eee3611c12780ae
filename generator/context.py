"""Turn the outline and metadata into the plain template context (str, lists, dicts)."""

from __future__ import annotations

from typing import Any

from .formatting import clean_text, format_date, normalise_punctuation
from .models import ReportConfig
from .outline import Outline
from .references import MARKER


def _clean(text: str | None) -> str | None:
    return clean_text(normalise_punctuation(text)) if text else None


def build_context(config: ReportConfig, outline: Outline, draft: bool = False) -> dict[str, Any]:
    """Return the context the DOCX template is rendered with; no pydantic objects inside."""
    signature = _clean(config.signature)
    date_text = format_date(config.date) if config.date else None
    if draft and signature and not date_text:
        date_text = MARKER.format("成文日期")
    imprint = None
    if config.imprint_organ:
        when = config.imprint_date or config.date
        imprint = {"organ": _clean(config.imprint_organ),
                   "date": format_date(when) if when else MARKER.format("印发日期")}
    blanks = 2 if config.sealed else 1
    from .furniture import furniture_context

    return {
        "doc_title": "".join(outline.title_lines),
        "organ": _clean(config.organ),  # the document's author (core properties)
        "title_lines": outline.title_lines,
        "recipient": _clean(config.recipient),
        "blocks": [{"kind": b.kind, "head": b.head, "text": b.text} for b in outline.blocks],
        "closing_blanks": list(range(blanks)) if (signature or date_text) else [],
        "signature": signature,
        "date_text": date_text,
        "note": _clean(config.note),
        "imprint": imprint,
        **furniture_context(config, outline.attachments),  # 版头, 附件说明, 附件, 版记
    }
