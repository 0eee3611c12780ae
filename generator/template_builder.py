"""Write the template .docx files from readable XML, reproducibly (same bytes every run).

Run ``python -m generator.template_builder`` after changing the layout; the result is
committed under ``templates/<name>/template.docx``. Every style lives in styles.xml, so a
template maintainer can restyle a copy in Word; the body holds the docxtpl tags.
"""

from __future__ import annotations

import sys
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from . import furniture_xml as F
from . import styles as S

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _rfonts(east_asia: str, latin: str) -> str:
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
            f'w:cs="{latin}" w:hint="eastAsia"/>')


def _spacing(exact: bool) -> str:
    if exact:
        return f'<w:spacing w:before="0" w:after="0" w:line="{S.LINE_PITCH}" w:lineRule="exact"/>'
    return '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


def _style_xml(spec: S.StyleSpec) -> str:
    rpr = (f"<w:rPr>{_rfonts(spec.east_asia, spec.latin)}{F.STYLE_RPR.get(spec.style_id, '')}"
           f'<w:spacing w:val="{spec.char_spacing}"/>'
           f'<w:sz w:val="{spec.size}"/><w:szCs w:val="{spec.size}"/></w:rPr>')
    if spec.kind == "character":
        return (f'<w:style w:type="character" w:customStyle="1" w:styleId="{spec.style_id}">'
                f'<w:name w:val="{spec.name}"/><w:basedOn w:val="DefaultParagraphFont"/>'
                f'<w:qFormat/>{rpr}</w:style>')
    ppr = "<w:keepNext/>" if spec.keep_next else ""
    tabs, ind = F.STYLE_PPR.get(spec.style_id, ("", ""))  # CT_PPr order: tabs, spacing, ind
    ppr += tabs + _spacing(spec.exact_lines)
    if ind:
        ppr += ind
    elif spec.first_line is not None:
        ppr += f'<w:ind w:firstLine="{spec.first_line}" w:firstLineChars="0"/>'
    if spec.align:
        ppr += f'<w:jc w:val="{spec.align}"/>'
    if spec.outline_level is not None:
        ppr += f'<w:outlineLvl w:val="{spec.outline_level}"/>'
    return (f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{spec.style_id}">'
            f'<w:name w:val="{spec.name}"/><w:basedOn w:val="Normal"/>'
            f'<w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr>{rpr}</w:style>')


def styles_xml() -> str:
    """Return styles.xml: document defaults, Normal (the body), and the Gw* styles."""
    body_font = _rfonts(S.FONT_BODY, S.FONT_LATIN)
    # overflowPunct="1": LibreOffice reads it inverted and then turns hanging punctuation
    # off; with hanging on, LibreOffice 7.4 drops a comma that hangs past the margin
    # from the PDF. Word keeps its default (hanging allowed).
    normal_ppr = ('<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>'
                  '<w:autoSpaceDE w:val="0"/>'
                  f'<w:autoSpaceDN w:val="0"/>{_spacing(True)}'
                  f'<w:ind w:firstLine="{S.INDENT_FIRST_LINE}" w:firstLineChars="200"/>'
                  '<w:jc w:val="both"/>')
    normal_rpr = (f'{body_font}<w:spacing w:val="{S.CHAR_SPACING}"/>'
                  f'<w:sz w:val="{S.SIZE_3HAO}"/><w:szCs w:val="{S.SIZE_3HAO}"/>'
                  '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">',
        f"<w:docDefaults><w:rPrDefault><w:rPr>{body_font}<w:sz w:val=\"{S.SIZE_3HAO}\"/>"
        f'<w:szCs w:val="{S.SIZE_3HAO}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{_spacing(True)}</w:pPr></w:pPrDefault></w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"<w:qFormat/><w:pPr>{normal_ppr}</w:pPr><w:rPr>{normal_rpr}</w:rPr></w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal '
        'Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" '
        'w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        *(_style_xml(spec) for spec in S.STYLES),
        "</w:styles>",
    ]
    return "\n".join(parts)


def _p(style: str | None, *runs: str) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _r(text: str, char_style: str | None = None) -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _tag(tag: str) -> str:
    return _p(None, _r("{%p " + tag + " %}"))


def body_paragraphs() -> list[str]:
    """Return the body: 版头, title, 主送, blocks, 附件说明, signature, date, 附注, 附件, 版记."""
    paras = [*F.letterhead(), _tag("for line in title_lines"), _p("GwTitle", _r("{{ line }}")), _tag("endfor"),
             _p(None), _tag("if recipient"), _p("GwRecipient", _r("{{ recipient }}：")),
             _tag("endif"), _tag("for b in blocks")]
    for font in (1, 2, 3, 4):
        keyword = "if" if font == 1 else "elif"
        paras += [_tag(f"{keyword} b.kind == 'h{font}'"), _p(f"GwH{font}", _r("{{ b.head }}"))]
    for font in (1, 2, 3, 4):
        paras += [_tag(f"elif b.kind == 'r{font}'"),
                  _p(None, _r("{{ b.head }}", f"GwH{font}Char"), _r("{{ b.text }}"))]
    paras += [_tag("else"), _p(None, _r("{{ b.text }}")), _tag("endif"), _tag("endfor"),
              *F.attachment_note(), _tag("for _ in closing_blanks"), _p(None), _tag("endfor"),
              _tag("if signature"), _p("GwSignature", _r("{{ signature }}")), _tag("endif"),
              _tag("if date_text"), _p("GwDate", _r("{{ date_text }}")), _tag("endif"),
              _tag("if note"), _p(None, _r("{{ note }}")), _tag("endif"),
              *F.attachment_pages(), *F.imprint()]
    return paras


def document_xml() -> str:
    """Return document.xml: the tagged body plus the GB/T 9704 section properties."""
    sect = (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            f'<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{S.PAGE_WIDTH}" w:h="{S.PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{S.MARGIN_TOP}" w:right="{S.MARGIN_RIGHT}" '
            f'w:bottom="{S.MARGIN_BOTTOM}" w:left="{S.MARGIN_LEFT}" '
            f'w:header="{S.HEADER_DISTANCE}" w:footer="{S.FOOTER_DISTANCE}" w:gutter="0"/>'
            f'<w:cols w:space="720"/><w:docGrid w:linePitch="{S.LINE_PITCH}"/></w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
            + "".join(body_paragraphs()) + sect + "</w:body></w:document>")


def footer_xml(odd: bool) -> str:
    """Return a footer: "— N —" in 4号宋体, odd pages right, even pages left, 1 字 in."""
    side = ('<w:ind w:right="280" w:firstLine="0"/><w:jc w:val="right"/>' if odd
            else '<w:ind w:left="280" w:firstLine="0"/><w:jc w:val="left"/>')
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr>'
            f'<w:pStyle w:val="GwFooter"/>{side}</w:pPr>'
            f'{_r("— ")}{field}{_r(" —")}</w:p></w:ftr>')


SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>
<w:characterSpacingControl w:val="compressPunctuation"/><w:compat>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
</w:compat></w:settings>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="{R_NS}/styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="{R_NS}/settings" Target="settings.xml"/>
<Relationship Id="rIdFooterOdd" Type="{R_NS}/footer" Target="footer1.xml"/>
<Relationship Id="rIdFooterEven" Type="{R_NS}/footer" Target="footer2.xml"/>
</Relationships>"""


def core_xml(template_name: str) -> str:
    """Return docProps/core.xml: no author (never the tool's name); title, author (机关)
    and the build time are set after rendering (`render.set_metadata`)."""
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title></dc:title><dc:subject>{escape(template_name)}</dc:subject>
<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>
</cp:coreProperties>"""


APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>nianbao</Application></Properties>"""


def build_docx(template_name: str) -> bytes:
    """Return the bytes of a template package (identical for identical code)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core_xml(template_name),
        "docProps/app.xml": APP_XML,
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": SETTINGS,
        "word/footer1.xml": footer_xml(odd=True),
        "word/footer2.xml": footer_xml(odd=False),
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, xml.encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Regenerate ``templates/*/template.docx`` under the given (or the repo's) folder."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "templates"
    for folder in sorted(p.parent for p in root.glob("*/template.yaml")):
        (folder / "template.docx").write_bytes(build_docx(folder.name))
        print(f"wrote {folder / 'template.docx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
