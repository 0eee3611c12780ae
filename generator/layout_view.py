"""Print layout findings, the font pre-flight and PDF results (used by cli only)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Sequence

from .report_view import console as _console
from .report_view import escape as _escape

if TYPE_CHECKING:
    from .fonts import FontStatus
    from .layout_findings import LayoutReport
    from .prepared import BuildResult

LABEL = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("说明", "cyan")}


def print_layout(report: LayoutReport, json_out: bool = False) -> None:
    """Print every finding (rule, place, found vs expected), then a summary line."""
    if json_out:
        sys.stdout.write(report.to_json() + "\n")
        return
    console = _console()
    for f in report.findings:
        label, colour = LABEL[f.severity]
        if f.severity == "info":  # a note on what was not checked
            console.print(f"[{colour}]{label}[/] [dim]{f.rule}[/] {_escape(f.message)}")
            continue
        console.print(f"[{colour}]{label}[/] [dim]{f.rule}[/] {_escape(f.where())}：{_escape(f.message)}"
                      f"（实际：{_escape(f.found)}；应为：{_escape(f.expected)}）")
    notes = "（分页规则未检查，见上方说明）" if report.rules("info") else ""
    if report.ok and not (report.errors or report.warnings):
        console.print(f"[green]版式检查通过[/]：符合 GB/T 9704-2012 的各项参数{notes}。")
    else:
        head = "[green]版式检查通过[/]" if report.ok else "[red]版式检查未通过[/]"
        console.print(f"{head}：{report.errors} 个错误，{report.warnings} 个警告{notes}。")


def print_fonts(statuses: Sequence[FontStatus], json_out: bool = False) -> None:
    """Print which official fonts are installed and which free font stands in."""
    if json_out:
        sys.stdout.write(json.dumps([s.as_dict() for s in statuses], ensure_ascii=False,
                                    indent=2) + "\n")
        return
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for column in ("公文字体", "用途", "已安装", "PDF 中实际使用", "状态"):
        table.add_column(column)
    for s in statuses:
        state = ("[green]正版字体[/]" if s.installed else "[green]以免费字体代替[/]") if s.ok \
            else f"[red]缺少字体[/]：sudo apt-get install -y {s.package}"
        table.add_row(s.name, s.role, "是" if s.installed else "否", _escape(s.used), state)
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)  # a table needs rich even in a pipe
    console.print(table)
    if all(s.installed for s in statuses):
        console.print("全部公文字体均已安装，PDF 字形与 Word 中一致。")
    elif all(s.ok for s in statuses):
        console.print("未安装的公文字体由免费字体代替：字宽相同，排版（每页 22 行、每行 28 字）"
                      "不变，仅字形不同。安装正版字体后自动使用正版字体。")
    else:
        console.print("[red]部分字体没有合适的替代字体[/]，PDF 会用其他字体排版，行数和字数可能改变。")


def print_published(results: Sequence[BuildResult]) -> None:
    """Print the PDFs and page images written; errors go to stderr."""
    console = _console()
    for result in results:
        if result.pdf is not None:
            console.print(f"已生成 PDF：{_escape(str(result.pdf))}")
        if result.images:
            console.print(f"已生成页面图片 {len(result.images)} 张：{_escape(str(result.images[0]))} 等")
    errors = {r.pdf_error for r in results if r.pdf_error}
    for error in sorted(errors):
        print(f"错误：{error}", file=sys.stderr)
