"""Load YAML into plain data plus a map from data paths to line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Line numbers (1-based) of the keys and items of one loaded file."""

    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int | None:
        """Return the line of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


_PROBLEMS_ZH = (
    ("cannot start any token", "含有制表符（Tab）或特殊字符，请改用空格缩进"),
    ("mapping values are not allowed", "冒号位置不对（值中含有冒号时请给整个值加引号）"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合"),
    ("did not find expected key", "缩进不一致，或缺少「键: 值」中的冒号"),
    ("could not find expected ':'", "缺少冒号"),
    ("expected <block end>", "缩进不一致"),
    ("found unexpected end of stream", "引号没有成对"),
    ("found unknown escape character", "双引号中有无效的反斜杠转义，请改用单引号"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
)


def problem_zh(problem: str) -> str:
    """Return a PyYAML problem description in Chinese (the original in parentheses)."""
    for needle, text in _PROBLEMS_ZH:
        if needle in problem:
            return text
    return f"无法解析（{problem}）" if problem else "无法解析"


class YamlError(Exception):
    """A file that is not valid YAML (``line`` is 1-based or None)."""

    def __init__(self, code: str, detail: str, line: int | None):
        super().__init__(detail)
        self.code, self.detail, self.line = code, detail, line


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Return the data of a YAML file and its `SourceMap`.

    Raises:
        YamlError: on a syntax error, a duplicate key or a non-text key.
        OSError: when the file cannot be read.
    """
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = problem_zh(" ".join(filter(None, (exc.context, exc.problem))))
        raise YamlError("yaml_syntax", problem, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlError("yaml_syntax", str(exc), None) from None
    smap = SourceMap()
    if node is None:
        return None, smap
    smap.lines[()] = node.start_mark.line + 1
    return _convert(node, (), smap, SafeConstructor()), smap


def _convert(node: yaml.Node, loc: Loc, smap: SourceMap, ctor: SafeConstructor) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("yaml_syntax", "不支持合并键 <<", key_node.start_mark.line + 1)
            key = ctor.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                raise YamlError("yaml_bad_key", repr(key), line)
            key = str(key)
            if key in out:
                raise YamlError("yaml_duplicate_key", key, line)
            smap.lines[loc + (key,)] = line
            out[key] = _convert(value_node, loc + (key,), smap, ctor)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            smap.lines[loc + (index,)] = item.start_mark.line + 1
            items.append(_convert(item, loc + (index,), smap, ctor))
        return items
    return ctor.construct_object(node, deep=True)
