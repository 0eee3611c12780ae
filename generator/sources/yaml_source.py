"""Load YAML into plain data plus a map from data paths to line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
import yaml.constructor
import yaml.reader
from yaml.constructor import SafeConstructor

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from ..yaml_hints import find_slip
from .source_map import Loc, SourceMap  # SourceMap is also imported from here by callers

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


#: Limits that real department files stay far below (they hold hundreds of values, a few
#: levels deep, tens of KB) but that stop alias bombs and runaway nesting at once.
MAX_BYTES = 10 * 1024 * 1024
MAX_VALUES = 200_000
MAX_DEPTH = 64


class YamlError(Exception):
    """A file that is not valid YAML (``line`` is 1-based or None)."""

    def __init__(self, code: str, detail: str, line: int | None):
        super().__init__(detail)
        self.code, self.detail, self.line = code, detail, line


def read_text(path: Path) -> str:
    """Return the text of a UTF-8 file (a BOM is dropped).

    A file in another encoding is an error, not a guess: decoding GBK as a fallback could
    silently garble text saved in yet another encoding, and the fix (save as UTF-8) is one
    step in Notepad or WPS. The message says whether the bytes look like GBK.

    Raises:
        YamlError: ``file_unreadable`` naming the line of the first undecodable byte.
    """
    if path.stat().st_size > MAX_BYTES:
        raise YamlError("yaml_too_large", f"文件超过 {MAX_BYTES // 1024 // 1024} MB", None)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        guess = ""
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            guess = "（看起来是 UTF-16 编码，即记事本的「Unicode」）"
        else:
            try:
                data.decode("gbk")
                guess = "（看起来是 GBK 编码，即记事本的「ANSI」）"
            except UnicodeDecodeError:
                pass
        detail = (f"不是 UTF-8 编码{guess}；请用记事本或 WPS 打开，「另存为」时把编码选为 "
                  "UTF-8 后保存")
        raise YamlError("file_unreadable", detail, line) from None


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Return the data of a YAML file and its `SourceMap`.

    Raises:
        YamlError: on a syntax error, a duplicate key or a non-text key, and with code
            ``file_unreadable`` when the file is not UTF-8 (e.g. saved as GBK).
        OSError: when the file cannot be read.
    """
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and exc.context_mark and mark.line >= text.count("\n"):
            mark = exc.context_mark  # hit the end of the file: point where the bracket opened
        problem = problem_zh(" ".join(filter(None, (exc.context, exc.problem))))
        line = mark.line + 1 if mark else None
        slip = find_slip(text, line)
        if slip is not None:  # the parser noticed later: point at the slip itself
            line, problem = slip
        raise YamlError("yaml_syntax", problem, line) from None
    except yaml.reader.ReaderError as exc:
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text[:found].count("\n") + 1 if found >= 0 else None
        detail = f"含有不可见的控制字符（#x{exc.character:04x}），请删除"
        raise YamlError("yaml_syntax", detail, line) from None
    except yaml.YAMLError as exc:
        raise YamlError("yaml_syntax", str(exc), None) from None
    smap = SourceMap()
    if node is None:
        return None, smap
    smap.set_line((), node.start_mark.line + 1)
    return _convert(node, (), smap, _Budget(SafeConstructor())), smap


class _Budget:
    """How many more values a file may expand to (anchors and aliases repeat values)."""

    def __init__(self, ctor: SafeConstructor):
        self.ctor, self.left = ctor, MAX_VALUES

    def spend(self, node: yaml.Node, loc: Loc, smap: SourceMap) -> None:
        self.left -= 1
        if self.left >= 0 and len(loc) <= MAX_DEPTH:
            return
        line = smap.line(loc[:1]) or node.start_mark.line + 1  # the top-level key expanding
        if self.left < 0:
            raise YamlError("yaml_too_large", f"展开后超过 {MAX_VALUES} 个值，多半是锚点和别名"
                            "（& 与 *）层层引用；部门材料中请不要使用别名", line)
        raise YamlError("yaml_too_large", f"嵌套超过 {MAX_DEPTH} 层", line)


def _convert(node: yaml.Node, loc: Loc, smap: SourceMap, budget: _Budget) -> Any:
    budget.spend(node, loc, smap)
    ctor = budget.ctor
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("yaml_syntax", "不支持合并键 <<", key_node.start_mark.line + 1)
            key = _scalar(key_node, ctor) if isinstance(key_node, yaml.ScalarNode) else key_node
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                raise YamlError("yaml_bad_key", repr(key), line)
            key = str(key)
            if key in out:
                raise YamlError("yaml_duplicate_key", key, line)
            smap.set_line(loc + (key,), line)
            out[key] = _convert(value_node, loc + (key,), smap, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            smap.set_line(loc + (index,), item.start_mark.line + 1)
            items.append(_convert(item, loc + (index,), smap, budget))
        return items
    return _scalar(node, ctor)


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.Node, ctor: SafeConstructor) -> Any:
    """Return a scalar's value; an unknown tag (``!!python/…``) is an error, not code."""
    if node.tag == _STR:  # most of them: what the constructor returns, without its detour
        return node.value
    try:
        return ctor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise YamlError("yaml_syntax", f"不支持的 YAML 标签「{node.tag}」，请删除以「!」开头的标记",
                        node.start_mark.line + 1) from None
    except (ValueError, OverflowError, yaml.YAMLError):
        return node.value  # e.g. 2024-13-01 looks like a date but is none: keep the text
