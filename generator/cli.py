"""The ``nianbao`` command line: parse arguments, call the API, print, choose the exit code.

Exit codes: 0 success; 1 the input has errors; 2 usage or I/O problem.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="nianbao", add_completion=False, no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="年报（nianbao）：把各部门报送的数据生成符合 GB/T 9704-2012 版式的年度报告。",
)

DEBUG = {"on": False}
WorkspaceArg = typer.Argument(..., help="工作区文件夹（含 report.yaml）", show_default=False)
TemplateOpt = typer.Option(None, "--template", "-t", help="使用的模板名称，覆盖 report.yaml 中的「模板」")


class UserError(Exception):
    """A problem the user can fix (missing folder, unwritable output): exit 2."""


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="出错时显示完整的调用栈（供开发者排查）")):
    DEBUG["on"] = debug


@app.command()
def validate(
    workspace: Path = WorkspaceArg,
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果"),
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误"),
    template: Optional[str] = TemplateOpt,
) -> None:
    """检查工作区中的全部材料，一次列出所有问题（有错误时退出码为 1）。"""
    from .api import validate_workspace
    from .report_view import print_report

    report = _call(validate_workspace, workspace, template=template, strict=strict)
    print_report(report, json_out=json_out)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def build(
    workspace: Path = WorkspaceArg,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="输出文件夹（默认：工作区下的 out/）"),
    template: Optional[str] = TemplateOpt,
    draft: bool = typer.Option(False, "--draft", help="有错误也生成草稿，缺失处以【待补充：…】标出"),
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误"),
) -> None:
    """先检查，再生成报告 DOCX；有错误时不生成（除非 --draft）。"""
    from .api import build_report
    from .report_view import print_build

    result = _call(build_report, workspace, output, template=template, draft=draft,
                   strict=strict)
    print_build(result)
    raise typer.Exit(0 if result.output is not None else 1)


def _call(function, workspace: Path, *args, **kwargs):
    """Run an API function, turning expected failures into `UserError`."""
    from .api import WorkspaceNotFound
    from .render import RenderError

    try:
        return function(workspace, *args, **kwargs)
    except WorkspaceNotFound:
        raise UserError(f"找不到工作区：{workspace}（该文件夹中应有 report.yaml）") from None
    except RenderError as exc:
        raise UserError(str(exc)) from None
    except PermissionError as exc:
        raise UserError(f"没有权限读写文件：{exc.filename}") from None
    except OSError as exc:
        raise UserError(f"文件读写失败：{exc.strerror or exc}（{exc.filename or ''}）") from None


def _kind(exc: BaseException) -> str | None:
    """Return 'usage' or 'abort' for click's exceptions (plain or vendored by typer)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" in names:
        return "usage"
    if "Abort" in names:
        return "abort"
    return "exit" if "Exit" in names else None


def _usage_message(exc) -> str:
    """Return click's usage error in Chinese."""
    kind = type(exc).__name__
    param = getattr(getattr(exc, "param", None), "name", "") or ""
    if kind == "NoSuchOption":
        return f"没有这个选项：{exc.option_name}"
    if kind == "MissingParameter":
        return f"缺少参数：{param}"
    if kind == "BadParameter":
        return f"参数 {param} 的值无效：{exc.message}"
    message = exc.format_message()
    if message.startswith("No such command"):
        return f"没有这个命令：{message.split(' ', 3)[-1].strip('.')}"
    return message


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: map every failure to a Chinese message."""
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    try:
        code = command.main(args=args, prog_name="nianbao", standalone_mode=False)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        code = 2
    except Exception as exc:  # click's errors, then bugs: never a traceback unless --debug
        kind = _kind(exc)
        if kind == "usage" and type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # the help text was shown: not an error
        if kind == "usage":
            sub = exc.ctx.info_name if getattr(exc, "ctx", None) else ""
            where = "nianbao" if sub in ("", "nianbao") else f"nianbao {sub}"
            print(f"用法错误：{_usage_message(exc)}（运行 {where} --help 查看用法）",
                  file=sys.stderr)
            sys.exit(2)
        if kind == "abort":
            print("已取消。", file=sys.stderr)
            sys.exit(130)
        if kind == "exit":
            sys.exit(getattr(exc, "exit_code", 0))
        if DEBUG["on"] or "--debug" in args:
            raise
        print(f"内部错误：{type(exc).__name__}: {exc}\n请加 --debug 重新运行并把输出反馈给维护者。",
              file=sys.stderr)
        code = 3
    sys.exit(code if isinstance(code, int) else 0)
