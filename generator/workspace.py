"""Load a workspace (report.yaml + departments/) into validated models and issues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .issues import Issue, Location
from .messages_zh import issue
from .models import DepartmentFile, Item, ReportConfig
from .pydantic_errors import to_issues
from .sources.yaml_source import SourceMap, YamlError, load_yaml

REPORT_FILE = "report.yaml"
DEPARTMENTS_DIR = "departments"
YAML_SUFFIXES = (".yaml", ".yml")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS_SUFFIXES = (".xls", ".et", ".ett", ".csv", ".ods", ".numbers", ".xlsb")


@dataclass
class Department:
    """One department's validated material and where it came from."""

    name: str
    file: str  # relative to the workspace, with forward slashes
    data: DepartmentFile
    smap: SourceMap
    expected: int | None = None  # metric rows a workbook asks for (None for YAML)

    def item_path(self, index: int) -> tuple:
        """Return the path of the ``index``-th valid item as written in the file."""
        positions = self.data._item_positions
        return ("内容", positions[index] if positions is not None else index)

    def loc(self, path: tuple = (), **extra: Any) -> Location:
        """Return the location of ``path`` inside this department's file."""
        return self.smap.location(self.file, path, **extra)


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
    links = outside_links(root)
    ws.issues.extend(issue("link_outside", Location(file=rel)) for rel in links)
    if REPORT_FILE in links:
        return ws
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
    so that the rest of the file is still checked. Items keep their original positions."""
    found = data.get("内容")
    raw_items = found if isinstance(found, list) else []
    items, positions = [], []
    for index, raw in enumerate(raw_items):
        try:
            items.append(Item.model_validate(raw))
            positions.append(index)
        except ValidationError:
            pass
    rest = {k: v for k, v in data.items() if k != "内容"}
    for _ in range(3):
        try:
            model = DepartmentFile.model_validate(rest)
            break
        except ValidationError as again:
            rest = _without_bad_entries(rest, again)
    else:
        return None
    model = model.model_copy(update={"items": items})
    model._item_positions = positions
    return model


def _without_bad_entries(data: dict, exc: ValidationError) -> dict:
    """Return ``data`` minus the metrics and top-level keys that failed validation."""
    data = dict(data)
    for error in exc.errors():
        loc = tuple(error["loc"])
        metrics = data.get("指标")
        if loc[:1] == ("指标",) and len(loc) >= 3 and isinstance(metrics, dict):
            group = {k: v for k, v in (metrics.get(loc[1]) or {}).items() if k != loc[2]}
            data["指标"] = {**metrics, loc[1]: group}
        elif loc:
            data.pop(loc[0], None)
    return data


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
    """Return the department files in departments/, skipping lock and hidden files and
    links that lead out of the workspace (see `outside_links`)."""
    folder = root / DEPARTMENTS_DIR
    if not folder.is_dir() or not inside(folder, root):
        return []
    real_root = root.resolve()  # once, not once per file
    # the folder stays inside (checked above), so only a link can lead out of it
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(("~$", ".", "~"))
                  and (not p.is_symlink() or _inside_real(p, real_root)))


def inside(path: Path, root: Path) -> bool:
    """Return whether ``path``, with every link followed, stays inside ``root``."""
    try:
        return _inside_real(path, root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _inside_real(path: Path, real_root: Path) -> bool:
    """`inside` with the root already resolved."""
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a link loop
        return False


def outside_links(root: Path) -> list[str]:
    """Return (relative to ``root``) the workspace entries that are links out of it: they
    are never read, so that no file of the system ends up quoted in a message."""
    found = []
    folder = root / DEPARTMENTS_DIR
    for path in [root / REPORT_FILE, folder, *(sorted(folder.iterdir()) if folder.is_dir()
                                                   and inside(folder, root) else [])]:
        if path.is_symlink() and not inside(path, root):
            found.append(path.relative_to(root).as_posix())
    return found


def _load_departments(root: Path, ws: Workspace) -> list[Department]:
    from .progress import track

    loaded: list[tuple[Department, Path]] = []
    for path in track(department_files(root), "读取部门材料"):
        rel = f"{DEPARTMENTS_DIR}/{path.name}"
        suffix = path.suffix.lower()
        expected = None
        if suffix in EXCEL_SUFFIXES:
            data, smap, expected = _read_workbook(path, rel, ws.issues)
        elif suffix in YAML_SUFFIXES:
            data, smap = _read(path, rel, ws.issues)
        else:
            code = "xlsx_save_as" if suffix in SAVE_AS_SUFFIXES else "unsupported_file"
            ws.issues.append(issue(code, Location(file=rel), suffix=path.suffix or path.name))
            continue
        model = _validate(DepartmentFile, data, rel, smap, ws.issues)
        if model is None:
            continue
        dept = Department(model.name or path.stem, rel, model, smap, expected)
        if model.name and not is_abbreviation(path.stem, model.name):
            ws.issues.append(issue("department_name_mismatch", dept.loc(("部门",)),
                                   stem=path.stem, name=model.name))
        loaded.append((dept, path))
    return _ordered(_drop_duplicates(loaded, ws.issues), ws)


def is_abbreviation(short: str, name: str) -> bool:
    """Return whether ``short`` (a file name) reads as ``name`` or a short form of it: its
    characters appear in order in ``name`` (司法局 / 区委依法治区办 for the full names)."""
    rest = iter(name)
    return all(char in rest for char in short)


def _drop_duplicates(loaded: list[tuple[Department, Path]],
                     issues: list[Issue]) -> list[Department]:
    """Keep one file per department (the department named inside the file, or else the file
    name, is its identity): the newer one, and report the other as to be removed."""
    kept: dict[str, tuple[Department, Path]] = {}
    for dept, path in loaded:
        key = next((k for k, (d, p) in kept.items()
                    if d.name == dept.name or p.stem == path.stem), None)
        if key is None:
            kept[dept.name] = (dept, path)
            continue
        other = kept[key]
        keep, drop = _newer((dept, path), other)
        kept[key] = keep
        issues.append(issue("department_duplicate", Location(file=drop[0].file), name=dept.name,
                            drop=drop[0].file, drop_time=_mtime(drop[1]),
                            keep=keep[0].file, keep_time=_mtime(keep[1])))
    return [dept for dept, _ in kept.values()]


SAME_TIME_SECONDS = 60  # copies saved within a minute: no order can be told from the times


def _newer(first: tuple[Department, Path], second: tuple[Department, Path]):
    """Return (kept, dropped): the later-saved file; at the same time, the one whose file
    name reads as the department's name, then the shorter name (司法局 before 司法局(1))."""
    (a, pa), (b, pb) = first, second
    ta, tb = pa.stat().st_mtime, pb.stat().st_mtime
    if abs(ta - tb) > SAME_TIME_SECONDS:
        return (first, second) if ta > tb else (second, first)
    rank_a = (not is_abbreviation(pa.stem, a.name), len(pa.stem), pa.name)
    rank_b = (not is_abbreviation(pb.stem, b.name), len(pb.stem), pb.name)
    return (first, second) if rank_a < rank_b else (second, first)


def _mtime(path: Path) -> str:
    """Return the file's modification time as 2025年1月3日 9:05."""
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return f"{stamp.year}年{stamp.month}月{stamp.day}日 {stamp.hour}:{stamp.minute:02d}"


def _read_workbook(path: Path, rel: str, issues: list[Issue]) -> tuple[Any, SourceMap, int]:
    from .sources.excel_source import read_workbook

    book = read_workbook(path, rel)
    issues.extend(book.issues)
    return book.data, book.smap, book.expected


def _ordered(departments: list[Department], ws: Workspace) -> list[Department]:
    """Return the departments in report.yaml's 部门 order (by file name or inner name),
    then the others by file name."""
    order = list(ws.config.departments or []) if ws.config else []
    by_key: dict[str, Department] = {}
    for dept in departments:
        by_key.setdefault(_stem(dept.file), dept)
        by_key.setdefault(dept.name, dept)
    present = {p.stem for p in department_files(ws.root)}  # unreadable ones: reported already
    listed: list[Department] = []
    for index, name in enumerate(order):
        named = by_key.get(name)
        if named is None and name not in present:
            ws.issues.append(issue("department_unknown", ws.config_loc("部门", index), name=name))
        elif named is not None and named not in listed:
            listed.append(named)
    rest = sorted((d for d in departments if d not in listed), key=lambda d: _stem(d.file))
    return listed + rest


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
