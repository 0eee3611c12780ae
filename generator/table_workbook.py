"""The tables workbook (``tables.xlsx``): one sheet per declared table, laid out cell for
cell like the printed table (merged headers), value cells unlocked and validated
(non-negative integers; 万元 with two decimals), everything else locked. The values are
read back by `table_data.read_workbook_tables`."""

from __future__ import annotations

from pathlib import Path

from .sources.sheets import cell_ref
from .table_spec import TOP, TableSpec, grid
from .table_values import TableValues


def write_tables_workbook(specs: dict[str, TableSpec], path: Path,
                          values: TableValues | None = None) -> None:
    """Write the workbook of ``specs`` to ``path`` atomically (``values`` prefilled)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    from .outputs import save_atomic, via_memory

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for spec in specs.values():
        sheet = book.create_sheet(spec.sheet)
        sheet["A1"] = spec.title
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = "只填黄色的数字格（件数为非负整数；金额单位为万元，最多两位小数），其余单元格已锁定。"
        integers = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                  allow_blank=True, showErrorMessage=True,
                                  error="请填写非负整数", errorTitle="件数")
        sheet.add_data_validation(integers)
        for placed in grid(spec):
            cell, row, col = placed.cell, placed.row + TOP, placed.col
            ref = cell_ref(row, col)
            target = sheet[ref]
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(f"{ref}:{cell_ref(row + cell.rowspan - 1, col + cell.colspan - 1)}")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    sheet[cell_ref(row + dr, col + dc)].border = border
            target.alignment = Alignment(wrap_text=True, vertical="center",
                                         horizontal="center" if cell.key or cell.header else "left")
            if cell.key:
                value = values.get(spec.key, cell.key) if values else None
                target.value = float(value) if cell.kind == "万元" and value not in (None, "/") \
                    else value
                target.protection = Protection(locked=False)
                target.fill = PatternFill("solid", fgColor="FFF2CC")
                if cell.kind == "万元":
                    target.number_format = "0.00"
                    money = DataValidation(  # non-negative, at most two decimals
                        type="custom", formula1=f"AND(ISNUMBER({ref}),{ref}>=0,ROUND({ref},2)={ref})",
                        allow_blank=True, showErrorMessage=True,
                        error="请填写非负数（单位：万元，最多两位小数）", errorTitle="金额")
                    money.add(ref)
                    sheet.add_data_validation(money)
                else:
                    target.number_format = "0"
                    integers.add(ref)
            else:
                target.value = cell.text
                target.font = Font(bold=cell.header)
        widths = spec.widths or (1.0,) * spec.columns
        for col, width in enumerate(widths):
            sheet.column_dimensions[cell_ref(0, col)[:-1]].width = 8 * width
        sheet.protection.sheet = True
    save_atomic(via_memory(book.save), path)
