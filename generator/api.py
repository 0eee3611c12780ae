"""The library's use cases: validate a workspace, build its report. No printing here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .gc_pause import collector_paused
from .issues import Report
from .pipeline import prepare
from .prepared import BuildResult, Prepared
from .workspace import WorkspaceNotFound

if TYPE_CHECKING:
    from .office import ResidentOffice
    from .publish import Publisher

__all__ = ["Prepared", "BuildResult", "prepare", "validate_workspace", "build_report",
           "build_reports", "check_layout", "check_fonts", "init_workspace", "workspace_status",
           "WorkspaceNotFound", "import_report", "diff_report"]


@collector_paused
def validate_workspace(path: Path | str, template: str | None = None,
                       strict: bool = False, previous: Path | str | None = None) -> Report:
    """Return every problem of the workspace at ``path`` (warnings count with ``strict``)."""
    report = prepare(path, template, previous=previous).report
    return report.strict() if strict else report


@collector_paused
def build_report(path: Path | str, outdir: Path | str | None = None,
                 template: str | None = None, draft: bool = False,
                 strict: bool = False, previous: Path | str | None = None,
                 taken: set[Path] | None = None) -> BuildResult:
    """Validate, then write the report DOCX; refuse (output None) when there are errors.

    With ``draft`` the report is written anyway, with 【待补充：…】 markers where data
    is missing. The file goes to ``outdir`` (default: the workspace's ``out/``); names in
    ``taken`` (other reports of the same batch) are not reused.
    """
    prepared = prepare(path, template, draft=draft, previous=previous)
    report = prepared.report.strict() if strict else prepared.report
    result = BuildResult(report, prepared=prepared)
    if prepared.outline is None or (not report.ok and not draft):
        return result
    from .document import build_document, with_notes
    from .render import render_docx

    ready = prepared.ready()  # outlined: taken all the way
    config = ready.outline.config or ready.config  # templated texts rendered
    document = build_document(config, ready.outline, draft=draft)
    if draft:
        from .draft import flagged, notes

        document = with_notes(document, notes(document, flagged(document.body, report.issues)))
    result.document = document
    folder = Path(outdir) if outdir else prepared.workspace.root / "out"
    stem = safe_filename(document.metadata.title) + ("（草稿）" if draft else "")
    result.output = _unique(folder, stem, Path(path).resolve().name, taken)
    from .outputs import keep_edited

    backup = keep_edited(result.output)
    if backup is not None:
        result.backups.append(backup)
    rendered = render_docx(ready.template.docx, document, result.output)
    result.context, result.padding = rendered.context, rendered.padding
    return result


def build_reports(paths: list[Path | str], outdir: Path | str | None = None,
                  template: str | None = None, draft: bool = False, strict: bool = False,
                  previous: Path | str | None = None, pdf: bool = False,
                  png: bool = False, formats: tuple[str, ...] = (), bundle: bool = False,
                  keep: bool = True, office: ResidentOffice | None = None) -> list[BuildResult]:
    """Build several reports; with ``pdf`` (or ``png``) convert them all in one LibreOffice
    (resident, started before the first report is rendered, when UNO is available; a
    long-running process may pass its own ``office``, see `office.resident_office`). Each
    workspace succeeds or fails on its own (``error``); reports of one batch never share a
    file name. A failed conversion is recorded in each result's ``pdf_error``; the DOCX
    stay. ``formats`` (html, md, txt) are written next to each DOCX; ``bundle`` makes each
    report's publication folder (with a PDF when LibreOffice is installed). Without
    ``keep`` a result holds paths and issues only (its prepared data, document and context
    are dropped once written), so memory stays flat in a batch."""
    from .prepared import release

    taken: set[Path] = set()
    if bundle and not (pdf or png):
        from .pdf import find_soffice

        pdf = find_soffice() is not None
    if not (pdf or png):
        results = []
        for path in paths:
            results.append(_build_one(path, outdir, template, draft, strict, previous, taken))
            _write_extras(results[-1:], formats, bundle)
            release(results[-1], keep)
        return results
    from contextlib import nullcontext

    from .office import resident_office
    from .publish import Publisher

    results = []
    hold = keep or bundle  # a bundle is made from the document once its PDF exists
    with (nullcontext(office) if office else resident_office()) as running, \
            Publisher(running, hold) as publisher:
        for path in paths:  # with an office, each PDF is made while the next DOCX renders
            results.append(_build_one(path, outdir, template, draft, strict, previous, taken))
            _write_extras(results[-1:], formats, False)
            try:
                publisher.add(results[-1])
            except OSError as exc:  # the PDF's old version cannot be kept aside
                from .oserrors import describe

                results[-1].pdf_error = describe(exc)
        _finish(publisher, results, png)
    if bundle:
        _write_extras(results, (), bundle)
        for result in results:
            release(result, keep)
    return results


def _write_extras(results: list[BuildResult], formats: tuple[str, ...], bundle: bool) -> None:
    """Write the web/text versions next to each DOCX, and each publication folder."""
    if not (formats or bundle):
        return
    from .bundle import publish_bundle, write_formats

    write_formats(results, formats)
    for result in results if bundle else ():
        publish_bundle(result)


def _finish(publisher: Publisher, results: list[BuildResult], png: bool) -> None:
    """Finish the PDFs; a failure of the whole conversion goes to each ``pdf_error``."""
    from .pdf import ConversionError, LibreOfficeMissing

    try:
        publisher.finish(png)
    except (LibreOfficeMissing, ConversionError, OSError) as exc:
        from .oserrors import describe

        message = describe(exc) if isinstance(exc, OSError) else str(exc)
        for result in results:
            if result.output is not None:
                result.pdf_error = message


def _build_one(path, outdir, template, draft, strict, previous, taken) -> BuildResult:
    """Build one workspace of a batch; turn what stops it into its ``error``."""
    from .render import RenderError

    try:
        return build_report(path, outdir, template, draft, strict, previous, taken)
    except WorkspaceNotFound:
        message = f"找不到工作区：{path}（该文件夹中应有 report.yaml）"
    except RenderError as exc:
        message = str(exc)
    except OSError as exc:
        from .oserrors import describe

        message = describe(exc)
    return BuildResult(Report(), error=message)


def _unique(folder: Path, stem: str, workspace: str, taken: set[Path] | None) -> Path:
    """Return ``folder/stem.docx``, or, when another report of the batch has it, the name
    with the workspace's folder name (and a number) added."""
    from itertools import chain

    safe = safe_filename(workspace)
    candidates = chain([f"{stem}.docx", f"{stem}（{safe}）.docx"],  # made only as needed
                       (f"{stem}（{safe}-{n}）.docx" for n in range(2, 1000)))
    for name in candidates:
        output = folder.resolve() / name
        if taken is None or output not in taken:
            if taken is not None:
                taken.add(output)
            return folder / name
    raise FileExistsError(folder / stem)


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


#: Bytes (UTF-8) a file stem may take: file systems allow 255 for the whole name, and
#: （草稿）, （修改稿12）, -页123.png and the temp file's dot and suffix must still fit.
STEM_BYTES = 150


def safe_filename(title: str) -> str:
    """Return ``title`` usable as a file name on Windows and Linux; a long one is cut at
    a character boundary and keeps a short hash of the whole title, so names stay unique."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "", title).strip(" .") or "报告"
    if len(cleaned.encode("utf-8")) <= STEM_BYTES:
        return cleaned
    import hashlib

    tag = "-" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    cut = cleaned.encode("utf-8")[:STEM_BYTES - len(tag)].decode("utf-8", "ignore")
    return cut.rstrip(" .") + tag


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


def import_report(source: Path | str, workspace: Path | str, template: str | None = None,
                  year: int | None = None, link_figures: bool = False):
    """Import an existing report (.docx, .txt, .md) into a new workspace; never overwrites.
    Returns an `importer.ImportResult`.

    Raises:
        importer.ImportError_: unreadable report, unknown template, files already there.
    """
    from .importer import import_report as run

    return run(source, workspace, template, year, link_figures)


def diff_report(workspace: Path | str, edited: Path | str, apply: bool = False,
                template: str | None = None):
    """Compare an edited DOCX with what the workspace builds (`edit_diff.DiffResult`);
    with ``apply`` write narrative changes back into the YAML department files."""
    from .edit_diff import diff_report as run

    return run(workspace, edited, apply=apply, template=template)
