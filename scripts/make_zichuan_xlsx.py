"""Regenerate data_examples/zichuan-2024-xlsx: the zichuan-2024 example as department workbooks.

Usage: python scripts/make_zichuan_xlsx.py [SOURCE] [TARGET]

Each departments/*.yaml of SOURCE becomes departments/*.xlsx of TARGET, written by the same
code as `nianbao init` (generator/workbook_writer.py) with the figures and narrative rows
filled in; report.yaml is copied with a new heading comment. Items with 子项 become rows
linked by 标识/上级. Keys the workbook has no column for (连排, 编号, 涵盖) are refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.report_type import DEFAULT_TEMPLATE, load_report_type  # noqa: E402
from generator.workbook_metrics import WorkbookMetric, kind_of  # noqa: E402
from generator.workbook_writer import MetricRow, WorkbookSpec, freeze_workbook, write_workbook  # noqa: E402

HEADING = """\
# 淄川区人民政府2024年度法治政府建设情况报告（Excel 填报版）
# 与 data_examples/zichuan-2024 是同一份报告：各部门材料以 departments/*.xlsx 填报表提供，
# 由 scripts/make_zichuan_xlsx.py 从 YAML 版生成；两者生成的报告文字完全相同。

"""


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "data_examples/zichuan-2024"
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "data_examples/zichuan-2024-xlsx"
    config = yaml.safe_load((source / "report.yaml").read_text(encoding="utf-8"))
    report_type, _ = load_report_type(config.get("模板", DEFAULT_TEMPLATE))
    assert report_type is not None, "template not found"
    sections = [(s.key, s.title) for s in report_type.sections]
    (target / "departments").mkdir(parents=True, exist_ok=True)
    _copy_report(source / "report.yaml", target / "report.yaml")
    for path in sorted((source / "departments").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        spec = WorkbookSpec(path.stem, config.get("地区", ""), config["年度"], sections,
                            full_name=data.get("部门"), contact=data.get("联系人"),
                            metrics=_metric_rows(data.get("指标") or {}),
                            items=_item_rows(data.get("内容") or [], path.stem),
                            report=report_type.wording(config.get("地区", ""), config["年度"]),
                            example=report_type.collection.example)
        out = target / "departments" / f"{path.stem}.xlsx"
        write_workbook(out, spec)
        freeze_workbook(out)
        print(f"wrote {out}")
    return 0


def _copy_report(source: Path, target: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    body = "".join(lines[next(i for i, line in enumerate(lines) if not line.startswith("#")):])
    target.write_text(HEADING + body, encoding="utf-8")


def _metric_rows(groups: dict[str, dict[str, Any]]) -> list[MetricRow]:
    rows = []
    for group, figures in groups.items():
        for name, entry in figures.items():
            entry = entry if isinstance(entry, dict) else {"值": entry}
            unit = entry.get("单位") or ""
            spec = WorkbookMetric(group, name, unit, kind_of(group, name, unit), True,
                              entry.get("说明") or "")
            rows.append(MetricRow(spec, entry["值"]))
    return rows


def _item_rows(items: list[dict[str, Any]], stem: str, parent: str | None = None,
               counter: list[int] | None = None) -> list[dict[str, Any]]:
    """Return one row per item, children after their parent and linked by 标识/上级."""
    counter = counter if counter is not None else [0]
    rows = []
    for item in items:
        unsupported = set(item) - {"章节", "上级", "标识", "标题", "正文", "子项"}
        if unsupported:
            raise SystemExit(f"{stem}: the workbook has no column for {sorted(unsupported)}")
        row = {key: item[key] for key in ("章节", "上级", "标识", "标题") if key in item}
        if parent is not None:
            row["上级"] = parent
        text = item.get("正文")
        if text:
            row["正文"] = "\n".join(text) if isinstance(text, list) else str(text).strip()
        children = item.get("子项") or []
        if children and "标识" not in row:
            counter[0] += 1
            row["标识"] = f"{stem}{counter[0]}"
        rows.append(row)
        rows.extend(_item_rows(children, stem, row.get("标识"), counter))
    return rows


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
