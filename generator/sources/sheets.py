"""Worksheets as grids of values (via python-calamine), and tables found by their headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..workbook_layout import header_key

HEADER_SEARCH_ROWS = 20


@dataclass
class Grid:
    """One worksheet's values from A1 (blank cells are None) and its merged-cell values."""

    name: str
    rows: list[list[Any]]
    merged: dict[tuple[int, int], Any] = field(default_factory=dict)

    def get(self, row: int, col: int | None, fill: bool = False) -> Any:
        """Return the cell value; with ``fill`` a merged range's value in every cell."""
        if col is None or row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        value = self.rows[row][col]
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.merged.get((row, col)) if fill else None
        return value


@dataclass
class Table:
    """A table on a grid: its header row and the column of each canonical header."""

    grid: Grid
    header_row: int
    columns: dict[str, int]


class WorkbookProblem(Exception):
    """The workbook cannot be opened; ``code`` and ``ctx`` make the issue."""

    def __init__(self, code: str, **ctx: str):
        super().__init__(code)
        self.code, self.ctx = code, ctx


def cell_ref(row: int, col: int) -> str:
    """Return the A1 reference of a 0-based (row, col)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def load_grids(path: Path) -> list[Grid]:
    """Return a `Grid` per worksheet, in workbook order (chart sheets are skipped).

    Raises:
        WorkbookProblem: ``xlsx_encrypted`` or ``xlsx_corrupt``.
    """
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise WorkbookProblem("xlsx_encrypted") from None
    except (CalamineError, OSError, ValueError) as exc:
        raise WorkbookProblem("xlsx_corrupt", detail=_detail(exc)) from None
    try:
        grids = []
        for meta in book.sheets_metadata:
            if meta.typ == SheetTypeEnum.WorkSheet:
                sheet = book.get_sheet_by_name(meta.name)
                grids.append(_grid(meta.name, sheet.to_python(skip_empty_area=False),
                                   sheet.merged_cell_ranges or []))
        return grids
    except (CalamineError, ValueError, TypeError) as exc:
        raise WorkbookProblem("xlsx_corrupt", detail=_detail(exc)) from None
    finally:
        book.close()


def _detail(exc: Exception) -> str:
    text = str(exc).strip()
    return f"（{text[:80]}）" if text else ""


def _grid(name: str, rows: list[list[Any]], ranges: list) -> Grid:
    grid = Grid(name, [[None if v == "" else v for v in row] for row in rows])
    for (top, left), (bottom, right) in ranges:
        anchor = grid.get(top, left)
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                if (row, col) != (top, left):
                    grid.merged[(row, col)] = anchor
    return grid


def find_table(grid: Grid, headers: dict[str, str], keys: tuple[str, ...]) -> Table | None:
    """Return the first table on ``grid`` whose header row has all of ``keys``."""
    for row in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
        columns: dict[str, int] = {}
        for col, value in enumerate(grid.rows[row]):
            key = header_key(value, headers)
            if key is not None:
                columns.setdefault(key, col)
        if all(k in columns for k in keys):
            return Table(grid, row, columns)
    return None
