"""Values of fixed tables as read (from YAML, a workbook or a DOCX): each cell's value,
where it was written, and how a value is parsed and printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .issues import Location
from .table_spec import PREVIOUS, TEXT_TERM, CellSpec, TableSpec

NA = "/"  # printed for a cell the data marks as not applicable
_LIMIT = Decimal(10) ** 15  # larger figures are typing accidents, not counts
_CENT = Decimal("0.01")
YUAN_PER_WAN = Decimal(10000)


@dataclass
class TableValues:
    """Values by table and cell name (None = blank, "/" = not applicable), with their
    locations; ``present`` lists the tables the data mentions at all."""

    file: str = ""
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)

    def get(self, table: str, name: str) -> Any:
        return self.values.get(table, {}).get(name)

    def loc(self, table: str, name: str) -> Location:
        return self.where.get((table, name)) or Location(file=self.file, path=f"{table}.{name}")


def in_yuan(raw: Any, cell: CellSpec) -> bool:
    """Whether ``raw`` is an amount written in 元 for a 万元 cell (「4000元」): it is
    converted, and the reader warns (``table_cell_yuan``)."""
    text = raw.strip() if isinstance(raw, str) else ""
    return cell.kind == "万元" and text.endswith("元") and not text.endswith("万元")


def parse_value(raw: Any, cell: CellSpec) -> tuple[Any, str]:
    """Return (value, problem): an int (整数) or Decimal (万元), None for blank, "/" for
    not applicable; ``problem`` says in Chinese why ``raw`` was refused ("" if not). A 万元
    cell takes 「12.5万元」 as 12.5 and 「4000元」 as 0.4 (see `in_yuan`)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, str) and raw.strip() in ("/", "／"):
        return NA, ""
    if isinstance(raw, bool):
        return None, "应填数字"
    yuan = in_yuan(raw, cell)
    text = str(raw).strip().replace(",", "")
    if cell.kind == "万元":
        text = text.removesuffix("万元").removesuffix("元").strip()
    try:
        number = Decimal(text)
        if not number.is_finite() or abs(number) >= _LIMIT:
            return None, "应填数字"
        if number < 0:
            return None, "不能为负数"
        if yuan:
            return (number / YUAN_PER_WAN).quantize(_CENT, ROUND_HALF_UP), ""
        if cell.kind == "万元":
            if number != number.quantize(_CENT):
                return None, "万元最多保留两位小数"
            return number.quantize(_CENT), ""
    except (InvalidOperation, ValueError):
        return None, "应填数字"
    if number != number.to_integral_value():
        return None, "应为整数（件数）"
    return int(number), ""


def show(value: Any, cell: CellSpec) -> str:
    """Return how a value prints in the table ("" for blank)."""
    if value is None:
        return ""
    if value == NA:
        return NA
    if cell.kind == "万元":  # two decimals; a whole amount without them (0, not 0.00)
        amount = Decimal(value)
        return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"
    return str(value)


def sum_terms(terms: list[tuple[int, str]], spec: TableSpec, values: TableValues,
              previous: TableValues | None, figure: Decimal = Decimal(0)) -> Decimal:
    """Return the signed sum of ``terms``; ``文中`` is ``figure`` (a figure of the text)."""
    total = Decimal(0)
    for sign, name in terms:
        if name == TEXT_TERM:
            total += sign * figure
            continue
        source: TableValues | None = values
        if name.startswith(PREVIOUS):
            source, name = previous, name[len(PREVIOUS):]
        total += sign * cell_value(source.get(spec.key, name) if source else None)
    return total


def cell_value(value: Any) -> Decimal:
    """Return a cell's value as counted in sums (blank and not applicable are 0)."""
    return Decimal(0) if value is None or value == NA else Decimal(value)
