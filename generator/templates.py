"""Find report templates (workspace override → packaged) and load their manifests."""

from __future__ import annotations

import os
import re
import zipfile
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
            return _load(folder / name, _label(folder / name, workspace))
    available = "、".join(available_templates(workspace)) or "（无）"
    return None, [issue("template_unknown", where, name=name, available=available)]


def _label(folder: Path, workspace: Path | None) -> str:
    """Return how messages name the template folder: relative to the workspace if inside."""
    if workspace is not None:
        try:
            return folder.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            pass
    return f"{folder.parent.name}/{folder.name}"


@lru_cache(maxsize=16)
def _load(folder: Path, label: str) -> tuple[Template | None, list[Issue]]:
    file = f"{label}/{MANIFEST}"
    try:
        data, smap = load_yaml(folder / MANIFEST)
        manifest = Manifest.model_validate(data)
    except YamlError as exc:
        return None, [issue(exc.code, Location(file=file, line=exc.line), detail=exc.detail)]
    except OSError as exc:
        return None, [issue("file_unreadable", Location(file=file), detail=exc.strerror or "")]
    except ValidationError as exc:
        return None, to_issues(exc, Manifest, file, smap)
    problem = docx_problem(folder / DOCX)
    if problem:
        return None, [issue("template_broken", Location(file=f"{label}/{DOCX}"),
                            name=folder.name, detail=problem)]
    return Template(folder.name, folder, manifest), []


def docx_problem(path: Path) -> str | None:
    """Return why ``path`` is not a usable Word file (in Chinese), or None."""
    if not path.is_file():
        return f"缺少 {DOCX}"
    from xml.parsers import expat  # well-formedness only: no tree (lighter than ElementTree)

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                return f"{DOCX} 不是 Word 文档（缺少正文部分）；请用 Word 另存为 .docx"
            expat.ParserCreate().Parse(archive.read("word/document.xml"), True)
    except zipfile.BadZipFile:
        return f"{DOCX} 已损坏或不是 .docx 文件；请用 Word 打开后另存为 .docx"
    except (expat.ExpatError, KeyError, OSError, EOFError, zipfile.LargeZipFile):
        return f"{DOCX} 的内容已损坏；请用 Word 打开后另存为 .docx"
    return None
