"""Template XML of the page furniture: 版头, 附件说明, 附件 pages, 版记 (spec §4, §8, §9).

`template_builder` puts these fragments into document.xml. Attributes hold valid default
numbers only (never template tags, so Word opens the template): values that depend on
the report — mark size and squeeze, the 版头 heights, indents of wrapped 附件 names — are
set after rendering by `furniture.place_furniture`, and the 版记's blank-line padding and
line heights by `furniture.pad_imprint`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from . import styles as S

CHAR_4HAO = S.CHAR_4HAO
IMPRINT_TAB = S.TEXT_WIDTH - CHAR_4HAO  # 印发日期 ends 1 字 before the right edge
CC_INDENT = 4 * CHAR_4HAO  # "　抄送：" — wrapped organs align under the first one

#: Extra paragraph properties of some styles, as (tabs, ind) in CT_PPr order.
STYLE_PPR = {
    "GwImprint": (f'<w:tabs><w:tab w:val="right" w:pos="{IMPRINT_TAB}"/></w:tabs>',
                  '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'),
    "GwImprintCc": ("", f'<w:ind w:left="{CC_INDENT}" w:right="0" w:hanging="{CC_INDENT}" '
                        'w:firstLineChars="0"/>'),
}
#: Extra run properties of some styles (CT_RPr order: before w:spacing).
STYLE_RPR = {"GwMark": f'<w:color w:val="{S.RED}"/>'}


def _p(ppr: str, *runs: str) -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"


def _r(text: str, rpr: str = "") -> str:
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _tag(tag: str) -> str:
    return _p("", _r("{%p " + tag + " %}"))


def _exact(line: str, before: str = "0") -> str:
    return f'<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="exact"/>'


def _rule(side: str, size: int, space: int = 0, color: str = "auto") -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def letterhead() -> list[str]:
    """Return the 版头: red mark, 发文字号 (with 签发人 when sent up), red rule, 2 blanks."""
    mark = _p('<w:pStyle w:val="GwMark"/>' + _exact(str(S.LINE_PITCH)),
              _r("{{ letterhead.mark }}", f'<w:w w:val="100"/><w:sz w:val="{S.SIZE_MARK}"/>'
                 f'<w:szCs w:val="{S.SIZE_MARK}"/>'))
    gap = _p(_exact(str(S.LINE_PITCH)))  # height set by place_furniture
    rule = f"<w:pBdr>{_rule('bottom', S.RULE_THICK, 0, S.RED)}</w:pBdr>"
    centred = _p('<w:pStyle w:val="GwDocNumber"/>' + rule, _r("{{ letterhead.number }}"))
    # sent up: 发文字号 1 字 from the left (an ideographic space: an indent would shorten
    # the rule), 签发人 ending 1 字 from the right at a tab stop
    upward = _p('<w:pStyle w:val="GwDocNumber"/>' + rule
                + f'<w:tabs><w:tab w:val="right" w:pos="{S.TEXT_WIDTH - S.CHAR}"/></w:tabs>'
                '<w:jc w:val="left"/>',
                _r("　{{ letterhead.number }}"), "<w:r><w:tab/></w:r>", _r("签发人："),
                _r("{{ letterhead.signer }}", '<w:rStyle w:val="GwH2Char"/>'))
    return [_tag("if letterhead"), mark, gap, _tag("if letterhead.signer"), upward,
            _tag("else"), centred, _tag("endif"), _p(_exact(str(S.LINE_PITCH))),  # spacer
            _p(""), _p(""), _tag("endif")]


def attachment_note() -> list[str]:
    """Return 附件说明: a blank line, then 附件：1.名称 with wrapped names aligned (§4)."""
    ind = f'<w:ind w:left="{S.INDENT_FIRST_LINE}" w:hanging="0" w:firstLineChars="0"/>'
    return [_tag("if attachment_notes"), _p(""), _tag("for n in attachment_notes"),
            _p('<w:pStyle w:val="GwAttachNote"/>' + ind, _r("{{ n.text }}")),
            _tag("endfor"), _tag("endif")]


def attachment_pages() -> list[str]:
    """Return the 附件 pages: label on a new page, blank, title, blank, body (§4)."""
    return [_tag("for a in attachment_pages"),
            _p('<w:pStyle w:val="GwAttachLabel"/><w:pageBreakBefore/>', _r("{{ a.label }}")),
            _p(""), _tag("for line in a.title_lines"),
            _p('<w:pStyle w:val="GwTitle"/>', _r("{{ line }}")), _tag("endfor"), _p(""),
            _tag("for t in a.paragraphs"), _p("", _r("{{ t }}")), _tag("endfor"),
            _tag("endfor")]


def imprint() -> list[str]:
    """Return the 版记: 抄送 (thick rule above), 印发 (thin above when after 抄送, thick
    below). Side indents stay 0 so the rules span the text block (spec §8)."""
    cc = _p('<w:pStyle w:val="GwImprintCc"/>'
            f"<w:pBdr>{_rule('top', S.RULE_THICK)}</w:pBdr>", _r("　抄送：{{ imprint.cc }}"))
    issued = ('<w:r><w:t xml:space="preserve">　{{ imprint.organ }}</w:t></w:r>'
              "<w:r><w:tab/></w:r>" + _r("{{ imprint.date }}印发"))
    after_cc = _p('<w:pStyle w:val="GwImprint"/>'
                  f"<w:pBdr>{_rule('top', S.RULE_THIN)}{_rule('bottom', S.RULE_THICK)}</w:pBdr>",
                  issued)
    alone = _p('<w:pStyle w:val="GwImprint"/>'
               f"<w:pBdr>{_rule('top', S.RULE_THICK)}{_rule('bottom', S.RULE_THICK)}</w:pBdr>",
               issued)
    cc_last = _p('<w:pStyle w:val="GwImprintCc"/>'
                 f"<w:pBdr>{_rule('top', S.RULE_THICK)}{_rule('bottom', S.RULE_THICK)}</w:pBdr>",
                 _r("　抄送：{{ imprint.cc }}"))
    return [_tag("if imprint"),
            _tag("if imprint.cc and imprint.organ"), cc, after_cc,
            _tag("elif imprint.cc"), cc_last,
            _tag("else"), alone, _tag("endif"),
            _tag("endif")]
