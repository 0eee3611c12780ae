"""The state of one run: a workspace taken as far as it goes (`Prepared`), the same taken
all the way (`Ready`, what the rules read), and what a build did (`BuildResult`). Data
types only, so that rules, views and outputs can name them without importing the
pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .issues import Report
from .merge import Merged
from .metric_catalogue import Catalogue
from .models import ReportConfig
from .outline import Outline
from .references import TextRenderer
from .report_type import ReportType
from .workspace import Workspace
from .yoy import PreviousYear

if TYPE_CHECKING:  # validate never builds the document model: not imported on its path
    from .document import Document


@dataclass
class Prepared:
    """A workspace taken as far as it goes: loaded, merged, outlined, checked."""

    workspace: Workspace
    report: Report
    template: ReportType | None = None  # the report type (a `templates.Template`)
    merged: Merged | None = None
    outline: Outline | None = None
    catalogue: Catalogue = field(default_factory=Catalogue)
    previous: PreviousYear | None = None  # last year's figures (上年工作区 / --previous)
    renderer: TextRenderer | None = None

    def ready(self) -> Ready:
        """Return the workspace taken all the way (report.yaml read, report type found,
        merged, outlined), with nothing left None but ``previous``.

        Raises:
            ValueError: when the pipeline stopped short of the outline.
        """
        config = self.workspace.config
        if (config is None or self.template is None or self.merged is None
                or self.outline is None or self.renderer is None):
            raise ValueError("the workspace was not prepared as far as the outline")
        return Ready(self.workspace, config, self.template, self.merged, self.outline,
                     self.catalogue, self.previous, self.renderer)


@dataclass(frozen=True)
class Ready:
    """A `Prepared` workspace the pipeline took all the way: what the rules read."""

    workspace: Workspace
    config: ReportConfig  # ``workspace.config``
    template: ReportType
    merged: Merged
    outline: Outline
    catalogue: Catalogue
    previous: PreviousYear | None  # last year's figures, if any
    renderer: TextRenderer


@dataclass
class BuildResult:
    """What ``build_report`` did: the issues, and the file written (None if refused)."""

    report: Report
    output: Path | None = None
    prepared: Prepared | None = field(default=None, repr=False)
    document: Document | None = field(default=None, repr=False)  # the model of the report
    context: dict | None = field(default=None, repr=False)  # what the DOCX was rendered with
    padding: int | None = None  # blank lines put before the 版记 (None without one)
    pdf: Path | None = None  # with --pdf
    images: list[Path] = field(default_factory=list)  # with --png
    pdf_error: str | None = None  # why the PDF could not be made (the DOCX is written)
    backups: list[Path] = field(default_factory=list)  # edited outputs kept aside, not lost
    error: str | None = None  # in a batch: why this workspace could not be built at all
    formats: list[Path] = field(default_factory=list)  # with --html/--md/--txt
    bundle: Path | None = None  # with --publish: the publication folder
    notices: list[str] = field(default_factory=list)  # e.g. a bundle without PDF


def release(result: BuildResult, keep: bool = False) -> None:
    """Drop what ``result`` holds of its report beyond paths and issues (the prepared
    workspace, the document model, the render context), unless ``keep``."""
    if not keep:
        result.prepared = result.document = result.context = None
