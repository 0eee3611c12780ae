"""Print a `Report` for people (a rich table in Chinese) or machines (JSON)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .issues import Report
    from .prepared import BuildResult

SEVERITY_ZH = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


class _PlainConsole:
    """Plain text when stdout is not a terminal (pipes, CI logs): no markup, no rich import."""

    def print(self, text: str) -> None:
        import re

        print(re.sub(r"(?<!\\)\[/?[a-z ]*\]", "", text).replace("\\[", "["))


def console():
    """Return a console: rich on a terminal, plain text otherwise (no rich import)."""
    if not sys.stdout.isatty():
        return _PlainConsole()
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def print_report(report: Report, json_out: bool = False) -> None:
    """Print every issue, then a one-line summary."""
    if json_out:
        from .console_encoding import json_for_stdout

        sys.stdout.write(json_for_stdout(report.to_json()) + "\n")
        return
    out = console()
    for item in report.issues:
        label, colour = SEVERITY_ZH[item.severity]
        out.print(f"[{colour}]{label}[/] [dim]{item.code}[/] {escape(item.text())}")
    out.print(summary(report))


def summary(report: Report) -> str:
    """Return the closing line: 检查通过 or the counts."""
    if not report.issues:
        return "[green]检查通过[/]：没有发现问题。"
    head = "[green]检查通过[/]" if report.ok else "[red]检查未通过[/]"
    return f"{head}：{report.errors} 个错误，{report.warnings} 个警告。"


def print_build(result: BuildResult) -> None:
    """Print the issues of a build and where the report went (or why it did not)."""
    print_report(result.report)
    out = console()
    for backup in result.backups:
        out.print(f"[yellow]注意[/]：输出文件夹中的同名文件在上次生成后被修改过（或不是本工具生成的），"
                  f"已原样保留为 {escape(str(backup))}，没有覆盖")
    if result.output is not None:
        out.print(f"已生成：{escape(str(result.output))}")
    else:
        out.print("[red]未生成报告[/]：请先修正上面的错误，或加 --draft 生成草稿。")


def escape(text: str) -> str:
    """Escape rich markup in user text (``[`` → ``\\[``)."""
    return text.replace("[", "\\[")
