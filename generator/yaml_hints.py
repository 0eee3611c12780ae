"""Find the typing slip behind a YAML syntax error: the parser notices a full-width colon or
a missing space only a line or more later, so its line is not where the slip is."""

from __future__ import annotations

import re

# (pattern on one line, Chinese hint); checked in this order on each line (compiled by re's
# cache on first use: only a file with a syntax error needs them)
_SLIPS = (
    (r"^[ \t]*\u3000|^\u3000", "缩进中有全角空格「　」；请改用半角空格缩进"),
    (r"^\s*(?:-\s+)?[^\s#:：'\"\-][^:：'\"]*?：",
     "可能把冒号写成了全角「：」；键后面应为半角冒号加空格，如「机关: 抚宁区人民政府」"),
    (r"^\s*(?:-\s+)?[^\s#:'\"\d\-][^\s:'\"]*:(?=[^\s/:])",
     "冒号后面可能漏了空格；应写成「键: 值」，冒号后加一个空格"),
    (r"^\s*(?:-\s+)?[^\s#:'\"\-\[{|>][^:#'\"]*?\s+[^:#]+$",
     "可能漏写了冒号；应写成「键: 值」，如「年度: 2023」"),
    (r"""^[^#]*:\s+(?:"[^"]*|'[^']*)$""",
     "引号可能不成对（开头是半角引号，结尾没有同样的引号，或混用了中文引号「“”」）"),
)


def find_slip(text: str, error_line: int | None) -> tuple[int, str] | None:
    """Return (1-based line, Chinese hint) of the first slip at or before ``error_line``."""
    lines = text.splitlines()
    last = min(error_line or len(lines), len(lines))
    block_indent: int | None = None  # inside a | or > block scalar: anything goes
    for number, line in enumerate(lines[:last], start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        if re.search(r":\s*[|>][+-]?\s*(#.*)?$", line):
            block_indent = indent
        for pattern, hint in _SLIPS:
            if re.search(pattern, line) and ("\u3000" in hint or not _fine(line, number, lines)):
                return number, hint
    return None


def _fine(line: str, number: int, lines: list[str]) -> bool:
    """Return True for lines the patterns misread: list items and continuation lines."""
    stripped = line.strip()
    if stripped.startswith("- ") and ":" not in stripped and "：" not in stripped:
        return True  # a plain list item such as "- 司法局"
    if number > 1 and ":" not in stripped and "：" not in stripped:
        previous = lines[number - 2]
        indent = len(line) - len(line.lstrip())
        # a folded continuation of the previous value (deeper indent, previous has a value)
        return indent > len(previous) - len(previous.lstrip()) and previous.rstrip()[-1:] != ":"
    return False
