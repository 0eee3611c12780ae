"""Find report templates (workspace override → packaged) and load their manifests."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .issues import Issue, Location
from .messages_zh import issue
from .models import Manifest
from .pydantic_errors import to_issues
from .sources.yaml_source import YamlError, load_yaml

MANIFEST = "template.yaml"
DOCX = "template.docx"
#: Extra template folders (city- or province-wide), separated like PATH.
PATH_VARIABLE = "NIANBAO_TEMPLATE_PATH"
_NAME = re.compile(r"[\w\-]+(?:\.[\w\-]+)*")  # a folder name: no separators, no ..


def template_dirs(workspace: Path | None = None) -> list[Path]:
    """Return the folders searched for templates, most specific first: the workspace's
    templates/, the folders of NIANBAO_TEMPLATE_PATH, then the packaged ones."""
    here = Path(__file__).resolve().parent
    dirs = [workspace / "templates"] if workspace else []
    dirs += [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    dirs += [here / "templates", here.parent / "templates"]
    return [d for d in dirs if d.is_dir()]


def available_templates(workspace: Path | None = None) -> list[str]:
    """Return the names of all templates that can be found."""
    names = {p.parent.name for d in template_dirs(workspace) for p in d.glob(f"*/{MANIFEST}")}
    return sorted(names)


@dataclass(frozen=True)
class Template:
    """A report template: its folder, manifest and DOCX file."""

    name: str
    folder: Path
    manifest: Manifest

    @property
    def docx(self) -> Path:
        return self.folder / DOCX


def find_template(name: str, workspace: Path | None = None, loc: Location | None = None
                  ) -> tuple[Template | None, list[Issue]]:
    """Return the template called ``name`` and any problems found loading it.

    ``loc`` is where the name was given (report.yaml's 模板 line, or the command line).
    """
    where = loc or Location(file="report.yaml", path="模板")
    if not _NAME.fullmatch(name):
        return None, [issue("template_name_bad", where, name=name, variable=PATH_VARIABLE)]
    for folder in template_dirs(workspace):
        if (folder / name / MANIFEST).is_file():
            return _load(folder / name)
    available = "、".join(available_templates(workspace)) or "（无）"
    return None, [issue("template_unknown", where, name=name, available=available)]


@lru_cache(maxsize=16)
def _load(folder: Path) -> tuple[Template | None, list[Issue]]:
    file = f"{folder.name}/{MANIFEST}"
    try:
        data, smap = load_yaml(folder / MANIFEST)
        manifest = Manifest.model_validate(data)
    except YamlError as exc:
        return None, [issue(exc.code, Location(file=file, line=exc.line), detail=exc.detail)]
    except ValidationError as exc:
        return None, to_issues(exc, Manifest, file, smap)
    if not (folder / DOCX).is_file():
        return None, [issue("template_broken", Location(file=file), name=folder.name,
                            detail=f"缺少 {DOCX}")]
    return Template(folder.name, folder, manifest), []
