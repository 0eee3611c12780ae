"""Show a batch: progress while it runs, a summary table (or JSON) at the end. CLI only."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Iterable, Iterator

from .report_view import console, escape

if TYPE_CHECKING:
    from .batch import Entry

TASK_ZH = {"validate": "检查", "build": "生成", "status": "查看进度"}
#: How many error messages of a failed workspace are printed under the table.
SHOWN_ISSUES = 5


def follow(entries: Iterable[Entry], total: int, task: str) -> Iterator[Entry]:
    """Yield ``entries``, showing progress on stderr: a rich bar on a terminal (district,
    done/total, failures so far), else one plain line per workspace."""
    verb = TASK_ZH[task]
    if not sys.stderr.isatty():
        failed = 0
        for done, entry in enumerate(entries, 1):
            failed += not entry.ok
            state = "完成" if entry.ok else "未通过"
            print(f"[{done}/{total}] {entry.region}：{state}（失败 {failed}）", file=sys.stderr,
                  flush=True)
            yield entry
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn(f"{verb}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("失败 {task.fields[failed]}"), TextColumn("{task.fields[item]}"),
                   console=Console(stderr=True), transient=True)
    with bar:
        task_id = bar.add_task(verb, total=total, failed=0, item="")
        failed = 0
        for entry in entries:
            failed += not entry.ok
            bar.update(task_id, advance=1, failed=failed, item=entry.region)
            yield entry


def print_summary(entries: list[Entry], task: str, json_out: bool = False) -> None:
    """Print one row per workspace (地区, errors, warnings, output or reason), the problems
    of the failed ones, and the totals; or the JSON list (docs/batch.md)."""
    if json_out:
        from .console_encoding import json_for_stdout

        text = json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2)
        sys.stdout.write(json_for_stdout(text) + "\n")
        return
    out = console()
    head = ["地区", "错误", "警告", f"{'输出' if task == 'build' else '结果'}或原因"]
    rows = [[e.region, str(e.errors), str(e.warnings),
             (e.output if task == "build" and e.ok else ("通过" if e.ok else e.reason)) or ""]
            if not (e.ok and e.pdf) else [e.region, str(e.errors), str(e.warnings),
                                          f"{e.output}、{e.pdf}"]
            for e in entries]
    if sys.stdout.isatty():
        from rich.table import Table

        table = Table(*head)
        for row, e in zip(rows, entries):
            table.add_row(*map(escape, row), style=None if e.ok else "red")
        out.print(table)
    else:
        for row in [head, *rows]:
            out.print("\t".join(map(escape, row)))
    for e in entries:
        if e.ok:
            continue
        out.print(f"[red]未通过[/]：{escape(e.region)}（{escape(e.workspace)}）")
        if e.error:
            out.print(f"  {escape(e.error)}")
        problems = [i for i in e.issues if i["severity"] == "error"]
        for found in problems[:SHOWN_ISSUES]:
            out.print(f"  [dim]{found['code']}[/] {escape(_where(found))}{escape(found['message'])}")
        if len(problems) > SHOWN_ISSUES:
            out.print(f"  ……另有 {len(problems) - SHOWN_ISSUES} 个错误")
    good = sum(e.ok for e in entries)
    done = "已生成" if task == "build" else "通过"
    out.print(f"共 {len(entries)} 份：{done} {good} 份，未{done[-2:]} {len(entries) - good} 份")


def _where(found: dict) -> str:
    parts = [found.get("file") or ""]
    parts += [f"> {found[k]}" for k in ("sheet", "cell") if found.get(k)]
    if found.get("line"):
        parts.append(f"第{found['line']}行")
    head = " ".join(p for p in parts if p)
    return f"{head}：" if head else ""


def wants_batch(paths: list) -> bool:
    """Return whether the arguments call for a batch: several, or one folder of workspaces."""
    if len(paths) != 1:
        return True
    path = paths[0]
    return path.is_dir() and not (path / "report.yaml").is_file()


def run_cli(paths: list, options, outdir=None, jobs: int | None = None,
            json_out: bool = False) -> int:
    """Run a batch for the CLI and return the exit code: 0 all passed, 1 any failed
    because of its input, 2 an argument is neither a workspace nor a folder holding one,
    or a workspace could not be handled at all (unwritable output, PDF conversion)."""
    from .batch import find_workspaces, run_batch

    workspaces, empty = find_workspaces(paths)
    for path in empty:
        print(f"错误：找不到工作区：{path}（该文件夹及其子文件夹中都没有 report.yaml）",
              file=sys.stderr)
    if not workspaces:
        return 2
    entries = list(follow(run_batch(workspaces, options, outdir, jobs), len(workspaces),
                          options.task))
    order = {str(w): n for n, w in enumerate(workspaces)}
    entries.sort(key=lambda e: order[e.workspace])
    print_summary(entries, options.task, json_out)
    if empty or any(e.error for e in entries):  # not the input: I/O, PDF, a crash
        return 2
    return 0 if all(e.ok for e in entries) else 1
