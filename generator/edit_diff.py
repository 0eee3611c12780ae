"""Carry Word edits back: compare an edited report with what the workspace builds.

`diff_report` lists, paragraph by paragraph, what changed in the edited DOCX, each with
the file and YAML line (or sheet and cell) the paragraph came from, and flags a figure
typed over a ``{{ }}`` reference. With ``apply`` it writes text changes back into the
YAML department files (never into workbooks): only the changed values are rewritten,
references whose figure did not change are kept, the rest of the file (comments, order)
stays as it was, the original is kept in 备份/. What it cannot place is listed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .edit_text import data_path, expression_spans, kept
from .issues import Location


class DiffProblem(Exception):
    """The edited file or the workspace cannot be compared (message in Chinese)."""


@dataclass
class Change:
    """One changed paragraph: kind (改动/新增/删除), texts, and where it came from."""

    kind: str
    before: str
    after: str
    origins: tuple[tuple[str, str], ...] = ()
    places: tuple[Location, ...] = ()  # of the origins: YAML line, or sheet and cell
    notes: list[str] = field(default_factory=list)
    index: int = -1  # the body paragraph of the built document (-1: none)
    follows: int = -1  # 新增: the body paragraph it follows in the built document

    def where(self) -> str:
        places = [place.describe() + (f"「{place.path}」" if place.path else "")
                  for place in self.places]
        if self.kind == "新增":
            return f"（新增段落，在 {places[0]} 之后）" if places else "（新增段落）"
        return "；".join(places) or "（生成的内容，不来自部门文件）"


@dataclass
class DiffResult:
    changes: list[Change] = field(default_factory=list)
    applied: list[tuple[Path, Path]] = field(default_factory=list)  # (file, backup)
    unplaced: list[Change] = field(default_factory=list)


def docx_paragraphs(path: Path) -> list[str]:
    """Return the non-empty paragraph texts of a DOCX."""
    import zipfile

    from docx import Document

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DiffProblem(f"{path} 不是有效的 DOCX 文件") from exc
    return [p.text for p in document.paragraphs if p.text.strip()]


def diff_report(workspace: Path | str, edited: Path | str, apply: bool = False,
                template: str | None = None) -> DiffResult:
    """Compare ``edited`` with what ``workspace`` builds; with ``apply`` write back."""
    root = Path(workspace)
    document, prepared = built_document(root, template)
    import tempfile

    from .render import render_docx

    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "built.docx"
        render_docx(prepared.ready().template.docx, document, output)
        original = docx_paragraphs(output)
    changed = docx_paragraphs(Path(edited))
    body_at = _body_positions(original, document.body)
    lines = _source_maps(prepared)
    result = DiffResult()
    matcher = difflib.SequenceMatcher(None, original, changed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            result.changes.append(_change("改动", original[i1 + k], changed[j1 + k],
                                          body_at.get(i1 + k), document, lines))
        for i in range(i1 + pairs, i2):
            result.changes.append(_change("删除", original[i], "", body_at.get(i), document,
                                          lines))
        for j in range(j1 + pairs, j2):
            added = _change("新增", "", changed[j], None, document, lines)
            added.follows = body_at.get(i1 + pairs - 1, -1)
            if added.follows >= 0:  # where it goes: after that paragraph's text
                added.places = _change("", "", "", added.follows, document, lines).places[-1:]
            result.changes.append(added)
    for change in result.changes:
        if change.index >= 0:
            _figure_notes(change, document.body[change.index], prepared)
    if apply:
        from .edit_apply import apply_changes

        result.applied, result.unplaced = apply_changes(root, result.changes, document,
                                                        prepared)
    return result


def built_document(root: Path, template: str | None = None) -> tuple[Any, Any]:
    """Return the document the workspace builds (errors or not, without draft notes) and
    the prepared workspace."""
    from .document import build_document
    from .pipeline import prepare

    prepared = prepare(root, template)
    if prepared.outline is None:
        raise DiffProblem(f"工作区 {root} 有错误，无法生成报告（请先运行 nianbao validate）")
    ready = prepared.ready()
    return build_document(ready.outline.config or ready.config, ready.outline), prepared


def _body_positions(paragraphs: list[str], body: tuple[Any, ...]) -> dict[int, int]:
    """Return, for each DOCX paragraph that is a body paragraph, the body index."""
    out: dict[int, int] = {}
    at = 0
    for index, para in enumerate(body):
        full = (para.head + para.text).strip()
        for k in range(at, len(paragraphs)):
            if paragraphs[k].strip() == full:
                out[k], at = index, k + 1
                break
    return out


def _source_maps(prepared: Any) -> dict[str, Any]:
    """Return the source map of each file of the workspace (YAML lines, Excel cells)."""
    ws = prepared.workspace
    out = {dept.file: dept.smap for dept in ws.departments}
    out["report.yaml"] = ws.config_map
    return out


def _change(kind: str, before: str, after: str, index: int | None, document: Any,
            lines: dict[str, Any]) -> Change:
    if index is None:
        return Change(kind, before, after)
    origins = tuple(document.body[index].origins)
    places = tuple(lines[f or "report.yaml"].location(f or "report.yaml", data_path(p))
                   if (f or "report.yaml") in lines else Location(file=f, path=p)
                   for f, p in origins)
    return Change(kind, before, after, origins, places, index=index)


def _figure_notes(change: Change, para: Any, prepared: Any) -> None:
    """Flag figures that were typed over a reference (the data and the text disagree)."""
    if change.kind != "改动":
        return
    for raw, rendered_span in reference_spans(para, prepared):
        start, end = rendered_span
        if not kept(change.before, change.after, start + len(para.head), end + len(para.head)):
            change.notes.append(f"数字「{para.text[start:end]}」来自引用 {raw.strip()}，在 Word "
                                "中被改写：数据与正文不一致，请改数据或恢复引用")


def reference_spans(para: Any, prepared: Any) -> list[tuple[str, tuple[int, int]]]:
    """Return (raw reference, (start, end) in the paragraph's text) for each ``{{ }}`` of
    the YAML text the paragraph's body came from; [] when they cannot be placed."""
    raw = body_raw(para, prepared)
    if raw is None or "{{" not in raw:
        return []
    return expression_spans(raw, para.text, prepared.renderer) or []


def body_raw(para: Any, prepared: Any) -> str | None:
    """Return the raw YAML text of the paragraph's body (its 正文 origin), or None."""
    for file, path in para.origins:
        if ".正文." in f".{path}." and file.startswith("departments/"):
            return _raw_at(prepared, file, data_path(path))
    return None


def _raw_at(prepared: Any, file: str, path: tuple) -> str | None:
    import yaml

    from .edit_text import value_at as _value
    from .sources.yaml_source import YamlError, read_text

    try:
        return _value(yaml.safe_load(read_text(prepared.workspace.root / file)), path)
    except (YamlError, OSError, yaml.YAMLError):
        return None
