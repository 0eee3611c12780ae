"""`nianbao rollup`: run the roll-up, write the city workspace, print what happened."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .report_view import console, escape


def run_rollup(root: Path, city: Path, template: str | None, region: str | None,
               charts: list[str] | None, jobs: int | None, json_out: bool) -> int:
    """Return the exit code: 0 clean, 1 warnings (missing metrics, copied text), 2 usage."""
    from .charts import ChartsUnavailable
    from .city import CityExists, check_free, write_city
    from .rollup import as_dict, rollup

    if not root.is_dir():
        return _fail(f"找不到文件夹：{root}")
    try:
        check_free(city)
        result = rollup(root, template, jobs)
        written = write_city(result, city, region, charts)
    except (CityExists, LookupError, ChartsUnavailable) as exc:
        return _fail(str(exc))
    except OSError as exc:
        from .oserrors import describe

        return _fail(describe(exc))
    if json_out:
        from .console_encoding import json_for_stdout

        data = {**as_dict(result), "written": [str(p) for p in written]}
        sys.stdout.write(json_for_stdout(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
    else:
        out = console()
        for found in result.issues:
            out.print(f"[yellow]警告[/] [dim]{found.code}[/] {escape(found.text())}")
        for d in result.districts:
            if d.error:
                out.print(f"[red]无法读取[/]：{escape(d.region)}（{escape(d.workspace)}）：{escape(d.error)}")
        summed = sum(t.how == "sum" for t in result.totals)
        rates = sum(t.how == "rate" for t in result.totals)
        out.print(f"已汇总 {len(result.districts)} 个地区：{summed} 个指标相加，"
                  f"{rates} 个比率重新计算，{len(result.flags)} 处标记。")
        out.print(f"已生成全市工作区：{escape(str(city))}（含 对比表.xlsx"
                  f"{'、图表/' if any(p.suffix == '.png' for p in written) else ''}）")
    return 1 if result.issues or any(d.error for d in result.districts) else 0


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2
