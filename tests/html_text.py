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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(path: Path, rows: bool, tables: bool = True) -> list[tuple[str | None, str]]:
    """(style, text) of the DOCX body in reading order: each paragraph, and in a table
    each cell (a cell a vertical merge continues is skipped), or with ``rows`` each row."""
    import docx

    document = docx.Document(str(path))
    out: list[tuple[str | None, str]] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            out.append((style.get(f"{W}val") if style is not None else None,
                        "".join(t.text or "" for t in element.iter(f"{W}t"))))
        elif element.tag == f"{W}tbl" and tables:
            for row in element.iter(f"{W}tr"):
                cells = ["".join(t.text or "" for t in tc.iter(f"{W}t"))
                         for tc in row.findall(f"{W}tc")
                         if not _continues(tc)]
                out += [("cell", "".join(cells))] if rows else [("cell", c) for c in cells]
    return [(style, squeeze(text)) for style, text in out]


def _continues(tc) -> bool:
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(f"{W}val") in (None, "continue")


def docx_paragraphs(path: Path, rows: bool = False, tables: bool = True) -> list[str]:
    """The DOCX's non-empty paragraphs (and table cells or rows), whitespace removed."""
    return [text for _, text in _docx_blocks(path, rows, tables) if text]


def docx_lines(path: Path) -> list[str]:
    """Like `docx_paragraphs` with ``rows``, but consecutive title lines joined into one."""
    out: list[str] = []
    last = None
    for style, text in _docx_blocks(path, rows=True):
        if not text:
            last = None
            continue
        if style == "GwTitle" and last == "GwTitle":
            out[-1] += text
        else:
            out.append(text)
        last = style
    return out


def parse_html(text: str):
    """Parse strictly with html5lib (raises on any parse error); return the root."""
    import html5lib

    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def html_paragraphs(text: str, rows: bool = False) -> list[str]:
    """The visible paragraphs of the document (<article>): each block element's text,
    split at <br>, whitespace removed; the 公开信息 table is not part of the document.
    With ``rows`` a table row is one paragraph."""
    root = parse_html(text)
    article = root.find(f".//{XHTML}article")
    assert article is not None
    out: list[str] = []

    def walk(element) -> None:
        tag = element.tag.replace(XHTML, "")
        if rows and tag == "tr":
            out.append(squeeze(_inline(element)))
            return
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
