"""Write the changes `edit_diff` found back into YAML department files.

Only the values that changed are rewritten, as text: a 正文 becomes a ``|`` block with one
paragraph per line, a 标题 a quoted string; comments, order and everything else in the
file stay as they were. References whose figure did not change are kept. Each file is
written atomically after its original is copied to 备份/. Workbooks are never written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path
from typing import Any

import yaml

from .edit_text import data_path, expression_spans, kept, value_at
from .importer.recognise import strip_marker
from .importer.writer import protect

_DELETE = object()


class Insert(str):
    """A paragraph to insert after the one at the edit's path."""


BACKUP_DIR = "备份"
Change = Any  # edit_diff.Change (not imported: edit_diff imports this module)


def rewrite(raw: str, old: str, new: str, renderer: Any) -> str | None:
    """Return the raw text that renders ``new``, keeping each reference of ``raw`` whose
    figure came through unchanged; None when the references cannot be placed."""
    if "{" not in raw:
        return protect(new)
    spans = expression_spans(raw, old, renderer)
    if spans is None:
        return None
    keep = {start: (expr, end) for expr, (start, end) in spans if kept(old, new, start, end)}
    out: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            out.append(protect("".join(literal)))
            literal.clear()

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            literal.append(new[j1:j2])
            continue
        pos = i1
        while pos < i2:
            if pos in keep and keep[pos][1] <= i2:
                flush()
                out.append(keep[pos][0])
                pos = keep[pos][1]
            else:
                literal.append(old[pos])
                pos += 1
    flush()
    return "".join(out)


def _parts(change: Change, para: Any) -> tuple[str | None, str]:
    """Return (new heading or None when unchanged, new body text) of a changed paragraph."""
    after = change.after
    if not para.head:
        return None, after
    if after.startswith(para.head):
        return None, after[len(para.head):]
    if para.kind.startswith("h"):
        return strip_marker(after[len(para.number):] if after.startswith(para.number)
                            else after), ""
    rest = after[len(para.number):] if para.number and after.startswith(para.number) else after
    cut = rest.find("。")
    if cut < 0:
        return rest, ""
    return rest[:cut], rest[cut + 1:]


def _plan(change: Change, document: Any, prepared: Any, raw_of, count_of
          ) -> list[tuple[str, tuple, Any]] | None:
    """Return the (file, data path, new value or _DELETE) edits of one change, or None."""
    if change.kind == "新增":  # after a paragraph of a text: into the same text
        if change.follows < 0:
            return None
        before = document.body[change.follows]
        bodies = [(f, p) for f, p in before.origins if ".正文." in f".{p}."]
        if len(bodies) != 1 or not bodies[0][0].startswith("departments/") or \
                not bodies[0][0].endswith((".yaml", ".yml")):
            return None
        file, path = bodies[0]
        return [(file, data_path(path), Insert(protect(change.after)))]
    if change.index < 0:
        return None
    para = document.body[change.index]
    heads = [(f, p) for f, p in para.origins if p.endswith("标题")]
    bodies = [(f, p) for f, p in para.origins if ".正文." in f".{p}."]
    if any(not f.endswith((".yaml", ".yml")) or not f.startswith("departments/")
           for f, _ in heads + bodies) or not (heads or bodies):
        return None
    if change.kind == "删除":  # a paragraph of a longer text; a whole item stays listed
        if heads or not bodies or any(count_of(f, data_path(p)[:-1]) < 2 for f, p in bodies):
            return None
        return [(f, data_path(p), _DELETE) for f, p in bodies]
    heading, body = _parts(change, para)
    edits: list[tuple[str, tuple, Any]] = []
    if heading is not None:
        if not heads:
            return None
        old_head = strip_marker(para.head[len(para.number):] if para.head.startswith(
            para.number) else para.head).rstrip("。") if para.head else ""
        file, path = heads[0]
        raw = raw_of(file, data_path(path))
        new = rewrite(raw, old_head, heading, prepared.renderer) if raw is not None else None
        if new is None:
            return None
        edits.append((file, data_path(path), new))
    if bodies:
        file, path = bodies[0]
        raw = raw_of(file, data_path(path))
        if raw is None:
            return None
        if body != para.text:
            new = rewrite(raw, para.text, body, prepared.renderer)
            if new is None:
                return None
            edits.append((file, data_path(path), new))
    elif body:
        return None
    return edits


def apply_changes(root: Path, changes: list[Change], document: Any, prepared: Any
                  ) -> tuple[list[tuple[Path, Path]], list[Change]]:
    """Write ``changes`` back; return (written files with their backups, unplaced)."""
    from .sources.yaml_source import read_text

    texts: dict[str, str] = {}

    def raw_of(file: str, path: tuple) -> str | None:
        if file not in texts:
            texts[file] = read_text(root / file)
        return value_at(yaml.safe_load(texts[file]), path)

    def count_of(file: str, path: tuple) -> int:
        raw_of(file, path)
        from .models import _paragraphs

        found = _value_list(yaml.safe_load(texts[file]), path, _paragraphs)
        return len(found) if found is not None else 0

    unplaced: list[Change] = []
    by_file: dict[str, list[tuple[tuple, Any]]] = {}
    for change in changes:
        plan = _plan(change, document, prepared, raw_of, count_of)
        if plan is None:
            unplaced.append(change)
            continue
        for file, path, value in plan:
            by_file.setdefault(file, []).append((path, value))
    written = []
    for file, edits in by_file.items():
        if file not in texts:
            texts[file] = read_text(root / file)
        text = edit_yaml(texts[file], edits)
        if text is None:
            unplaced.extend(c for c in changes if c not in unplaced and any(
                f == file for f, _ in c.origins))
            continue
        written.append(_save(root / file, texts[file], text, root))
    return written, unplaced


def edit_yaml(text: str, edits: list[tuple[tuple, Any]]) -> str | None:
    """Return ``text`` with the values at the edited paths rewritten; None on failure."""
    from .models import _paragraphs

    data = yaml.safe_load(text)
    root = yaml.compose(text)
    targets: dict[tuple, Any] = {}  # value path -> new value (paragraph list or text)
    inserts: dict[tuple, dict[int, list[str]]] = {}  # 正文 path -> after index -> texts
    for path, value in edits:
        if path and isinstance(path[-1], int) and path[-2:-1] == ("正文",):
            key = path[:-1]
            current = targets.get(key)
            if current is None:
                found = _value_list(data, key, _paragraphs)
                if found is None:
                    return None
                current = targets[key] = list(found)
            if isinstance(value, Insert):
                inserts.setdefault(key, {}).setdefault(path[-1], []).append(str(value))
            else:
                current[path[-1]] = value
        else:
            targets[path] = value
    spans = []
    for path, value in targets.items():
        located = _locate(root, path)
        if located is None:
            return None
        key_node, value_node = located
        column = key_node.start_mark.column
        if isinstance(value, list):
            added = inserts.get(path, {})
            lines = [v for k, para in enumerate(value)
                     for v in [para, *added.get(k, [])] if v is not _DELETE]
            new = ": |\n" + "\n".join(" " * (column + 2) + v.replace("\n", " ") for v in lines)
        else:
            new = ": " + json.dumps(value, ensure_ascii=False)
        start, end = key_node.end_mark.index, value_node.end_mark.index
        span = text[start:end]
        trailing = span[len(span.rstrip()):]
        spans.append((start, end, new + (trailing if "\n" in trailing else "")))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    try:
        if _value_list(yaml.safe_load(text), (), _paragraphs) is None and text.strip() == "":
            return None
    except yaml.YAMLError:
        return None
    return text


def _value_list(data: Any, path: tuple, paragraphs) -> list | None:
    value = data
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    out = paragraphs(value)
    return out if isinstance(out, list) and all(isinstance(v, str) for v in out) else None


def _locate(node: Any, path: tuple) -> tuple[Any, Any] | None:
    """Return (key node, value node) of the mapping entry at ``path``."""
    key_node = None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    key_node, node = k, v
                    break
            else:
                return None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return None
            node, key_node = node.value[key], None
        else:
            return None
    return (key_node, node) if key_node is not None else None


def _save(path: Path, original: str, text: str, root: Path) -> tuple[Path, Path]:
    """Keep the original in 备份/, then write ``text`` atomically."""
    from .outputs import save_atomic

    folder = root / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{path.stem}.{stamp}{path.suffix}"
    number = 2
    while backup.exists():
        backup = folder / f"{path.stem}.{stamp}-{number}{path.suffix}"
        number += 1
    backup.write_text(original, encoding="utf-8")
    save_atomic(lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), path)
    return path, backup
