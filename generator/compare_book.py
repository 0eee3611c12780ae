"""对比表.xlsx: one row per district, one column per metric, a totals row and flags.

Sheet 对比表: 地区 and one column per metric (header 名称（单位）, the key in row 2); the
合计 row holds sums, rates recomputed from summed parts, or 不可相加. Flagged cells are
filled (缺报 grey with 缺, 偏高/偏低 orange, 同比变化大 yellow) and carry a
comment; sheet 标记 lists every flag as a row (地区, 指标, 标记, 说明), and sheet 问题
the roll-up's warnings.
"""

from __future__ import annotations

from pathlib import Path

from .rollup import Rollup

SHEET, FLAG_SHEET, ISSUE_SHEET = "对比表", "标记", "问题"
TOTAL_LABEL = "合计"
NOT_SUMMED = "不可相加"
MISSING = "缺"
FILLS = {"缺报": "D9D9D9", "偏高": "F8CBAD", "偏低": "F8CBAD", "同比变化大": "FFE699"}
HOW_ZH = {"sum": "相加", "rate": "由合计的分子、分母重新计算", "none": "不相加"}


def write_book(rollup: Rollup, path: Path) -> Path:
    """Write the comparison workbook to ``path`` (atomically) and return it."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .outputs import save_atomic

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    sheet.cell(1, 1, "地区").font = bold
    sheet.cell(2, 1, "指标键")
    for col, total in enumerate(rollup.totals, 2):
        sheet.cell(1, col, f"{total.name}（{total.unit}）" if total.unit else total.name).font = bold
        sheet.cell(2, col, total.key)
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.column_dimensions["A"].width = 14
    districts = rollup.districts
    flags: dict[tuple[str, str], list] = {}
    for found in rollup.flags:
        flags.setdefault((found.region, found.key), []).append(found)
    for row, district in enumerate(districts, 3):
        sheet.cell(row, 1, district.region)
        for col, total in enumerate(rollup.totals, 2):
            figure = district.figures.get(total.key)
            cell = sheet.cell(row, col, MISSING if figure is None else figure[0])
            marked = flags.get((district.region, total.key))
            if marked:
                colour = FILLS.get(marked[0].kind, "FFE699")
                cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
                cell.comment = Comment("\n".join(f"{f.kind}：{f.text}" for f in marked), "nianbao")
    last = len(districts) + 3
    sheet.cell(last, 1, TOTAL_LABEL).font = bold
    for col, total in enumerate(rollup.totals, 2):
        value = total.value if total.how != "none" else NOT_SUMMED
        cell = sheet.cell(last, col, value)
        cell.font = bold
        note = HOW_ZH[total.how]
        if total.missing and total.how != "none":
            note += f"；不完整，缺{'、'.join(total.missing)}"
            cell.fill = PatternFill("solid", start_color=FILLS["缺报"], end_color=FILLS["缺报"])
        cell.comment = Comment(note, "nianbao")
    sheet.freeze_panes = "B3"

    marks = book.create_sheet(FLAG_SHEET)
    marks.append(["地区", "指标", "标记", "说明"])
    for flag in rollup.flags:
        marks.append([flag.region, flag.key, flag.kind, flag.text])
    problems = book.create_sheet(ISSUE_SHEET)
    problems.append(["级别", "代码", "位置", "说明"])
    for problem in rollup.issues:
        problems.append(["警告" if problem.severity == "warning" else problem.severity,
                         problem.code, problem.loc.describe(), problem.message])
    for extra in (marks, problems):
        for letter, width in zip("ABCD", (14, 24, 12, 60)):
            extra.column_dimensions[letter].width = width
    save_atomic(book.save, path)
    return path
