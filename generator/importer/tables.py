"""The fixed tables of an imported report: read back from the DOCX (`table_docx`) and
written as the workspace's tables.yaml, nested by the dots of each cell's name in the
order the template declares them (docs/tables.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..table_values import NA, show

DATA_FILE = "tables.yaml"
_PLAIN = re.compile(r"[\u4e00-\u9fff][\w\u4e00-\u9fff]*")  # a key YAML reads as it is


def read_back(source: Path, specs: dict[str, Any], tables: int) -> tuple[Any, list[str]]:
    """Return the values of ``specs`` found in the DOCX ``source`` (None: not a DOCX or
    none found) and what needs a human look (Chinese); ``tables`` is how many tables the
    DOCX has."""
    from ..table_docx import read_docx_tables

    if source.suffix.lower() != ".docx":
        return None, ["原文不是 Word（.docx）文件，统计表的数字未导入；请在工作区的 tables.yaml 中填写，"
                      "或用 nianbao init 生成 tables.xlsx 填写"]
    values, problems = read_docx_tables(source, specs)
    if values is None or problems:
        return None, [p.message for p in problems]
    notes = []
    for spec in specs.values():
        if spec.key not in values.present:
            notes.append(f"原文中未找到「{spec.title}」表，未导入；请在 tables.yaml 中填写「{spec.key}:」")
            continue
        lost = [c.key for c in spec.values if values.get(spec.key, c.key) is None]
        if lost:
            notes.append(f"「{spec.title}」表有 {len(lost)} 格未能读回（空白或不是数字，"
                         f"如「{lost[0]}」）；请在 tables.yaml 中补充")
    if tables > len(values.present):
        notes.append(f"原文另有 {tables - len(values.present)} 个表格不是模板的统计表，未导入")
    return (values if values.present else None), notes


def tables_yaml(values: Any, specs: dict[str, Any], source: str) -> str:
    """Return the text of tables.yaml holding ``values`` (`table_values.TableValues`)."""
    out = [f"# 由 nianbao import 从「{source}」的表格中读回的数字（请核对）。",
           "# 名称与模板的 tables.yaml 对应，格式见 docs/tables.md。"]
    for spec in specs.values():
        if spec.key not in values.present:
            continue
        tree: dict[str, Any] = {}
        for cell in spec.values:
            value = values.get(spec.key, cell.key)
            if value is None:
                continue
            *path, leaf = cell.key.split(".")
            node: Any = tree
            for part in path:
                node = node.setdefault(part, {}) if isinstance(node, dict) else None
            if isinstance(node, dict):  # (a name that is also a prefix cannot nest)
                node[leaf] = _value(value, cell)
        out.append(f"{_key(spec.key)}:")
        out += _lines(tree, "  ")
    return "\n".join(out) + "\n"


def _lines(tree: dict[str, Any], indent: str) -> list[str]:
    out = []
    for key, value in tree.items():
        if not isinstance(value, dict):
            out.append(f"{indent}{_key(key)}: {value}")
        elif all(not isinstance(v, dict) for v in value.values()):
            inner = ", ".join(f"{_key(k)}: {v}" for k, v in value.items())
            out.append(f"{indent}{_key(key)}: {{{inner}}}")
        else:
            out.append(f"{indent}{_key(key)}:")
            out += _lines(value, indent + "  ")
    return out


def _key(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _value(value: Any, cell: Any) -> str:
    return json.dumps(NA) if value == NA else show(value, cell)
