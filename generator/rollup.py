"""Add districts up: every district workspace under a folder → city totals.

`collect` reads each district (in worker processes when there are many) down to a small
`District`; `aggregate` sums the metrics the catalogue marks 可累加, recomputes rates from
their summed parts (计算), leaves other metrics per district only, and lists the districts
missing a summed metric — a total is never silently partial. `city_workspace` writes the
city's workspace: one file per district under departments/, so the city's own merge sums
them again and ``{{ 组.名称.分项.地区 }}`` names each district's part.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import Issue, Location
from .messages_zh import issue
from .metric_catalogue import RATE_DIGITS, Catalogue

#: Outlier flags: a count beyond this many times (or below one over) the district median;
OUTLIER_FACTOR = 3.0
#: a rate this many percentage points away from the median;
OUTLIER_POINTS = 20.0
#: a change from last year of this many percent (rates: percentage points, see above).
CHANGE_PERCENT = 50.0


@dataclass
class District:
    """What the roll-up needs of one district workspace (small and picklable)."""

    workspace: str
    folder: str  # relative to the roll-up root, posix
    region: str
    year: int | None = None
    template: str | None = None
    figures: dict[str, tuple[float, str]] = field(default_factory=dict)  # 组.名称 → (值, 单位)
    last_year: dict[str, float] = field(default_factory=dict)  # supplied and derived
    paragraphs: list[tuple[str, str, int | None]] = field(default_factory=list)  # 正文, 文件, 行
    errors: int = 0
    warnings: int = 0
    error: str | None = None


@dataclass
class Total:
    """One metric across the districts."""

    key: str
    name: str
    unit: str
    how: str  # "sum" | "rate" | "none" (not additive: per district only)
    value: float | None = None
    missing: list[str] = field(default_factory=list)  # regions without the metric


@dataclass
class Flag:
    """A cell of the comparison workbook to look at."""

    region: str
    key: str
    kind: str  # 缺报 / 偏高 / 偏低 / 同比变化大 / 与上年相同
    text: str


@dataclass
class Rollup:
    root: Path
    districts: list[District]
    totals: list[Total]
    flags: list[Flag]
    issues: list[Issue]
    year: int | None
    template: str


def summarize(path: str, root: str, template: str | None = None) -> District:
    """Return the `District` of the workspace at ``path`` (never raises)."""
    folder = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    from .batch import region_of

    district = District(path, folder, region_of(Path(path)))
    try:
        _fill(district, Path(path), template)
    except Exception as exc:  # one district never stops the roll-up
        district.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    return district


def _fill(district: District, path: Path, template: str | None) -> None:
    from .merge import Node
    from .pipeline import prepare

    prepared = prepare(path, template)
    district.errors, district.warnings = prepared.report.errors, prepared.report.warnings
    config = prepared.workspace.config
    if config is None or prepared.merged is None:
        district.error = "report.yaml 无法使用"
        return
    district.year, district.region = config.year, config.region or config.organ
    district.template = prepared.template.name if prepared.template else None
    merged = prepared.merged
    for group, figures in merged.groups.items():
        for name, value in figures.items():
            district.figures[f"{group}.{name}"] = (_number(value), getattr(value, "unit", ""))
    for key, value in merged.derived.items():
        district.figures[key] = (_number(value), getattr(value, "unit", ""))
    if prepared.previous is not None:
        district.last_year = {f"{g}.{n}": float(v) for g, figures in
                              prepared.previous.groups.items() for n, v in figures.items()}

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            for text in node.item.text:
                where = node.loc("正文")
                district.paragraphs.append((text, where.file or "", where.line))
            walk(node.children)

    for nodes in merged.sections.values():
        walk(nodes)


#: The first line of a city workspace's report.yaml written by `city.report_yaml`.
CITY_MARK = "# 由 nianbao rollup"


def is_city(workspace: Path) -> bool:
    """Return whether ``workspace`` is a city workspace an earlier roll-up wrote (it is
    not a district: counting it would count every district twice)."""
    try:
        with open(workspace / "report.yaml", encoding="utf-8") as handle:
            return handle.readline().startswith(CITY_MARK)
    except (OSError, UnicodeDecodeError):
        return False


def _number(value: Any) -> int | float:
    """Return a plain number (figures carry units and parts that need not travel)."""
    return int(value) if isinstance(value, int) else float(value)


def collect(root: Path, template: str | None = None, jobs: int | None = None
            ) -> list[District]:
    """Return every district workspace under ``root``, in folder order."""
    from .batch import find_workspaces

    workspaces, _ = find_workspaces([root])
    args = [(str(w), str(root), template) for w in workspaces if not is_city(w)]
    import os

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(args)))
    if jobs == 1:
        return [summarize(*a) for a in args]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(summarize, *zip(*args)))


def aggregate(root: Path, districts: list[District], catalogue: Catalogue,
              template: str) -> Rollup:
    """Return the totals, the flags of the comparison workbook and the roll-up's issues."""
    from .crosscheck import cross_issues

    used = districts  # one that could not be read lacks every metric: never left out
    keys = [k for k in catalogue.metrics if any(k in d.figures for d in used)]
    keys += sorted({k for d in used for k in d.figures} - set(keys))
    totals = [_total(key, used, catalogue) for key in keys]
    years = sorted({d.year for d in used if d.year})
    issues = [_missing_issue(t, used) for t in totals if t.missing and t.how != "none"]
    issues += cross_issues(used)
    flags = _flags(used, totals, catalogue)
    return Rollup(root, districts, totals, flags, issues, years[-1] if years else None, template)


def _total(key: str, districts: list[District], catalogue: Catalogue) -> Total:
    spec = catalogue.metrics.get(key)
    units = [d.figures[key][1] for d in districts if key in d.figures]
    unit = spec.unit if spec else (units[0] if units else "")
    name = spec.name if spec else key
    missing = [d.region for d in districts if key not in d.figures]
    if spec is not None and spec.additive:
        summed = sum(d.figures[key][0] for d in districts if key in d.figures)
        return Total(key, name, unit, "sum", summed, missing)
    if spec is not None and spec.formula is not None:
        top = _sum(spec.formula.numerator, districts, catalogue)
        bottoms = [_sum(k, districts, catalogue) for k in spec.formula.denominators]
        bottom = next((b for b in bottoms if b is not None), None)
        value = round(top / bottom * 100, RATE_DIGITS) if top is not None and bottom else None
        parts = [spec.formula.numerator, *spec.formula.denominators[:1]]
        gaps = [d.region for d in districts if any(p not in d.figures for p in parts)]
        return Total(key, name, unit, "rate", value, gaps)
    return Total(key, name, unit, "none", None, missing)


def _sum(key: str, districts: list[District], catalogue: Catalogue) -> float | None:
    """Return the sum of a summed metric over the districts that have it (None if none)."""
    if key not in catalogue.additive:
        return None
    values = [d.figures[key][0] for d in districts if key in d.figures]
    return sum(values) if values else None


def _missing_issue(total: Total, districts: list[District]) -> Issue:
    first = next((d for d in districts if d.region not in total.missing), districts[0])
    shown = "未汇总" if total.value is None else f"{_plain(total.value)}{total.unit}"
    return issue("rollup_metric_missing", Location(file=f"{first.folder}/report.yaml"),
                 metric=total.key, total=shown, missing="、".join(total.missing))


def _plain(value: float) -> str:
    from .formatting import format_number

    return format_number(value)


def _flags(districts: list[District], totals: list[Total], catalogue: Catalogue) -> list[Flag]:
    out = []
    for total in totals:
        rate = catalogue.kind(total.key) == "比率" or total.how == "rate"
        values = [float(d.figures[total.key][0]) for d in districts if total.key in d.figures]
        middle = statistics.median(values) if len(values) >= 3 else None
        for d in districts:
            if total.key not in d.figures:
                out.append(Flag(d.region, total.key, "缺报", "未报送该指标"))
                continue
            value = float(d.figures[total.key][0])
            out += _outlier(d.region, total.key, value, middle, rate)
            last = d.last_year.get(total.key)
            if last is not None:
                out += _change(d.region, total.key, value, last, rate)
    return out


def _outlier(region: str, key: str, value: float, middle: float | None,
             rate: bool) -> list[Flag]:
    if middle is None:
        return []
    if rate:
        gap = value - middle
        if abs(gap) >= OUTLIER_POINTS:
            kind = "偏高" if gap > 0 else "偏低"
            return [Flag(region, key, kind, f"与各地中位数（{_plain(middle)}）相差{abs(gap):.1f}个百分点")]
        return []
    if middle > 0 and value >= middle * OUTLIER_FACTOR:
        return [Flag(region, key, "偏高", f"是各地中位数（{_plain(middle)}）的{value / middle:.1f}倍")]
    if middle > 0 and value <= middle / OUTLIER_FACTOR:
        return [Flag(region, key, "偏低", f"不到各地中位数（{_plain(middle)}）的三分之一")]
    return []


def _change(region: str, key: str, value: float, last: float, rate: bool) -> list[Flag]:
    from .yoy import change_text

    if rate:
        big = abs(value - last) >= OUTLIER_POINTS
    else:
        big = (abs(value - last) / last * 100 >= CHANGE_PERCENT) if last else value != 0
    if not big:
        return []
    text = change_text(value, last, rate=rate) or "上年为0"
    return [Flag(region, key, "同比变化大", f"上年{_plain(last)}，{text}")]


def as_dict(rollup: Rollup) -> dict[str, Any]:
    """Return the roll-up for ``rollup --json`` (docs/batch.md)."""
    from dataclasses import asdict

    return {"root": str(rollup.root), "year": rollup.year,
            "districts": [{"region": d.region, "workspace": d.workspace, "errors": d.errors,
                           "warnings": d.warnings, "error": d.error} for d in rollup.districts],
            "totals": [asdict(t) for t in rollup.totals],
            "flags": [asdict(f) for f in rollup.flags],
            "issues": [i.as_dict() for i in rollup.issues]}


def rollup(root: Path, template: str | None = None, jobs: int | None = None) -> Rollup:
    """Read every district workspace under ``root`` and add them up.

    Raises:
        LookupError: no workspace below ``root``, or the report type cannot be loaded.
    """
    from collections import Counter

    from .report_type import DEFAULT_TEMPLATE, load_report_type

    districts = collect(root, template, jobs)
    if not districts:
        raise LookupError(f"{root} 及其子文件夹中没有工作区（report.yaml）")
    used = Counter(d.template for d in districts if d.template)
    name = template or (used.most_common(1)[0][0] if used else DEFAULT_TEMPLATE)
    found, problems = load_report_type(name, Path(districts[0].workspace))
    if found is None:
        raise LookupError("；".join(p.message for p in problems) or f"找不到模板「{name}」")
    return aggregate(root, districts, found.catalogue, name)
