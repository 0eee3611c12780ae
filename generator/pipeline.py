"""The pipeline of one workspace: load, find the report type, merge, check totals, outline,
run the rules. Every problem lands in the `Prepared` state's report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .issues import Location, Report
from .merge import Merged, merge
from .metric_catalogue import complete_figures
from .models import ReportConfig
from .outline import build_outline, namespace
from .prepared import Prepared
from .references import TextRenderer
from .report_type import DEFAULT_TEMPLATE, ReportType, load_report_type
from .workspace import load_workspace
from .yoy import HELPER as YOY_HELPER
from .yoy import load_previous, make_helper

if TYPE_CHECKING:
    from .table_values import TableValues


def prepare(path: Path | str, template: str | None = None, draft: bool = False,
            previous: Path | str | None = None) -> Prepared:
    """Load, merge and outline a workspace; every problem lands in ``report``.

    ``previous`` is last year's workspace (overrides report.yaml's 上年工作区).

    Raises:
        WorkspaceNotFound: when ``path`` has no report.yaml.
    """
    ws = load_workspace(Path(path))
    prepared = Prepared(ws, Report())
    prepared.report.add(ws.issues)
    if ws.config is None:
        return prepared
    name = template or ws.config.template or DEFAULT_TEMPLATE
    where = Location(path="--template") if template else ws.config_loc("模板")
    prepared.template, problems = load_report_type(name, ws.root, where)
    prepared.report.add(problems)
    if prepared.template is None:
        return prepared
    prepared.catalogue = prepared.template.catalogue
    prepared.merged = merge(ws, additive=prepared.catalogue.additive)
    prepared.report.add(prepared.merged.issues)
    complete_figures(prepared.merged, prepared.catalogue)
    _check_totals(prepared, ws.config, prepared.template, prepared.merged, draft)
    prepared.previous, problems = load_previous(ws, previous, prepared.catalogue)
    prepared.report.add(problems)
    has_tables = bool(prepared.template.tables)
    tables: TableValues | None = None
    names: dict = {}
    if has_tables:  # the table modules only for a type that declares tables
        from .table_data import table_names

        tables, names, problems = table_names(prepared.template, ws.root)
        prepared.report.add(problems)
    helpers = {**names, YOY_HELPER: make_helper(prepared.previous, prepared.catalogue)}
    renderer = TextRenderer(namespace(ws.config, prepared.merged, helpers), draft=draft)
    prepared.renderer = renderer
    prepared.outline = build_outline(prepared.template.configured(ws.config), prepared.template,
                                     prepared.merged, renderer, ws.config_loc)
    prepared.report.add(prepared.outline.issues)
    if has_tables:
        from .table_data import attach_tables

        attach_tables(prepared, tables)
    from .rules import apply_switches, run_rules

    prepared.report.add(run_rules(prepared))
    apply_switches(prepared)
    return prepared


def _check_totals(prepared: Prepared, config: ReportConfig, template: ReportType,
                  merged: Merged, draft: bool) -> None:
    """Report totals that lack a department's part; in a draft, mark them where printed."""
    from .rules.catalogue import resolve
    from .suppliers import incomplete_issues, mark_partial, missing_parts

    missing = missing_parts(prepared.workspace, merged, set(merged.parts), template)
    prepared.report.add(incomplete_issues(missing, merged))
    switches = [*config.disabled_rules, *template.manifest.disabled_rules]
    off = {rule.code for switch in switches for rule in resolve(switch.rule)}
    if draft and "metric_total_incomplete" not in off:
        mark_partial(missing, merged)
