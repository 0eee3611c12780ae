"""Print `init` and `status` results, and show reading progress (used by the CLI only)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from .scaffold import InitResult
    from .status import Status

PROGRESS_MIN_FILES = 5  # fewer files are read too fast for a progress bar to help
STATE_COLOUR = {"missing": "red", "unreadable": "red", "blank": "yellow", "errors": "yellow",
                "ok": "green"}


def _console():
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def print_init(result: InitResult, workspace: str) -> None:
    """Print the files written and skipped, the problems, and what to do next."""
    from .report_view import print_report

    console = _console()
    for rel in result.written:
        console.print(f"[green]已写入[/]　{_escape(rel)}")
    for rel in result.skipped:
        console.print(f"[dim]已存在，未改动[/]　{_escape(rel)}")
    if result.report.issues:
        print_report(result.report)
    if result.written:
        console.print(
            f"下一步：把 {_escape(workspace)}/departments/ 中的 .xlsx 填报表发给各部门"
            "（黄色单元格为填写处）；收回后按原文件名放回 departments/，"
            f"运行 nianbao status {_escape(workspace)} 查看进度，"
            f"nianbao validate {_escape(workspace)} 检查，nianbao build {_escape(workspace)} 生成报告。")


def print_status(status: Status, json_out: bool = False) -> None:
    """Print the department table, the empty sections and a summary line."""
    if json_out:
        from .console_encoding import json_for_stdout

        sys.stdout.write(json_for_stdout(status.to_json()) + "\n")
        return
    from rich.table import Table

    table = Table(title=f"收集进度：{_escape(str(status.root))}", title_justify="left")
    for name, justify in (("部门", "left"), ("文件", "left"), ("状态", "left"),
                          ("指标", "right"), ("工作举措", "right"), ("错误", "right"),
                          ("警告", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in status.departments:
        metrics = (f"{row.metrics_filled}/{row.metrics_expected}"
                   if row.metrics_expected is not None else str(row.metrics_filled))
        table.add_row(_escape(row.name), _escape(row.file or "—"),
                      f"[{STATE_COLOUR[row.state]}]{row.label}[/]", metrics, str(row.items),
                      _count(row.errors, "red"), _count(row.warnings, "yellow"))
    console = _console()
    console.print(table)
    for section in status.empty_sections:
        need = "[red]必需[/]" if section.required else "可选"
        console.print(f"尚无内容的章节：{_escape(section.title)}（{need}）")
    counted = status.counted()
    pending = f"{status.pending} 个部门待收集（尚未填写，不计错误）；" if status.pending else ""
    where = "已收到的材料中" if status.pending else ""
    console.print(f"{pending}{where}共 {counted.errors} 个错误、{counted.warnings} 个警告；"
                  "运行 nianbao validate 查看详情。")


def _count(number: int, colour: str) -> str:
    return f"[{colour}]{number}[/]" if number else "0"


class RichProgress:
    """A `progress.Observer` drawing a transient rich progress bar on stderr."""

    def __init__(self, minimum: int = PROGRESS_MIN_FILES):
        self.minimum, self.done = minimum, 0
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        if total < self.minimum:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[item]}"), console=Console(stderr=True),
                            transient=True)
        self.bar.start()
        self.task, self.done = self.bar.add_task(label, total=total, item=""), 0

    def step(self, label: str, item: object) -> None:
        if self.bar is not None and self.task is not None:  # both set by start
            self.bar.update(self.task, completed=self.done, item=getattr(item, "name", item))
            self.done += 1

    def stop(self, label: str) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@contextmanager
def reading_progress() -> Iterator[None]:
    """Show progress while files are read, only when both outputs are terminals."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield
        return
    from .progress import observe

    with observe(RichProgress()):
        yield
