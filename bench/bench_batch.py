"""Time batches of many workspaces (issue #13).

Usage: python bench/bench_batch.py [--copies 100] [--jobs 2] [--rounds 3] [--only batch|province]
                                   [--province 300 | --full]

batch     100 copies of data_examples/funing-2023 (each its own 地区) built in one call
          with ``--jobs`` workers, against (a) a bare docxtpl render of the same content in
          a ``multiprocessing.Pool`` of the same size (target: ratio ≤ 1.2 on wall time)
          and (b) the same 100 built one after another in our own process (target:
          speed-up ≥ 1.7 with 2 jobs). Each variant runs in a fresh process, the three
          back to back in each of ``--rounds`` paired rounds (min/median/max printed, CPU
          seconds too: less disturbed by other processes on a shared machine, and from
          them the wall times on idle cores estimated, see `idle`); also the
          parent's start-up (the call until a worker begins its first workspace), the
          cost of a worker's first workspace, and peak memory (max RSS) of a worker.
          Both of ours start from the same state, ``generator.batch`` imported and
          nothing warmed, and time the same call (`run_batch`, ``jobs`` 2 or 1): each pays
          its imports, template compiling and first-workspace costs inside the timing.
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
import statistics
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
    import os

    from generator.startup_cache import install

    install()  # as the console script does first (compiled patterns and code from the cache)
    from generator import batch
    from generator.batch import Options, find_workspaces, run_batch

    workspaces, _ = find_workspaces([Path(root)])
    workspaces = workspaces[:count] if count else workspaces
    marks = Path(out + ".first")  # each process's first workspace: when it began, how long
    marks.mkdir(parents=True, exist_ok=True)
    real, seen = batch.run_one, []

    def first_marked(*args: object, **kwargs: object) -> object:
        began = time.perf_counter()
        entry = real(*args, **kwargs)  # type: ignore[arg-type]
        if not seen:  # the forked workers inherit this wrapper (and an empty ``seen``)
            seen.append(1)
            (marks / str(os.getpid())).write_text(f"{began} {time.perf_counter() - began}")
        return entry

    batch.run_one = first_marked  # type: ignore[assignment]
    cpu_before, start = time.process_time(), time.perf_counter()
    entries = list(run_batch(workspaces, Options(task), Path(out), jobs))
    seconds = time.perf_counter() - start
    failed = [e.region for e in entries if not e.ok]
    assert not failed, failed
    firsts = [tuple(map(float, f.read_text().split())) for f in marks.iterdir()]
    return {"seconds": seconds, "count": len(entries), **_rss(cpu_before),
            "startup": round(min(b for b, _ in firsts) - start, 3),
            "first": round(max(d for _, d in firsts), 3)}


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
    cpu_before, start = time.process_time(), time.perf_counter()
    with multiprocessing.Pool(jobs, _bare_init, (template, context_file)) as pool:
        pool.map(_bare_one, [f"{out}/{n}.docx" for n in range(count)], chunksize=1)
    return {"seconds": time.perf_counter() - start, "count": count, **_rss(cpu_before)}


def _rss(cpu_before: float = 0.0) -> dict:
    """Peak memory in MB: this process, and the largest worker it waited for; CPU seconds
    since ``cpu_before`` (this process's `time.process_time` when the timing began)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent = own.ru_utime + own.ru_stime - cpu_before
    workers = kids.ru_utime + kids.ru_stime
    return {"parent_mb": round(own.ru_maxrss / 1024, 1),
            "worker_mb": round(kids.ru_maxrss / 1024, 1), "cpu": round(parent + workers, 3),
            "parent_cpu": round(parent, 3), "workers_cpu": round(workers, 3)}


def run_variant(*args: object) -> dict:
    done = subprocess.run([sys.executable, __file__, "--variant", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def bench_batch(tmp: Path, copies: int, jobs: int, rounds: int) -> None:
    from generator.api import build_report

    root = make_copies(tmp / "copies", copies)
    first = build_report(root / "区0000", tmp / "first")
    assert first.context is not None and first.prepared and first.prepared.template
    context_file = tmp / "context.json"
    context_file.write_text(json.dumps(first.context, ensure_ascii=False), "utf-8")
    template = str(first.prepared.template.docx)
    print(f"batch: {copies} copies of funing-2023, {jobs} jobs, {rounds} paired rounds "
          "(bare, ours and one process back to back, the order turning each round)")
    runs: dict[str, list[dict]] = {"bare": [], "ours": [], "alone": []}
    for n in range(rounds):
        order = ["bare", "ours", "alone"][n % 3:] + ["bare", "ours", "alone"][:n % 3]
        got = {}
        for name in order:
            out = tmp / f"{name}-{n}"
            got[name] = (run_variant("bare", template, context_file, out, copies, jobs)
                         if name == "bare" else
                         run_variant("ours", root, out, jobs if name == "ours" else 1))
            shutil.rmtree(out, ignore_errors=True)
            runs[name].append(got[name])
        bare, ours, alone = got["bare"], got["ours"], got["alone"]
        print(f"  round {n + 1}: bare {bare['seconds']:.2f} s ({bare['cpu']:.2f} CPU)  "
              f"ours {ours['seconds']:.2f} s ({ours['cpu']:.2f} CPU, start-up "
              f"{ours['startup']:.2f} s, worker's 1st {ours['first'] * 1000:.0f} ms)  "
              f"one process {alone['seconds']:.2f} s ({alone['cpu']:.2f} CPU)  "
              f"ratio {ours['seconds'] / bare['seconds']:.2f}  "
              f"speed-up {alone['seconds'] / ours['seconds']:.2f}")
    pairs = list(zip(runs["bare"], runs["ours"], runs["alone"]))
    rows = [
        ("ratio ours/bare (wall)", [o["seconds"] / b["seconds"] for b, o, _ in pairs], "{:.2f}"),
        (f"speed-up {jobs} jobs vs one process", [a["seconds"] / o["seconds"] for _, o, a in pairs],
         "{:.2f}"),
        ("CPU ratio ours/bare", [o["cpu"] / b["cpu"] for b, o, _ in pairs], "{:.2f}"),
        ("speed-up from CPU time", [a["cpu"] / (o["cpu"] / jobs) for _, o, a in pairs],
         "{:.2f}"),
        ("on idle cores, estimated: ratio ours/bare", [idle(o, jobs) / idle(b, jobs)
                                                       for b, o, _ in pairs], "{:.2f}"),
        ("on idle cores, estimated: speed-up", [idle(a, 1) / idle(o, jobs)
                                                for _, o, a in pairs], "{:.2f}"),
        ("bare wall s", [b["seconds"] for b in runs["bare"]], "{:.2f}"),
        ("ours wall s", [o["seconds"] for o in runs["ours"]], "{:.2f}"),
        ("one process wall s", [a["seconds"] for a in runs["alone"]], "{:.2f}"),
        ("bare CPU s", [b["cpu"] for b in runs["bare"]], "{:.2f}"),
        ("ours CPU s", [o["cpu"] for o in runs["ours"]], "{:.2f}"),
        ("one process CPU s", [a["cpu"] for a in runs["alone"]], "{:.2f}"),
        ("ours parent's CPU s (in the timing)", [o["parent_cpu"] for o in runs["ours"]],
         "{:.2f}"),
        ("ours start-up: call → a worker's 1st workspace s",
         [o["startup"] for o in runs["ours"]], "{:.3f}"),
        ("ours slowest worker's 1st workspace s", [o["first"] for o in runs["ours"]], "{:.3f}"),
        ("one process: its 1st workspace s", [a["first"] for a in runs["alone"]], "{:.3f}"),
        ("bare worker peak MB", [b["worker_mb"] for b in runs["bare"]], "{:.1f}"),
        ("ours worker peak MB", [o["worker_mb"] for o in runs["ours"]], "{:.1f}"),
        ("ours parent peak MB", [o["parent_mb"] for o in runs["ours"]], "{:.1f}"),
        ("one process peak MB", [a["parent_mb"] for a in runs["alone"]], "{:.1f}"),
    ]
    print(f"  {'':52s} {'min':>7s} {'median':>7s} {'max':>7s}")
    for label, values, form in rows:
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"  {label:52s} " + " ".join(f"{form.format(v):>7s}" for v in (low, mid, high)))
    ratio = statistics.median(rows[0][1])
    speedup = statistics.median(rows[1][1])
    print(f"  median ratio ours/bare {ratio:.2f}  target ≤ {TARGETS['bare']}: "
          + ("holds" if ratio <= TARGETS["bare"] else "MISSED"))
    print(f"  median speed-up {speedup:.2f}  target ≥ {TARGETS['speedup']}: "
          + ("holds" if speedup >= TARGETS["speedup"] else "MISSED"))


def idle(run: dict, jobs: int) -> float:
    """Return the wall time ``run`` would take on ``jobs`` otherwise idle cores, from its
    CPU seconds: all of the parent's as if serial (its start-up is; its later share of a
    core is small), the workers' spread evenly."""
    return run["parent_cpu"] + run["workers_cpu"] / jobs


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
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds of the batch part")
    parser.add_argument("--province", type=int, default=300)
    parser.add_argument("--full", action="store_true", help="the full province: 3,000")
    parser.add_argument("--only", choices=("batch", "province"))
    options = parser.parse_args(argv)
    import compileall  # time the package as installed: bytecode written (see bench_build)
    import os

    # our compile cache (generator/disk_cache.py) in a folder of this run: filled by the
    # first round, as by any earlier run of nianbao on the machine
    os.environ.setdefault("NIANBAO_CACHE_DIR", tempfile.mkdtemp(prefix="nianbao-cache-"))

    compileall.compile_dir(ROOT / "generator", quiet=1)
    with tempfile.TemporaryDirectory(prefix="nianbao-batch-") as folder:
        tmp = Path(folder)
        if options.only in (None, "batch"):
            bench_batch(tmp, options.copies, options.jobs, options.rounds)
        if options.only in (None, "province"):
            bench_province(tmp, 3000 if options.full else options.province, options.jobs)


if __name__ == "__main__":
    main(sys.argv[1:])
