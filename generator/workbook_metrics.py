"""Generic helpers about workbook metric rows: their kinds, and the kind of a figure guessed
from its unit.

Which metrics each department is asked for, with their units, notes and 必填, is data of
the report type (template.yaml 填报表 > 报送分工 and metrics.yaml): `ReportType.metrics_for`
and `ReportType.default_departments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CellKind = Literal["count", "amount", "rate"]

#: Units of figures that are counted (whole numbers); anything else is an amount.
COUNT_UNITS = frozenset(
    "件 人 个 家 场 场次 次 人次 名 所 类 项 条 篇 期 户 份 起 部 批 支 处 座 台 辆 本 册 门".split())

#: What a value of each kind must be, in Chinese (used in messages and the workbook).
KIND_ZH: dict[CellKind, str] = {
    "count": "不小于 0 的整数",
    "amount": "不小于 0 的数",
    "rate": "0～100 之间的数（百分比，不写 %）",
}


@dataclass(frozen=True)
class WorkbookMetric:
    """One metric a department is asked for (a row of a workbook's 指标 sheet)."""

    group: str
    name: str
    unit: str
    kind: CellKind
    required: bool = True
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.group}.{self.name}"


def workbook_kind(catalogue_kind: str) -> CellKind:
    """Return the workbook kind of a catalogue 类型 (计数/人数 count, 比率 rate, else amount)."""
    if catalogue_kind == "比率":
        return "rate"
    return "count" if catalogue_kind in ("计数", "人数") else "amount"


def kind_of(group: str, name: str, unit: str | None) -> CellKind:
    """Return the kind of a metric row, guessed from its unit and name (a workbook row
    written by `init` carries the catalogue's unit, so the guess agrees with the catalogue;
    the catalogue's own checks run on every figure afterwards)."""
    unit = (unit or "").strip()
    if unit in ("%", "％") or name.endswith("率"):
        return "rate"
    return "count" if unit in COUNT_UNITS else "amount"
