"""Regenerate the workbook fixtures of tests/cases/invalid/ (one folder per issue code).

Usage: python scripts/make_rule_fixtures.py [TARGET]     (default: tests/cases/invalid)

The rules about department workbooks need real .xlsx files, and a few files that are not
workbooks at all. Each case below writes its whole folder: report.yaml, the department file
and expected.yaml (the code and the sheet and cell it must be reported at). Workbooks are
written as `nianbao init` writes them (generator/workbook_writer.py), then filled as a
department would; timestamps are fixed so that every run writes the same bytes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, Callable

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.workbook_metrics import WorkbookMetric  # noqa: E402
from generator.workbook_writer import MetricRow, WorkbookSpec, freeze_workbook, write_workbook  # noqa: E402

REPORT = "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n"
BOOK = "司法局.xlsx"
SECTIONS = [("正文", "正文")]  # the work-report template
ITEM = {"章节": "正文", "标题": "加强组织领导", "正文": "全年召开专题会议3次。"}
ACCEPTED = WorkbookMetric("行政复议", "受理", "件", "count")  # row 4 of 指标: value in C4
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "tests" / "cases" / "invalid"
    for code, (name, write, where) in CASES.items():
        folder = target / code
        (folder / "departments").mkdir(parents=True, exist_ok=True)
        (folder / "report.yaml").write_text(REPORT, encoding="utf-8")
        write(folder / "departments" / name)
        expected = [f"code: {code}", f"file: departments/{name}",
                    *(f"{key}: {value}" for key, value in where.items())]
        (folder / "expected.yaml").write_text(
            "# 由 scripts/make_rule_fixtures.py 生成\n" + "\n".join(expected) + "\n",
            encoding="utf-8")
        print(f"wrote {folder}")
    return 0


def _workbook(metrics: list[WorkbookMetric], cells: dict[str, Any] | None = None,
              items: list[dict[str, Any]] | None = None,
              drop: str | None = None) -> Callable[[Path], None]:
    """Return a writer of the `init` workbook with ``metrics``, then ``cells`` of the 指标
    sheet filled in (None values stay blank) and sheet ``drop`` deleted."""

    def write(path: Path) -> None:
        write_workbook(path, WorkbookSpec("司法局", "测试县", 2023, SECTIONS,
                                          metrics=[MetricRow(m) for m in metrics],
                                          items=items or []))
        if cells or drop:
            book = openpyxl.load_workbook(path)
            for ref, value in (cells or {}).items():
                book["指标"][ref] = value
            if drop:
                del book[drop]
            book.save(path)
        freeze_workbook(path)

    return write


def _foreign_workbook(path: Path) -> None:
    """A department's own summary workbook instead of the collection workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工作总结"
    sheet["A1"], sheet["A2"] = "测试县司法局2023年工作总结", "全年召开专题会议3次。"
    book.properties.creator = "nianbao"
    book.save(path)
    freeze_workbook(path)


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


AT_C4 = {"sheet": "指标", "cell": "C4"}
#: code → (department file name, writer of that file, where the issue must be reported).
CASES: dict[str, tuple[str, Callable[[Path], None], dict[str, str]]] = {
    "cell_not_number": (BOOK, _workbook([ACCEPTED], {"C4": "约30"}), AT_C4),
    "cell_normalised": (BOOK, _workbook([ACCEPTED], {"C4": "30件"}), AT_C4),
    "formula_no_value": (BOOK, _workbook([ACCEPTED], {"C4": "=SUM(C5:C6)"}), AT_C4),
    "metric_unfilled": (BOOK, _workbook([ACCEPTED]), AT_C4),
    # a row added at the end of the sheet: a value without a name, a name without a group
    "metric_unnamed": (BOOK, _workbook([ACCEPTED], {"C4": 30, "C5": 12}),
                       {"sheet": "指标", "cell": "C5"}),
    "metric_no_group": (BOOK, _workbook([ACCEPTED], {"C4": 30, "B5": "调解成功", "C5": 12}),
                        {"sheet": "指标", "cell": "B5"}),
    # whole-file problems: no sheet or cell
    "sheet_missing": (BOOK, _workbook([], items=[ITEM], drop="指标"), {}),
    "workbook_no_tables": (BOOK, _foreign_workbook, {}),
    "xlsx_corrupt": (BOOK, _bytes(b"junk" + random.Random(5).randbytes(252)), {}),
    "xlsx_encrypted": (BOOK, _bytes(OLE_MAGIC + bytes(504) + "EncryptedPackage".encode(
        "utf-16-le")), {}),
    "xlsx_save_as": ("司法局.xls", _bytes(OLE_MAGIC + bytes(504)), {}),
}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
