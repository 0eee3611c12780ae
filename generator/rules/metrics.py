"""Metric rules: each supplied figure against the template's metric catalogue (unit, bounds,
whole numbers, recommended minimum), and stated rates against their parts (W1, W6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from ..formatting import format_number
from ..issues import Issue, Location
from ..messages_zh import issue
from ..metric_catalogue import (
    IMPLAUSIBLE,
    INTEGER_KINDS,
    MetricSpec,
    denominator,
    exact_rate,
    lookup,
)

if TYPE_CHECKING:
    from ..prepared import Ready

RATE_TOLERANCE = 0.1  # percentage points (spec §14 W1)
_SAME_UNIT = str.maketrans({"％": "%", " ": ""})


def supplied(prepared: "Ready") -> Iterator[tuple[str, MetricSpec, Any, Location]]:
    """Yield (key, spec, metric, location) for every catalogue metric a department supplied."""
    for key, spec, metric, loc in every_supplied(prepared):
        if isinstance(spec, MetricSpec):
            yield key, spec, metric, loc


@dataclass(frozen=True)
class GuessedSpec:
    """A metric outside the catalogue, judged by the kind its unit suggests (件 → 计数,
    % → 比率): the same kinds for YAML and workbooks."""

    name: str
    kind: str
    unit: str

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        return (0, 100) if self.kind == "比率" else (0, None)


_GUESSED_KIND = {"count": "计数", "rate": "比率", "amount": "金额"}


def every_supplied(prepared: "Ready") -> Iterator[tuple[str, Any, Any, Location]]:
    """Yield (key, spec, metric, location of its value) for every figure a department
    supplied, in YAML or a workbook: the catalogue's spec, or a `GuessedSpec`."""
    from ..workbook_metrics import kind_of

    specs = prepared.catalogue.metrics
    for dept in prepared.workspace.departments:
        for group, figures in dept.data.metrics.items():
            for name, metric in figures.items():
                key = f"{group}.{name}"
                spec = specs.get(key) or GuessedSpec(
                    name, _GUESSED_KIND[kind_of(group, name, metric.unit)], metric.unit or "")
                yield key, spec, metric, dept.loc(("指标", group, name, "值"))


def origin(prepared: "Ready", key: str) -> Location:
    """Return where the merged metric ``key`` was (first) supplied."""
    if key not in prepared.merged.origins:
        return Location()
    dept, path = prepared.merged.origins[key]
    return dept.loc(path)


def metric_unit(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``metric_unit`` for a figure whose unit the catalogue does not list."""
    for key, spec, metric, loc in supplied(prepared):
        if metric.unit is None:
            continue
        allowed = {u.translate(_SAME_UNIT) for u in spec.units}
        if metric.unit.translate(_SAME_UNIT) not in allowed:
            yield issue("metric_unit", loc, metric=key, name=spec.name, unit=metric.unit,
                        expected="」或「".join(spec.units), standard=spec.unit)


def metric_bounds(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``metric_out_of_bounds`` (R1: rates in 0–100, catalogue bounds)."""
    for key, spec, metric, loc in every_supplied(prepared):
        low, high = spec.bounds
        if (low is not None and metric.value < low) or (high is not None and metric.value > high):
            bounds = f"{_num(low) if low is not None else '−∞'}–{_num(high) if high is not None else '∞'}"
            yield issue("metric_out_of_bounds", loc, metric=key, name=spec.name,
                        bounds=bounds + spec.unit, value=_num(metric.value))


def metric_integer(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``metric_not_integer`` for a count or head count with a fractional value."""
    for key, spec, metric, loc in every_supplied(prepared):
        if spec.kind in INTEGER_KINDS and float(metric.value) != int(metric.value):
            yield issue("metric_not_integer", loc, metric=key, name=spec.name,
                        kind=spec.kind, value=_num(metric.value))


def below_recommended(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``below_recommended`` (W3: e.g. 人均培训学时 < 60)."""
    for key, spec in prepared.catalogue.metrics.items():
        value = lookup(prepared.merged.groups, key)
        if spec.recommended_min is None or value is None or value >= spec.recommended_min:
            continue
        yield issue("below_recommended", origin(prepared, key), metric=key, name=spec.name,
                    value=_num(value), minimum=_num(spec.recommended_min), unit=spec.unit,
                    basis=spec.basis or "指标目录的建议值")


def rate_mismatch(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``rate_mismatch`` (W1): a stated rate more than 0.1 pp off its parts."""
    groups = prepared.merged.groups
    for key, spec in prepared.catalogue.metrics.items():
        stated = lookup(groups, key)
        if spec.formula is None or stated is None:
            continue
        computed = exact_rate(groups, spec.formula)
        if computed is None or abs(float(stated) - computed) <= RATE_TOLERANCE + 1e-9:
            continue
        found = denominator(groups, spec.formula)
        assert found is not None  # exact_rate divided by it
        bottom_key, bottom = found
        yield issue("rate_mismatch", origin(prepared, key), metric=key, stated=_num(stated),
                    numerator=spec.formula.numerator,
                    top=_num(lookup(groups, spec.formula.numerator)),
                    denominator=bottom_key, bottom=_num(bottom),
                    computed=format_number(computed, 2),
                    diff=format_number(abs(float(stated) - computed), 2))


def rate_without_counts(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``rate_without_counts`` (W6): a rate of 100% whose denominator is 0."""
    groups = prepared.merged.groups
    for key, spec in prepared.catalogue.metrics.items():
        stated = lookup(groups, key)
        if spec.formula is None or stated is None or stated != 100:
            continue
        bottom = denominator(groups, spec.formula)
        if bottom is not None and bottom[1] == 0:
            yield issue("rate_without_counts", origin(prepared, key), metric=key,
                        denominator=bottom[0])


def metric_implausible(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``metric_implausible`` for a figure outside the catalogue with an absurd
    magnitude (catalogue metrics have bounds by kind, see ``metric_bounds``)."""
    specs = prepared.catalogue.metrics
    for dept in prepared.workspace.departments:
        for group, figures in dept.data.metrics.items():
            for name, metric in figures.items():
                if f"{group}.{name}" not in specs and abs(metric.value) > IMPLAUSIBLE:
                    yield issue("metric_implausible", dept.loc(("指标", group, name)),
                                metric=f"{group}.{name}", value=_num(metric.value),
                                limit=_num(IMPLAUSIBLE))


def _num(value: Any) -> str:
    """Return a figure for a message; huge round ones as 1亿, 1万亿."""
    for factor, word in ((10**12, "万亿"), (10**8, "亿")):
        if abs(value) >= factor and float(value) % factor == 0 and abs(value) < 10**20:
            return f"{format_number(int(value) // factor)}{word}"
    if abs(value) >= 10**16:
        return f"{float(value):.3g}"
    return format_number(value)


METRIC_RULES = (metric_unit, metric_bounds, metric_integer, below_recommended,
                rate_mismatch, rate_without_counts, metric_implausible)
