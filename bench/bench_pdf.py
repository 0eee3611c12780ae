"""Time PDF output for a batch of reports against a bare LibreOffice conversion.

Usage: python bench/bench_pdf.py [--reports 10] [--repeat 3]

Builds the DOCX of the data examples (cycled up to --reports files; not timed), then times
  nianbao:  `publish()` — one soffice run for the batch with the packaged fonts.conf and
            a private profile, plus reading every PDF back to check the 版记 position
  bare:     `soffice --headless --convert-to pdf --outdir D a.docx b.docx …` in one call
  fonts:    the same bare call with FONTCONFIG_FILE=generator/data/fonts.conf, i.e. with the
            stand-ins for the official fonts (more faces to embed than LibreOffice's own
            fallback, which draws every Chinese character in Noto Sans CJK JP)
All run warm (a first, untimed run creates each profile) and alternate, so drift hits
them alike. Prints seconds per report and the ratios (target from issue #5: nianbao /
bare ≤ 1.2).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = ("funing-2023", "zichuan-2024", "shanhaiguan-2020", "funing-2023-wenjian")


def build_batch(count: int, folder: Path):
    """Return `BuildResult`s for ``count`` reports, each DOCX in its own folder."""
    from generator.api import build_report

    results = []
    for index in range(count):
        name = EXAMPLES[index % len(EXAMPLES)]
        result = build_report(ROOT / "data_examples" / name, folder / f"{index:02d}-{name}")
        assert result.output is not None, name
        results.append(result)
    return results


def time_nianbao(results) -> float:
    from generator.publish import publish

    start = time.perf_counter()
    publish(results)
    return time.perf_counter() - start


def time_bare(soffice: str, profile: Path, docx: list[Path], outdir: Path,
              fonts: bool = False) -> float:
    from generator.pdf import conversion_env, fontconfig_file

    command = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx)]
    shutil.rmtree(outdir, ignore_errors=True)
    with fontconfig_file() as conf:
        env = conversion_env(conf) if fonts else None
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from generator.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        print("未找到 LibreOffice（soffice），无法测试 PDF 速度", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        tmp = Path(tmp)
        results = build_batch(args.reports, tmp / "docx")
        docx = [r.output for r in results]
        profile, bare_out = tmp / "bare-profile", tmp / "bare-pdf"
        time_nianbao(results), time_bare(soffice, profile, docx, bare_out)  # warm all
        ours, bare, fonts = [], [], []
        for _ in range(args.repeat):
            ours.append(time_nianbao(results))
            bare.append(time_bare(soffice, profile, docx, bare_out))
            fonts.append(time_bare(soffice, profile, docx, bare_out, fonts=True))
    n = args.reports
    a, b, c = (statistics.median(t) for t in (ours, bare, fonts))
    print(f"reports per batch:               {n} (medians of {args.repeat} runs)")
    print(f"nianbao publish (PDF):           {a:.2f} s = {a / n:.3f} s per report")
    print(f"bare soffice --convert-to:       {b:.2f} s = {b / n:.3f} s per report")
    print(f"bare soffice, same fonts.conf:   {c:.2f} s = {c / n:.3f} s per report")
    print(f"ratio nianbao / bare:            {a / b:.2f}  (target ≤ 1.2)")
    print(f"ratio nianbao / bare same fonts: {a / c:.2f}  (nianbao's own overhead)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
