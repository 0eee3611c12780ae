"""The web version (政务公开): one standalone HTML5 file from the document model.

`render_html` is a pure function of the `document.Document`, like the DOCX context:
the 公开信息 table on top, then the document itself — 版头, ``<h1>`` title, headings
``<h2>``… carrying their generated numbers, ``<p>`` paragraphs (a run-in heading keeps
its heading run in ``<strong>``), tables, 署名 and 日期 right-aligned, 附件说明 as a
list of links to the 附件 sections, 版记. CSS is inline (screen reading width, Chinese
font stacks, a print sheet with the GB/T 9704 page); no scripts, no external resources.
"""

from __future__ import annotations

from html import escape

from .document import AttachmentPage, Document, Paragraph, Table

FANGSONG = ('"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", '
            '"Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", serif')
HEITI = ('"SimHei", "黑体", "Heiti SC", "STHeiti", "Noto Sans CJK SC", "Noto Sans SC", '
         '"Source Han Sans SC", sans-serif')
KAITI = ('"KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "STKaiti", "AR PL UKai CN", '
         '"AR PL UKai", "Noto Serif CJK SC", serif')
XIAOBIAOSONG = ('"FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "SimSun", "宋体", '
                '"Noto Serif CJK SC", "Noto Serif SC", serif')

CSS = f"""
:root {{ color: #111; background: #fff; }}
body {{ margin: 0; font-family: {FANGSONG}; font-size: 18px; line-height: 1.8; }}
main {{ max-width: 40em; margin: 0 auto; padding: 1.5em 1em 3em; }}
p, li {{ margin: 0; text-align: justify; overflow-wrap: anywhere; }}
article > p, section > p {{ text-indent: 2em; }}
h1, h2, h3, h4, h5 {{ margin: 0; font-size: 1em; font-weight: normal; overflow-wrap: anywhere; }}
h1 {{ font-family: {XIAOBIAOSONG}; font-size: 1.375em; line-height: 1.5; text-align: center;
      margin: 1em 0; font-weight: bold; }}
h2, h3, h4, h5 {{ text-indent: 2em; }}
h2, .head.l1 {{ font-family: {HEITI}; }}
h3, .head.l2 {{ font-family: {KAITI}; }}
h4, h5, .head.l3, .head.l4 {{ font-family: {FANGSONG}; }}
h4, .head.l3 {{ font-weight: bold; }}
.head {{ font-weight: normal; }}
.meta {{ width: 100%; border-collapse: collapse; margin: 0 0 2em; font-size: 0.875em;
         line-height: 1.5; font-family: {HEITI}; }}
.meta th, .meta td {{ border: 1px solid #888; padding: 0.3em 0.5em; text-align: left;
                     vertical-align: top; overflow-wrap: anywhere; }}
.meta th {{ background: #f0f0f0; white-space: nowrap; font-weight: bold; width: 5em; }}
.letterhead {{ border-bottom: 2px solid #c00; padding-bottom: 0.5em; margin-bottom: 2em; }}
.mark {{ color: #c00; font-family: {XIAOBIAOSONG}; line-height: 1.3; white-space: nowrap;
         font-size: min(2em, calc(min(40em, 100vw - 2em) / var(--chars, 10) * 0.95));
         text-align: center; margin-bottom: 1em; letter-spacing: 0.05em; }}
.doc-number {{ text-align: center; }}
.doc-number.up, .imprint .issued {{ padding: 0 1em; }}
.split > span {{ display: inline-block; width: 49%; text-align: left; vertical-align: top; }}
.split > span + span, .split > span:only-child {{ text-align: right; }}
.split > span:only-child {{ width: 100%; }}
.signer-name {{ font-family: {KAITI}; }}
.recipient {{ text-indent: 0; }}
.table-wrap {{ overflow-x: auto; margin: 0.5em 0; }}
.body-table {{ width: 100%; border-collapse: collapse; font-size: 0.875em; line-height: 1.5; }}
.body-table caption {{ font-family: {HEITI}; padding-bottom: 0.3em; }}
.body-table th, .body-table td {{ border: 1px solid #333; padding: 0.2em 0.4em;
                                 overflow-wrap: anywhere; }}
.body-table th {{ font-family: {HEITI}; font-weight: normal; }}
.attachment-notes {{ list-style: none; margin: 1em 0 0; padding: 0 0 0 2em; }}
.attachment-notes li {{ padding-left: 3em; text-indent: -3em; }}
.attachment-notes li.first {{ padding-left: 0; text-indent: 0; }}
.closing {{ margin-top: 1.8em; }}
.signature, .date {{ text-align: right; padding-right: 2em; text-indent: 0; }}
.note {{ text-indent: 2em; }}
.attachment {{ margin-top: 3em; }}
.attachment-label {{ font-family: {HEITI}; text-indent: 0; }}
.attachment h2 {{ font-family: {XIAOBIAOSONG}; font-size: 1.375em; line-height: 1.5;
                 text-align: center; text-indent: 0; margin: 1em 0; font-weight: bold; }}
.imprint {{ margin-top: 3em; border-top: 1px solid #111; border-bottom: 1px solid #111;
            font-size: 0.875em; }}
.imprint p {{ padding: 0.2em 1em; text-indent: 0; }}
.imprint .cc {{ border-bottom: 1px solid #111; }}
a {{ color: #0645ad; }}
@media print {{
  @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
  :root {{ background: none; }}
  body {{ font-size: 16pt; line-height: 28.9pt; }}
  main {{ max-width: none; margin: 0; padding: 0; }}
  .meta {{ display: none; }}
  h1, .attachment h2 {{ font-size: 22pt; line-height: 28.9pt; margin: 0 0 28.9pt; }}
  h2, h3, h4, h5 {{ break-after: avoid; }}
  p {{ orphans: 2; widows: 2; }}
  .mark {{ font-size: min(42pt, calc(156mm / var(--chars, 10) * 0.95)); line-height: 1.25; }}
  .attachment {{ break-before: page; margin-top: 0; }}
  .closing {{ break-inside: avoid; }}
  .table-wrap {{ overflow: visible; }}
  .body-table {{ font-size: 10.5pt; line-height: 1.3; }}
  .body-table tr {{ break-inside: avoid; }}
  .imprint {{ break-inside: avoid; font-size: 14pt; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def render_html(document: Document) -> str:
    """Return the standalone HTML5 page of ``document``."""
    title = escape(document.metadata.title)
    parts = ['<!DOCTYPE html>', '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<meta name="generator" content="nianbao">', f"<title>{title}</title>"]
    if document.metadata.author:
        parts.append(f'<meta name="author" content="{escape(document.metadata.author)}">')
    parts += [f"<style>{CSS}</style>", "</head>", "<body>", "<main>"]
    parts += _metadata_table(document.publication)
    parts.append("<article>")
    parts += _letterhead(document)
    parts.append(f"<h1>{_lines(document.title_lines)}</h1>")
    if document.recipient:
        parts.append(f'<p class="recipient">{escape(document.recipient)}：</p>')
    parts += _body(document.body)
    parts += _closing(document)
    for number, page in enumerate(document.attachment_pages, 1):
        parts += _attachment(page, number)
    parts += _imprint(document)
    parts += ["</article>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _lines(lines: tuple[str, ...] | list[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _metadata_table(rows: tuple[tuple[str, str], ...]) -> list[str]:
    """The 公开信息 table: one row per given field, its label a row header."""
    if not rows:
        return []
    out = ['<table class="meta" aria-label="公开信息">', "<tbody>"]
    out += [f'<tr><th scope="row">{escape(label)}</th><td>{escape(text)}</td></tr>'
            for label, text in rows]
    return out + ["</tbody>", "</table>"]


def _letterhead(document: Document) -> list[str]:
    head = document.letterhead
    if head is None:
        return []
    chars = max(1, len(head.mark))  # the mark stays on one line: its size shrinks to fit
    out = ['<header class="letterhead">',
           f'<p class="mark" style="--chars: {chars}">{escape(head.mark)}</p>']
    if head.number and head.signer:
        out.append(f'<p class="doc-number up split"><span>{escape(head.number)}</span> '
                   f'<span>签发人：<span class="signer-name">{escape(head.signer)}</span></span></p>')
    elif head.number:
        out.append(f'<p class="doc-number">{escape(head.number)}</p>')
    return out + ["</header>"]


def heading_tags(body: tuple[Paragraph | Table, ...]) -> dict[int, int]:
    """Return the HTML heading rank (2–6) of each standalone heading in ``body``: its
    level plus one, but never more than one below the heading before it (no skips)."""
    ranks: dict[int, int] = {}
    previous = 1
    for index, block in enumerate(body):
        if isinstance(block, Paragraph) and block.kind.startswith("h"):
            rank = min(block.level + 1, previous + 1, 6)
            ranks[index] = previous = rank
    return ranks


def _body(body: tuple[Paragraph | Table, ...]) -> list[str]:
    ranks = heading_tags(body)
    out = []
    for index, block in enumerate(body):
        if not isinstance(block, Paragraph):
            out += render_table(block)
        elif index in ranks:
            out.append(f"<h{ranks[index]}>{_heading(block)}</h{ranks[index]}>")
        elif block.head:
            out.append(f'<p><strong class="head l{block.level}">{_heading(block)}</strong>'
                       f"{escape(block.text)}</p>")
        else:
            out.append(f"<p>{escape(block.text)}</p>")
    return out


def _heading(block: Paragraph) -> str:
    """The heading run with its generated number marked (``<span class="num">``)."""
    head = block.head
    if block.number and head.startswith(block.number):
        return (f'<span class="num">{escape(block.number)}</span>'
                f"{escape(head[len(block.number):])}")
    return escape(head)


def render_table(table: Table) -> list[str]:
    """A `document.Table` block as ``<table>``: header rows in ``<thead>`` with
    ``<th scope="col">``, header cells in the body with ``scope="row"``; on a narrow
    screen the table scrolls sideways in its wrapper instead of widening the page."""
    out = ['<div class="table-wrap">', '<table class="body-table">']
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    header_rows = min(table.header_rows, len(table.rows))
    for number, row in enumerate(table.rows):
        if number == 0 and header_rows:
            out.append("<thead>")
        if number == header_rows:
            out.append("<tbody>")
        cells = []
        for cell in row:
            head = cell.header or number < header_rows
            tag = "th" if head else "td"
            scope = ""
            if head:
                scope = ' scope="col"' if number < header_rows else ' scope="row"'
                if number < header_rows and cell.colspan > 1:
                    scope = ' scope="colgroup"'
            spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
            cells.append(f"<{tag}{scope}{spans}>{escape(cell.text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
        if number == header_rows - 1:
            out.append("</thead>")
    if len(table.rows) > header_rows:
        out.append("</tbody>")
    return out + ["</table>", "</div>"]


def attachment_id(number: int) -> str:
    return f"fujian-{number}"


def _closing(document: Document) -> list[str]:
    out = []
    notes = document.attachment_notes
    if notes:
        labels = {page.label: n for n, page in enumerate(document.attachment_pages, 1)}
        out.append('<ul class="attachment-notes">')
        for index, name in enumerate(notes, 1):
            text = (f"{index}." if len(notes) > 1 else "") + name
            label = "附件" if len(notes) == 1 else f"附件{index}"
            item = escape(text)
            if label in labels:
                item = f'<a href="#{attachment_id(labels[label])}">{item}</a>'
            lead = "<span>附件：</span>" if index == 1 else ""
            out.append(f'<li{" class=first" if index == 1 else ""}>{lead}{item}</li>')
        out.append("</ul>")
    closing = document.closing
    if closing.signature or closing.date_text:
        out.append('<div class="closing">')
        if closing.signature:
            out.append(f'<p class="signature">{escape(closing.signature)}</p>')
        if closing.date_text:
            out.append(f'<p class="date">{escape(closing.date_text)}</p>')
        out.append("</div>")
    if closing.note:
        out.append(f'<p class="note">{escape(closing.note)}</p>')
    return out


def _attachment(page: AttachmentPage, number: int) -> list[str]:
    ident = attachment_id(number)
    out = [f'<section class="attachment" id="{ident}" aria-labelledby="{ident}-title">',
           f'<p class="attachment-label">{escape(page.label)}</p>',
           f'<h2 id="{ident}-title">{_lines(page.title_lines)}</h2>']
    out += [f"<p>{escape(text)}</p>" for text in page.paragraphs]
    return out + ["</section>"]


def _imprint(document: Document) -> list[str]:
    imprint = document.imprint
    if imprint is None:
        return []
    out = ['<footer class="imprint">']
    if imprint.cc:
        out.append(f'<p class="cc">抄送：{escape(imprint.cc)}</p>')
    organ = f"<span>{escape(imprint.organ)}</span> " if imprint.organ else ""
    out.append(f'<p class="issued split">{organ}<span>{escape(imprint.date)}印发</span></p>')
    return out + ["</footer>"]
