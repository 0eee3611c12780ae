"""Commands that bring reports in and take them out: import, diff, serve, rollup and
the resident LibreOffice (office). Registered on the app of `cli_base` when `cli` imports
this module, after the core commands (the order of `nianbao --help`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .cli_base import JobsOpt, TemplateOpt, UserError, WorkspaceArg, app, call


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
        result = call(diff_report, workspace, edited, apply=apply, template=template)
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
