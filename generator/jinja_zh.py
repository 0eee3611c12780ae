"""Chinese for Jinja's errors: a short cause, the place in the text, never Jinja's English."""

from __future__ import annotations

import re

from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SecurityError

#: Filters narrative text may use (see references.make_env).
FILTERS = "万、亿、带单位、数字"
#: At most this many characters of user text are quoted in a message.
EXCERPT = 40


def excerpt(text: object, width: int = EXCERPT) -> str:
    """Return ``text`` cut to ``width`` characters (an ellipsis marks the cut)."""
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"

# (pattern on Jinja's message, Chinese; groups fill {0}, {1}, ...)
_PATTERNS = (
    (r"expected token 'end of print statement', got '(.*)'",
     "「{{{{」开始的引用在「{0}」之前没有用「}}}}」结束；请补上「}}}}」"),
    (r"unexpected end of template, expected 'end of print statement'",
     "「{{{{」开始的引用没有用「}}}}」结束；请补上「}}}}」"),
    (r"unexpected end of template.*needs to be closed is '(\w+)'",
     "「{{% {0} %}}」没有对应的「{{% end{0} %}}」；请补上或删除"),
    (r"No filter named '(.*?)'", "没有名为「{0}」的格式（可用：" + FILTERS + "）"),
    (r"No test named '(.*?)'", "不支持「is {0}」这种判断"),
    (r"Encountered unknown tag '(.*?)'", "「{{% {0} %}}」不是可用的标记"),
    (r"unexpected char '(.*?)'", "引用中有不能识别的字符「{0}」（引号、问号等须写在「{{{{ }}}}」之外）"),
    (r"Expected an expression, got 'end of print statement'", "「{{{{ }}}}」中间是空的；请写上指标名称"),
    (r"'(.*?)' is undefined", "模板中使用的变量「{0}」不存在"),
    (r"has no attribute '(.*?)'", "模板中使用的变量「{0}」不存在"),
    (r"expected name or number", "「.」后面缺少指标名称"),
    (r"unexpected '(.*?)', expected '(.*?)'", "「{1}」没有闭合（遇到了「{0}」）"),
    (r"unexpected '(.*?)'", "引用写到一半就结束了（遇到了「{0}」）"),
)


def describe(exc: TemplateError, source: str | None = None) -> str:
    """Return a Chinese description of a Jinja error, with where it happened."""
    message = getattr(exc, "message", None) or str(exc) or ""
    text, keyword = "引用或模板标记的写法有误；请检查「{{ }}」「{% %}」是否成对", ""
    if getattr(exc, "chinese", None):  # jinja_limits: a limit or a refused tag
        return f"{exc.chinese}{_where(exc, source)}"  # type: ignore[attr-defined]
    if isinstance(exc, SecurityError):
        return f"不允许访问内部属性{_where(exc, source)}"
    for pattern, chinese in _PATTERNS:
        found = re.search(pattern, message[:2000], re.IGNORECASE | re.DOTALL)
        if found:
            text = chinese.format(*(excerpt(g) for g in found.groups()))
            keyword = found.group(found.lastindex or 0) if found.groups() else ""
            break
    return f"{text}{_where(exc, source, keyword)}"


def _where(exc: TemplateError, source: str | None, keyword: str = "") -> str:
    """Return （第N行，「…」附近） for the tag holding ``keyword`` (a filter or tag name),
    else the first unclosed tag of ``source``."""
    line = getattr(exc, "lineno", None) if isinstance(exc, TemplateSyntaxError) else None
    snippet = ""
    if source and re.fullmatch(r"[A-Za-z_]\w*", keyword or "") and keyword in source:
        index = source.find(keyword)
        start = max(source.rfind("{{", 0, index), source.rfind("{%", 0, index))
        if start >= 0:
            snippet = source[start:start + 16].replace("\n", " ")
    snippet = snippet or (_snippet(source) if source else "")
    parts = []
    if line and source and source.count("\n"):
        parts.append(f"第{line}行")
    if snippet:
        parts.append(f"「{snippet}」附近")
    return f"（{'，'.join(parts)}）" if parts else ""


def _snippet(source: str, width: int = 16) -> str:
    """Return the start of the first ``{{``/``{%`` that is not properly closed, else the
    first tag (a bad filter name, an unknown tag)."""
    starts = [m.start() for m in re.finditer(r"\{[{%]", source)]
    for start in starts:
        closing = "}}" if source[start + 1] == "{" else "%}"
        end = source.find(closing, start + 2)
        following = source.find("{", start + 2)
        if end < 0 or (0 <= following < end):
            return source[start:start + width].replace("\n", " ")
    if starts:
        return source[starts[0]:starts[0] + width].replace("\n", " ")
    return ""


def describe_runtime(exc: Exception) -> str:
    """Return a Chinese cause for an error raised while computing a reference."""
    if isinstance(exc, ZeroDivisionError):
        return "除数为 0"
    if isinstance(exc, (TypeError, ValueError)):
        return "数据类型不能这样计算（如把文字当作数字，或对文字使用数字格式）"
    if isinstance(exc, OverflowError):
        return "数字太大"
    return "计算出错"
