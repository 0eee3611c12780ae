"""Resolve ``{{ 组.名称 }}`` references in narrative text through a sandboxed Jinja."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping

from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError, nodes
from jinja2.sandbox import SecurityError

from .formatting import format_number, format_scaled
from .jinja_env import CachingImmutableSandboxedEnvironment
from .jinja_limits import (
    DOCUMENT_CHARS,
    DOCUMENT_SECONDS,
    FIELD_CHARS,
    FIELD_SECONDS,
    LimitExceeded,
    limited,
)
from .jinja_zh import describe, describe_runtime, excerpt
from .suggest import closest

MARKER = "【待补充：{}】"
_SEPARATOR = "\x1e"  # ASCII record separator: never in narrative text
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


class IntFigure(int):
    """An integer metric that remembers its unit (``{{ x | 带单位 }}``) and, in a draft,
    a caveat printed after it (a total that lacks a department: 【待核实：缺…】)."""

    unit: str = ""
    caveat: str = ""
    key: str  # 组.名称, set on supplied and derived figures (metric_catalogue.tag_keys)


class FloatFigure(float):
    """A decimal metric that remembers its unit and caveat."""

    unit: str = ""
    caveat: str = ""
    key: str  # as IntFigure's


def figure(value: int | float, unit: str | None) -> IntFigure | FloatFigure:
    """Return ``value`` as a number carrying ``unit``."""
    out = IntFigure(value) if isinstance(value, int) else FloatFigure(value)
    out.unit = unit or ""
    return out


def _finalize(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value) + getattr(value, "caveat", "")
    return value


def _number(value: Any, *args: Any) -> str:
    return format_number(value, *args) + getattr(value, "caveat", "")


def _with_unit(value: Any) -> str:
    return format_number(value) + getattr(value, "unit", "") + getattr(value, "caveat", "")


def _scaled(unit: str) -> Callable[[Any, int], str]:
    def scale(value: Any, digits: int = 1) -> str:
        return format_scaled(value, unit, digits) + getattr(value, "caveat", "")
    return scale


class Group(dict):
    """A named group of metrics (``法律援助`` in ``{{ 法律援助.受理案件 }}``)."""

    def __init__(self, name: str,
                 figures: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()):
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


_ENVS: dict[bool, CachingImmutableSandboxedEnvironment] = {}


def make_env(draft: bool = False) -> CachingImmutableSandboxedEnvironment:
    """Return the (process-wide) sandboxed environment used for narrative text."""
    if draft in _ENVS:
        return _ENVS[draft]
    env = _ENVS[draft] = CachingImmutableSandboxedEnvironment(
        undefined=DraftUndefined if draft else StrictUndefined,
        autoescape=False, finalize=_finalize, keep_trailing_newline=False)
    env.filters.update({"万": _scaled("万"), "亿": _scaled("亿"), "带单位": _with_unit,
                        "数字": _number})
    return env


class TextRenderer:
    """Render narrative strings against one namespace; remembers compiled templates."""

    def __init__(self, namespace: Mapping[str, Any], draft: bool = False):
        self.namespace = dict(namespace)
        self.draft = draft
        self.env = make_env(draft)
        self.cache: dict[str, str] = {}
        # all texts of a workspace together get one document's budget (jinja_limits)
        self.chars_left, self.seconds_left = DOCUMENT_CHARS, DOCUMENT_SECONDS

    def _render(self, source: str, chars: int = FIELD_CHARS) -> str:
        """Render ``source`` within a text's budget and what is left of the workspace's."""
        whole = chars > self.chars_left or FIELD_SECONDS > self.seconds_left
        scope = "全部正文引用累计" if whole else "这段文字"
        with limited(min(chars, self.chars_left), min(FIELD_SECONDS, self.seconds_left),
                     scope) as budget:
            try:
                return self.env.from_string(source).render(self.namespace)
            finally:
                self.chars_left -= min(budget.used, self.chars_left)
                self.seconds_left -= min(budget.elapsed, self.seconds_left)

    def prime(self, texts: Iterable[str]) -> None:
        """Render many texts with one compiled template (compiling is the slow part).

        On any failure nothing is cached, and `render` locates the problem text by text.
        """
        todo = list(dict.fromkeys(t for t in texts if "{" in t and t not in self.cache))
        if not todo or any(_SEPARATOR in t or "{%" in t or "{#" in t for t in todo):
            return
        pieces = [_EXPRESSION.split(t) for t in todo]  # literal, expr, literal, expr, ...
        expressions = [p for parts in pieces for p in parts[1::2]]
        source = _SEPARATOR.join("{{" + e + "}}" for e in expressions)
        try:
            values = self._render(source, DOCUMENT_CHARS).split(_SEPARATOR)
        except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError,
                RecursionError, MemoryError):
            return
        if len(values) != len(expressions):
            return
        results = iter(values)
        for text, parts in zip(todo, pieces):
            self.cache[text] = "".join(p if i % 2 == 0 else next(results)
                                       for i, p in enumerate(parts))

    def render(self, text: str) -> str:
        """Return ``text`` with its references resolved.

        Raises:
            ReferenceProblem: with an issue code and context for the message.
        """
        if "{" not in text:
            return text
        if text in self.cache:
            return self.cache[text]
        try:
            return self._render(text)
        except LimitExceeded as exc:  # in a draft too: the text may not be rendered at all
            raise ReferenceProblem("ref_limit", detail=describe(exc, text)) from None
        except UndefinedError:
            raise self._undefined(text) from None
        except SecurityError:
            raise ReferenceProblem("ref_syntax", detail="不允许访问内部属性") from None
        except TemplateError as exc:
            if self.draft:
                return MARKER.format(text)
            raise ReferenceProblem("ref_syntax", detail=describe(exc, text)) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            if self.draft:
                return MARKER.format(text)
            raise ReferenceProblem("ref_render", detail=describe_runtime(exc)) from None

    def _undefined(self, text: str) -> ReferenceProblem:
        for name in undefined_names(self.env.parse(text), self.namespace):
            return ReferenceProblem("ref_undefined", name=excerpt(name),
                                    hint=self._hint(name))
        return ReferenceProblem("ref_render", detail="引用的数据不存在")

    def _hint(self, name: str) -> str:
        known = [f"{g}.{n}" if isinstance(v, Mapping) else g
                 for g, v in self.namespace.items()
                 for n in (v if isinstance(v, Mapping) else [None])]
        close = closest(name, known, 0.5)
        return (f"，是否应为「{excerpt(close)}」？" if close
                else "；请在部门材料的「指标」中补充")


def referenced_metrics(text: str) -> list[str]:
    """Return the ``组.名称`` names that ``text`` references (none if it does not parse)."""
    if "{" not in text:
        return []
    try:
        tree = make_env().parse(text)
    except TemplateError:
        return []
    return [f"{n.node.name}.{n.attr}" for n in tree.find_all(nodes.Getattr)
            if isinstance(n.node, nodes.Name)]


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
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in namespace:
            if not any(m.startswith(name.name + ".") for m in missing):
                missing.append(name.name)
    return missing


class ReferenceProblem(Exception):
    """A reference that cannot be resolved; ``code`` and ``ctx`` build the Issue."""

    def __init__(self, code: str, **ctx: Any):
        super().__init__(code)
        self.code, self.ctx = code, ctx
