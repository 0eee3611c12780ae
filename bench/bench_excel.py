"""Time reading department workbooks: python-calamine (ours) vs openpyxl; and the build of
data_examples/zichuan-2024-xlsx vs its YAML twin data_examples/zichuan-2024.

Usage: python bench/bench_excel.py [--departments 30] [--repeat 7]

Prints medians in milliseconds and the ratios (issue #3).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_time(function, repeat: int) -> float:
    """Return the median of ``repeat`` timings of ``function()`` in seconds (after a warm-up)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_workbooks(folder: Path, count: int) -> list[Path]:
    """Write ``count`` filled collection workbooks (司法局-sized: 24 metrics, 20 items)."""
    from generator.report_type import load_report_type
    from generator.workbook_writer import MetricRow, WorkbookSpec, write_workbook

    sections = [("主要举措和成效", "举措"), ("存在的不足和原因", "不足")]
    text = "全面梳理、规范、精简执法事项，共受理案件{{ 法律援助.受理案件 }}件。" * 8
    paths = []
    for index in range(count):
        asked = load_report_type("fazhi-annual")[0].metrics_for("司法局")
        metrics = [MetricRow(spec, 50 + index) for spec in asked]
        items = [{"章节": "主要举措和成效", "标题": f"第{n}项工作", "正文": text} for n in range(20)]
        path = folder / f"部门{index:02d}.xlsx"
        write_workbook(path, WorkbookSpec(path.stem, "测试区", 2023, sections,
                                          metrics=metrics, items=items))
        paths.append(path)
    return paths


def read_ours(paths: list[Path]) -> None:
    from generator.sources.excel_source import read_workbook

    for path in paths:
        assert read_workbook(path, path.name).data is not None


def read_calamine_raw(paths: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        book.close()


def read_openpyxl(paths: list[Path], read_only: bool) -> None:
    import openpyxl

    for path in paths:
        book = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        book.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-xlsx-"))
    paths = make_workbooks(folder, args.departments)

    ours = median_time(lambda: read_ours(paths), args.repeat)
    raw = median_time(lambda: read_calamine_raw(paths), args.repeat)
    opx_ro = median_time(lambda: read_openpyxl(paths, True), args.repeat)
    opx = median_time(lambda: read_openpyxl(paths, False), args.repeat)
    print(f"reading {len(paths)} department workbooks (24 metrics + 20 items each):")
    print(f"  nianbao reader (calamine)   {ours * 1000:8.1f} ms")
    print(f"  calamine, values only       {raw * 1000:8.1f} ms")
    print(f"  openpyxl read_only          {opx_ro * 1000:8.1f} ms   "
          f"ratio openpyxl/ours {opx_ro / ours:5.1f}x")
    print(f"  openpyxl (normal mode)      {opx * 1000:8.1f} ms   "
          f"ratio openpyxl/ours {opx / ours:5.1f}x")

    from generator.api import build_report, prepare

    examples = ROOT / "data_examples"
    yaml_ws, xlsx_ws = examples / "zichuan-2024", examples / "zichuan-2024-xlsx"
    out = folder / "out"
    t_yaml = median_time(lambda: build_report(yaml_ws, out / "yaml"), args.repeat)
    t_xlsx = median_time(lambda: build_report(xlsx_ws, out / "xlsx"), args.repeat)
    p_yaml = median_time(lambda: prepare(yaml_ws), args.repeat)
    p_xlsx = median_time(lambda: prepare(xlsx_ws), args.repeat)
    print("zichuan-2024 (4 departments):")
    print(f"  build  YAML {t_yaml * 1000:7.1f} ms   xlsx {t_xlsx * 1000:7.1f} ms   "
          f"ratio xlsx/YAML {t_xlsx / t_yaml:.2f}")
    print(f"  validate (load+merge+outline+rules)  YAML {p_yaml * 1000:7.1f} ms   "
          f"xlsx {p_xlsx * 1000:7.1f} ms   ratio {p_xlsx / p_yaml:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
