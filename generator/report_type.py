"""A report type: everything type-specific, loaded once from a template folder.

A template folder (``templates/<name>/``) is the single definition of a report type:

- ``template.yaml`` — sections and required items (with the regulation they come from),
  the title pattern, the default numbering, the deadlines that apply (时限), and how `init`
  collects material (填报表: the wording of the workbooks, the default departments, which
  departments are asked for which metrics, the example shown in 填表说明);
- ``metrics.yaml`` — the metric catalogue (or 指标目录: another template's), including the
  note and 必填 of each metric's workbook row;
- ``template.docx`` — the layout.

`ReportType` is a `Template` (same name, folder, manifest and docx), so code written for
templates keeps working; the type-specific questions are asked of it, never answered by
naming a template in Python. A new report type that needs no new kind of content is a new
folder and nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .issues import Issue, Location
from .messages_zh import issue
from .metric_catalogue import Catalogue, load_catalogue
from .models import Collection, Deadline, NumberingOptions, ReportConfig, RuleSwitch, SectionSpec
from .templates import MANIFEST, PATH_VARIABLE, Template, find_template
from .workbook_metrics import WorkbookMetric, workbook_kind

#: The report type used when neither report.yaml nor the command line names one.
DEFAULT_TEMPLATE = "fazhi-annual"

#: Organs bound by the provincial deadline (省级党委和政府).
_PROVINCIAL = re.compile(r"^(?:中共)?(?:[^市县区]+?(?:省|自治区)|北京市|天津市|上海市|重庆市)"
                         r"(?:人民政府|委员会|委)$")
_VARIABLE = re.compile(r"\{\{\s*(机关|地区|年度|下一年度)\s*\}\}")


@dataclass(frozen=True)
class ReportType(Template):
    """One report type: its template (name, folder, manifest, docx) and metric catalogue."""

    catalogue: Catalogue = field(default_factory=Catalogue)
    label: str = ""  # how messages name the folder (workspace-relative, or parent/name)

    # -- rules -------------------------------------------------------------------------
    def rule_switches(self) -> list[tuple[RuleSwitch, Location, Location]]:
        """Return the rules this type switches off (template.yaml 关闭规则), each with where
        the switch and its 规则 are written; a workspace's report.yaml may switch off more."""
        file = f"{self.label or self.name}/{MANIFEST}"
        return [(switch, Location(file=file, path=f"关闭规则.{index}"),
                 Location(file=file, path=f"关闭规则.{index}.规则"))
                for index, switch in enumerate(self.manifest.disabled_rules)]

    # -- sections and title ---------------------------------------------------------------
    @property
    def sections(self) -> list[SectionSpec]:
        return list(self.manifest.sections)

    @property
    def required_sections(self) -> list[SectionSpec]:
        """Return the sections a report of this type must contain (each with its 依据)."""
        return [s for s in self.manifest.sections if s.required]

    @property
    def next_year_sections(self) -> frozenset[str]:
        """Return the keys of the sections that speak of the next year (R10)."""
        return frozenset(s.key for s in self.manifest.sections if s.next_year)

    @property
    def title_pattern(self) -> str:
        """Return the title used when report.yaml gives none (with {{ 机关 }} etc.)."""
        return self.manifest.title

    def plain_title(self, organ: str, year: int, region: str = "") -> str:
        """Return the title pattern with its variables filled in (for comments and help)."""
        return fill(self.manifest.title, organ, year, region)

    # -- numbering ---------------------------------------------------------------------
    def numbering(self, config: ReportConfig) -> NumberingOptions:
        """Return the numbering of a report: the manifest's 编号, with each option that
        report.yaml's 编号 sets taken from there."""
        base = self.manifest.numbering
        if "numbering" not in config.model_fields_set:
            return base
        own = config.numbering
        return base.model_copy(update={name: getattr(own, name) for name in own.model_fields_set})

    def configured(self, config: ReportConfig) -> ReportConfig:
        """Return ``config`` with the numbering this type gives it (see `numbering`)."""
        numbering = self.numbering(config)
        if numbering == config.numbering:
            return config
        return config.model_copy(update={"numbering": numbering})

    # -- deadlines ---------------------------------------------------------------------
    def reporting_deadline(self, organ: str, year: int) -> tuple[dt.date, str, str] | None:
        """Return (date, who it binds, basis) of the reporting deadline, or None."""
        return reporting_deadline(self.manifest.deadlines.report, organ, year)

    def publication_deadline(self, year: int, organ: str = "") -> tuple[dt.date, str] | None:
        """Return (date, basis) by which ``organ``'s report must be made public (its 按机关
        date when its name ends so), or None."""
        found = reporting_deadline(self.manifest.deadlines.publish, organ, year)
        if found is None:
            return None
        return found[0], found[2] or self.manifest.name

    # -- collection (init, workbooks, status, missing parts) ------------------------------
    @property
    def collection(self) -> Collection:
        return self.manifest.collection

    @property
    def default_departments(self) -> list[str]:
        """Return the departments `init` creates workbooks for when none are given."""
        return list(self.collection.departments)

    @property
    def report_name(self) -> str:
        """Return what workbooks call the report, after region and year (…年度{name})."""
        return self.collection.report_name or self.manifest.name

    def wording(self, region: str, year: int) -> str:
        """Return the report as workbooks name it: 抚宁区2023年度法治政府建设情况报告."""
        return f"{region}{year}年度{self.report_name}"

    def workbook_metrics(self) -> list[WorkbookMetric]:
        """Return a workbook row for every catalogue metric, in catalogue order."""
        return [_row(key, spec) for key, spec in self.catalogue.metrics.items()]

    def metrics_for(self, department: str) -> list[WorkbookMetric]:
        """Return the metrics ``department`` is asked for: those of the first 报送分工 line
        whose keyword its name contains, in the order listed there."""
        rows = self.workbook_metrics()
        for line in self.collection.assignments:
            if any(word in department for word in line.keywords):
                return [row for want in line.metrics for row in rows
                        if want in (row.group, row.key)]
        return []

    # -- fixed tables (tables.yaml) ----------------------------------------------------
    @property
    def tables(self) -> dict:
        """Return the fixed tables this type declares (`table_spec.TableSpec` by key)."""
        return _table_specs(self.folder)[0]

    def check(self, label: str) -> list[Issue]:
        """Return problems of the manifest that refer to the catalogue (template_broken)."""
        bad = [p for s in self.sections for p in (*s.heading_synonyms, *s.text_synonyms,
                                                   *(x for o in s.organ_items for x in o.patterns))
               if not _compiles(p)]
        if bad:
            return [issue("template_broken", Location(file=f"{label}/{MANIFEST}", path="章节"),
                          name=self.name, detail=f"同义标题、同义正文或写法「{bad[0]}」不是有效的正则表达式")]
        specs, broken = _table_specs(self.folder)
        unknown_tables = [t for s in self.sections for t in s.tables if t not in specs]
        if broken or unknown_tables:
            detail = broken or f"章节中的表格「{'、'.join(unknown_tables)}」不在 tables.yaml 中"
            return [issue("template_broken", Location(file=f"{label}/tables.yaml"),
                          name=self.name, detail=detail)]
        groups = {key.partition(".")[0] for key in self.catalogue.metrics}
        wanted = [m for line in self.collection.assignments for m in line.metrics]
        example = self.collection.example
        if example is not None:
            wanted.append(example.metric)
        unknown = [m for m in wanted if m not in self.catalogue.metrics and m not in groups]
        if not unknown:
            return []
        detail = (f"{MANIFEST} 的「填报表」中的指标「{'、'.join(dict.fromkeys(unknown))}」"
                  "不在指标目录中")
        return [issue("template_broken", Location(file=f"{label}/{MANIFEST}", path="填报表"),
                      name=self.name, detail=detail)]


def _row(key: str, spec) -> WorkbookMetric:
    group, _, name = key.partition(".")
    return WorkbookMetric(group, name, spec.unit, workbook_kind(spec.kind), spec.required,
                          spec.note or "")


def fill(pattern: str, organ: str, year: int, region: str = "") -> str:
    """Return ``pattern`` with {{ 机关 }}, {{ 地区 }}, {{ 年度 }}, {{ 下一年度 }} filled in."""
    values = {"机关": organ, "地区": region, "年度": str(year), "下一年度": str(year + 1)}
    return _VARIABLE.sub(lambda m: values[m.group(1)], pattern)


def reporting_deadline(rule: Deadline | None, organ: str, year: int
                       ) -> tuple[dt.date, str, str] | None:
    """Return (date, who it binds, basis) of ``rule`` for ``organ``'s report on ``year``."""
    if rule is None:
        return None
    for special in rule.by_organ:
        if organ.strip().endswith(tuple(special.endings)):
            return dt.date(year + 1, *special.date), special.level, rule.basis or ""
    if rule.provincial is not None and _PROVINCIAL.match(organ.strip()):
        return dt.date(year + 1, *rule.provincial), rule.provincial_level, rule.basis or ""
    return dt.date(year + 1, *rule.date), rule.level, rule.basis or ""


def load_report_type(name: str, workspace: Path | None = None, loc: Location | None = None
                     ) -> tuple[ReportType | None, list[Issue]]:
    """Return the report type called ``name`` (workspace templates first) and the problems
    found loading it. ``loc`` is where the name was given (report.yaml, --template).

    A type whose catalogue cannot be loaded is still returned, with an empty catalogue.
    """
    root = str(Path(workspace).resolve()) if workspace is not None else None
    found, problems = _load(name, root, os.environ.get(PATH_VARIABLE, ""), loc)
    return found, list(problems)


def default_report_type() -> ReportType:
    """Return the packaged default report type (DEFAULT_TEMPLATE)."""
    found, problems = load_report_type(DEFAULT_TEMPLATE)
    if found is None:  # a broken installation
        raise RuntimeError(f"{DEFAULT_TEMPLATE}: {problems}")
    return found


@lru_cache(maxsize=32)
def _load(name: str, root: str | None, _path_variable: str, loc: Location | None
          ) -> tuple[ReportType | None, tuple[Issue, ...]]:
    workspace = Path(root) if root is not None else None
    template, problems = find_template(name, workspace, loc)
    if template is None:
        return None, tuple(problems)
    catalogue, more = load_catalogue(template, workspace)
    label = _label(template.folder, workspace)
    found = ReportType(template.name, template.folder, template.manifest, catalogue, label)
    return found, (*problems, *more, *found.check(label))


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@lru_cache(maxsize=32)
def _table_specs(folder: Path) -> tuple[dict, str]:
    """Return (tables declared in ``folder``, why they are broken or "")."""
    if not (folder / "tables.yaml").is_file():  # `table_spec.SPEC_FILE`: no tables
        return {}, ""
    from .table_spec import TableSpecError, load_table_specs

    try:
        return load_table_specs(folder), ""
    except (TableSpecError, KeyError, TypeError, ValueError) as exc:
        return {}, f"tables.yaml 有误：{exc}"


def _label(folder: Path, workspace: Path | None) -> str:
    from .templates import _label as label

    return label(folder, workspace)
