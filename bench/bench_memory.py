"""Peak memory of one `build_reports` call against the number of reports in it.

Usage: python bench/bench_memory.py [--sizes 5 20 50] [--pdf] [--keep]

Each size runs in a fresh process: it builds one report first (imports, caches), notes
its peak RSS, then builds N reports (the data examples, cycled) in one call, the way
`nianbao build` does (results hold paths and issues only; --keep: the library default,
results keep their models). Prints the peak RSS, the growth over the first build, and the
growth per extra report between the smallest and the largest size (issue #12: flat, i.e.
about 0 MB per report).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("funing-2023", "zichuan-2024", "shanhaiguan-2020", "funing-2023-wenjian")

CHILD = """
import json, resource, sys, tempfile
sys.path.insert(0, {root!r})
from pathlib import Path
from generator.api import build_reports
n, pdf, keep = {n}, {pdf}, {keep}
paths = [Path({root!r}) / "data_examples" / {examples!r}[i % 4] for i in range(n)]
with tempfile.TemporaryDirectory(prefix="nianbao-mem-") as tmp:
    build_reports(paths[:1], Path(tmp, "first"), pdf=pdf, keep=keep)
    first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = build_reports(paths, Path(tmp, "batch"), pdf=pdf, keep=keep)
    assert all(r.output is not None and (r.pdf is not None) == pdf for r in results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([first / 1024, peak / 1024]))
"""


def peak_rss(n: int, pdf: bool, keep: bool) -> tuple[float, float]:
    """Return (MB after the first build, MB peak after the batch) of a fresh process."""
    code = CHILD.format(root=str(ROOT), n=n, pdf=pdf, keep=keep, examples=EXAMPLES)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    first, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return first, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50])
    parser.add_argument("--pdf", action="store_true", help="also convert (resident office)")
    parser.add_argument("--keep", action="store_true", help="results keep their models")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        first, peak = peak_rss(n, args.pdf, args.keep)
        rows.append((n, peak))
        print(f"{n:4d} reports: peak RSS {peak:6.1f} MB  (+{peak - first:5.1f} MB over one report)")
    (small, low), (large, high) = rows[0], rows[-1]
    if large > small:
        print(f"growth per report ({small}→{large}): {(high - low) / (large - small):.3f} MB "
              f"(target: flat, ≈ 0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
