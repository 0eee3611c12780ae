"""Look inside an .xlsx package for what calamine does not report.

`sniff` tells a real .xlsx from an old .xls/.et, a password-protected file or junk before
calamine opens it. `cell_facts` reads one worksheet's XML for formula cells that have no
saved result, for error values (#DIV/0!) and for cells formatted as percentages.
Standard library only.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, .et, encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BUILTIN_PERCENT = {9, 10}


def sniff(path: Path) -> tuple[str, dict[str, str]] | None:
    """Return ``(issue code, ctx)`` when ``path`` is not a readable .xlsx, else None."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        return None
    if head == OLE_MAGIC:
        if _ENCRYPTED in path.read_bytes():
            return "xlsx_encrypted", {}
        return "xlsx_save_as", {"suffix": "旧版 .xls/.et"}
    if not head:
        return "xlsx_corrupt", {"detail": "（文件为空）"}
    return "xlsx_corrupt", {"detail": ""}


@dataclass
class CellFacts:
    """Facts about one worksheet's cells, by A1 reference."""

    unsaved_formulas: dict[str, str] = field(default_factory=dict)  # cell → formula text
    errors: dict[str, str] = field(default_factory=dict)  # cell → #DIV/0! etc. (calamine: "")
    percent: set[str] = field(default_factory=set)


def cell_facts(path: Path, sheet: str) -> CellFacts:
    """Return the `CellFacts` of worksheet ``sheet`` (empty facts if anything is odd)."""
    facts = CellFacts()
    try:
        with zipfile.ZipFile(path) as package:
            part = _sheet_part(package, sheet)
            if part is None:
                return facts
            percent_styles = _percent_styles(package)
            with package.open(part) as stream:
                _scan(stream, percent_styles, facts)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return CellFacts()
    return facts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rel_id = next((el.get(f"{{{_REL_NS}}}id") for el in book.iter()
                   if _local(el.tag) == "sheet" and el.get("name") == sheet), None)
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    return None


def _percent_styles(package: zipfile.ZipFile) -> set[int]:
    """Return the indexes of cell styles (``s`` attributes) that display a percentage."""
    try:
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_formats = set(_BUILTIN_PERCENT)
    for el in styles.iter():
        if _local(el.tag) == "numFmt" and "%" in re.sub(r'"[^"]*"|\\.', "",
                                                        el.get("formatCode", "")):
            percent_formats.add(int(el.get("numFmtId", "-1")))
    xfs = next((el for el in styles if _local(el.tag) == "cellXfs"), None)
    if xfs is None:
        return set()
    return {index for index, xf in enumerate(xfs)
            if int(xf.get("numFmtId", "0")) in percent_formats}


def _scan(stream, percent_styles: set[int], facts: CellFacts) -> None:
    for _, el in ElementTree.iterparse(stream, events=("end",)):
        if _local(el.tag) != "c":
            continue
        ref = el.get("r", "")
        formula = value = None
        for child in el:
            name = _local(child.tag)
            if name == "f":
                formula = child.text or ""
            elif name == "v":
                value = child.text
        if formula is not None and not value:
            facts.unsaved_formulas[ref] = formula
        elif el.get("t") == "e" and value:
            facts.errors[ref] = value
        if el.get("s", "").isdigit() and int(el.get("s", "0")) in percent_styles:
            facts.percent.add(ref)
        el.clear()
