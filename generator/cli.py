"""The ``nianbao`` command line: parse arguments, call the API, print, choose the exit code.

Exit codes: 0 success; 1 the input has errors; 2 usage or I/O problem.
"""

from __future__ import annotations

import os
import re
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


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="已有的报告：.docx、.txt、.md（装有 LibreOffice 时还可以是 .doc、.wps）", show_default=False,
                                metavar="文件"),
    output: Path = typer.Option(..., "--output", "-o", metavar="工作区", help="要创建的工作区文件夹（不覆盖已有文件）"),
    template: Optional[str] = typer.Option(None, "--template", "-t", metavar="名称",
                                           help="报告类型（模板名称）；不写时按报告标题选择，都不像时用默认模板"),
    year: Optional[int] = typer.Option(None, "--year", "-y", metavar="年份", help="报告年度（默认从标题或导语中识别）"),
    link_figures: bool = typer.Option(False, "--link-figures", help="把正文中识别出的数字改为 {{ 组.名称 }} 引用（逐处列出）"),
) -> None:
    """把已有的报告导入为工作区：识别标题、主送、导语、各级标题、署名、日期、版记和数字。"""
    from .api import import_report
    from .importer import ImportError_
    from .importer.view import print_import

    try:
        result = import_report(file, output, template=template, year=year,
                               link_figures=link_figures)
    except ImportError_ as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        from .oserrors import describe

        raise UserError(describe(exc)) from None
    print_import(result)


@app.command()
def diff(
    workspace: Path = WorkspaceArg,
    edited: Path = typer.Argument(..., help="在 Word/WPS 中修改过的报告（.docx）", show_default=False,
                                  metavar="修改稿"),
    apply: bool = typer.Option(False, "--apply", help="把正文改动写回 YAML 部门文件（原文件留备份）"),
    template: Optional[str] = TemplateOpt,
) -> None:
    """列出修改稿与工作区生成内容的差别（逐段，注明来自哪个文件第几行）；--apply 写回 YAML。"""
    from .api import diff_report
    from .edit_diff import DiffProblem
    from .importer.view import print_diff

    if not edited.is_file():
        raise UserError(f"找不到文件：{edited}")
    try:
        result = _call(diff_report, workspace, edited, apply=apply, template=template)
    except DiffProblem as exc:
        raise UserError(str(exc)) from None
    print_diff(result)
    raise typer.Exit(1 if result.unplaced else 0)


@app.command()
def serve(
    workspace: Path = typer.Argument(..., help="工作区文件夹（含 report.yaml），或存放多个工作区的文件夹",
                                     show_default=False, metavar="工作区"),
    host: str = typer.Option("127.0.0.1", "--host", metavar="地址", help="监听地址（默认只允许本机访问；其他地址须设密码）"),
    port: int = typer.Option(8000, "--port", metavar="端口", help="端口"),
    password: Optional[str] = typer.Option(None, "--password", metavar="密码", envvar="NIANBAO_SERVE_PASSWORD",
                                           show_envvar=False,
                                           help="汇总人员页面的密码（--host 不是本机时必须设置；"
                                                "也可用环境变量 NIANBAO_SERVE_PASSWORD）"),
    new_links: bool = typer.Option(False, "--new-links", help="重新生成全部链接（旧链接全部失效）"),
) -> None:
    """启动浏览器工作台：各部门用各自的链接上传材料并立即看到检查结果，汇总人员查看进度、生成报告。"""
    try:
        from .web.app import ServeError
        from .web.app import serve as run
    except ImportError:
        raise UserError('缺少网页组件，请先安装：pip install "nianbao[web]"') from None
    from .api import WorkspaceNotFound

    def announce(admin: str, departments: list[tuple[str, str, str]]) -> None:
        print(f"汇总人员页面（请勿外传）：{admin}")
        print("各部门的链接（每个部门只能看到和上传自己的材料）：")
        for site, name, link in departments:
            print(f"  {name}（{site}）：{link}")
        if host in ("0.0.0.0", "::"):
            print("其他电脑访问时，请把链接中的 127.0.0.1 换成本机在局域网中的 IP 地址。")
        print("按 Ctrl+C 停止。", flush=True)

    try:
        run(workspace, host, port, password, new_links, announce)
    except ServeError as exc:
        raise UserError(str(exc)) from None
    except WorkspaceNotFound:
        raise UserError(f"找不到工作区：{workspace}（该文件夹或其子文件夹中应有 report.yaml）") from None
    except OSError as exc:
        from .oserrors import describe

        raise UserError(describe(exc)) from None


@app.command()
def rollup(
    root: Path = typer.Argument(..., help="包含各地区工作区的文件夹", show_default=False,
                                metavar="文件夹"),
    output: Path = typer.Option(..., "--output", "-o", metavar="文件夹", help="要创建的全市工作区（不能已存在）"),
    template: Optional[str] = TemplateOpt,
    region: Optional[str] = typer.Option(None, "--region", "-r", metavar="地区", help="全市名称（默认：输出文件夹名）"),
    chart: Optional[list[str]] = typer.Option(None, "--chart", metavar="组.名称", help="只为这些指标画图，可写多个（默认：全部汇总指标）"),
    no_charts: bool = typer.Option(False, "--no-charts", help="不画图"),
    jobs: Optional[int] = JobsOpt,
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出汇总结果"),
) -> None:
    """汇总各区县工作区：生成全市工作区、对比表.xlsx 和图表（有警告时退出码为 1）。

    可累加指标相加，比率由相加后的分子、分母重新计算；缺报的区县、雷同段落给出警告。"""
    from .rollup_view import run_rollup

    raise typer.Exit(run_rollup(root, output, template, region, [] if no_charts else chart,
                                jobs, json_out))


def _maybe_batch(paths: list[Path], task: str, json_out: bool, jobs: int | None,
                 outdir: Path | None = None, **options) -> None:
    """Run a batch (parallel, one summary) when given several workspaces or a folder of them."""
    from .batch_view import run_cli, wants_batch

    if wants_batch(paths) or (json_out and task == "build"):  # build --json: a list too
        from .batch import Options

        raise typer.Exit(run_cli(paths, Options(task, **options), outdir, jobs, json_out))


@app.command()
def office(
    action: str = typer.Argument(..., metavar="操作", show_default=False,
                                 help="「start」启动常驻 LibreOffice；「stop」结束它；「status」查看是否在运行"),
) -> None:
    """常驻 LibreOffice：启动一次，之后的 build --pdf 直接用它转换，不再每次启动（用完请结束它）。"""
    from .office import kept_office, start_kept, stop_kept
    from .pdf import ConversionError, LibreOfficeMissing

    if action == "start":
        try:
            started, pid = start_kept()
        except (LibreOfficeMissing, ConversionError) as exc:
            raise UserError(str(exc)) from None
        print(f"已启动常驻 LibreOffice（进程 {pid}）：之后的 build --pdf 直接使用它；"
              "用完请运行「nianbao office stop」结束它" if started
              else f"常驻 LibreOffice 已在运行（进程 {pid}）")
    elif action == "stop":
        stopped = stop_kept()
        print(f"已结束常驻 LibreOffice（进程 {stopped}）" if stopped
              else "没有在运行的常驻 LibreOffice")
    elif action == "status":
        running = kept_office()
        print(f"常驻 LibreOffice 正在运行（进程 {running['pid']}）" if running
              else "没有在运行的常驻 LibreOffice")
    else:
        raise UserError(f"未知的操作「{action}」（可用：「start」「stop」「status」）")


def _call(function, workspace: Path | list[Path], *args, **kwargs):
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
    command = typer.main.get_command(app)
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
