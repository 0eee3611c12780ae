"""Resolve ``{{ 组.名称 }}`` references in narrative text through a sandboxed Jinja."""

from __future__ import annotations

import difflib
from typing import Any, Callable, Mapping

from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .formatting import format_number, format_scaled

MARKER = "【待补充：{}】"


class IntFigure(int):
    """An integer metric that remembers its unit (``{{ x | 带单位 }}``)."""

    unit: str = ""


class FloatFigure(float):
    """A decimal metric that remembers its unit."""

    unit: str = ""


def figure(value: int | float, unit: str | None) -> IntFigure | FloatFigure:
    """Return ``value`` as a number carrying ``unit``."""
    out = IntFigure(value) if isinstance(value, int) else FloatFigure(value)
    out.unit = unit or ""
    return out


def _finalize(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return value


def _with_unit(value: Any) -> str:
    return format_number(value) + getattr(value, "unit", "")


def _scaled(unit: str) -> Callable[[Any, int], str]:
    def scale(value: Any, digits: int = 1) -> str:
        return format_scaled(value, unit, digits)
    return scale


class Group(dict):
    """A named group of metrics (``法律援助`` in ``{{ 法律援助.受理案件 }}``)."""

    def __init__(self, name: str, figures: Mapping[str, Any] = ()):
        super().__init__(figures)
        self.name = name


class DraftUndefined(Undefined):
    """Renders as a visible 【待补充：…】 marker instead of failing (``--draft``)."""

    def __str__(self) -> str:
        name = self._undefined_name or "?"
        if isinstance(self._undefined_obj, Group):
            name = f"{self._undefined_obj.name}.{name}"
        return MARKER.format(name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return DraftUndefined(name=f"{self._undefined_name}.{name}")

    __getitem__ = __getattr__


def make_env(draft: bool = False) -> ImmutableSandboxedEnvironment:
    """Return the sandboxed environment used for narrative text."""
    env = ImmutableSandboxedEnvironment(
        undefined=DraftUndefined if draft else StrictUndefined,
        autoescape=False, finalize=_finalize, keep_trailing_newline=False)
    env.filters.update({"万": _scaled("万"), "亿": _scaled("亿"), "带单位": _with_unit,
                        "数字": format_number})
    return env


class TextRenderer:
    """Render narrative strings against one namespace; remembers compiled templates."""

    def __init__(self, namespace: Mapping[str, Any], draft: bool = False):
        self.namespace = dict(namespace)
        self.draft = draft
        self.env = make_env(draft)

    def render(self, text: str) -> str:
        """Return ``text`` with its references resolved.

        Raises:
            ReferenceProblem: with an issue code and context for the message.
        """
        if "{" not in text:
            return text
        try:
            return self.env.from_string(text).render(self.namespace)
        except UndefinedError:
            raise self._undefined(text) from None
        except SecurityError:
            raise ReferenceProblem("ref_syntax", detail="不允许访问内部属性") from None
        except TemplateError as exc:
            if self.draft:
                return MARKER.format(text)
            raise ReferenceProblem("ref_syntax", detail=str(exc)) from None
        except (TypeError, ValueError, ArithmeticError, KeyError) as exc:
            if self.draft:
                return MARKER.format(text)
            raise ReferenceProblem("ref_render", detail=str(exc)) from None

    def _undefined(self, text: str) -> ReferenceProblem:
        for name in undefined_names(self.env.parse(text), self.namespace):
            return ReferenceProblem("ref_undefined", name=name, hint=self._hint(name))
        return ReferenceProblem("ref_render", detail="引用的数据不存在")

    def _hint(self, name: str) -> str:
        known = [f"{g}.{n}" if isinstance(v, Mapping) else g
                 for g, v in self.namespace.items()
                 for n in (v if isinstance(v, Mapping) else [None])]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        return f"，是否应为「{close[0]}」？" if close else "；请在部门材料的「指标」中补充"


def undefined_names(tree: nodes.Template, namespace: Mapping[str, Any]) -> list[str]:
    """Return the dotted names referenced in ``tree`` that ``namespace`` lacks."""
    missing = []
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name):
            group = namespace.get(node.node.name)
            if isinstance(group, Mapping) and node.attr not in group:
                missing.append(f"{node.node.name}.{node.attr}")
            elif group is None:
                missing.append(f"{node.node.name}.{node.attr}")
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in namespace:
            if not any(m.startswith(node.name + ".") for m in missing):
                missing.append(node.name)
    return missing


class ReferenceProblem(Exception):
    """A reference that cannot be resolved; ``code`` and ``ctx`` build the Issue."""

    def __init__(self, code: str, **ctx: Any):
        super().__init__(code)
        self.code, self.ctx = code, ctx
