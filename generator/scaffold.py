"""`init`: scaffold a workspace — a commented report.yaml, departments/, one workbook each.

Never overwrites: a file that exists (for a department: any file with its name, .xlsx or
.yaml) is left alone and listed as skipped. Running `init` again with more departments
adds only their workbooks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import Location, Report
from .messages_zh import issue
from .report_type import DEFAULT_TEMPLATE, ReportType, load_report_type
from .workspace import DEPARTMENTS_DIR, REPORT_FILE, department_files

__all__ = ["DEFAULT_TEMPLATE", "InitError", "InitResult", "init_workspace", "report_yaml"]
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]|^\.|^~')


@dataclass
class InitResult:
    """What `init_workspace` did: files written and skipped (workspace-relative)."""

    root: Path
    report: Report = field(default_factory=Report)
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class InitError(ValueError):
    """The arguments do not allow a workspace to be created (e.g. no region)."""


def init_workspace(path: Path | str, region: str | None = None, year: int | None = None,
                   template: str | None = None, departments: list[str] | None = None,
                   deadline: str | None = None, collector: str | None = None) -> InitResult:
    """Create the workspace at ``path``; return what was written and what already existed.

    Values missing from the arguments come from an existing report.yaml, else defaults:
    the previous calendar year, the report type's default department list (填报表 > 默认部门).
    The workbooks use the report type's wording and list the metrics it asks each
    department for.

    Raises:
        InitError: when there is neither ``region`` nor a report.yaml to take it from.
    """
    root = Path(path)
    result = InitResult(root)
    existing = _existing_config(root / REPORT_FILE)
    region = region or existing.get("地区")
    if not region:
        raise InitError("请用 --region 指定地区，如 --region 抚宁区")
    year = year or _int(existing.get("年度")) or dt.date.today().year - 1
    name = template or existing.get("模板") or DEFAULT_TEMPLATE
    where = Location(path="--template") if template else None
    found, problems = load_report_type(name, root if root.is_dir() else None, where)
    result.report.add(problems)
    if found is None:
        return result
    names = _department_names(departments or existing.get("部门") or found.default_departments,
                              result.report)
    root.mkdir(parents=True, exist_ok=True)
    if (root / REPORT_FILE).exists():
        result.skipped.append(REPORT_FILE)
    else:
        text = report_yaml(region, year, name, names, found)
        (root / REPORT_FILE).write_text(text, encoding="utf-8")
        result.written.append(REPORT_FILE)
    _write_workbooks(root, names, region, year, found, deadline, collector, result)
    if found.tables:  # the report type's fixed tables: one workbook, a sheet per table
        from .table_data import DATA_XLSX, DATA_YAML
        from .table_workbook import write_tables_workbook

        if (root / DATA_XLSX).exists() or (root / DATA_YAML).exists():
            result.skipped.append(DATA_XLSX)
        else:
            write_tables_workbook(found.tables, root / DATA_XLSX)
            result.written.append(DATA_XLSX)
    return result


def _write_workbooks(root: Path, names: list[str], region: str, year: int,
                     report_type: ReportType, deadline: str | None,
                     collector: str | None, result: InitResult) -> None:
    from .workbook_writer import MetricRow, WorkbookSpec, write_workbook

    sections = [(s.key, s.title) for s in report_type.sections]

    (root / DEPARTMENTS_DIR).mkdir(exist_ok=True)
    present = {p.stem: p.name for p in department_files(root)}
    for name in names:
        if name in present:
            result.skipped.append(f"{DEPARTMENTS_DIR}/{present[name]}")
            continue
        rel = f"{DEPARTMENTS_DIR}/{name}.xlsx"
        spec = WorkbookSpec(name, region, year, sections, deadline=deadline, collector=collector,
                            metrics=[MetricRow(m) for m in report_type.metrics_for(name)],
                            report=report_type.wording(region, year),
                            example=report_type.collection.example)
        write_workbook(root / rel, spec)
        result.written.append(rel)


def _existing_config(path: Path) -> dict[str, Any]:
    """Return report.yaml's top-level mapping, or {} when absent or unreadable."""
    if not path.is_file():
        return {}
    from .sources.yaml_source import YamlError, load_yaml

    try:
        data, _ = load_yaml(path)
    except (YamlError, OSError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _department_names(raw: Any, report: Report) -> list[str]:
    """Return unique, usable department names (splitting 「司法局,市场监管局」)."""
    names: list[str] = []
    for entry in raw if isinstance(raw, list) else [raw]:
        for name in re.split(r"[,，、;；\s]+", str(entry)):
            if not name or name in names:
                continue
            if _BAD_NAME.search(name):
                report.add([issue("department_bad_name", Location(path="部门"), name=name)])
            else:
                names.append(name)
    return names


def _scalar(value: str) -> str:
    """Return ``value`` as a YAML scalar, quoted only when needed."""
    if re.fullmatch(r"[\w（）()·][\w（）()·-]*", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def report_yaml(region: str, year: int, template: str, departments: list[str],
                report_type: ReportType | None = None) -> str:
    """Return the commented report.yaml text of a new workspace (worded for
    ``report_type``, by default the one called ``template``)."""
    if report_type is None:
        report_type = load_report_type(template)[0]
    organ = region if region.endswith("人民政府") else f"{region}人民政府"
    listed = "\n".join(f"  - {_scalar(n)}" for n in departments) or "  []"
    wording = report_type.wording(region, year) if report_type else f"{region}{year}年度报告"
    title = report_type.plain_title(organ, year, region) if report_type else ""
    metrics = report_type.catalogue.metrics if report_type else {}
    additive = [key for key, spec in metrics.items() if spec.additive]
    summed = f"（如 {additive[0]}）" if additive else ""
    return f"""\
# {wording}：工作区配置（由 nianbao init 生成，可以直接修改）
# 各项的含义见 docs/workspace-format.md。以 # 开头的是注释；去掉行首的 # 即可启用该项。

模板: {_scalar(template)}
机关: {_scalar(organ)}        # 报告主体全称
地区: {_scalar(region)}
年度: {year}

# 不写「标题」时按模板生成：{title}
# 主送机关: 区委、区人大常委会
# 导语: "{{{{ 年度 }}}}年，……现将有关情况报告如下："
# 发文机关署名: {organ}
# 成文日期: {year + 1}-01-15
# 附注: （此件公开发布）

# 各部门材料在报告中的先后顺序（departments/ 下的文件名，不含扩展名）。
# 同一章节中的内容先按这里的顺序、再按各部门填写的先后排列。
部门:
{listed}

# 多个部门都填报、需要相加的指标写在这里（组.名称）；合计作为该指标，各部门的数值
# 可用「{{{{ 组.名称.分项.部门 }}}}」引用。指标目录中标为「可累加」的{summed}已自动相加。
# 累加指标:
#   - 市场监管.食品类案件
"""
