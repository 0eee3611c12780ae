"""Sandboxed Jinja environments that keep compiled templates for the whole process.

docxtpl compiles the document XML on every render; with many reports built in one run
(batches of districts) the same template source comes back each time, so compiling it
once is the cheapest speed-up there is. The sandbox stays on: templates and data are
untrusted, and attribute access to Python internals is refused; `jinja_limits` bounds the
time and memory one render may take and leaves templates nothing but ``range``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .jinja_limits import DOCUMENT_CHARS, DOCUMENT_SECONDS, LimitsMixin

CACHE_SIZE = 64


class _CachingMixin:
    """``from_string`` that returns the same compiled template for the same source."""

    autoescape: bool | Callable[[str | None], bool]  # the environment's

    def _compiled(self) -> OrderedDict:
        cache = self.__dict__.get("_compiled_cache")
        if cache is None:
            cache = self.__dict__["_compiled_cache"] = OrderedDict()
            _ENVIRONMENTS.append(self)
        return cache

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None
                    ) -> Template:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)  # type: ignore[misc]
        cache = self._compiled()
        key = (source, self.autoescape)
        template = cache.get(key)
        if template is None:
            template = super().from_string(source)  # type: ignore[misc]
            cache[key] = template
            if len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return template


class CachingSandboxedEnvironment(_CachingMixin, LimitsMixin, ImmutableSandboxedEnvironment):
    """The environment docxtpl renders the DOCX template with: immutable too (a template
    has no business changing the report's data) and limited (see `jinja_limits`)."""

    default_limits = (DOCUMENT_CHARS, DOCUMENT_SECONDS, "整份文档")


class CachingImmutableSandboxedEnvironment(_CachingMixin, LimitsMixin,
                                           ImmutableSandboxedEnvironment):
    """The environment narrative text is rendered with (limited, see `jinja_limits`)."""


_DOCX_ENV: CachingSandboxedEnvironment | None = None
_ENVIRONMENTS: list[_CachingMixin] = []


def clear_compiled_templates() -> None:
    """Forget every compiled template (benchmarks use this to time a cold build)."""
    for env in _ENVIRONMENTS:
        env._compiled().clear()


def docx_env() -> CachingSandboxedEnvironment:
    """Return the process-wide environment for DOCX templates (strict, autoescaped)."""
    global _DOCX_ENV
    if _DOCX_ENV is None:
        _DOCX_ENV = CachingSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    return _DOCX_ENV
