"""Five district workspaces made from data_examples/funing-2023 (one broken), for the
batch and roll-up tests: each 地区 differs, some figures too."""

from __future__ import annotations

import shutil
from pathlib import Path

FUNING = Path(__file__).resolve().parents[1] / "data_examples" / "funing-2023"
#: 地区 → (行政复议.受理, 行政复议.审结, 行政复议.纠错); None leaves 法律援助.受理案件 out.
FIGURES = {"抚宁区": (64, 56, 5), "海港区": (70, 200, 40), "山海关区": (10, 56, 2),
           "北戴河区": (64, 56, 4), "昌黎县": (64, 56, 3)}
NO_LEGAL_AID = "北戴河区"
BROKEN = "昌黎县"  # 营商办.yaml is not YAML: its report cannot be built


def make_districts(root: Path) -> Path:
    """Write the five districts under ``root`` and return it."""
    for region, (accepted, closed, corrected) in FIGURES.items():
        folder = root / region
        shutil.copytree(FUNING, folder, ignore=shutil.ignore_patterns("out", ".nianbao*"))  # not built reports
        report = folder / "report.yaml"
        report.write_text(report.read_text("utf-8").replace("地区: 抚宁区", f"地区: {region}"),
                          "utf-8")
        dept = folder / "departments" / "司法局.yaml"
        text = dept.read_text("utf-8")
        text = text.replace("受理: {值: 64, 单位: 件, 说明: 依法立案}",
                            f"受理: {{值: {accepted}, 单位: 件}}")
        text = text.replace("审结: {值: 56, 单位: 件}",
                            f"审结: {{值: {closed}, 单位: 件}}\n    纠错: {{值: {corrected}, 单位: 件}}")
        if region == NO_LEGAL_AID:
            text = text.replace("  法律援助:\n    受理案件: {值: 817, 单位: 件}\n", "")
            text = text.replace("{{ 法律援助.受理案件 }}", "八百余")
        dept.write_text(text, "utf-8")
        if region == BROKEN:
            (folder / "departments" / "营商办.yaml").write_text("内容: [\n", "utf-8")
    return root


def some_districts(tmp: Path, regions: tuple[str, ...]) -> Path:
    """Return ``tmp/各区`` holding only ``regions`` of the five districts."""
    every = make_districts(tmp / "all")
    root = tmp / "各区"
    root.mkdir()
    for region in regions:
        shutil.move(str(every / region), str(root / region))
    return root
