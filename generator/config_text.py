"""The one place that decides which report.yaml fields may hold ``{{ … }}`` references.

`resolve_config` renders every text of the templated fields once and returns report.yaml
with the results; any other field that holds a reference is an error (it would otherwise
be printed with its braces, or feed the names references are resolved against).
"""

from __future__ import annotations

from typing import Any, Callable

from pydantic import ValidationError

from .issues import Issue, Location
from .messages_zh import issue
from .models import ReportConfig

#: Top-level report.yaml keys whose texts are rendered (for 章节 only each 标题).
TEMPLATED = frozenset({"标题", "导语", "主送机关", "发文机关署名", "附注", "印发机关", "抄送",
                       "版头", "附件", "章节"})

Render = Callable[[str, Location], str]


def resolve_config(config: ReportConfig, render: Render,
                   config_loc: Callable[..., Location]) -> tuple[ReportConfig, list[Issue]]:
    """Return ``config`` with its templated texts rendered, and the references found where
    none may stand (``ref_not_templated``)."""
    issues: list[Issue] = []
    data = config.model_dump(by_alias=True, exclude_unset=True)

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, str):
            if _templated(path):
                return render(value, config_loc(*path))
            if "{{" in value or "{%" in value:
                issues.append(issue("ref_not_templated", config_loc(*path), field=path[0]))
            return value
        if isinstance(value, dict):
            return {k: walk(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path + (i,)) for i, v in enumerate(value)]
        return value

    rendered = walk(data, ())
    try:
        return ReportConfig.model_validate(rendered), issues
    except ValidationError:  # a rendered value no longer validates (e.g. a 发文字号)
        return config, issues


def _templated(path: tuple) -> bool:
    if not path or path[0] not in TEMPLATED:
        return False
    return path[0] != "章节" or path[-1] == "标题"


def templated_texts(config: ReportConfig):
    """Yield every text `resolve_config` renders (to compile them all at once)."""
    data = config.model_dump(by_alias=True, exclude_unset=True)

    def walk(value: Any, path: tuple):
        if isinstance(value, str) and _templated(path):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, path + (i,))

    yield from walk(data, ())
