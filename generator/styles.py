"""The official layout in one place (GB/T 9704-2012, spec §1–§7), in twips and half-points."""

from __future__ import annotations

from dataclasses import dataclass

# Page geometry (spec §1): A4, margins 37/35/28/26 mm, footer 25 mm.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
FOOTER_DISTANCE, HEADER_DISTANCE = 1417, 851
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756
TWIPS_PER_MM = 56.693

# The 22 × 28 grid (spec §2): exact 579-twip lines, −5 twips character spacing.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = 579
CHAR_SPACING = -5
CHAR = 320  # one 3号 character
CHAR_4HAO = 280  # one 4号 character (page numbers and 版记 insets, spec §7, §8)
INDENT_FIRST_LINE = 2 * CHAR  # 640
SIZE_MARK_PT = 42  # 初号, the default 发文机关标志 in points

# Font sizes in half-points (spec §3).
SIZE_2HAO, SIZE_3HAO, SIZE_4HAO = 44, 32, 28
SIZE_MARK = 84  # 初号: default size of the red 发文机关标志 (spec §9)

# 版记 rules (spec §8): border w:sz in eighths of a point.
RULE_THICK, RULE_THIN = 8, 6  # 0.35 mm and 0.25 mm
RED = "FF0000"

# Default font names (spec §11.1).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"


@dataclass(frozen=True)
class StyleSpec:
    """A style the template defines: id, display name, fonts, size, paragraph layout."""

    style_id: str
    name: str
    kind: str  # "paragraph" or "character"
    east_asia: str
    latin: str = FONT_LATIN
    size: int = SIZE_3HAO
    align: str | None = None  # w:jc
    first_line: int | None = None
    keep_next: bool = False
    outline_level: int | None = None
    exact_lines: bool = True  # exact 579-twip lines; False for single spacing (footer)
    char_spacing: int = CHAR_SPACING


# Paragraph styles by role. Headings take the font of their marker type (spec §4).
STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("GwTitle", "公文标题", "paragraph", FONT_TITLE, FONT_TITLE, SIZE_2HAO, "center", 0),
    StyleSpec("GwRecipient", "公文主送机关", "paragraph", FONT_BODY, align="both", first_line=0),
    StyleSpec("GwH1", "公文一级标题", "paragraph", FONT_HEI, FONT_HEI, keep_next=True,
              outline_level=0),
    StyleSpec("GwH2", "公文二级标题", "paragraph", FONT_KAI, FONT_KAI, keep_next=True,
              outline_level=1),
    StyleSpec("GwH3", "公文三级标题", "paragraph", FONT_BODY, keep_next=True, outline_level=2),
    StyleSpec("GwH4", "公文四级标题", "paragraph", FONT_BODY, keep_next=True, outline_level=3),
    StyleSpec("GwSignature", "公文署名", "paragraph", FONT_BODY, align="right", first_line=0),
    StyleSpec("GwDate", "公文成文日期", "paragraph", FONT_BODY, align="right", first_line=0),
    StyleSpec("GwImprint", "公文版记", "paragraph", FONT_BODY, size=SIZE_4HAO, align="left",
              first_line=0, char_spacing=0),
    StyleSpec("GwImprintCc", "公文抄送", "paragraph", FONT_BODY, size=SIZE_4HAO, align="both",
              char_spacing=0),
    StyleSpec("GwAttachNote", "公文附件说明", "paragraph", FONT_BODY, align="left"),
    StyleSpec("GwAttachLabel", "公文附件标识", "paragraph", FONT_HEI, FONT_HEI, align="left",
              first_line=0, keep_next=True),
    StyleSpec("GwMark", "公文发文机关标志", "paragraph", FONT_TITLE, FONT_TITLE, SIZE_MARK,
              "center", 0, char_spacing=0),
    StyleSpec("GwDocNumber", "公文发文字号", "paragraph", FONT_BODY, align="center",
              first_line=0),
    StyleSpec("GwFooter", "公文页码", "paragraph", FONT_SONG, FONT_SONG, SIZE_4HAO, first_line=0,
              exact_lines=False, char_spacing=0),
    StyleSpec("GwH1Char", "公文一级标题字符", "character", FONT_HEI, FONT_HEI),
    StyleSpec("GwH2Char", "公文二级标题字符", "character", FONT_KAI, FONT_KAI),
    StyleSpec("GwH3Char", "公文三级标题字符", "character", FONT_BODY),
    StyleSpec("GwH4Char", "公文四级标题字符", "character", FONT_BODY),
)


def signature_indents(name_width: float, date_width: float, sealed: bool) -> tuple[int, int]:
    """Return the right indents (twips) of 署名 and 成文日期 (spec §6.1, §6.2).

    Widths are in 字. Without a seal the date starts 2 字 right of the 署名's first
    character and both keep at least 2 字 from the right edge; with a seal the date is
    indented 4 字 and the 署名 is centred over it.
    """
    if sealed:
        name = max(4 + (date_width - name_width) / 2, 0)
        return round(name * CHAR), 4 * CHAR
    if name_width - date_width >= 2:
        return 2 * CHAR, round((name_width - date_width) * CHAR)
    return round((date_width - name_width + 4) * CHAR), 2 * CHAR
