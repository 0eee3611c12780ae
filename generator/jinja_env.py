"""Sandboxed Jinja environments that keep compiled templates for the whole process.

docxtpl compiles the document XML on every render; with many reports built in one run
(batches of districts) the same template source comes back each time, so compiling it
once is the cheapest speed-up there is. The sandbox stays on: templates and data are
untrusted, and attribute access to Python internals is refused; `jinja_limits` bounds the
time and memory one render may take and leaves templates nothing but ``range``.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import OrderedDict
from pathlib import Path
from types import CodeType
from typing import Any, Callable

import jinja2
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import disk_cache
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

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        """Compile ``source`` to Python code, or take the code a previous process compiled
        from the same source in the same environment from `disk_cache`."""
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore
        digest = hashlib.sha256(self._setup_key())
        digest.update(repr((name, filename, defer_init)).encode())
        digest.update(source.encode("utf-8", "surrogatepass"))
        key = f"jinja/{digest.hexdigest()}"
        data = disk_cache.read(key)
        if data is not None:
            try:
                code = marshal.loads(data)
                if isinstance(code, CodeType):
                    return code
            except (EOFError, ValueError, TypeError):
                pass  # damaged: compile again and replace it
        code = super().compile(source, name, filename, raw, defer_init)  # type: ignore[misc]
        disk_cache.write(key, marshal.dumps(code))
        return code

    def _setup_key(self) -> bytes:
        """What compiled code depends on besides its source: the code that compiles it
        (Jinja, our limits), and the environment's syntax, escaping, filters and tests."""
        key = self.__dict__.get("_setup_key_bytes")
        if key is None:
            env: Any = self
            setup = (type(self).__qualname__, jinja2.__version__, env.autoescape,
                     env.block_start_string, env.block_end_string, env.variable_start_string,
                     env.variable_end_string, env.comment_start_string,
                     env.comment_end_string, env.line_statement_prefix,
                     env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                     env.newline_sequence, env.keep_trailing_newline, env.optimized,
                     env.finalize is None, sorted(env.extensions), sorted(env.filters),
                     sorted(env.tests), env.undefined.__name__)
            here = Path(__file__).parent
            code = disk_cache.fingerprint(here / "jinja_env.py", here / "jinja_limits.py")
            key = hashlib.sha256(repr(setup).encode() + code).digest()
            self.__dict__["_setup_key_bytes"] = key
        return key


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
