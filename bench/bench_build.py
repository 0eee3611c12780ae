"""Time `nianbao build` against a bare docxtpl render of the same template and context.

Usage: python bench/bench_build.py [WORKSPACE] [--repeat N]

Prints two ratios (targets from issue #2):
  in-process: whole build (load, validate, outline, render, save) / bare docxtpl render  (≤ 1.3)
  process:    `python -m generator build` / a bare one-report docxtpl script            (≤ 1.5)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SCRIPT = """
import json, sys
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
template, context, out = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), sys.argv[3]
doc = DocxTemplate(template)
doc.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
doc.save(out)
"""


def best(function, repeat: int) -> float:
    """Return the median of ``repeat`` timings of ``function()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", nargs="?", default=str(ROOT / "data_examples/funing-2023"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generator.api import build_report, prepare
    from generator.context import docx_context
    from generator.document import build_document
    from generator.jinja_env import clear_compiled_templates

    prepared = prepare(args.workspace)
    context = docx_context(build_document(prepared.outline.config, prepared.outline))
    template = str(prepared.template.docx)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))

    def bare() -> None:
        doc = DocxTemplate(template)
        doc.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined),
                   autoescape=True)
        doc.save(tmp / "bare.docx")

    def ours() -> None:
        result = build_report(args.workspace, tmp / "ours")
        assert result.output is not None, result.report.to_json()

    def ours_cold() -> None:  # as the first report of a run: nothing compiled yet
        clear_compiled_templates()
        ours()

    bare(), ours()  # warm the file system cache
    t_bare, t_ours = best(bare, args.repeat), best(ours, args.repeat)
    t_cold = best(ours_cold, args.repeat)

    context_file = tmp / "context.json"
    context_file.write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
    script = tmp / "bare.py"
    script.write_text(BARE_SCRIPT, encoding="utf-8")
    bare_cmd = [sys.executable, str(script), template, str(context_file), str(tmp / "b.docx")]
    ours_cmd = [sys.executable, "-m", "generator", "build", args.workspace, "-o",
                str(tmp / "p")]
    run = lambda cmd: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)  # noqa: E731
    p_bare = best(lambda: run(bare_cmd), max(3, args.repeat // 3))
    p_ours = best(lambda: run(ours_cmd), max(3, args.repeat // 3))

    print(f"workspace: {args.workspace}  ({len(context['blocks'])} paragraphs)")
    print(f"in-process  bare docxtpl {t_bare * 1000:7.1f} ms   nianbao build {t_ours * 1000:7.1f} ms"
          f"   ratio {t_ours / t_bare:.2f}  (target ≤ 1.3; templates compiled once per run)")
    print(f"in-process  bare docxtpl {t_bare * 1000:7.1f} ms   first build  {t_cold * 1000:7.1f} ms"
          f"   ratio {t_cold / t_bare:.2f}  (every template compiled afresh)")
    print(f"process     bare script  {p_bare * 1000:7.1f} ms   nianbao build {p_ours * 1000:7.1f} ms"
          f"   ratio {p_ours / p_bare:.2f}  (target ≤ 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
