"""Write the city's workspace from a roll-up (never over an existing one).

Each district becomes one file departments/<地区>.yaml holding its figures of the summed
metrics; the city's own merge adds them up again (so ``{{ 行政复议.受理 }}`` is the total
and ``{{ 行政复议.受理.分项.抚宁区 }}`` a district's part), derives the rates from the
summed parts, and reports a district left out of a total (its value is written blank:
``metric_total_incomplete`` until the city fills it in).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .rollup import CITY_MARK, Rollup

CHART_DIR = "图表"
BOOK = "对比表.xlsx"


class CityExists(Exception):
    """The city workspace folder exists and is not empty: nothing is overwritten."""


def check_free(city: Path) -> None:
    """Raise `CityExists` unless ``city`` is missing or an empty folder."""
    if city.exists() and (not city.is_dir() or any(city.iterdir())):
        raise CityExists(f"{city} 已存在且不是空文件夹；为免覆盖，请换一个文件夹")


def _q(text: str) -> str:
    """Return ``text`` as a YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def report_yaml(rollup: Rollup, region: str) -> str:
    """Return the city's report.yaml."""
    regions = [d.region for d in rollup.districts]
    today = dt.date.today()
    lines = [
        f"{CITY_MARK} 于 {today.year}年{today.month}月{today.day}日"
        f" 汇总 {len(regions)} 个地区（{rollup.root}）生成。",
        "# departments/ 中每个地区一份文件，只含可累加指标；正文中可引用：",
        "#   {{ 组.名称 }}           全市合计，如 {{ 行政复议.受理 }}",
        "#   {{ 组.名称.分项.地区 }}  某地区的数字，如 {{ 行政复议.受理.分项."
        + (regions[0] if regions else "某区") + " }}",
        "# 比率由合计后的分子、分母重新计算（不把各地比率相加或平均）。",
        "# 各地对比见 对比表.xlsx，图表见 图表/。请另建部门文件撰写全市的工作情况。",
        f"模板: {_q(rollup.template)}",
        f"机关: {_q(region + '人民政府')}",
        f"地区: {_q(region)}",
    ]
    if rollup.year:
        lines.append(f"年度: {rollup.year}")
    lines.append("部门:")
    lines += [f"  - {_q(r)}" for r in regions]
    return "\n".join(lines) + "\n"


def district_yaml(rollup: Rollup, index: int) -> str:
    """Return departments/<地区>.yaml: the district's summed metrics (blank when missing)."""
    district = rollup.districts[index]
    lines = [f"# {district.region}：由 nianbao rollup 从 {district.workspace} 汇总。",
             f"部门: {_q(district.region)}", "指标:"]
    groups: dict[str, list[str]] = {}
    for total in rollup.totals:
        if total.how != "sum":
            continue
        group, name = total.key.split(".", 1)
        figure = district.figures.get(total.key)
        value = "null" if figure is None else _yaml_number(figure[0])
        note = ", 说明: 未报送，请补充" if figure is None else ""
        groups.setdefault(group, []).append(
            f"    {name}: {{值: {value}, 单位: {_q(total.unit)}{note}}}")
    for group, rows in groups.items():
        lines += [f"  {group}:", *rows]
    if not groups:
        lines[-1] = "指标: {}"
    return "\n".join(lines) + "\n"


def _yaml_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_city(rollup: Rollup, city: Path, region: str | None = None,
               charts: list[str] | None = None) -> list[Path]:
    """Write the city workspace, 对比表.xlsx and the charts; return the files written.

    Raises:
        CityExists: ``city`` exists and is not empty.
    """
    from .api import safe_filename
    from .compare_book import write_book
    from .outputs import save_atomic

    check_free(city)
    region = region or city.resolve().name
    written: list[Path] = []

    def text(path: Path, content: str) -> None:
        save_atomic(lambda temp: Path(temp).write_text(content, encoding="utf-8"), path)
        written.append(path)

    text(city / "report.yaml", report_yaml(rollup, region))
    names: set[str] = set()
    for index, district in enumerate(rollup.districts):
        name = safe_filename(district.region)
        if name in names:  # two folders of one 地区: the second is a conflict to resolve
            name = f"{name}（{safe_filename(Path(district.folder).name)}）"
        names.add(name)
        text(city / "departments" / f"{name}.yaml", district_yaml(rollup, index))
    written.append(write_book(rollup, city / BOOK))
    if charts is None or charts:
        from .charts import draw_charts

        written += draw_charts(rollup, city / CHART_DIR, charts)
    return written
