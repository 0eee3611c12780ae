"""Translate pydantic `ValidationError`s into located Chinese `Issue`s (the only place)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .issues import Issue
from .messages_zh import MESSAGES, issue
from .sources.yaml_source import SourceMap
from .suggest import did_you_mean


def to_issues(exc: ValidationError, model: type[BaseModel], file: str,
              smap: SourceMap) -> list[Issue]:
    """Return one `Issue` per pydantic error, located through ``smap``."""
    out, seen = [], set()
    for err in exc.errors(include_url=False):
        loc = _user_loc(err["loc"])
        if loc in seen:  # one message per place (unions report each branch)
            continue
        seen.add(loc)
        code = err["type"]
        ctx: dict[str, Any] = dict(err.get("ctx") or {})
        ctx["field"] = _field_name(loc)
        ctx["input"] = _short(err.get("input"))
        ctx.setdefault("hint", "")
        ctx.setdefault("detail", err.get("msg", ""))
        if code == "literal_error":  # "'括号' or '数字'" → 「括号」、「数字」
            ctx["expected"] = re.sub(r"'([^']*)'", r"「\1」", str(ctx.get("expected", "")))
            ctx["expected"] = ctx["expected"].replace(" or ", "、").replace(", ", "、")
        if code == "finite_number":  # .inf / .nan
            code = "number_type"
        if code == "greater_than_equal" and ctx.get("ge") == 0:
            code = "negative_value"
        if code == "extra_forbidden":
            ctx["hint"] = _suggest(str(loc[-1]), _allowed_keys(model, loc))
        if code not in MESSAGES:
            ctx["detail"] = f"{err.get('msg', '')}（{code}）"
            code = "value_error"
        out.append(issue(code, smap.location(file, loc), **ctx))
    return out


def _user_loc(loc: tuple) -> tuple:
    """Drop pydantic's union/validator tags so that loc matches the YAML path."""
    return tuple(p for p in loc if not (isinstance(p, str) and (
        p.startswith("function-") or p in ("int", "float", "str", "list[str]", "date")
        or p.startswith("constrained-"))))


def _field_name(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part != "值":  # a metric's value: name the metric
            return part
    return ".".join(str(p) for p in loc)


def _short(value: Any) -> str:
    text = "空" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "……"


def _suggest(word: str, choices: list[str]) -> str:
    return did_you_mean(word, choices, 0.3,
                        f"；可用的键：{'、'.join(choices)}" if choices else "")


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Return the aliases allowed at the mapping that holds ``loc[-1]``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = _field_by_alias(current, part)
        if field is None:  # a dict key: stay at the model that holds the dict
            continue
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return [f.alias or n for n, f in current.model_fields.items()]


def _field_by_alias(model: type[BaseModel], alias: str):
    for name, field in model.model_fields.items():
        if (field.alias or name) == alias:
            return field
    return None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """Find the BaseModel inside list[...], dict[..., ...], Optional[...] annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and getattr(annotation, "__metadata__", None) is not None:
        return _inner_model(origin)
    return None
