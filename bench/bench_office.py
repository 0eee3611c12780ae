"""Time `build --pdf` with the resident LibreOffice against an already running soffice.

Usage: python bench/bench_office.py [--reports 10] [--repeat 3]

For a batch of --reports reports (the data examples, cycled) and for one report, each
repeat times, alternating so that drift hits them alike:
  docx:      build_reports(…, pdf=False) — rendering only
  resident:  build_reports(…, pdf=True) — the office starts while the DOCX are rendered
  one-shot:  the same with NIANBAO_UNO=0 — `soffice --convert-to`, start-up on the path
  long:      the same with the office of a long-running process (build_reports(office=…))
  warm:      the same DOCX converted (load + store, nothing else) by an office that was
             started and used before the timing: the issue's baseline
The PDF cost of a build is its time minus the docx time of the same repeat. Prints
min/median/max of the ratio PDF cost / warm (issue #12: ≤ 1.1 for the batch) and the
start-up of the office (paid once per command).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = ("funing-2023", "zichuan-2024", "shanhaiguan-2020", "funing-2023-wenjian")


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def build(paths, out: Path, pdf: bool, uno: bool = True, office=None) -> float:
    from generator.api import build_reports

    os.environ["NIANBAO_UNO"] = "1" if uno else "0"
    try:
        start = time.perf_counter()
        results = build_reports(paths, out, pdf=pdf, keep=False, office=office)
        spent = time.perf_counter() - start
    finally:
        os.environ.pop("NIANBAO_UNO", None)
    assert all(r.output is not None and (r.pdf is not None) == pdf for r in results), \
        [r.pdf_error for r in results]
    return spent


def warm_conversion(office, docx: list[Path], tmp: Path) -> float:
    """Seconds the running ``office`` takes to load and store every DOCX as PDF."""
    start = time.perf_counter()
    for index, file in enumerate(docx):
        office._convert_one(file, tmp / f"warm-{index}.pdf", 600.0)
    return time.perf_counter() - start


def start_up() -> float:
    """Seconds from starting an office until it accepts a connection."""
    from generator.office import resident_office

    with resident_office() as office:
        assert office is not None, "UNO 不可用：无法测试常驻 LibreOffice"
        return timed(office._connect)


def spread(values: list[float]) -> str:
    return (f"min {min(values):.2f}  median {statistics.median(values):.2f}  "
            f"max {max(values):.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from generator.office import load_uno, resident_office

    if load_uno() is None:
        print("无法加载 UNO（python3-uno），常驻 LibreOffice 不可用", file=sys.stderr)
        return 2
    batch = [ROOT / "data_examples" / EXAMPLES[i % len(EXAMPLES)] for i in range(args.reports)]
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp, \
            resident_office() as warm:
        tmp_path = Path(tmp)
        assert warm is not None
        rows = {}
        for label, paths in ((f"batch of {args.reports}", batch), ("one report", batch[:1])):
            out = tmp_path / label.replace(" ", "-")
            build(paths, out / "docx", pdf=False)
            docx = sorted((out / "docx").glob("*.docx"))
            warm_conversion(warm, docx, tmp_path)  # warm the office and the caches
            build(paths, out / "pdf", pdf=True)
            ratios: dict[str, list[float]] = {"resident": [], "one-shot": [], "long": []}
            warm_times = []
            for _ in range(args.repeat):
                base = build(paths, out / "docx", pdf=False)
                resident = build(paths, out / "pdf", pdf=True) - base
                one_shot = build(paths, out / "pdf1", pdf=True, uno=False) - base
                long = build(paths, out / "pdf2", pdf=True, office=warm) - base
                baseline = warm_conversion(warm, docx, tmp_path)
                warm_times.append(baseline)
                ratios["long"].append(long / baseline)
                ratios["resident"].append(resident / baseline)
                ratios["one-shot"].append(one_shot / baseline)
            rows[label] = (statistics.median(warm_times), ratios)
    startup = [start_up() for _ in range(args.repeat)]
    print(f"office start-up (to first connection): {spread(startup)} s")
    for label, (baseline, ratios) in rows.items():
        print(f"{label}: warm conversion {baseline:.2f} s (median)")
        print(f"  PDF cost / warm, resident office: {spread(ratios['resident'])}"
              + ("  (target ≤ 1.1)" if label.startswith("batch") else ""))
        print(f"  PDF cost / warm, one-shot soffice: {spread(ratios['one-shot'])}")
        print(f"  PDF cost / warm, office of a long-running process: {spread(ratios['long'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
