"""The metric catalogue shipped with a template (``metrics.yaml``) and the figures it derives.

The catalogue says, for each well-known metric ``组.名称``: its Chinese name, unit, kind,
usual suppliers, whether departments' figures add up, its bounds, and how a collection
workbook asks for it (填报说明, 必填; which departments are asked is the report type's
报送分工, see `report_type`). Rules use it to
check supplied figures; `derive_rates` uses its ``计算`` entries to compute rates that a
workspace did not supply, so that narrative text can quote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .issues import Issue, Location
from .messages_zh import issue
from .pydantic_errors import to_issues
from .references import figure
from .sources.yaml_source import YamlError, load_yaml

CATALOGUE_FILE = "metrics.yaml"
Kind = Literal["计数", "金额", "比率", "学时", "人数"]
#: Kinds whose values are whole numbers.
INTEGER_KINDS = frozenset({"计数", "人数"})
#: Default bounds by kind (lower, upper); None means unbounded.
#: Default bounds by kind. The upper bounds only catch slips (extra digits, a pasted ID
#: number): far above any county, city or province figure, yet below 1e20-style nonsense.
KIND_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "计数": (0, 100_000_000), "金额": (0, 100_000_000), "比率": (0, 100),
    "学时": (0, 1_000_000), "人数": (0, 100_000_000)}
#: Metrics outside the catalogue have no kind to judge by: only absurd magnitudes are errors.
IMPLAUSIBLE = 1e12
RATE_DIGITS = 2  # derived rates are rounded to 2 decimals (12.83%)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Names = Annotated[list[str], BeforeValidator(_as_list)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Formula(_Model):
    """A rate computed from two counts: 分子 / 分母 × 100."""

    numerator: str = Field(alias="分子")
    denominators: Names = Field(alias="分母", min_length=1)


class MetricSpec(_Model):
    """One catalogue entry."""

    name: str = Field(alias="名称")
    units: Names = Field(alias="单位", min_length=1)
    kind: Kind = Field(alias="类型")
    suppliers: Names = Field(default_factory=list, alias="报送部门")
    additive: bool = Field(False, alias="可累加")
    lower: float | None = Field(None, alias="下限")
    upper: float | None = Field(None, alias="上限")
    recommended_min: float | None = Field(None, alias="建议下限")
    basis: str | None = Field(None, alias="依据")
    formula: Formula | None = Field(None, alias="计算")
    note: str | None = Field(None, alias="填报说明")  # the 说明 cell of a workbook row
    required: bool = Field(True, alias="必填")  # a workbook row that may not stay blank

    @property
    def unit(self) -> str:
        """Return the standard unit (the first one listed)."""
        return self.units[0]

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """Return (lower, upper), the entry's own or its kind's."""
        low, high = KIND_BOUNDS[self.kind]
        return (self.lower if self.lower is not None else low,
                self.upper if self.upper is not None else high)


class CatalogueFile(_Model):
    metrics: dict[str, MetricSpec] = Field(default_factory=dict, alias="指标")


@dataclass(frozen=True)
class Catalogue:
    """The metric catalogue of one template (empty when the template has none)."""

    metrics: dict[str, MetricSpec] = field(default_factory=dict)
    file: str | None = None

    @property
    def additive(self) -> frozenset[str]:
        """Return the keys whose figures are summed across departments."""
        return frozenset(k for k, m in self.metrics.items() if m.additive)

    def kind(self, key: str) -> str | None:
        spec = self.metrics.get(key)
        return spec.kind if spec else None


def load_catalogue(template: Any, workspace: Path | None = None) -> tuple[Catalogue, list[Issue]]:
    """Return the catalogue of ``template`` (its own metrics.yaml, or the one of the
    template named by the manifest's ``指标目录``) and any problems loading it."""
    folder = template.folder
    other = getattr(template.manifest, "metrics", None)
    if other:
        from .templates import find_template

        found, problems = find_template(other, workspace)
        if found is None:
            return Catalogue(), problems
        folder = found.folder
    path = folder / CATALOGUE_FILE
    if not path.is_file():
        return Catalogue(), []
    return _load(path)


@lru_cache(maxsize=16)
def _load(path: Path) -> tuple[Catalogue, list[Issue]]:
    rel = f"{path.parent.name}/{path.name}"
    try:
        data, smap = load_yaml(path)
        parsed = CatalogueFile.model_validate(data or {})
    except YamlError as exc:
        return Catalogue(), [issue(exc.code, Location(file=rel, line=exc.line),
                                   detail=exc.detail)]
    except ValidationError as exc:
        return Catalogue(), to_issues(exc, CatalogueFile, rel, smap)
    return Catalogue(dict(parsed.metrics), rel), []


def lookup(groups: dict[str, Any], key: str) -> Any:
    """Return the figure ``组.名称`` from metric groups, or None."""
    group, _, name = key.partition(".")
    return (groups.get(group) or {}).get(name)


def denominator(groups: dict[str, Any], formula: Formula) -> tuple[str, Any] | None:
    """Return (key, value) of the first supplied denominator of ``formula``, or None."""
    for key in formula.denominators:
        value = lookup(groups, key)
        if value is not None:
            return key, value
    return None


def exact_rate(groups: dict[str, Any], formula: Formula) -> float | None:
    """Return 分子/分母×100 from ``groups`` (None when a part is missing or 分母 is 0)."""
    top = lookup(groups, formula.numerator)
    bottom = denominator(groups, formula)
    if top is None or bottom is None or not bottom[1]:
        return None
    return float(top) / float(bottom[1]) * 100


def derive_rates(groups: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """Return the catalogue rates that ``groups`` lacks but can compute, by key."""
    out: dict[str, Any] = {}
    for key, spec in catalogue.metrics.items():
        if spec.formula is None or lookup(groups, key) is not None:
            continue
        value = exact_rate(groups, spec.formula)
        if value is not None:
            rate = figure(round(value, RATE_DIGITS), spec.unit)
            rate.key = key
            out[key] = rate
    return out


def tag_keys(groups: dict[str, Any]) -> None:
    """Give every supplied figure its ``组.名称`` key (the 同比 helper needs it)."""
    for group, figures in groups.items():
        for name, value in figures.items():
            try:
                value.key = f"{group}.{name}"
            except AttributeError:  # a plain number (tests): nothing to tag
                pass


def complete_figures(merged: Any, catalogue: Catalogue) -> None:
    """Tag the merged figures with their keys and add the derived rates to ``merged``."""
    tag_keys(merged.groups)
    merged.derived = derive_rates(merged.groups, catalogue)
