"""Read a report's fixed tables back from a DOCX (last year's published report, for the
cross-year relations): each declared data row is found by its last label (whitespace,
bracket width and 1、/1. normalised); its figures are the row's last cells, one for each
value the row declares (a blank cell is a blank value); a row without labels is the
table's all-numeric row. A row counts only under the column headers the template
declares for it: where the nearest header row above it says otherwise (the 2019 trial
format's 本年新制作数量 where 2021 has 本年制发件数), its figures mean something else and
are not read.
"""

from __future__ import annotations

import re
from pathlib import Path

from .issues import Issue, Location
from .messages_zh import issue
from .table_spec import TableSpec
from .table_values import TableValues, parse_value

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", "、": ".", "．": "."})


def normalise(text: str) -> str:
    """Return a label as compared: no whitespace, full-width brackets, 1、 → 1."""
    return _SPACE.sub("", text).translate(_FOLD)


def _figure(text: str) -> bool:
    text = text.strip()
    return text in ("/", "／") or re.fullmatch(r"\d+(?:\.\d+)?(?:万?元)?", text) is not None


def read_docx_tables(path: Path, specs: dict[str, TableSpec]
                     ) -> tuple[TableValues | None, list[Issue]]:
    """Return the values of ``specs`` found in the DOCX at ``path``."""
    import zipfile

    from docx import Document

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None, [issue("xlsx_corrupt", Location(file=path.name), detail="（不是有效的 DOCX）")]
    tables = []  # the texts of every row (a merged cell once), per table
    for table in document.tables:
        lines = []
        for row in table.rows:
            texts, seen = [], set()
            for cell in row.cells:  # a merged cell repeats: keep it once
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    texts.append(cell.text.strip())
            lines.append(texts)
        tables.append(lines)
    out = TableValues(path.name)
    for spec in specs.values():
        for lines in tables:
            if _fill(spec, lines, out):
                out.present.add(spec.key)
                break
    return out, []


def _fill(spec: TableSpec, lines: list[list[str]], out: TableValues) -> bool:
    """Fill ``out`` with the rows of ``spec`` found in one DOCX table; False if none."""
    found = False
    heads = [[normalise(c.text) for c in row if c.text.strip()] if row and row[0].header
             else None for row in spec.rows]
    for index, row in enumerate(spec.rows):
        values = [c for c in row if c.key]
        labels = [normalise(c.text) for c in row if not c.key and not c.header]
        if not values:
            continue
        head = next((h for h in reversed(heads[:index]) if h), [])
        match = next((texts[-len(values):] for at, texts in enumerate(lines)
                      if _is_row(texts, labels, len(values))
                      and _under(head, lines[:at])), None)
        if match is None:
            continue
        found = True
        for cell, text in zip(values, match):
            value, problem = parse_value(text, cell)
            if not problem:
                out.values.setdefault(spec.key, {})[cell.key] = value
                out.where[(spec.key, cell.key)] = Location(file=out.file,
                                                           path=f"{spec.key}.{cell.key}")
    return found


def _is_row(texts: list[str], labels: list[str], count: int) -> bool:
    """Whether a DOCX row is the declared row: its last label before ``count`` value
    cells is the declared last label (no labels: ``count`` cells, some figures)."""
    figures = texts[-count:] if len(texts) >= count else []
    if not figures:
        return False
    if labels:
        return len(texts) > count and normalise(texts[-count - 1]) == labels[-1]
    return len(texts) == count and any(_figure(t) for t in figures)


def _under(head: list[str], above: list[list[str]]) -> bool:
    """Whether the nearest header row in ``above`` (a row of text only: no figure and no
    blank cell) holds ``head`` in order; true when there is none to contradict it."""
    row = next((r for r in reversed(above) if r and all(t and not _figure(t) for t in r)),
               None)
    if row is None or not head:
        return True
    texts = iter(normalise(t) for t in row)
    return all(any(_same(want, text) for text in texts) for want in head)


def _same(want: str, text: str) -> bool:
    """Header texts agree: equal, or one the start of the other (「现行有效件」)."""
    return text == want or (min(len(text), len(want)) >= 4
                            and (text.startswith(want) or want.startswith(text)))
