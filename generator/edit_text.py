"""Pure helpers of `edit_diff` and `edit_apply`: data paths, where references stand in
rendered text, whether a stretch of text survived an edit."""

from __future__ import annotations

import difflib
import re
from typing import Any

_EXPR = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.S)


def data_path(path: str) -> tuple[str | int, ...]:
    """Return a dotted data path (内容.0.正文.1) as a tuple with list indexes as ints."""
    return tuple(int(p) if p.isdigit() else p for p in path.split(".") if p)


def expression_spans(raw: str, rendered: str, renderer: Any
                     ) -> list[tuple[str, tuple[int, int]]] | None:
    """Place each ``{{ }}`` of ``raw`` in ``rendered``: None when the literal parts do
    not line up (a ``{% %}`` tag, or text the renderer changed)."""
    from .formatting import clean_text, normalise_punctuation

    if "{%" in raw or "{#" in raw:
        return None
    parts = _EXPR.split(raw)
    out, at = [], 0
    for index, part in enumerate(parts):
        if index % 2 == 0:
            literal = clean_text(normalise_punctuation(part)) if part.strip() else part
            if not rendered.startswith(literal, at):
                literal = part
                if not rendered.startswith(literal, at):
                    return None
            at += len(literal)
        else:
            try:
                value = renderer.render(part)
            except Exception:
                return None
            if not rendered.startswith(value, at):
                return None
            out.append((part, (at, at + len(value))))
            at += len(value)
    return out if at == len(rendered) else None


def kept(before: str, after: str, start: int, end: int) -> bool:
    """Return True when ``before[start:end]`` comes through to ``after`` unchanged."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal" and i1 < end and i2 > start:
            return False
        if tag != "equal" and i1 == i2 and start < i1 < end:
            return False
    return True


def value_at(data: Any, path: tuple) -> str | None:
    """Return the text at ``path``; a 正文 paragraph index reaches into a multi-line text."""
    from .models import _paragraphs

    value = data
    for key in path:
        if isinstance(value, str) and isinstance(key, int):
            value = _paragraphs(value)
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value if isinstance(value, str) else None
