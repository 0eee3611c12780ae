"""Render the context into the template DOCX and save it atomically."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .context import docx_context
from .document import Document
from .formatting import text_width
from .outputs import record, save_atomic, via_memory
from .styles import signature_indents


class RenderError(Exception):
    """The template could not be rendered (a template problem, not a data problem)."""


def render_docx(template: Path, document: Document, output: Path,
                padding: int | None = None) -> Rendered:
    """Render ``template`` with the document model and write ``output`` atomically.

    ``padding`` forces the blank lines before the 版记 (a second pass after the PDF
    showed the estimate off); the result says how many were used.
    """
    from jinja2 import TemplateError
    from lxml.etree import XMLSyntaxError

    from .docx_template import CachedDocxTemplate
    from .jinja_env import docx_env
    from .jinja_limits import DOCUMENT_CHARS, DOCUMENT_SECONDS, limited
    from .jinja_zh import describe, describe_runtime, excerpt

    context = docx_context(document)
    doc = CachedDocxTemplate(str(template))
    try:
        with limited(DOCUMENT_CHARS, DOCUMENT_SECONDS, "整份文档"):
            doc.render(context, jinja_env=docx_env(), autoescape=True)
    except TemplateError as exc:  # jinja_limits' LimitExceeded and RefusedTag included
        lines = [t.strip() for t in getattr(exc, "docx_context", []) or []]
        near = "、".join(f"「{excerpt(t)}」" for t in lines[:3] if t)
        what = "超出安全限制" if getattr(exc, "chinese", None) else "有误"
        raise RenderError(f"模板文件 {template} 中的模板标记{what}：{describe(exc)}"
                          + (f"（附近：{near}）" if near else "")) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise RenderError(f"模板文件 {template} 中的模板标记无法计算：{describe_runtime(exc)}"
                          ) from None
    except XMLSyntaxError:
        raise RenderError(f"模板文件 {template} 的模板标记生成了不合法的文档内容"
                          "（如用「safe」输出了「<」「&」）；请检查模板标记") from None
    set_metadata(doc.docx, context)
    from .docx_tables import insert_tables

    insert_tables(doc.docx, document)
    _place_signature(doc.docx, context, document.closing.sealed)
    if document.metadata.draft:
        from .draft import add_header

        add_header(doc.docx)
    from .furniture import keep_closing_together, pad_imprint, place_furniture

    place_furniture(doc.docx, context)
    keep_closing_together(doc.docx)
    even = bool(document.imprint and document.imprint.even_page)
    used = pad_imprint(doc.docx, even, padding)
    verify_complete(doc.docx, context)
    save_atomic(via_memory(doc.save), output)
    record([output])
    return Rendered(context, used)


@dataclass(frozen=True)
class Rendered:
    """What `render_docx` wrote with: the template context and the 版记 padding used."""

    context: dict[str, Any]
    padding: int | None


def set_metadata(document, context: dict[str, Any], now: datetime | None = None) -> None:
    """Set the core properties: title = the report title, author and last editor = 机关,
    created and modified = the build time (UTC). LibreOffice carries title and author
    into the PDF."""
    props = document.core_properties  # python-docx escapes the values
    organ = context.get("organ") or ""
    when = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    props.title = _property(context.get("doc_title", ""))
    props.author = _property(organ)
    props.last_modified_by = _property(organ)
    props.created = props.modified = when
    props.revision = 1
    props.language = "zh-CN"


class IncompleteDocument(RenderError):
    """The rendered document lacks text the context had (nothing is written then)."""


def expected_texts(context: dict[str, Any]) -> list[str]:
    """Return, in reading order, the texts the body must contain."""
    texts = list(context.get("title_lines") or [])
    texts += [block["head"] + block["text"] for block in context.get("blocks") or []]
    texts += [context.get("signature") or "", context.get("date_text") or ""]
    return [_comparable(t) for t in texts if t]


_LAYOUT_CHARS = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]")


def _comparable(text: str) -> str:
    """Drop what the DOCX keeps as layout, not text (line breaks, tabs, spaces)."""
    return _LAYOUT_CHARS.sub("", text)


def verify_complete(document, context: dict[str, Any]) -> None:
    """Check that every title line, paragraph, 署名 and 日期 of ``context`` is in the body,
    in order (a text node the XML parser cut would silently drop the rest).

    Raises:
        IncompleteDocument: naming the first text that is missing.
    """
    from docx.oxml.ns import qn

    body = _comparable("".join(t.text or "" for t in document.element.body.iter(qn("w:t"))))
    position = 0
    for number, text in enumerate(expected_texts(context), 1):
        found = body.find(text, position)
        if found < 0:
            excerpt = text[:20] + ("…" if len(text) > 20 else "")
            raise IncompleteDocument(
                f"生成的文档不完整：第 {number} 段（「{excerpt}」，{len(text)} 字）没有完整写入，"
                "没有保存；请把过长的段落分开后重试")
        position = found + len(text)


PROPERTY_CHARS = 255  # the core-properties limit (python-docx refuses longer values)


def _property(text: str) -> str:
    """Return ``text`` cut to what a core property holds (the title itself stays whole)."""
    return text if len(text) <= PROPERTY_CHARS else text[:PROPERTY_CHARS - 1] + "…"


def _place_signature(document, context: dict[str, Any], sealed: bool) -> None:
    """Set the right indents of 署名 and 成文日期 from their widths (spec §6)."""
    from docx.shared import Twips
    from docx.text.paragraph import Paragraph

    name, date = context.get("signature") or "", context.get("date_text") or ""
    if not (name or date):
        return
    indents = dict(zip(("GwSignature", "GwDate"),
                       signature_indents(text_width(name), text_width(date), sealed)))
    body = document.element.body
    # not only the last few styled paragraphs: 附件 pages and the 版记 may follow the date
    for element in reversed(body.xpath("./w:p[w:pPr/w:pStyle[@w:val='GwSignature' or "
                                       "@w:val='GwDate']]")):
        style = element.pPr.pStyle.val
        Paragraph(element, document).paragraph_format.right_indent = Twips(indents[style])
