"""The figures of a workspace's fixed tables: read, checked, turned into document tables.

A workspace gives them in ``tables.yaml`` (``表格键: {行键: {值键: 数}}``, nested by the
dots of a cell's name) or in ``tables.xlsx`` (the workbook `table_workbook` writes: one
sheet per table, laid out like the printed table). Every value keeps where it was
written (YAML line, or sheet and cell), so each problem points there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .document import Cell, Table
from .issues import Issue, Location
from .messages_zh import issue
from .table_spec import OPERATORS, PREVIOUS, TOP, Relation, TableSpec, expand, grid, terms
from .table_values import NA, TableValues, cell_value, in_yuan, parse_value, show, sum_terms

DATA_YAML = "tables.yaml"
DATA_XLSX = "tables.xlsx"


def read_tables(root: Path, specs: dict[str, TableSpec]) -> tuple[TableValues | None, list[Issue]]:
    """Return the table values of the workspace at ``root`` (None when it gives none), or
    of the report DOCX ``root`` (last year's, for the cross-year relations)."""
    if not specs:
        return None, []
    if root.suffix.lower() == ".docx" and root.is_file():  # last year's report
        from .table_docx import read_docx_tables

        return read_docx_tables(root, specs)
    if (root / DATA_XLSX).is_file():
        return read_workbook_tables(root / DATA_XLSX, DATA_XLSX, specs)
    if (root / DATA_YAML).is_file():
        return _read_yaml(root / DATA_YAML, DATA_YAML, specs)
    return None, []


def _read_yaml(path: Path, rel: str, specs: dict[str, TableSpec]
               ) -> tuple[TableValues | None, list[Issue]]:
    from .sources.yaml_source import YamlError, load_yaml

    try:
        data, smap = load_yaml(path)
    except YamlError as exc:
        return None, [issue(exc.code, Location(file=rel, line=exc.line), detail=exc.detail)]
    except OSError as exc:
        return None, [issue("file_unreadable", Location(file=rel), detail=str(exc))]
    out, problems = TableValues(rel), []
    if not isinstance(data, dict):
        return out, [issue("not_a_mapping", Location(file=rel, line=1))]
    for key, body in data.items():
        spec = specs.get(str(key))
        if spec is None:
            problems.append(issue("table_cell_unknown", smap.location(rel, (key,)),
                                  table=key, cell="", hint=_hint(str(key), list(specs))))
            continue
        out.present.add(spec.key)
        for parts, raw in _leaves(body, (key,)):
            name = ".".join(str(p) for p in parts[1:])
            loc = smap.location(rel, parts)
            cell = spec.value(name)
            if cell is None:
                problems.append(issue("table_cell_unknown", loc, table=spec.key, cell=name,
                                      hint=_hint(name, [c.key for c in spec.values])))
                continue
            out.where[(spec.key, name)] = loc
            value, problem = parse_value(raw, cell)
            if problem:
                problems.append(issue("table_cell_invalid", loc, table=spec.key, cell=name,
                                      value=raw, detail=problem))
                continue
            if in_yuan(raw, cell):
                problems.append(_yuan(loc, spec, name, raw, value))
            out.values.setdefault(spec.key, {})[name] = value
    return out, problems


def _yuan(loc: Location, spec: TableSpec, name: str, raw: Any, value: Any) -> Issue:
    cell = spec.value(name)
    return issue("table_cell_yuan", loc, table=spec.key, cell=name, value=str(raw).strip(),
                 converted=show(value, cell) if cell else value)


def _leaves(body: Any, parts: tuple):
    if isinstance(body, dict):
        for key, value in body.items():
            yield from _leaves(value, (*parts, key))
    else:
        yield parts, body


def _hint(name: str, names: list[str]) -> str:
    from .suggest import closest

    close = closest(name, names, cutoff=0.4)
    return f"（是否应为「{close}」？）" if close else ""


def document_table(spec: TableSpec, values: TableValues | None) -> Table:
    """Return the document-model table of ``spec`` filled with ``values``."""
    data = values.values.get(spec.key, {}) if values else {}
    rows = [tuple(Cell(show(data.get(c.key), c) if c.key else c.text, c.colspan, c.rowspan,
                       c.header) for c in row) for row in spec.rows]
    return Table(tuple(rows), header_rows=spec.header_rows, caption="", kind=spec.key)


# -- checks --------------------------------------------------------------------------


def check_tables(specs: dict[str, TableSpec], wanted: list[str], values: TableValues | None,
                 previous: TableValues | None, where: Location) -> list[Issue]:
    """Return the problems of the tables ``wanted`` (those the report prints): missing
    tables, blank cells, and every broken relation at the cell it names."""
    out: list[Issue] = []
    for key in wanted:
        spec = specs[key]
        if values is None or key not in values.present:
            if values is not None and values.file == DATA_XLSX:
                where = Location(file=DATA_XLSX, sheet=spec.sheet)
            out.append(issue("table_missing", where, table=spec.title, key=key,
                             file=DATA_YAML, xlsx=DATA_XLSX))
            continue
        data = values.values.get(key, {})
        refused = {n for (t, n) in values.where if t == key and n not in data}
        for cell in spec.values:
            if data.get(cell.key) is None and cell.key not in refused:
                out.append(issue("table_cell_blank", values.loc(key, cell.key),
                                 table=spec.title, cell=cell.key))
        for relation in spec.relations:
            if relation.text is None:  # those with 文中 need the narrative: table_text
                out.extend(_relation(spec, relation, values, previous))
    return out


def _relation(spec: TableSpec, relation: Relation, values: TableValues,
              previous: TableValues | None) -> list[Issue]:
    out = []
    targets = [relation.target] * len(expand(relation)) if relation.target else []
    for index, expr in enumerate(expand(relation)):
        if PREVIOUS in expr and previous is None:
            continue
        op = next(o for o in OPERATORS if o in expr)
        left_text, right_text = expr.split(op, 1)
        left, right = terms(left_text, spec), terms(right_text, spec)
        if previous is not None and any(  # last year's report did not give that figure
                previous.get(spec.key, name[len(PREVIOUS):]) is None
                for _, name in left + right if name.startswith(PREVIOUS)):
            continue
        total_l = sum_terms(left, spec, values, previous)
        total_r = sum_terms(right, spec, values, previous)
        ok = {"=": total_l == total_r, "<=": total_l <= total_r, ">=": total_l >= total_r}[op]
        if ok:
            continue
        target = targets[index] if targets else left[0][1]
        sign = next((s for s, n in left if n == target), 1)
        actual = cell_value(values.get(spec.key, target))
        expected = actual + sign * (total_r - total_l)
        cell = spec.value(target)
        code = "table_previous_mismatch" if PREVIOUS in expr else "table_relation_broken"
        out.append(issue(code, values.loc(spec.key, target), table=spec.title, cell=target,
                         actual=show(actual, cell) if cell else actual,
                         expected=show(expected, cell) if cell else expected,
                         relation=relation.ident, rule=relation.description,
                         op={"=": "应为", "<=": "不应超过", ">=": "不应少于"}[op]))
    return out


def table_names(template: Any, root: Path) -> tuple[TableValues | None, dict, list[Issue]]:
    """Return the workspace's table values, the names narrative text may use for them
    (``{{ 表格键.行键.值键 }}``, so prose repeats the tables' own figures) and the
    problems found reading them (pipeline step, before the outline)."""
    from .references import Group

    specs = template.tables if template is not None else {}
    if not specs:
        return None, {}, []
    values, problems = read_tables(root, specs)
    names: dict[str, Group] = {}
    for key, cells in (values.values.items() if values else ()):
        top = names.setdefault(key, Group(key))
        for name, value in cells.items():
            node = top
            *path, last = name.split(".")
            for part in path:
                node = node.setdefault(part, Group(f"{node.name}.{part}"))
            node[last] = 0 if value == NA else value
    return values, names, problems


def attach_tables(prepared: Any, values: TableValues | None) -> None:
    """Check and place the fixed tables of a prepared workspace (pipeline step): problems
    go to its report, the filled tables to its outline."""
    template, outline = prepared.template, prepared.outline
    specs = template.tables if template is not None else {}
    if not specs or outline is None:
        return
    wanted = [key for s in outline.sections for key in s.spec.tables if key in specs]
    if not wanted:
        return
    problems: list[Issue] = []
    last: TableValues | None = None
    if prepared.previous is not None:
        last, _ = read_tables(prepared.previous.root, specs)
    problems += check_tables(specs, wanted, values, last, Location(file=DATA_YAML))
    if values is not None and any(r.text for key in wanted for r in specs[key].relations):
        from .table_text import check_text_relations

        problems += check_text_relations(prepared.ready(), [specs[k] for k in wanted], values)
    prepared.report.add(problems)
    outline.tables = {key: document_table(specs[key], values) for key in wanted}


def read_workbook_tables(path: Path, rel: str, specs: dict[str, TableSpec]
                         ) -> tuple[TableValues | None, list[Issue]]:
    """Return the values of the workbook at ``path``, each located by sheet and cell."""
    from openpyxl import load_workbook

    from .sources.sheets import cell_ref

    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        return None, [issue("xlsx_corrupt", Location(file=rel), detail=f"（{exc}）")]
    out, problems = TableValues(rel), []
    for spec in specs.values():
        if spec.sheet not in book.sheetnames:
            continue
        rows = list(book[spec.sheet].iter_rows(values_only=True))
        for placed in grid(spec):
            cell = placed.cell
            if not cell.key:
                continue
            row, col = placed.row + TOP, placed.col
            raw = rows[row][col] if row < len(rows) and col < len(rows[row]) else None
            loc = Location(file=rel, sheet=spec.sheet, cell=cell_ref(row, col),
                           path=f"{spec.key}.{cell.key}")
            out.where[(spec.key, cell.key)] = loc
            value, problem = parse_value(raw, cell)
            if problem:
                problems.append(issue("table_cell_invalid", loc, table=spec.key, cell=cell.key,
                                      value=raw, detail=problem))
                out.present.add(spec.key)
                continue
            if in_yuan(raw, cell):
                problems.append(_yuan(loc, spec, cell.key, raw, value))
            out.values.setdefault(spec.key, {})[cell.key] = value
            if value is not None:  # a sheet nobody touched is a table not given
                out.present.add(spec.key)
    book.close()
    return out, problems
