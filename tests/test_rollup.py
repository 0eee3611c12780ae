"""`nianbao rollup`: totals equal the hand sums, rates come from summed parts, the city
workspace resolves each district's part, the comparison workbook reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from districts import FIGURES, NO_LEGAL_AID, make_districts
from openpyxl import load_workbook

from generator.cli import main
from generator.pipeline import prepare

ROLLED: dict = {}


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_districts(tmp_path_factory.mktemp("districts"))
    city = tmp_path_factory.mktemp("out") / "秦皇岛市"
    with pytest.raises(SystemExit) as exited:
        main(["rollup", str(root), "-o", str(city), "--json", "-j", "2"])
    ROLLED["code"] = exited.value.code
    ROLLED["root"] = root
    return city


def test_totals_are_the_hand_sums_and_rates_are_recomputed(city: Path, capfd) -> None:
    prepared = prepare(city)
    groups = prepared.merged.groups
    assert groups["行政复议"]["受理"] == sum(a for a, _, _ in FIGURES.values()) == 272
    assert groups["行政复议"]["审结"] == 424 and groups["行政复议"]["纠错"] == 54
    assert groups["法律援助"]["受理案件"] == 817 * 4
    rate = prepared.merged.derived["行政复议.纠错率"]
    assert rate == round(54 / 424 * 100, 2) == 12.74  # not the mean of the rates (9.0)
    render = prepared.renderer.render
    assert render("{{ 行政复议.受理.分项.海港区 }}") == "70"
    assert render("{{ 行政复议.受理 }}件，其中山海关区{{ 行政复议.受理.分项.山海关区 }}件") == \
        "272件，其中山海关区10件"
    # the district that did not report 法律援助 is written blank: the city's total is flagged
    incomplete = [i for i in prepared.report.issues if i.code == "metric_total_incomplete"]
    assert [i.loc.file for i in incomplete] and NO_LEGAL_AID in incomplete[0].message
    assert ROLLED["code"] == 1  # warnings: a missing metric, copied paragraphs


def test_the_comparison_workbook_reads_back(city: Path) -> None:
    book = load_workbook(city / "对比表.xlsx")
    sheet = book["对比表"]
    keys = [c.value for c in sheet[2]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {*FIGURES, "合计"}
    col = keys.index("行政复议.受理")
    assert {r: rows[r][col] for r in FIGURES} == {r: v[0] for r, v in FIGURES.items()}
    assert rows["合计"][col] == 272
    assert rows["合计"][keys.index("行政复议.纠错率")] == 12.74
    assert rows["合计"][keys.index("行政复议.纠错率")] != pytest.approx(9.0)
    assert rows["合计"][keys.index("行政执法.人均培训学时")] == "不可相加"
    aid = keys.index("法律援助.受理案件")
    assert rows[NO_LEGAL_AID][aid] == "缺" and rows["合计"][aid] == 817 * 4
    row_of = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    missing = sheet.cell(row_of[NO_LEGAL_AID], aid + 1)
    assert missing.fill.start_color.rgb.endswith("D9D9D9") and "缺报" in missing.comment.text
    low = sheet.cell(row_of["山海关区"], col + 1)  # 10 against a median of 64
    assert "偏低" in low.comment.text
    total = sheet.cell(row_of["合计"], aid + 1)
    assert NO_LEGAL_AID in total.comment.text  # the partial total says who is missing
    flags = {(r[0], r[1], r[2]) for r in book["标记"].iter_rows(min_row=2, values_only=True)}
    assert (NO_LEGAL_AID, "法律援助.受理案件", "缺报") in flags
    assert ("山海关区", "行政复议.受理", "偏低") in flags
    assert ("海港区", "行政复议.审结", "偏高") in flags  # 200 against 56
    codes = {r[1] for r in book["问题"].iter_rows(min_row=2, values_only=True)}
    assert {"rollup_metric_missing", "district_paragraph_copied"} <= codes


def test_charts_are_pngs_with_every_district(city: Path) -> None:
    from PIL import Image

    charts = sorted(p.name for p in (city / "图表").glob("*.png"))
    assert "行政复议.受理.png" in charts and "行政复议.纠错率.png" in charts
    with Image.open(city / "图表" / "行政复议.受理.png") as image:
        assert image.size == (1200, 700)
        colours = image.getcolors(1_000_000)
    bars = sum(count for count, rgb in colours if rgb == (68, 114, 196))
    assert bars > 1000


def test_city_workspace_yaml_and_departments(city: Path) -> None:
    files = sorted(p.stem for p in (city / "departments").glob("*.yaml"))
    assert files == sorted(FIGURES)
    text = (city / "report.yaml").read_text("utf-8")
    assert "地区: \"秦皇岛市\"" in text and "年度: 2023" in text
    assert "人均培训学时" not in (city / "departments" / "抚宁区.yaml").read_text("utf-8")


def test_rollup_never_overwrites(city: Path, tmp_path: Path, capsys) -> None:
    before = (city / "report.yaml").read_bytes()
    code, _, err = run(capsys, "rollup", str(ROLLED["root"]), "-o", str(city))
    assert code == 2 and "已存在" in err
    assert (city / "report.yaml").read_bytes() == before


def test_a_city_workspace_inside_the_folder_is_not_a_district(city: Path, tmp_path: Path) -> None:
    import shutil

    from generator.rollup import collect

    root = tmp_path / "市"
    shutil.copytree(ROLLED["root"], root)
    shutil.copytree(city, root / "汇总")
    assert sorted(d.region for d in collect(root, jobs=1)) == sorted(FIGURES)


def test_rollup_json_shape(tmp_path: Path, capsys) -> None:
    root = make_districts(tmp_path / "d")
    code, stdout, _ = run(capsys, "rollup", str(root), "-o", str(tmp_path / "c"), "--json",
                          "--no-charts", "-j", "1")
    data = json.loads(stdout)
    assert code == 1
    assert set(data) == {"root", "year", "districts", "totals", "flags", "issues", "written"}
    assert data["year"] == 2023 and len(data["districts"]) == 5
    total = next(t for t in data["totals"] if t["key"] == "法律援助.受理案件")
    assert total == {"key": "法律援助.受理案件", "name": total["name"], "unit": "件",
                     "how": "sum", "value": 3268, "missing": [NO_LEGAL_AID]}
    missing = [i for i in data["issues"] if i["code"] == "rollup_metric_missing"]
    assert any(NO_LEGAL_AID in i["message"] and "法律援助.受理案件" in i["message"]
               for i in missing)
    copied = next(i for i in data["issues"] if i["code"] == "district_paragraph_copied")
    assert copied["file"].endswith("departments/司法局.yaml") and copied["line"]
    assert "/departments/司法局.yaml 第" in copied["message"]  # the other district's place
    assert not (tmp_path / "c" / "图表").exists()


def test_changes_from_last_year_are_flagged(tmp_path: Path) -> None:
    from generator.compare_book import write_book
    from generator.rollup import rollup

    def district(folder: Path, year: int, accepted: int, previous: bool = False) -> None:
        (folder / "departments").mkdir(parents=True)
        (folder / "report.yaml").write_text(
            f"模板: fazhi-annual\n机关: 甲区人民政府\n地区: 甲区\n年度: {year}\n"
            + ("上年工作区: 上年\n" if previous else ""), "utf-8")
        (folder / "departments" / "司法局.yaml").write_text(
            f"部门: 司法局\n指标:\n  行政复议:\n    受理: {{值: {accepted}, 单位: 件}}\n"
            "    审结: {值: 10, 单位: 件}\n", "utf-8")

    district(tmp_path / "市" / "甲区", 2023, 30, previous=True)
    district(tmp_path / "市" / "甲区" / "上年", 2022, 12)
    result = rollup(tmp_path / "市", jobs=1)
    flags = [(f.region, f.key, f.kind, f.text) for f in result.flags]
    assert ("甲区", "行政复议.受理", "同比变化大", "上年12，同比增长150.0%") in flags
    assert not any(f[1] == "行政复议.审结" for f in flags)  # unchanged
    assert not result.issues  # two figures, one unchanged: not "all equal to last year"
    book = load_workbook(write_book(result, tmp_path / "对比表.xlsx"))
    assert "同比变化大" in book["对比表"]["B3"].comment.text


NARRATIVE = """部门: 市司法局
内容:
  - 章节: 主要举措和成效
    标题: 行政复议
    正文: 全市受理{{ 行政复议.受理 }}件，其中海港区{{ 行政复议.受理.分项.海港区 }}件，纠错率{{ 行政复议.纠错率 }}%。
  - {章节: 存在的不足和原因, 标题: 不足, 正文: 基层力量薄弱。}
  - {章节: 下一年度主要安排, 标题: 安排, 正文: 继续推进。}
  - {章节: 第一责任人职责, 标题: 职责, 正文: 主要负责人履行第一责任人职责。}
"""


def test_the_city_writes_its_narrative_and_builds(city: Path, tmp_path: Path, capsys) -> None:
    import shutil

    from docx import Document

    mine = tmp_path / "市"
    shutil.copytree(city, mine)
    late = mine / "departments" / f"{NO_LEGAL_AID}.yaml"  # the missing figure arrives
    late.write_text(late.read_text("utf-8").replace(
        '{值: null, 单位: "件", 说明: 未报送，请补充}', '{值: 800, 单位: "件"}'), "utf-8")
    (mine / "departments" / "市司法局.yaml").write_text(NARRATIVE, "utf-8")
    code, stdout, _ = run(capsys, "build", str(mine), "-o", str(tmp_path / "out"))
    assert code == 0, stdout
    (docx,) = (tmp_path / "out").glob("*.docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "全市受理272件，其中海港区70件，纠错率12.74%。" in text
    assert "秦皇岛市人民政府" in text
