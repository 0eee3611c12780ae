"""What every ``nianbao`` command shares: the typer app, common arguments and options,
`UserError` (exit 2) and `call` (an API call whose expected failures become `UserError`)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

app = typer.Typer(
    name="nianbao", add_completion=False, no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="年报（nianbao）：把各部门报送的数据生成符合 GB/T 9704-2012 版式的年度报告。",
)

DEBUG = {"on": False}
WorkspaceArg = typer.Argument(..., help="工作区文件夹（含 report.yaml）", show_default=False,
                              metavar="工作区")
TemplateOpt = typer.Option(None, "--template", "-t", metavar="名称", help="使用的模板名称，覆盖 report.yaml 中的「模板」")
PreviousOpt = typer.Option(None, "--previous", metavar="文件夹或报告", help="上年工作区，或上年的报告文件 .docx/.txt/.md（用于同比和统计表的跨年度检查），覆盖 report.yaml 中的「上年工作区」")
WorkspacesArg = typer.Argument(..., help="工作区文件夹（含 report.yaml），或包含多个工作区的文件夹；可写多个",
                               show_default=False, metavar="工作区...")
JobsOpt = typer.Option(None, "--jobs", "-j", metavar="N", help="多个工作区时并行的进程数（默认：处理器核数）")


class UserError(Exception):
    """A problem the user can fix (missing folder, unwritable output): exit 2."""


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="出错时显示完整的调用栈（供开发者排查）")):
    DEBUG["on"] = debug


def call(function, workspace: Path | list[Path], *args, **kwargs):
    """Run an API function, turning expected failures into `UserError`."""
    from .api import WorkspaceNotFound
    from .status_view import reading_progress

    try:
        with reading_progress():
            return function(workspace, *args, **kwargs)
    except WorkspaceNotFound:
        raise UserError(f"找不到工作区：{workspace}（该文件夹中应有 report.yaml）") from None
    except Exception as exc:
        # RenderError only if render was imported: validate need not import it
        render = sys.modules.get(f"{__package__}.render")
        if render is not None and isinstance(exc, render.RenderError):
            raise UserError(str(exc)) from None
        if isinstance(exc, OSError):
            from .oserrors import describe

            raise UserError(describe(exc)) from None
        raise
