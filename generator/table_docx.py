"""Read a report's fixed tables back from a DOCX (last year's published report, for the
cross-year relations): each declared data row is found by its last label (whitespace,
bracket width and 1、/1. normalised), its figures are the row's numeric cells in order;
a row without labels is the table's all-numeric row."""

from __future__ import annotations

import re
from pathlib import Path

from .issues import Issue, Location
from .messages_zh import issue
from .table_spec import TableSpec
from .table_values import NA, TableValues, parse_value

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", "、": ".", "．": "."})


def normalise(text: str) -> str:
    """Return a label as compared: no whitespace, full-width brackets, 1、 → 1."""
    return _SPACE.sub("", text).translate(_FOLD)


def _figure(text: str) -> bool:
    text = text.strip()
    return text in ("/", "／") or re.fullmatch(r"\d+(?:\.\d+)?", text) is not None


def read_docx_tables(path: Path, specs: dict[str, TableSpec]
                     ) -> tuple[TableValues | None, list[Issue]]:
    """Return the values of ``specs`` found in the DOCX at ``path``."""
    import zipfile

    from docx import Document

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None, [issue("xlsx_corrupt", Location(file=path.name), detail="（不是有效的 DOCX）")]
    rows = []  # (labels, figures) of every row of every table, per table
    for table in document.tables:
        lines = []
        for row in table.rows:
            texts, seen = [], set()
            for cell in row.cells:  # a merged cell repeats: keep it once
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    texts.append(cell.text)
            labels = [normalise(t) for t in texts if t.strip() and not _figure(t)]
            figures = [t.strip() for t in texts if _figure(t)]
            lines.append((labels, figures))
        rows.append(lines)
    out = TableValues(path.name)
    for spec in specs.values():
        for lines in rows:
            if _fill(spec, lines, out):
                out.present.add(spec.key)
                break
    return out, []


def _fill(spec: TableSpec, lines: list, out: TableValues) -> bool:
    """Fill ``out`` with the rows of ``spec`` found in one DOCX table; False if none."""
    found = False
    for row in spec.rows:
        values = [c for c in row if c.key]
        labels = [normalise(c.text) for c in row if not c.key and not c.header]
        if not values:
            continue
        if labels:
            match = next((figs for labs, figs in lines if labs and labs[-1] == labels[-1]), None)
        else:
            match = next((figs for labs, figs in lines if not labs and len(figs) == len(values)),
                         None)
        if match is None or len(match) != len(values):
            continue
        found = True
        for cell, text in zip(values, match):
            value, problem = parse_value(text, cell)
            if not problem:
                out.values.setdefault(spec.key, {})[cell.key] = value if value != NA else NA
                out.where[(spec.key, cell.key)] = Location(file=out.file,
                                                           path=f"{spec.key}.{cell.key}")
    return found
