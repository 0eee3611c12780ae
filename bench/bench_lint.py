"""Time `nianbao lint` in-process on a report of about 30 pages.

The report is made by repeating the clean test report and the three seeds (when
../shared/seeds/ is present) to about 30 pages of 22 lines × 28 characters
(≈ 18,500 characters). Run: python bench/bench_lint.py  (target: under 1 s). The first
run includes building the glossary's lookup tables and compiling the rules' patterns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.lint import lint_paragraphs  # noqa: E402
from generator.proof.reader import paragraphs  # noqa: E402

PAGE_CHARS = 22 * 28


def report_text(pages: int = 30) -> list[str]:
    sources = [REPO / "tests" / "proof" / "clean_report.txt"]
    sources += sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    lines: list[str] = []
    while sum(len(line) for line in lines) < pages * PAGE_CHARS:
        for source in sources:
            lines += source.read_text(encoding="utf-8").splitlines()
    return lines


def main() -> None:
    lines = report_text()
    chars = sum(len(line) for line in lines)
    paras = paragraphs(list(enumerate(lines, 1)))
    runs = []
    for _ in range(6):
        start = time.perf_counter()
        issues = lint_paragraphs(paras, "bench.txt")
        runs.append(time.perf_counter() - start)
    first, rest = runs[0], runs[1:]
    print(f"{len(paras)} 段，{chars} 字（约 {chars / PAGE_CHARS:.0f} 页）：{len(issues)} 处问题；"
          f"首次 {first * 1000:.0f} ms（含词表索引和正则的首次准备），之后最快 {min(rest) * 1000:.0f} ms、"
          f"最慢 {max(rest) * 1000:.0f} ms（目标 < 1000 ms）")


if __name__ == "__main__":
    main()
