"""Cost of proofreading new text (issue #12, "size"): per paragraph and on first use.

Per paragraph: `generator.proof.paragraph.findings` on paragraphs never seen before
(cache emptied), for the paragraphs that bench_build.py's size figure adds (a title and a
body per item) and for the paragraphs of ../shared/seeds and corpus (when present).
First use, in a fresh process: building the glossary's index, and the first paragraph
(patterns compiled on first use). With ``--instructions`` the same figures are counted
with valgrind's callgrind (deterministic: use these on a shared machine).

    python bench/bench_proof.py [--rounds 5] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

#: Run in a fresh process: MODE ITEMS. ``cold`` proofreads one paragraph (ITEMS 1; 2:
#: and times it and a second build of the glossary index; 0: nothing);
#: ``size``/``real`` warm up on the real paragraphs, then proofread ITEMS new paragraphs.
SCRIPT = """
import sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
import bench_proof as B
mode, count = sys.argv[1], int(sys.argv[2])
from generator.proof import paragraph as P
if mode == "cold":
    if count:
        start = time.perf_counter(); P.findings(B.size_texts(1)[1]); first = time.perf_counter() - start
    if count > 1:  # and the glossary index built again, alone
        from generator.proof import glossary as G
        G.index.cache_clear(); start = time.perf_counter(); G.index(); index = time.perf_counter() - start
        print(first, index)
    sys.exit()
real = B.real_texts()
for text in real:
    P.findings(text)
P.clear_cache()
for text in (B.size_texts(count // 2) if mode == "size" else real[:count]):
    P.findings(text)
"""


def size_texts(items: int) -> list[str]:
    """Return the title and body of each item that bench_build.py's size figure adds."""
    out = []
    for n in range(items):
        out.append(f"推进第{n}项重点工作")
        out.append(f"全年围绕第{n}项任务开展专项行动{n % 7 + 1}次，完善制度{n % 5 + 2}项，"
                   f"办理群众诉求{n * 3 + 11}件，按期办结率达到{90 + n % 10}%，"
                   + "推动工作规范化、制度化、常态化，取得明显成效。" * (1 + n % 3))
    return out


def real_texts() -> list[str]:
    """Return the paragraphs of ../shared/seeds and corpus/fazhi (none if absent)."""
    from generator.proof.reader import read_paragraphs

    paths = [*sorted((SHARED / "seeds").glob("*.txt")),
             *sorted((SHARED / "corpus" / "fazhi").glob("*.txt"))]
    return [p.text for path in paths for p in read_paragraphs(path)]


def per_paragraph(texts: list[str], rounds: int) -> list[float]:
    """Return the seconds per paragraph of proofreading ``texts`` anew, per round."""
    from generator.proof.paragraph import clear_cache, findings

    for text in texts:
        findings(text)  # patterns compiled, glossary entries made: steady state
    out = []
    for _ in range(rounds):
        clear_cache()
        start = time.perf_counter()
        for text in texts:
            findings(text)
        out.append((time.perf_counter() - start) / len(texts))
    return out


def show(label: str, values: list[float], scale: float, unit: str) -> None:
    print(f"{label:<44} min/median/max {min(values) * scale:8.1f} / "
          f"{statistics.median(values) * scale:8.1f} / {max(values) * scale:8.1f} {unit}")


def fresh(mode: str, count: int, valgrind: bool = False) -> tuple[str, int]:
    """Run `SCRIPT` in a new process: (its output, instructions if ``valgrind``)."""
    code = SCRIPT.format(root=str(ROOT), bench=str(ROOT / "bench"))
    command = [sys.executable, "-c", code, mode, str(count)]
    if valgrind:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONHASHSEED="0"))
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    found = re.search(r"Collected : (\d+)", done.stderr)
    return done.stdout, int(found[1]) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (slow, load-independent)")
    args = parser.parse_args()
    size, real = size_texts(2000), real_texts()
    show(f"per paragraph, size bench ({len(size)} paragraphs)", per_paragraph(size, args.rounds),
         1e6, "µs")
    if real:
        show(f"per paragraph, seeds and corpus ({len(real)})", per_paragraph(real, args.rounds),
             1e6, "µs")
    runs = [fresh("cold", 2)[0].split() for _ in range(args.rounds)]
    show("first paragraph of a process (index built)", [float(r[0]) for r in runs], 1e3, "ms")
    show("glossary index, built again in that process", [float(r[1]) for r in runs], 1e3, "ms")
    if args.instructions:
        print("instruction counts (callgrind, one run each):")
        base = fresh("size", 0, True)[1]
        print(f"  per paragraph, size bench: {(fresh('size', 4000, True)[1] - base) / 4000 / 1e3:.1f} k")
        if real:
            print(f"  per paragraph, seeds and corpus: "
                  f"{(fresh('real', len(real), True)[1] - base) / len(real) / 1e3:.1f} k")
        cold = fresh("cold", 0, True)[1]
        print(f"  first paragraph of a process: {(fresh('cold', 1, True)[1] - cold) / 1e6:.1f} M "
              f"(import of the proofreader and Python: {cold / 1e6:.1f} M)")


if __name__ == "__main__":
    main()
