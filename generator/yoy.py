"""Year-over-year: last year's workspace, and the ``同比(组.名称)`` helper for prose."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

from .issues import Issue, Location
from .messages_zh import issue
from .metric_catalogue import Catalogue, derive_rates, lookup, tag_keys
from .references import MARKER

HELPER = "同比"


@dataclass
class PreviousYear:
    """Last year's workspace, reduced to what comparisons need."""

    root: Path
    year: int
    groups: dict[str, Any] = field(default_factory=dict)  # supplied and derived figures

    def value(self, key: str) -> Any:
        return lookup(self.groups, key)


def previous_path(ws: Any, cli: Path | str | None) -> tuple[Path | None, Location, str]:
    """Return the folder of last year's workspace (``--previous`` wins over report.yaml),
    where it was named, and the name as the user wrote it."""
    if cli is not None:
        return Path(cli), Location(path="--previous"), str(cli)
    config = ws.config
    if config is None or not getattr(config, "previous", None):
        return None, Location(), ""
    return ws.root / config.previous, ws.config_loc("上年工作区"), config.previous


def load_previous(ws: Any, cli: Path | str | None,
                  catalogue: Catalogue) -> tuple[PreviousYear | None, list[Issue]]:
    """Load last year's workspace (its own problems are not this year's business)."""
    from .merge import merge
    from .workspace import load_workspace

    path, where, shown = previous_path(ws, cli)
    if path is None:
        return None, []
    if path.suffix.lower() == ".docx" and path.is_file():  # last year's report itself: its
        return PreviousYear(path, ws.config.year - 1), []  # fixed tables are read back
    if not (path / "report.yaml").is_file():
        return None, [issue("previous_missing", where, path=shown)]
    last = load_workspace(path)
    if last.config is None or last.partial:
        return None, [issue("previous_missing", where, path=shown)]
    merged = merge(last, additive=catalogue.additive)
    groups = {g: dict(v) for g, v in merged.groups.items()}
    tag_keys(groups)
    for key, value in derive_rates(groups, catalogue).items():
        group, _, name = key.partition(".")
        groups.setdefault(group, {})[name] = value
    previous = PreviousYear(path, last.config.year, groups)
    if last.config.year != ws.config.year - 1 and not ws.partial:
        return previous, [issue("previous_year_mismatch", where, year=last.config.year,
                                expected=ws.config.year - 1)]
    return previous, []


def _round1(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_text(current: float, last: float, rate: bool = False) -> str | None:
    """Return 同比增长12.3% / 同比下降5.0% / 与上年持平 (rates: 提高/下降 n 个百分点).

    None when last year's value is 0 and the change cannot be expressed as a percentage.
    """
    if rate:
        diff = _round1(float(current) - float(last))
        if diff == 0:
            return "与上年持平"
        return f"同比{'提高' if diff > 0 else '下降'}{abs(diff)}个百分点"
    if not last:
        return "与上年持平" if not current else None
    change = _round1((float(current) - float(last)) / float(last) * 100)
    if change == 0:
        return "与上年持平"
    return f"同比{'增长' if change > 0 else '下降'}{abs(change)}%"


def relative_change(current: float, last: float) -> float | None:
    """Return the change in percent, or None when last year's value is 0."""
    if not last:
        return None
    return (float(current) - float(last)) / float(last) * 100


def make_helper(previous: PreviousYear | None, catalogue: Catalogue) -> Callable[[Any], str]:
    """Return the ``同比`` function for narrative text.

    It never raises: when no comparison is possible it returns a 【待补充】 marker, and the
    rule ``yoy_unavailable`` reports the reason at the text's location.
    """
    def yoy(value: Any) -> str:
        key = getattr(value, "key", None)
        last = previous.value(key) if previous is not None and key else None
        if last is None or not key:
            return MARKER.format(f"{HELPER}({key or value})")
        text = change_text(value, last, rate=catalogue.kind(key) == "比率")
        return text if text is not None else MARKER.format(f"{HELPER}({key})")

    return yoy
