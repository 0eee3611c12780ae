"""Time batches of many workspaces (issue #13).

Usage: python bench/bench_batch.py [--copies 100] [--jobs 2] [--only batch|province]
                                   [--province 300 | --full]

batch     100 copies of data_examples/funing-2023 (each its own 地区) built in one call
          with ``--jobs`` workers, against (a) a bare docxtpl render of the same content in
          a ``multiprocessing.Pool`` of the same size (target: ratio ≤ 1.2 on wall time)
          and (b) the same 100 built one after another in our own process (target:
          speed-up ≥ 1.7 with 2 jobs). Each variant runs in a fresh process; the peak
          memory (max RSS) of a worker is reported.
province  a simulated province: N generated workspaces (default 300; ``--full``: 3,000)
          validated, then built, at 1/3, 2/3 and all of N: seconds per 1,000 workspaces
          (linear when they stay level) and peak memory of the parent and of a worker
          (flat when they do not grow with N).

Run on a quiet machine: other processes on the cores make every ratio noisy.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FUNING = ROOT / "data_examples" / "funing-2023"
TARGETS = {"bare": 1.2, "speedup": 1.7}


def make_copies(folder: Path, count: int) -> Path:
    """Write ``count`` copies of funing-2023, each with its own 地区, under ``folder``."""
    text = (FUNING / "report.yaml").read_text("utf-8")
    for index in range(count):
        target = folder / f"区{index:04d}"
        shutil.copytree(FUNING, target)
        (target / "report.yaml").write_text(
            text.replace("地区: 抚宁区", f"地区: 第{index:04d}区"), "utf-8")
    return folder


# -- variants, each run in a fresh process: python bench_batch.py --variant NAME ARGS ------

def variant_ours(root: str, out: str, jobs: int, task: str = "build", count: int = 0) -> dict:
    from generator.batch import Options, find_workspaces, run_batch

    workspaces, _ = find_workspaces([Path(root)])
    workspaces = workspaces[:count] if count else workspaces
    start = time.perf_counter()
    entries = list(run_batch(workspaces, Options(task), Path(out), jobs))
    seconds = time.perf_counter() - start
    failed = [e.region for e in entries if not e.ok]
    assert not failed, failed
    return {"seconds": seconds, "count": len(entries), **_rss()}


def _bare_init(template: str, context_file: str) -> None:
    global BARE
    BARE = (template, json.loads(Path(context_file).read_text("utf-8")))


def _bare_one(out: str) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    template, context = BARE
    doc = DocxTemplate(template)
    doc.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined),
               autoescape=True)
    doc.save(out)


def variant_bare(template: str, context_file: str, out: str, count: int, jobs: int) -> dict:
    import multiprocessing

    Path(out).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with multiprocessing.Pool(jobs, _bare_init, (template, context_file)) as pool:
        pool.map(_bare_one, [f"{out}/{n}.docx" for n in range(count)], chunksize=1)
    return {"seconds": time.perf_counter() - start, "count": count, **_rss()}


def _rss() -> dict:
    """Peak memory in MB: this process, and the largest worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return {"parent_mb": round(own.ru_maxrss / 1024, 1),
            "worker_mb": round(kids.ru_maxrss / 1024, 1), "cpu": round(cpu, 2)}


def run_variant(*args: object) -> dict:
    done = subprocess.run([sys.executable, __file__, "--variant", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def bench_batch(tmp: Path, copies: int, jobs: int) -> None:
    from generator.api import build_report

    root = make_copies(tmp / "copies", copies)
    first = build_report(root / "区0000", tmp / "first")
    assert first.context is not None and first.prepared and first.prepared.template
    context_file = tmp / "context.json"
    context_file.write_text(json.dumps(first.context, ensure_ascii=False), "utf-8")
    template = str(first.prepared.template.docx)
    bare = run_variant("bare", template, context_file, tmp / "bare", copies, jobs)
    ours = run_variant("ours", root, tmp / "ours", jobs)
    alone = run_variant("ours", root, tmp / "alone", 1)
    ratio, speedup = ours["seconds"] / bare["seconds"], alone["seconds"] / ours["seconds"]
    print(f"batch: {copies} copies of funing-2023, {jobs} jobs")
    print(f"  bare docxtpl in Pool({jobs})     {bare['seconds']:7.2f} s wall "
          f"{bare['cpu']:7.2f} s CPU   worker peak {bare['worker_mb']:6.1f} MB")
    print(f"  nianbao build --jobs {jobs}       {ours['seconds']:7.2f} s wall "
          f"{ours['cpu']:7.2f} s CPU   worker peak {ours['worker_mb']:6.1f} MB, "
          f"parent {ours['parent_mb']:.1f} MB")
    print(f"  nianbao build, one process     {alone['seconds']:7.2f} s wall "
          f"{alone['cpu']:7.2f} s CPU   peak {alone['parent_mb']:6.1f} MB")
    print(f"  CPU ratio ours/bare {ours['cpu'] / bare['cpu']:.2f} (less noisy than wall time "
          "on a shared machine)")
    print(f"  speed-up on {jobs} free cores, estimated from CPU time: "
          f"{alone['cpu'] / (ours['cpu'] / jobs):.2f} (one process's CPU / the batch's CPU per job)")
    print(f"  ratio ours/bare {ratio:.2f}  target ≤ {TARGETS['bare']}: "
          + ("holds" if ratio <= TARGETS["bare"] else "MISSED"))
    print(f"  speed-up {jobs} jobs vs one process {speedup:.2f}  target ≥ {TARGETS['speedup']}: "
          + ("holds" if speedup >= TARGETS["speedup"] else "MISSED"))


def bench_province(tmp: Path, total: int, jobs: int) -> None:
    root = make_copies(tmp / "province", total)
    steps = sorted({max(1, total // 3), max(1, 2 * total // 3), total})
    print(f"province: {total} workspaces, {jobs} jobs (per 1,000 = seconds × 1000 / count)")
    for count in steps:
        row = []
        for task in ("validate", "build"):
            got = run_variant("ours", root, tmp / f"out-{task}-{count}", jobs, task, count)
            per = got["seconds"] * 1000 / count
            cpu = got["cpu"] * 1000 / count
            row.append(f"{task} {got['seconds']:7.1f} s ({per:6.1f} s/1000 wall, {cpu:5.1f} s/1000 "
                       f"CPU, parent {got['parent_mb']:.0f} MB, worker {got['worker_mb']:.0f} MB)")
        print(f"  {count:5d}: " + "   ".join(row))
        shutil.rmtree(tmp / f"out-build-{count}", ignore_errors=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--variant"]:
        name, args = argv[1], argv[2:]
        if name == "bare":
            result = variant_bare(args[0], args[1], args[2], int(args[3]), int(args[4]))
        else:
            result = variant_ours(args[0], args[1], int(args[2]), *(args[3:4] or ["build"]),
                                  *map(int, args[4:5]))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--province", type=int, default=300)
    parser.add_argument("--full", action="store_true", help="the full province: 3,000")
    parser.add_argument("--only", choices=("batch", "province"))
    options = parser.parse_args(argv)
    import compileall  # time the package as installed: bytecode written (see bench_build)

    compileall.compile_dir(ROOT / "generator", quiet=1)
    with tempfile.TemporaryDirectory(prefix="nianbao-batch-") as folder:
        tmp = Path(folder)
        if options.only in (None, "batch"):
            bench_batch(tmp, options.copies, options.jobs)
        if options.only in (None, "province"):
            bench_province(tmp, 3000 if options.full else options.province, options.jobs)


if __name__ == "__main__":
    main(sys.argv[1:])
