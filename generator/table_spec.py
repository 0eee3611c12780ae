"""Fixed statistical tables declared by a template folder (``tables.yaml``), as data.

A table is a list of rows. A row is either a header row (``表头``: header cells) or a
data row (``标签``: label cells, ``键``: the row key, ``值``: its value cells). Cells span
columns and rows HTML-style (``列宽`` / ``行高``). A value cell is named
``<row key>.<value key>`` (just ``<value key>`` when the row has no key) and has a type
(``整数`` or ``万元``). ``关系`` lists declarative arithmetic between cells (checked
by `table_data`); a relation with ``文中`` compares cells with the figures the narrative
text of a section states (`table_text`). `grid` places every cell on the table's grid, so the DOCX table, the
workbook sheet and the error locations all come from the same declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

#: Cell types: how a value is checked and printed.
TYPES = ("整数", "万元")
SPEC_FILE = "tables.yaml"
PREVIOUS = "上年:"  # a term taking last year's value of a cell
TEXT_TERM = "文中"  # the term standing for a figure found in a section's narrative text
OPERATORS = ("<=", ">=", "=")
_TERM = re.compile(r"\s*([+-]?)\s*([^+\-]+)")
TOP = 2  # in the tables workbook a table starts on row 3 (row 1: its title, row 2: a note)


class TableSpecError(ValueError):
    """tables.yaml of a template does not declare valid tables."""


@dataclass(frozen=True)
class CellSpec:
    """One declared cell: a label (``key`` empty) or a value cell named ``key``."""

    text: str = ""
    key: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    kind: str = "整数"


@dataclass(frozen=True)
class TextFigures:
    """Where a relation's ``文中`` figures are found: the narrative text of ``section``
    (a template section key), at each match of ``patterns`` (regular expressions): the
    first group is the figure; a pattern without a group states that there is none (0)."""

    section: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Relation:
    """``left op right`` between sums of cells; each term a cell name, ``上年:`` for last
    year's value, ``*`` to match several cells; ``{名}`` placeholders expanded over ``每``."""

    ident: str
    description: str
    expression: str
    target: str = ""  # the cell a mismatch is reported at (default: first left term)
    each: dict[str, list[str]] = field(default_factory=dict)
    text: TextFigures | None = None  # ``文中``: checked once for each figure the text states


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    sheet: str
    columns: int
    header_rows: int
    rows: tuple[tuple[CellSpec, ...], ...]
    relations: tuple[Relation, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths

    @property
    def values(self) -> list[CellSpec]:
        """Return the value cells in reading order."""
        return [c for row in self.rows for c in row if c.key]

    def value(self, name: str) -> CellSpec | None:
        return next((c for c in self.values if c.key == name), None)


@dataclass(frozen=True)
class Placed:
    """A cell placed on the grid: 0-based row and column of its top-left corner."""

    cell: CellSpec
    row: int
    col: int


def grid(spec: TableSpec) -> list[Placed]:
    """Return every cell of ``spec`` with its grid position (HTML table algorithm)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(spec.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append(Placed(cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def load_table_specs(folder: Path) -> dict[str, TableSpec]:
    """Return the tables declared in ``folder/tables.yaml`` (none when there is no file).

    Raises:
        TableSpecError: naming the table and row that are not valid.
    """
    from .sources.yaml_source import YamlError, load_yaml

    path = folder / SPEC_FILE
    if not path.is_file():
        return {}
    try:  # templates are untrusted too: the same size and alias limits as data
        data = load_yaml(path)[0] or {}
    except YamlError as exc:
        raise TableSpecError(f"{SPEC_FILE} 第{exc.line}行：{exc.detail}") from None
    except OSError as exc:
        raise TableSpecError(f"{SPEC_FILE} 无法读取：{exc}") from None
    if not isinstance(data, dict):
        raise TableSpecError(f"{SPEC_FILE} 应是「表格键: 定义」的映射")
    return {str(key): _table(str(key), body) for key, body in data.items()}


def _table(key: str, body: Any) -> TableSpec:
    if not isinstance(body, dict) or not isinstance(body.get("行"), list):
        raise TableSpecError(f"表格「{key}」应有「行」列表")
    rows = tuple(_row(key, i, row) for i, row in enumerate(body["行"], 1))
    relations = tuple(Relation(str(r["编号"]), str(r.get("说明", "")), str(r["式"]),
                               str(r.get("核对", "")),
                               {str(k): [str(x) for x in v] for k, v in (r.get("每") or {}).items()},
                               _text_figures(key, r))
                      for r in body.get("关系") or [])
    spec = TableSpec(key, str(body.get("标题", key)), str(body.get("工作表", key)),
                     int(body["列数"]), int(body.get("表头行数", 0)), rows, relations,
                     tuple(float(w) for w in body.get("列宽") or ()))
    names = [c.key for c in spec.values]
    if len(names) != len(set(names)):
        raise TableSpecError(f"表格「{key}」中有重名的值单元格")
    width = {p.row: 0 for p in grid(spec)}
    for p in grid(spec):
        width[p.row] = max(width[p.row], p.col + p.cell.colspan)
    if any(w > spec.columns for w in width.values()):
        raise TableSpecError(f"表格「{key}」有行超过「列数」{spec.columns}")
    _check_relations(spec)
    return spec


def _text_figures(table: str, relation: dict) -> TextFigures | None:
    """Return the ``文中`` of a relation (None without one), its patterns checked."""
    body = relation.get("文中")
    if body is None:
        return None
    ident = relation.get("编号")
    patterns = body.get("写法") if isinstance(body, dict) else None
    if not isinstance(patterns, list) or not patterns or not body.get("章节"):
        raise TableSpecError(f"表格「{table}」的关系 {ident} 的「文中」应写明「章节」和「写法」列表")
    for pattern in patterns:
        try:
            groups = re.compile(str(pattern)).groups
        except re.error as exc:
            raise TableSpecError(f"表格「{table}」的关系 {ident} 的写法「{pattern}」不是有效的"
                                 f"正则表达式（{exc}）") from None
        if groups > 1:
            raise TableSpecError(f"表格「{table}」的关系 {ident} 的写法「{pattern}」最多一个分组"
                                 "（分组即文中的数字）")
    return TextFigures(str(body["章节"]), tuple(str(p) for p in patterns))


def _row(table: str, index: int, row: Any) -> tuple[CellSpec, ...]:
    if not isinstance(row, dict):
        raise TableSpecError(f"表格「{table}」第{index}行应是映射")
    if "表头" in row:
        return tuple(_label(c, True) for c in row["表头"])
    labels = tuple(_label(c, False) for c in row.get("标签") or [])
    prefix = str(row.get("键", ""))
    values = []
    for item in row.get("值") or []:
        item = item if isinstance(item, dict) else {"键": item}
        kind = str(item.get("类型", row.get("类型", "整数")))
        if kind not in TYPES:
            raise TableSpecError(f"表格「{table}」第{index}行的类型「{kind}」应为 {'、'.join(TYPES)}")
        name = f"{prefix}.{item['键']}" if prefix else str(item["键"])
        values.append(CellSpec("", name, int(item.get("列宽", 1)), int(item.get("行高", 1)),
                               False, kind))
    return labels + tuple(values)


def _label(cell: Any, header: bool) -> CellSpec:
    if isinstance(cell, dict):
        return CellSpec(str(cell.get("文字", "")), "", int(cell.get("列宽", 1)),
                        int(cell.get("行高", 1)), header)
    return CellSpec(str(cell), "", 1, 1, header)


def expand(relation: Relation) -> list[str]:
    """Return the relation's expression once for each combination of its ``每`` values."""
    exprs = [relation.expression]
    for name, items in relation.each.items():
        exprs = [e.replace("{" + name + "}", item) for e in exprs for item in items]
    return exprs


def terms(text: str, spec: TableSpec) -> list[tuple[int, str]]:
    """Return (sign, cell name) of each term; wildcards expand to the matching cells."""
    out = []
    for sign, name in _TERM.findall(text):
        name = name.strip()
        factor = -1 if sign == "-" else 1
        prefix = PREVIOUS if name.startswith(PREVIOUS) else ""
        bare = name[len(prefix):]
        if "*" in bare:
            out += [(factor, prefix + c.key) for c in spec.values if fnmatchcase(c.key, bare)]
        else:
            out.append((factor, name))
    return out


def _check_relations(spec: TableSpec) -> None:
    """Raise TableSpecError for a relation without an operator or naming no cell."""
    cells = {c.key for c in spec.values}
    for relation in spec.relations:
        names = cells | {TEXT_TERM} if relation.text else cells
        for expr in expand(relation):
            op = next((o for o in OPERATORS if o in expr), None)
            if op is None:
                raise TableSpecError(f"表格「{spec.key}」的关系 {relation.ident} 缺少 =、<= 或 >=")
            for side in expr.split(op, 1):
                found = terms(side, spec)
                unknown = [n for _, n in found if n.removeprefix(PREVIOUS) not in names]
                if not found or unknown:
                    raise TableSpecError(f"表格「{spec.key}」的关系 {relation.ident} 中的单元格"
                                         f"「{'、'.join(unknown) or side.strip()}」不存在")
            if relation.text and [n for _, n in terms(expr.replace(op, "+"), spec)
                                  ].count(TEXT_TERM) != 1:
                raise TableSpecError(f"表格「{spec.key}」的关系 {relation.ident} 有「文中」，"
                                     f"式中应恰有一项「{TEXT_TERM}」")
