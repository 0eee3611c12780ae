"""Helpers for the web/text output tests: build the examples once, read texts back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.name for p in (REPO / "data_examples").iterdir()
                  if (p / "report.yaml").is_file())
_SPACE = re.compile(r"\s+")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "th", "td"}
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Built:
    docx: Path
    document: object


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def docx_paragraphs(path: Path) -> list[str]:
    """The DOCX's non-empty body paragraphs, whitespace removed (python-docx)."""
    import docx

    return [squeeze(p.text) for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def docx_lines(path: Path) -> list[str]:
    """Like `docx_paragraphs`, but consecutive title lines (GwTitle) joined into one."""
    import docx

    out: list[str] = []
    last = None
    for p in docx.Document(str(path)).paragraphs:
        if not p.text.strip():
            last = None
            continue
        style = p.style.style_id if p.style is not None else None
        if style == "GwTitle" and last == "GwTitle":
            out[-1] += squeeze(p.text)
        else:
            out.append(squeeze(p.text))
        last = style
    return out


def parse_html(text: str):
    """Parse strictly with html5lib (raises on any parse error); return the root."""
    import html5lib

    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def html_paragraphs(text: str) -> list[str]:
    """The visible paragraphs of the document (<article>): each block element's text,
    split at <br>, whitespace removed; the 公开信息 table is not part of the document."""
    root = parse_html(text)
    article = root.find(f".//{XHTML}article")
    assert article is not None
    out: list[str] = []

    def walk(element) -> None:
        tag = element.tag.replace(XHTML, "")
        if tag in BLOCKS:
            out.extend(squeeze(t) for t in _inline(element).split("\n") if squeeze(t))
            return
        for child in element:
            walk(child)

    walk(article)
    return out


def _inline(element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == f"{XHTML}br" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
