"""Turn what people type into Excel number cells into figures, or say exactly why not.

Safe normalisations (full-width digits, thousands separators, surrounding spaces, a
trailing unit or ``%`` on a rate, a percent-formatted rate) give the figure plus the
original text, so the caller can warn. Everything that would be a guess (``约3000``,
``60余``) is refused with an issue code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..workbook_metrics import CellKind

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


@dataclass(frozen=True)
class CellValue:
    """The outcome of reading one number cell.

    ``value`` is None for a blank cell or a refused one (then ``code`` says why).
    ``original`` is set when the value came from normalising the cell's content.
    """

    value: int | float | None = None
    code: str | None = None
    original: str | None = None
    hint: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None and self.code is None


def cell_text(raw: Any) -> str | None:
    """Return a text cell's content as stripped text (numbers without ``.0``), or None."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else ("是" if raw else "否")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.datetime, dt.date)):
        raw = raw.isoformat()
    text = str(raw).strip()
    return text or None


def parse_figure(raw: Any, kind: CellKind, unit: str | None = None,
                 percent_format: bool = False) -> CellValue:
    """Return the figure in ``raw`` (a calamine cell value) for a metric of ``kind``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return CellValue()
    if isinstance(raw, bool):
        return CellValue(code="cell_not_number")
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return CellValue(code="cell_not_number",
                      hint="（单元格被识别为日期或时间，请把单元格格式设为「常规」后重新填写数字）")
    if isinstance(raw, (int, float)):
        if percent_format and kind == "rate":
            return _checked(round(raw * 100, 10), kind, original=f"{raw:.4g}（百分比格式）")
        return _checked(raw, kind)
    return _from_text(str(raw), kind, unit)


def _from_text(raw: str, kind: CellKind, unit: str | None) -> CellValue:
    text = unicodedata.normalize("NFKC", raw).strip().replace("\u00a0", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if kind == "rate" and text.endswith("%"):
        text = text[:-1].strip()
    elif unit and text.endswith(unit) and _NUMBER.fullmatch(text[: -len(unit)].strip()):
        text = text[: -len(unit)].strip()
    if not _NUMBER.fullmatch(text):
        return CellValue(code="cell_not_number", hint=_text_hint(text))
    number = float(text) if "." in text else int(text)
    return _checked(number, kind, original=raw if text != raw else None)


def _text_hint(text: str) -> str:
    if re.search(r"[约近余多超逾左右+＋~～]", text):
        return "（请填写准确的数字；「约」「余」等表述可写在工作举措的正文中）"
    if text.endswith("%"):
        return "（只有比率可以带 %）"
    return ""


def _checked(number: int | float, kind: CellKind, original: str | None = None) -> CellValue:
    """Return the figure; only what no number may be (negative) is refused here — whole
    numbers and ranges are judged by the metric rules, the same for YAML and workbooks."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if number < 0:
        return CellValue(code="negative_value")
    return CellValue(number, original=original)
