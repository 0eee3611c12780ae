"""Time and size limits for the sandboxed Jinja environments (issue #9).

Templates and narrative text are untrusted. Jinja's sandbox refuses Python internals but
not work: ``9 ** (9 ** 9)``, ``'x' * 10**10`` or nested loops run for minutes or exhaust
memory. Everything here bounds that work **before** it is done, per render:

* a character budget: every piece of output (at the top level and inside macros, set
  blocks and filter blocks) and every string or list an operator, filter or method is about
  to build is charged against it *before* it is built;
* a wall-clock budget, checked on every loop iteration, call, intercepted operator and
  output piece;
* ``range`` capped at `MAX_RANGE` items, integers from ``*`` and ``**`` capped at
  `MAX_INT_BITS` bits;
* ``{% include %}``, ``{% import %}``, ``{% extends %}`` refused when the text is parsed,
  ``self`` undefined, and no globals but the capped ``range``.

The limits are far above any real report (see the constants) and exceeding one raises
`LimitExceeded`, a `jinja2.TemplateError` whose message is Chinese: callers turn it into a
located ``ref_limit`` issue (narrative text) or a `render.RenderError` naming the template
file (template.docx).
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.environment import Template
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SecurityError
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

# -- the limits ------------------------------------------------------------------------
# A whole report is ~30 pages, ~30,000 characters of text and ~1 MB of document XML; a
# narrative paragraph rarely exceeds 2,000 characters and renders in well under 1 ms; the
# whole DOCX renders in ~20 ms. Each limit is 50–1,000 times what a real report needs.

#: Characters one narrative text (a paragraph, a title) may produce, intermediate strings
#: included: 50 times the longest real paragraph.
FIELD_CHARS = 100_000
#: Seconds one narrative text may take.
FIELD_SECONDS = 5.0
#: Characters one document may produce: all narrative texts together, or the rendered XML
#: of template.docx (document, headers, footers): ~20 times a 30-page report's XML.
DOCUMENT_CHARS = 20_000_000
#: Seconds all narrative texts together, or the template.docx render, may take.
DOCUMENT_SECONDS = 60.0
#: Items ``range()`` may produce (a report has at most a few hundred paragraphs).
MAX_RANGE = 10_000
#: Bits of an integer built by ``*`` or ``**`` (~1,200 decimal digits; real figures have
#: at most 15).
MAX_INT_BITS = 4096
#: Items ``batch``/``slice`` may be asked to build.
MAX_ITEMS = MAX_RANGE

_TIME_EVERY = 64  # check the clock every this many ticks (monotonic() is cheap, not free)


class LimitExceeded(SecurityError):
    """A render went past a limit; ``chinese`` says which, in Chinese."""

    def __init__(self, chinese: str):
        super().__init__(chinese)
        self.chinese = chinese


class RefusedTag(TemplateSyntaxError):
    """``{% include %}`` and friends: refused when the text is parsed."""

    def __init__(self, chinese: str, lineno: int):
        super().__init__(chinese, lineno)
        self.chinese = chinese


# -- the budget ------------------------------------------------------------------------

class Budget:
    """Characters and seconds left to one render (``scope`` names it in messages)."""

    __slots__ = ("limit", "used", "seconds", "deadline", "scope", "ticks", "start")

    def __init__(self, chars: int, seconds: float, scope: str):
        self.limit, self.used, self.seconds, self.scope = chars, 0, seconds, scope
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.ticks = 0

    def reserve(self, chars: int, what: str) -> None:
        """Charge ``chars`` before building them; raise when that passes the budget."""
        if self.used + chars > self.limit:  # refused work is not charged
            raise LimitExceeded(f"{what}将使{self.scope}产生的字符超过上限 {self.limit:,} 个"
                                f"（约 {self.used + chars:,} 个）")
        self.used += chars
        self.tick()

    def tick(self) -> None:
        self.ticks += 1
        if not self.ticks % _TIME_EVERY and time.monotonic() > self.deadline:
            raise LimitExceeded(f"{self.scope}的计算超过 {self.seconds:g} 秒（疑为过多的循环）")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def count(self, pieces: Iterable[str]) -> Iterator[str]:
        """Yield ``pieces`` (a template's output), charging each against the budget."""
        for piece in pieces:
            if self.used + len(piece) > self.limit:
                raise LimitExceeded(f"{self.scope}输出的字符超过上限 {self.limit:,} 个")
            self.used += len(piece)
            self.ticks += 1
            if not self.ticks % _TIME_EVERY and time.monotonic() > self.deadline:
                raise LimitExceeded(f"{self.scope}的计算超过 {self.seconds:g} 秒（疑为过多的循环）")
            yield piece


_BUDGET: ContextVar[Budget | None] = ContextVar("nianbao_jinja_budget", default=None)


@contextmanager
def limited(chars: int, seconds: float, scope: str) -> Iterator[Budget]:
    """Run the renders inside the block against one shared budget."""
    budget = Budget(chars, seconds, scope)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _budget() -> Budget:
    """Return the active budget (outside any render: a fresh default one)."""
    return _BUDGET.get() or Budget(FIELD_CHARS, FIELD_SECONDS, "这段文字")


# -- size estimates, made before the work is done ------------------------------------------

def _len(value: Any) -> int:
    try:
        return len(value) if isinstance(value, (str, list, tuple)) else len(str(value))
    except Exception:  # noqa: BLE001 - a value whose str() fails counts as small
        return 16


def _int(value: Any, default: int = 0) -> int:
    try:
        return abs(int(value))
    except (TypeError, ValueError, OverflowError):
        return default


def _format_estimate(fmt: str, args: Iterable[Any]) -> int:
    """Upper bound for ``fmt % args`` / ``fmt.format(*args)``: widths and precisions are
    digit runs in ``fmt`` or (``*``, nested ``{}``) integer arguments."""
    estimate = len(fmt)
    for digits in re.findall(r"\d+", fmt):
        estimate += int(digits) if len(digits) < 10 else 10**10
    for arg in args:
        estimate += _len(arg) + (_int(arg) if isinstance(arg, int) else 0)
    return estimate


def _repeat(left: Any, right: Any) -> tuple[Any, int] | None:
    """For ``seq * n`` or ``n * seq``: (seq, n), else None."""
    if isinstance(left, (str, list, tuple)) and isinstance(right, int):
        return left, right
    if isinstance(right, (str, list, tuple)) and isinstance(left, int):
        return right, left
    return None


def _check_int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise LimitExceeded(f"乘方或乘法的结果数字过大（超过约 {MAX_INT_BITS * 3 // 10:,} 位）")


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``**``, ``*``, ``+`` and ``%`` whose result would be too big."""
    budget = _budget()
    budget.tick()
    if operator == "**":
        if (isinstance(left, int) and isinstance(right, int) and right > 0
                and abs(left) > 1):
            _check_int_bits(right * left.bit_length())
    elif operator == "*":
        repeated = _repeat(left, right)
        if repeated:
            budget.reserve(_len(repeated[0]) * max(repeated[1], 0), "重复（*）")
        elif isinstance(left, int) and isinstance(right, int):
            _check_int_bits(left.bit_length() + right.bit_length())
    elif operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            budget.reserve(len(left) + len(right), "连接（+）")
    elif operator == "%" and isinstance(left, str):
        args = right if isinstance(right, tuple) else (right,)
        budget.reserve(_format_estimate(left, args), "格式化（%）")


def capped_range(*args: Any) -> range:
    """``range`` for templates: at most `MAX_RANGE` items."""
    _budget().tick()
    rng = range(*args)
    try:
        size = len(rng)
    except OverflowError:
        size = MAX_RANGE + 1
    if size > MAX_RANGE:
        raise LimitExceeded(f"「range」最多产生 {MAX_RANGE:,} 项")
    return rng


# str methods that build something bigger than their string: (receiver, args, kwargs) → size
_STR_METHODS = {
    "ljust": lambda s, a, k: max(len(s), _int(a[0] if a else k.get("width"))),
    "rjust": lambda s, a, k: max(len(s), _int(a[0] if a else k.get("width"))),
    "center": lambda s, a, k: max(len(s), _int(a[0] if a else k.get("width"))),
    "zfill": lambda s, a, k: max(len(s), _int(a[0] if a else k.get("width"))),
    "expandtabs": lambda s, a, k: len(s) * max(1, _int(a[0] if a else k.get("tabsize", 8), 8)),
    "replace": lambda s, a, k: _replace_estimate(s, *a, **k),
    "format": lambda s, a, k: _format_estimate(s, (*a, *k.values())),
    "format_map": lambda s, a, k: _format_estimate(s, a[0].values() if a and hasattr(
        a[0], "values") else ()),
    "translate": lambda s, a, k: len(s) * max([1] + [
        _len(v) for v in (a[0].values() if a and hasattr(a[0], "values") else ())]),
}


def _replace_estimate(s: str, old: Any = "", new: Any = "", count: Any = -1) -> int:
    old, new = str(old), str(new)
    times = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(s) + times * max(0, len(new) - len(old))


def check_call(obj: Any, args: tuple, kwargs: dict) -> tuple:
    """Refuse a call to a str method whose result would be too big; return ``args``
    (``str.join`` gets its iterable as a list, already counted)."""
    budget = _budget()
    budget.tick()
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, str):
        name = getattr(obj, "__name__", "")
        if name == "join" and args:
            items = list(args[0])
            budget.reserve(len(owner) * len(items) + sum(_len(i) for i in items), "连接")
            return (items, *args[1:])
        estimate = _STR_METHODS.get(name)
        if estimate is not None:
            try:
                size = estimate(owner, args, kwargs)
            except (TypeError, ValueError, AttributeError):
                size = 0  # the call itself will fail with the right error
            budget.reserve(size, "文字运算")
    return args


# -- filters ---------------------------------------------------------------------------

def _center(value: Any, width: Any = 80, *_: Any) -> int:
    return max(_len(value), _int(width))


def _indent(value: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    text = str(value)
    step = len(width) if isinstance(width, str) else _int(width)
    return len(text) + (text.count("\n") + 1) * step


def _wordwrap(value: Any, width: Any = 79, long: Any = True, wrapstring: Any = None,
              *_: Any, **kwargs: Any) -> int:
    text = str(value)
    wrap = kwargs.get("wrapstring", wrapstring) or "\n"
    return len(text) + (len(text) + 1) * len(str(wrap))


def _urlize(value: Any, *args: Any, **kwargs: Any) -> int:
    text = str(value)
    extra = sum(_len(v) for v in (*args, *kwargs.values()) if isinstance(v, str))
    return 3 * len(text) + (len(text) // 4 + 1) * (extra + 40)


#: Filters whose result can be much bigger than their input: name → size estimate.
_FILTER_ESTIMATES: dict[str, Callable[..., int]] = {
    "center": _center,
    "indent": _indent,
    "format": lambda value, *a, **k: _format_estimate(str(value), (*a, *k.values())),
    "replace": lambda value, old="", new="", count=None: _replace_estimate(
        str(value), old, new, -1 if count is None else count),
    "wordwrap": _wordwrap,
    "urlize": _urlize,
}


def _guard_filter(name: str, function: Any) -> Any:
    """Return ``function`` charging its result against the budget before it runs."""
    skip = 1 if _PassArg.from_obj(function) else 0  # the context/environment argument
    estimate = _FILTER_ESTIMATES.get(name)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.tick()
        head, rest = args[:skip], list(args[skip:])
        if name in ("join", "sum") and rest:
            rest[0] = items = list(rest[0])
            separator = rest[1] if len(rest) > 1 else kwargs.get("d", "")
            size = sum(_len(i) for i in items if isinstance(i, (str, list, tuple)))
            if name == "sum":  # list + list + …: each step copies what came before
                size *= max(1, len(items))
            budget.reserve(size + _len(separator) * len(items), "「" + name + "」")
        elif name in ("batch", "slice"):
            count = rest[1] if len(rest) > 1 else kwargs.get(
                "linecount" if name == "batch" else "slices", 1)
            if _int(count) > MAX_ITEMS:
                raise LimitExceeded(f"「{name}」最多分 {MAX_ITEMS:,} 份")
        elif estimate is not None and rest:
            try:
                size = estimate(*rest, **kwargs)
            except (TypeError, ValueError, AttributeError):
                size = 0  # the filter itself will fail with the right error
            budget.reserve(size, "「" + name + "」")
        return function(*head, *rest, **kwargs)

    if skip:
        guarded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    guarded.__name__ = getattr(function, "__name__", name)
    return guarded


GUARDED_FILTERS = ("center", "indent", "format", "replace", "wordwrap", "urlize", "join",
                   "sum", "batch", "slice")


# -- compiling: refuse include/import/extends, count loops, buffers and concatenation -------

_REFUSED = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "import",
            nodes.Extends: "extends"}


def refuse_tags(tree: nodes.Template) -> None:
    """Raise `RefusedTag` for ``{% include %}``, ``{% import %}`` or ``{% extends %}``."""
    for node in tree.find_all(tuple(_REFUSED)):
        tag = _REFUSED[type(node)]
        raise RefusedTag(f"不能使用「{{% {tag} %}}」：模板和正文不能引用其他文件", node.lineno)


def _env_call(name: str, arg: nodes.Node, like: nodes.Node) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(name), [arg], [], None, None)
    call.set_lineno(like.lineno)
    if like.environment is not None:
        call.set_environment(like.environment)
    return call


class _Guard(NodeTransformer):
    """Route loops, ``~`` and ``self`` through the environment's checks."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _env_call("nb_iter", node.iter, node)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _env_call("nb_sized", node, node)

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        if node.name == "self" and node.ctx == "load":  # a TemplateReference otherwise
            return _env_call("nb_undefined", nodes.Const("self"), node)
        return node


class CountingCodeGenerator(CodeGenerator):
    """Output inside macros, set blocks and filter blocks goes through
    ``environment.nb_out`` (the top level is counted as the template yields it)."""

    _counting = False

    def visit_Output(self, node: nodes.Output, frame: Any) -> None:
        self._counting = frame.buffer is not None
        try:
            super().visit_Output(node, frame)
        finally:
            self._counting = False

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        value = super()._output_const_repr(group)
        return f"environment.nb_out({value})" if self._counting else value

    def _output_child_pre(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        if self._counting:
            self.write("environment.nb_out(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        if self._counting:
            self.write(")")


class LimitedTemplate(Template):
    """A template whose `render` runs against the active budget (or a fresh one)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        budget = _BUDGET.get()
        token = None
        if budget is None:
            budget = Budget(*self.environment.default_limits)  # type: ignore[attr-defined]
            token = _BUDGET.set(budget)
        try:
            try:
                return self.environment.concat(
                    budget.count(self.root_render_func(ctx)))
            except MemoryError:
                raise LimitExceeded("计算所需的内存过大") from None
            except RecursionError:
                raise LimitExceeded("宏或循环的调用嵌套过深") from None
        except Exception:
            self.environment.handle_exception()
        finally:
            if token is not None:
                _BUDGET.reset(token)


class LimitsMixin:
    """The limits, for a sandboxed environment (put it before the sandbox in the bases)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    code_generator_class: type[CodeGenerator] = CountingCodeGenerator
    template_class: type[Template] = LimitedTemplate
    #: (characters, seconds, scope) of a render outside `limited`.
    default_limits: tuple[int, float, str] = (FIELD_CHARS, FIELD_SECONDS, "这段文字")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # nothing but range: no lipsum, cycler, joiner, namespace or dict
        self.globals.clear()  # type: ignore[attr-defined]
        self.globals["range"] = capped_range  # type: ignore[attr-defined]
        for name in GUARDED_FILTERS:
            self.filters[name] = _guard_filter(name, self.filters[name])  # type: ignore

    def _parse(self, source: str, name: Any, filename: Any) -> nodes.Template:
        tree = super()._parse(source, name, filename)  # type: ignore[misc]
        refuse_tags(tree)
        return tree

    def _generate(self, source: nodes.Template, name: Any, filename: Any,
                  defer_init: bool = False) -> str:
        refuse_tags(source)
        return super()._generate(_Guard().visit(source), name, filename,  # type: ignore
                                 defer_init=defer_init)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)  # type: ignore[misc]

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        args = check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)  # type: ignore[misc]

    # -- called from compiled templates (see _Guard and CountingCodeGenerator) --------------
    def nb_iter(self, iterable: Any) -> Iterator[Any]:
        budget = _budget()
        for item in iterable:
            budget.tick()
            yield item

    def nb_out(self, value: str) -> str:
        _budget().reserve(len(value), "输出")
        return value

    def nb_sized(self, value: Any) -> Any:
        _budget().reserve(_len(value), "连接（~）")
        return value

    def nb_undefined(self, name: str) -> Any:
        return self.undefined(name=name)  # type: ignore[attr-defined]
