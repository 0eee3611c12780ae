"""Load a workspace (report.yaml + departments/) into validated models and issues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .issues import Issue, Location
from .messages_zh import issue
from .models import DepartmentFile, ReportConfig
from .pydantic_errors import to_issues
from .sources.yaml_source import SourceMap, YamlError, load_yaml

REPORT_FILE = "report.yaml"
DEPARTMENTS_DIR = "departments"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Department:
    """One department's validated material and where it came from."""

    name: str
    file: str  # relative to the workspace, with forward slashes
    data: DepartmentFile
    smap: SourceMap

    def loc(self, path: tuple = (), **extra: Any) -> Location:
        """Return the location of ``path`` inside this department's file."""
        return Location(file=self.file, line=self.smap.line(path),
                        path=".".join(str(p) for p in path) or None, **extra)


@dataclass
class Workspace:
    """A loaded workspace; ``config`` is None when report.yaml is unusable."""

    root: Path
    config: ReportConfig | None = None
    config_map: SourceMap = field(default_factory=SourceMap)
    departments: list[Department] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    partial: bool = False  # report.yaml had errors; config holds stand-in values

    def config_loc(self, *path: str | int) -> Location:
        """Return the location of ``path`` inside report.yaml."""
        return Location(file=REPORT_FILE, line=self.config_map.line(path),
                        path=".".join(str(p) for p in path) or None)


class WorkspaceNotFound(Exception):
    """The folder or its report.yaml does not exist (a usage problem, exit 2)."""


def load_workspace(root: Path) -> Workspace:
    """Load and validate every file of the workspace; problems become issues."""
    root = Path(root)
    if not (root / REPORT_FILE).is_file():
        raise WorkspaceNotFound(str(root))
    ws = Workspace(root)
    data, ws.config_map = _read(root / REPORT_FILE, REPORT_FILE, ws.issues)
    ws.config = _validate(ReportConfig, data, REPORT_FILE, ws.config_map, ws.issues)
    if ws.config is None and isinstance(data, dict):
        ws.config, ws.partial = _salvage_config(data), True
    ws.departments = _load_departments(root, ws)
    return ws


def _read(path: Path, rel: str, issues: list[Issue]) -> tuple[Any, SourceMap]:
    try:
        return load_yaml(path)
    except YamlError as exc:
        issues.append(issue(exc.code, Location(file=rel, line=exc.line), detail=exc.detail))
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(issue("file_unreadable", Location(file=rel), detail=str(exc)))
    return None, SourceMap()


def _validate(model: type[BaseModel], data: Any, rel: str, smap: SourceMap,
              issues: list[Issue]) -> Any:
    if data is None and issues and issues[-1].loc.file == rel:
        return None  # already reported as unreadable
    if not isinstance(data, dict):
        actual = "空文件" if data is None else f"「{str(data)[:30]}」"
        if model is DepartmentFile and data is None:
            issues.append(issue("department_empty", Location(file=rel)))
            return DepartmentFile()
        issues.append(issue("not_a_mapping", Location(file=rel, line=1), actual=actual))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues.extend(to_issues(exc, model, rel, smap))
        if model is DepartmentFile:
            return _salvage(data, exc)
        return None


def _salvage(data: dict, exc: ValidationError) -> DepartmentFile | None:
    """Return the department without its invalid metrics and items (already reported),
    so that the rest of the file is still checked."""
    data = dict(data)
    for _ in range(3):
        drop = {tuple(e["loc"][:3]) if e["loc"][:1] == ("指标",) else tuple(e["loc"][:2])
                for e in exc.errors()}
        for loc in drop:
            if loc[:1] == ("指标",) and len(loc) == 3 and isinstance(data.get("指标"), dict):
                group = dict(data["指标"].get(loc[1]) or {})
                group.pop(loc[2], None)
                data["指标"] = {**data["指标"], loc[1]: group}
            elif loc[:1] == ("内容",) and len(loc) == 2 and isinstance(data.get("内容"), list):
                data["内容"] = [None if i == loc[1] else v for i, v in enumerate(data["内容"])]
            else:
                data.pop(loc[0], None) if loc else None
        if isinstance(data.get("内容"), list):
            data["内容"] = [v for v in data["内容"] if v is not None]
        try:
            return DepartmentFile.model_validate(data)
        except ValidationError as again:
            exc = again
    return None


def _salvage_config(data: dict) -> ReportConfig | None:
    """Return report.yaml without its invalid keys (already reported) and with stand-ins
    for missing required ones, so that the departments can still be checked."""
    clean = {k: v for k, v in data.items() if k in _CONFIG_KEYS}
    for key in list(clean):
        try:
            ReportConfig.model_validate({"机关": "x", "年度": 2000, key: clean[key]})
        except ValidationError:
            del clean[key]
    clean.setdefault("机关", "【未填写机关】")
    clean.setdefault("年度", dt.date.today().year - 1)
    try:
        return ReportConfig.model_validate(clean)
    except ValidationError:
        return None


_CONFIG_KEYS = {f.alias for f in ReportConfig.model_fields.values()}


def department_files(root: Path) -> list[Path]:
    """Return the department files in departments/, skipping lock and hidden files."""
    folder = root / DEPARTMENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(("~$", ".", "~")))


def _load_departments(root: Path, ws: Workspace) -> list[Department]:
    by_name: dict[str, Department] = {}
    for path in department_files(root):
        rel = f"{DEPARTMENTS_DIR}/{path.name}"
        if path.suffix.lower() not in YAML_SUFFIXES:
            ws.issues.append(issue("unsupported_file", Location(file=rel),
                                   suffix=path.suffix or path.name))
            continue
        data, smap = _read(path, rel, ws.issues)
        model = _validate(DepartmentFile, data, rel, smap, ws.issues)
        if model is not None:
            by_name[path.stem] = Department(model.name or path.stem, rel, model, smap)
    return _ordered(by_name, ws)


def _ordered(by_name: dict[str, Department], ws: Workspace) -> list[Department]:
    order = list(ws.config.departments or []) if ws.config else []
    for index, name in enumerate(order):
        if name not in by_name:
            ws.issues.append(issue("department_unknown", ws.config_loc("部门", index), name=name))
    listed = [by_name[n] for n in order if n in by_name]
    return listed + [d for stem, d in sorted(by_name.items()) if stem not in order]
