"""The ``nianbao`` command line: parse arguments, call the API, print, choose the exit code.

Exit codes: 0 success; 1 the input has errors; 2 usage or I/O problem.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .cli_base import (  # noqa: F401
    DEBUG,
    JobsOpt,
    PreviousOpt,
    TemplateOpt,
    UserError,
    WorkspaceArg,
    WorkspacesArg,
    app,
)
from .cli_base import call as _call


@app.command()
def validate(
    workspaces: list[Path] = WorkspacesArg,
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果"),
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误"),
    template: Optional[str] = TemplateOpt,
    previous: Optional[Path] = PreviousOpt,
    jobs: Optional[int] = JobsOpt,
) -> None:
    """检查工作区中的全部材料，一次列出所有问题（有错误时退出码为 1）。"""
    _maybe_batch(workspaces, "validate", json_out, jobs, template=template, strict=strict,
                 previous=str(previous) if previous else None)
    workspace = workspaces[0]
    from .api import validate_workspace
    from .report_view import print_report

    report = _call(validate_workspace, workspace, template=template, strict=strict,
                   previous=previous)
    print_report(report, json_out=json_out)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def build(
    workspaces: list[Path] = WorkspacesArg,
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件夹", help="输出文件夹（默认：工作区下的 out/）"),
    template: Optional[str] = TemplateOpt,
    draft: bool = typer.Option(False, "--draft", help="有错误也生成草稿，缺失处以【待补充：…】标出"),
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误"),
    previous: Optional[Path] = PreviousOpt,
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 生成 PDF（多份报告只启动一次）"),
    png: bool = typer.Option(False, "--png", help="同时生成 PDF 和每页的 PNG 图片，供目视检查"),
    html: bool = typer.Option(False, "--html", help="同时生成网页版（HTML，供政务公开网站发布）"),
    md: bool = typer.Option(False, "--md", help="同时生成 Markdown 文本"),
    txt: bool = typer.Option(False, "--txt", help="同时生成纯文本（一段一行）"),
    publish: bool = typer.Option(False, "--publish", help="生成发布包文件夹：网页、PDF、DOCX、元数据和校验文件"),
    jobs: Optional[int] = JobsOpt,
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出，每个工作区一项"),
) -> None:
    """先检查，再生成报告 DOCX（可加 --pdf、--png、--html、--md、--txt、--publish）；有错误时不生成（除非 --draft）。

    多个工作区并行生成，报告写入「输出文件夹/地区/」。"""
    formats = tuple(k for k, on in (("html", html), ("md", md), ("txt", txt)) if on)
    _maybe_batch(workspaces, "build", json_out, jobs, output, template=template, draft=draft,
                 strict=strict, previous=str(previous) if previous else None, pdf=pdf, png=png,
                 formats=formats, bundle=publish)
    from .api import build_reports
    from .layout_view import print_published
    from .report_view import print_build

    results = _call(build_reports, workspaces, output, template=template, draft=draft,
                    strict=strict, previous=previous, pdf=pdf or png, png=png,
                    formats=formats, bundle=publish, keep=False)
    for workspace, result in zip(workspaces, results):  # each one succeeds or fails alone
        if len(workspaces) > 1:
            print(f"== {workspace}")
        if result.error:
            print(f"错误：{result.error}", file=sys.stderr)
        else:
            print_build(result)
    print_published(results)
    for result in results:
        for path in result.formats:
            print(f"已生成：{path}")
        if result.bundle is not None:
            print(f"已生成发布包：{result.bundle}")
        for notice in result.notices:
            print(f"注意：{notice}")
    if len(workspaces) > 1:
        built = sum(r.output is not None for r in results)
        print(f"共 {len(results)} 份：已生成 {built} 份，未生成 {len(results) - built} 份")
    if any(r.pdf_error or r.error for r in results):
        raise typer.Exit(2)
    raise typer.Exit(0 if all(r.output is not None for r in results) else 1)


@app.command("check-layout")
def check_layout(
    file: Path = typer.Argument(..., help="要检查的 Word 文件（.docx）", show_default=False,
                              metavar="文件"),
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出：ok、errors、warnings、findings"),
) -> None:
    """按 GB/T 9704-2012 检查任意 DOCX 的版式（有错误时退出码为 1）。

    检查纸张和页边距、正文字体字号行距缩进、各级标题字体和序号、页码、日期写法、版记分隔线；
    装有 LibreOffice 时还把文件排成页面，检查署名和成文日期是否与正文同页、附件说明是否跨页。
    """
    from .api import check_layout as check
    from .layout_check import NotADocx
    from .layout_view import print_layout

    try:
        report = check(file)
    except NotADocx as exc:  # its detail in parentheses is python-docx's English
        raise UserError(re.sub(r"（[^（）]*[A-Za-z]{2,}[^（）]*）$", "", str(exc))
                        + "；请用 Word 打开后另存为 .docx") from None
    print_layout(report, json_out=json_out)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def lint(
    files: list[Path] = typer.Argument(..., help="要校对的报告：.docx、.txt、.md（装有 LibreOffice 时"
                                       "还可以是 .doc、.wps），可写多个，或写文件夹", show_default=False,
                                       metavar="文件..."),
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果（与 validate 相同）"),
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误"),
    template: Optional[str] = typer.Option(None, "--template", "-t", metavar="名称",
                                           help="报告类型（如 fazhi-annual），按其必需事项检查是否缺项"),
) -> None:
    """校对已有的报告：数字空缺、占位符、日期、数字写法、标点空格、重复、错别字、编号（有错误时退出码为 1）。

    网页复制来的文字会略去面包屑、发布时间、来源、字号等页面信息和重复的标题。
    每处问题都给出文件、行号（段落号）、第几个字和原文。
    """
    from .batch import lint_files_in
    from .lint import ReadProblem, lint_files
    from .report_view import print_report

    files = lint_files_in(files) if any(f.is_dir() for f in files) else files
    if not files:
        raise UserError("文件夹中没有可校对的报告（.docx、.txt、.md 等）")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UserError(f"找不到文件：{'、'.join(missing)}")
    try:
        report = lint_files(files, template=template)
    except ReadProblem as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        from .oserrors import describe

        raise UserError(describe(exc)) from None
    if strict:
        report = report.strict()
    print_report(report, json_out=json_out)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def fonts(json_out: bool = typer.Option(False, "--json", help="以 JSON 输出")) -> None:
    """检查公文字体：哪些已安装，生成 PDF 时由哪种免费字体代替（缺少替代字体时退出码为 1）。"""
    from .api import check_fonts
    from .fonts import FontconfigMissing
    from .layout_view import print_fonts

    try:
        statuses = check_fonts()
    except FontconfigMissing as exc:
        raise UserError(str(exc)) from None
    print_fonts(statuses, json_out=json_out)
    raise typer.Exit(0 if all(s.ok for s in statuses) else 1)


@app.command()
def rules(json_out: bool = typer.Option(False, "--json", help="以 JSON 输出（code、severity、description 等）")) -> None:
    """列出全部检查规则：代码、级别、类别、说明（可在 report.yaml「关闭规则」中关闭的标注「可关闭」）。"""
    from .rules.docs import rules_json, rules_table

    print(rules_json() if json_out else rules_table())


@app.command()
def init(
    workspace: Path = typer.Argument(..., help="要创建的工作区文件夹", show_default=False,
                                   metavar="工作区"),
    more: Optional[list[str]] = typer.Argument(None, hidden=True),
    region: Optional[str] = typer.Option(None, "--region", "-r", metavar="地区", help="地区，如 抚宁区（机关默认为「地区」+人民政府）"),
    year: Optional[int] = typer.Option(None, "--year", "-y", metavar="年份", help="报告年度（默认：上一年）"),
    template: Optional[str] = TemplateOpt,
    departments: Optional[list[str]] = typer.Option(
        None, "--departments", "-d", metavar="部门", help="部门名称，可写多个：--departments 司法局 市场监管局（不写则用模板的默认部门）"),
    deadline: Optional[str] = typer.Option(None, "--deadline", metavar="时间", help="报送截止时间，写入填表说明，如「2024年1月10日前」"),
    contact: Optional[str] = typer.Option(None, "--contact", metavar="联系人", help="汇总联系人及电话，写入填表说明"),
) -> None:
    """创建工作区：report.yaml、departments/ 和每个部门一份 Excel 填报表（不覆盖已有文件）。"""
    from .api import init_workspace
    from .scaffold import InitError
    from .status_view import print_init

    if more and not departments:
        raise UserError(f"多余的参数：{' '.join(more)}（部门名称请写在 --departments 之后）")
    names = [*(departments or []), *(more or [])] or None
    try:
        result = _call(init_workspace, workspace, region=region, year=year, template=template,
                       departments=names, deadline=deadline, collector=contact)
    except InitError as exc:
        raise UserError(str(exc)) from None
    print_init(result, str(workspace))
    raise typer.Exit(0 if result.report.ok else 1)


@app.command()
def status(
    workspaces: list[Path] = WorkspacesArg,
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出"),
    template: Optional[str] = TemplateOpt,
    jobs: Optional[int] = JobsOpt,
) -> None:
    """查看收集进度：各部门是否报送、指标填了多少、有几个错误，以及尚无内容的章节（退出码为 0）。"""
    _maybe_batch(workspaces, "status", json_out, jobs, template=template)
    workspace = workspaces[0]
    from .api import workspace_status
    from .status_view import print_status

    print_status(_call(workspace_status, workspace, template=template), json_out=json_out)


def _maybe_batch(paths: list[Path], task: str, json_out: bool, jobs: int | None,
                 outdir: Path | None = None, **options) -> None:
    """Run a batch (parallel, one summary) when given several workspaces or a folder of them."""
    from .batch_view import run_cli, wants_batch

    if wants_batch(paths) or (json_out and task == "build"):  # build --json: a list too
        from .batch import Options

        raise typer.Exit(run_cli(paths, Options(task, **options), outdir, jobs, json_out))


from . import cli_exchange  # noqa: E402,F401 - registers import, diff, serve, rollup, office


def _kind(exc: BaseException) -> str | None:
    """Return 'usage' or 'abort' for click's exceptions (plain or vendored by typer)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" in names:
        return "usage"
    if "Abort" in names:
        return "abort"
    return "exit" if "Exit" in names else None


def _import_rich_help() -> None:
    """Import typer's rich help formatter without rich.markdown and rich.traceback.

    typer.rich_utils imports both at the top (with markdown-it and pygments, about half
    its import time) but uses them only in the "markdown" markup mode and for pretty
    tracebacks, both off here; placeholders stand in while it is imported and are
    dropped afterwards, so a later import gets the real modules.
    """
    if "typer.rich_utils" in sys.modules:
        return
    import types

    placeholders = {}
    for name, attr in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
        if name not in sys.modules:
            module = types.ModuleType(name, "placeholder while typer.rich_utils is imported")
            setattr(module, attr, type(attr, (), {}))
            placeholders[name] = sys.modules[name] = module
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _click_group(args: list[str]) -> Any:
    """Return the click group for ``args``: with only the command they name when they name
    one (typer reads every command's signature to build a group: ~10 ms of a short
    command), else with all of them (help, suggestions for a mistyped name)."""
    import copy

    name = next((a for a in args if not a.startswith("-")), None)
    chosen = [c for c in app.registered_commands
              if (c.name or getattr(c.callback, "__name__", "").replace("_", "-")) == name]
    if len(chosen) != 1 or "--help" in args:
        return typer.main.get_command(app)
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return typer.main.get_command(lean)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: map every failure to a Chinese message."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # skips an entry-point scan
    from .cli_messages import chinese_help, usage_message
    from .console_encoding import make_streams_safe

    make_streams_safe()  # a GBK console must not turn an emoji in a name into a crash
    args = sys.argv[1:] if argv is None else argv
    if not args or "--help" in args:
        from .help_screen import help_screen

        text = help_screen(args)  # the plain screens of scripts/gen_cli_help.py
        if text is not None:
            print(text, end="")
            sys.exit(0)
    command = _click_group(args)
    if not args or "--help" in args:
        _import_rich_help()
        chinese_help(command)
    from .progress import noticing

    try:
        with noticing(lambda text: print(text, file=sys.stderr, flush=True)):
            code = command.main(args=args, prog_name="nianbao", standalone_mode=False)
        if code == 130:  # typer turns Ctrl+C into a silent Exit(130)
            print("已取消。", file=sys.stderr)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        code = 2
    except Exception as exc:  # click's errors, then bugs: never a traceback unless --debug
        kind = _kind(exc)
        if kind == "usage" and type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # the help text was shown: not an error
        if kind == "usage":
            ctx = getattr(exc, "ctx", None)
            sub = ctx.info_name if ctx else ""
            where = "nianbao" if sub in ("", "nianbao") else f"nianbao {sub}"
            print(f"用法错误：{usage_message(exc, command)}（运行 {where} --help 查看用法）",
                  file=sys.stderr)
            sys.exit(2)
        if kind == "abort":
            print("已取消。", file=sys.stderr)
            sys.exit(130)
        if kind == "exit":
            sys.exit(getattr(exc, "exit_code", 0))
        if DEBUG["on"] or "--debug" in args:
            raise
        detail = str(exc)  # may hold user data: never more than a short excerpt
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        print(f"内部错误：{type(exc).__name__}: {detail}\n请加 --debug 重新运行并把输出反馈给维护者。",
              file=sys.stderr)
        code = 3
    sys.exit(code if isinstance(code, int) else 0)
