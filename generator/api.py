"""The library's use cases: validate a workspace, build its report. No printing here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .issues import Location, Report
from .merge import Merged, merge
from .metric_catalogue import Catalogue, complete_figures, load_catalogue
from .outline import Outline, build_outline, namespace
from .references import TextRenderer
from .templates import Template, find_template
from .workspace import Workspace, WorkspaceNotFound, load_workspace
from .yoy import HELPER as YOY_HELPER, PreviousYear, load_previous, make_helper

DEFAULT_TEMPLATE = "fazhi-annual"

__all__ = ["Prepared", "BuildResult", "prepare", "validate_workspace", "build_report",
           "build_reports", "check_layout", "check_fonts", "init_workspace", "workspace_status",
           "WorkspaceNotFound"]


@dataclass
class Prepared:
    """A workspace taken as far as it goes: loaded, merged, outlined, checked."""

    workspace: Workspace
    report: Report
    template: Template | None = None
    merged: Merged | None = None
    outline: Outline | None = None
    catalogue: Catalogue = field(default_factory=Catalogue)
    previous: PreviousYear | None = None  # last year's figures (上年工作区 / --previous)
    renderer: TextRenderer | None = None


@dataclass
class BuildResult:
    """What ``build_report`` did: the issues, and the file written (None if refused)."""

    report: Report
    output: Path | None = None
    prepared: Prepared | None = field(default=None, repr=False)
    context: dict | None = field(default=None, repr=False)  # what the DOCX was rendered with
    pdf: Path | None = None  # with --pdf
    images: list[Path] = field(default_factory=list)  # with --png
    pdf_error: str | None = None  # why the PDF could not be made (the DOCX is written)


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
    prepared.template, problems = find_template(name, ws.root, where)
    prepared.report.add(problems)
    if prepared.template is None:
        return prepared
    prepared.catalogue, problems = load_catalogue(prepared.template, ws.root)
    prepared.report.add(problems)
    prepared.merged = merge(ws, additive=prepared.catalogue.additive)
    prepared.report.add(prepared.merged.issues)
    complete_figures(prepared.merged, prepared.catalogue)
    prepared.previous, problems = load_previous(ws, previous, prepared.catalogue)
    prepared.report.add(problems)
    helpers = {YOY_HELPER: make_helper(prepared.previous, prepared.catalogue)}
    renderer = TextRenderer(namespace(ws.config, prepared.merged, helpers), draft=draft)
    prepared.renderer = renderer
    prepared.outline = build_outline(ws.config, prepared.template, prepared.merged, renderer,
                                     ws.config_loc)
    prepared.report.add(prepared.outline.issues)
    from .rules import apply_switches, run_rules

    prepared.report.add(run_rules(prepared))
    apply_switches(prepared)
    return prepared


def validate_workspace(path: Path | str, template: str | None = None,
                       strict: bool = False, previous: Path | str | None = None) -> Report:
    """Return every problem of the workspace at ``path`` (warnings count with ``strict``)."""
    report = prepare(path, template, previous=previous).report
    return report.strict() if strict else report


def build_report(path: Path | str, outdir: Path | str | None = None,
                 template: str | None = None, draft: bool = False,
                 strict: bool = False, previous: Path | str | None = None) -> BuildResult:
    """Validate, then write the report DOCX; refuse (output None) when there are errors.

    With ``draft`` the report is written anyway, with 【待补充：…】 markers where data
    is missing. The file goes to ``outdir`` (default: the workspace's ``out/``).
    """
    prepared = prepare(path, template, draft=draft, previous=previous)
    report = prepared.report.strict() if strict else prepared.report
    result = BuildResult(report, prepared=prepared)
    if prepared.outline is None or (not report.ok and not draft):
        return result
    from .context import build_context
    from .render import render_docx

    config = prepared.workspace.config
    context = build_context(config, prepared.outline, draft=draft)
    folder = Path(outdir) if outdir else prepared.workspace.root / "out"
    name = safe_filename(context["doc_title"]) + ("（草稿）" if draft else "") + ".docx"
    result.output = folder / name
    render_docx(prepared.template.docx, context, result.output, sealed=config.sealed)
    result.context = context
    return result


def build_reports(paths: list[Path | str], outdir: Path | str | None = None,
                  template: str | None = None, draft: bool = False, strict: bool = False,
                  previous: Path | str | None = None, pdf: bool = False,
                  png: bool = False) -> list[BuildResult]:
    """Build several reports; with ``pdf`` (or ``png``) convert them all in one LibreOffice
    run. A failed conversion is recorded in each result's ``pdf_error``; the DOCX stay."""
    results = [build_report(p, outdir, template, draft, strict, previous) for p in paths]
    if pdf or png:
        from .pdf import ConversionError, LibreOfficeMissing
        from .publish import publish

        try:
            publish(results, png=png)
        except (LibreOfficeMissing, ConversionError) as exc:
            for result in results:
                if result.output is not None:
                    result.pdf_error = str(exc)
    return results


def check_layout(path: Path | str, pages: bool = True):
    """Return the GB/T 9704 layout findings of any DOCX (`layout_check.LayoutReport`).

    With ``pages`` the DOCX is also laid out by LibreOffice to check where the signature
    block and the 附件说明 fall (an info finding when LibreOffice is missing).

    Raises:
        layout_check.NotADocx: the file is missing or not a DOCX.
    """
    from .layout_check import check_layout as check

    return check(path, pages=pages)


def check_fonts():
    """Return which official fonts are installed and what stands in (`fonts.FontStatus`).

    Raises:
        fonts.FontconfigMissing: fc-list/fc-match are not installed.
    """
    from .fonts import check_fonts as check

    return check()


def safe_filename(title: str) -> str:
    """Return ``title`` usable as a file name on Windows and Linux."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", title).strip(" .")
    return cleaned[:120] or "报告"


def init_workspace(path: Path | str, region: str | None = None, year: int | None = None,
                   template: str | None = None, departments: list[str] | None = None,
                   deadline: str | None = None, collector: str | None = None):
    """Create a workspace: report.yaml, departments/ and one collection workbook per
    department; never overwrites. Returns a `scaffold.InitResult`.

    Raises:
        scaffold.InitError: when there is no region (argument or existing report.yaml).
    """
    from .scaffold import init_workspace as scaffold

    return scaffold(path, region, year, template, departments, deadline, collector)


def workspace_status(path: Path | str, template: str | None = None):
    """Return the collection status (`status.Status`): each department's material and the
    sections still empty.

    Raises:
        WorkspaceNotFound: when ``path`` has no report.yaml.
    """
    from .status import workspace_status as status

    return status(path, template)
