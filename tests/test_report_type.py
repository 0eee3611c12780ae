"""A report type is a template folder and nothing else: a new type, written here into a
temporary folder (its own sections, required items with their regulation, metrics with the
departments that supply them, title pattern, numbering and deadlines), is built, validated,
`init`ed and `status`ed with no Python change. Also: the manifest's 编号 is the default
numbering, report.yaml's 编号 overrides it option by option."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.cli import main
from generator.report_type import load_report_type
from generator.sources.yaml_source import load_yaml

REPO = Path(__file__).resolve().parents[1]
NAME = "zhengwu-open"
BASIS = "《中华人民共和国政府信息公开条例》第五十条要求年度报告包含此项"

MANIFEST = f"""\
名称: 政府信息公开工作年度报告
标题: "{{{{ 机关 }}}}{{{{ 年度 }}}}年政府信息公开工作年度报告"
章节:
  - 键: 总体情况
    标题: 总体情况
    必需: true
    依据: {BASIS}
  - 键: 申请办理
    事项: 收到和处理政府信息公开申请情况
    标题: 收到和处理政府信息公开申请情况
    必需: true
    依据: {BASIS}
  - 键: 工作安排
    标题: "{{{{ 下一年度 }}}}年工作安排"
    下一年度: true
编号:
  二级样式: 数字
时限:
  公开:
    日期: 1月31日
    依据: 《中华人民共和国政府信息公开条例》第四十九条：每年1月31日前公布
填报表:
  报告名称: 政府信息公开工作年度报告
  默认部门: [政务公开办, 教育局]
  报送分工:
    - 部门关键词: [政务公开]
      指标: [主动公开]
    - 部门关键词: [局]
      指标: [依申请公开]
  示例:
    指标: 依申请公开.收到
    数值: 42
    正文: 收到政府信息公开申请{{{{ 依申请公开.收到 }}}}件
"""

METRICS = """\
指标:
  主动公开.发布信息:
    名称: 主动公开政府信息数
    单位: 条
    类型: 计数
    填报说明: 在政府网站主动公开的政府信息
  依申请公开.收到:
    名称: 收到政府信息公开申请数
    单位: 件
    类型: 计数
    可累加: true
    填报说明: 全年收到的申请
  依申请公开.答复:
    名称: 按时答复的申请数
    单位: 件
    类型: 计数
    可累加: true
  依申请公开.答复率:
    名称: 按时答复率
    单位: "%"
    类型: 比率
    必填: false
    计算: {分子: 依申请公开.答复, 分母: 依申请公开.收到}
"""

OFFICE = """\
部门: 政务公开办
指标:
  主动公开:
    发布信息: {值: 1200, 单位: 条}
内容:
  - 章节: 总体情况
    标题: 加强组织领导
    正文: 全年主动公开政府信息{{ 主动公开.发布信息 }}条。
  - 章节: 总体情况
    标题: 完善公开平台
    正文: 升级政府网站。
  - 章节: 工作安排
    标题: 深化重点领域公开
    正文: "{{ 下一年度 }}年继续推进。"
"""

EDUCATION = """\
部门: 教育局
指标:
  依申请公开:
    收到: {值: 40, 单位: 件}
    答复: {值: 38, 单位: 件}
内容:
  - 章节: 申请办理
    正文: 收到申请{{ 依申请公开.收到 }}件，按时答复率{{ 依申请公开.答复率 | 带单位 }}。
"""


def run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out + err


@pytest.fixture
def types_dir(tmp_path, monkeypatch) -> Path:
    """A shared template folder holding the new report type (docx: any layout will do)."""
    folder = tmp_path / "types" / NAME
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    shutil.copy(REPO / "templates" / "work-report" / "template.docx", folder / "template.docx")
    monkeypatch.setenv("NIANBAO_TEMPLATE_PATH", str(tmp_path / "types"))
    return folder


def test_the_type_loads_from_its_folder(types_dir):
    report_type, problems = load_report_type(NAME)
    assert problems == [] and report_type.folder == types_dir
    assert [s.key for s in report_type.required_sections] == ["总体情况", "申请办理"]
    assert report_type.next_year_sections == {"工作安排"}
    assert report_type.default_departments == ["政务公开办", "教育局"]
    assert [m.key for m in report_type.metrics_for("区政务公开办")] == ["主动公开.发布信息"]
    assert [(m.key, m.unit, m.kind, m.required) for m in report_type.metrics_for("教育局")] == [
        ("依申请公开.收到", "件", "count", True), ("依申请公开.答复", "件", "count", True),
        ("依申请公开.答复率", "%", "rate", False)]
    assert report_type.metrics_for("区委办") == []
    assert report_type.reporting_deadline("某区人民政府", 2023) is None
    assert report_type.wording("某区", 2023) == "某区2023年度政府信息公开工作年度报告"


def test_init_status_validate_build_with_the_new_type(types_dir, tmp_path, capsys, open_docx):
    ws = tmp_path / "某区-2023"
    code, out = run(capsys, "init", str(ws), "--region", "某区", "--year", "2023", "-t", NAME)
    assert code == 0, out
    config, _ = load_yaml(ws / "report.yaml")
    assert config["模板"] == NAME and config["部门"] == ["政务公开办", "教育局"]
    text = (ws / "report.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 某区2023年度政府信息公开工作年度报告：工作区配置")
    assert "按模板生成：某区人民政府2023年政府信息公开工作年度报告" in text
    assert "法治" not in text

    # the workbooks: this type's wording, metrics, notes, sections and example
    book = load_workbook(ws / "departments" / "教育局.xlsx")
    info = "\n".join(str(c) for row in book["填表说明"].iter_rows(values_only=True)
                     for c in row if c)
    assert "某区2023年度政府信息公开工作年度报告 · 部门材料填报表" in info
    assert "汇总后自动生成某区2023年度政府信息公开工作年度报告" in info
    assert "正文中写「收到政府信息公开申请{{ 依申请公开.收到 }}件」，报告中即为「收到政府信息公开申请42件」" in info
    assert "法治" not in info
    rows = [r[:6] for r in book["指标"].iter_rows(min_row=4, max_row=6, values_only=True)]
    assert rows == [("依申请公开", "收到", None, "件", "全年收到的申请", "是"),
                    ("依申请公开", "答复", None, "件", None, "是"),
                    ("依申请公开", "答复率", None, "%", None, None)]
    (choose,) = book["工作举措"].data_validations.dataValidation
    assert choose.formula1 == '"总体情况,申请办理,工作安排"'
    office = load_workbook(ws / "departments" / "政务公开办.xlsx")["指标"]
    assert [(c[0], c[1]) for c in office.iter_rows(min_row=4, max_row=4, values_only=True)] == [
        ("主动公开", "发布信息")]

    # status of the fresh workspace: both pending, the required sections still empty
    code, out = run(capsys, "status", str(ws), "--json")
    data = json.loads(out)
    assert [(d["name"], d["label"], d["metrics_expected"]) for d in data["departments"]] == [
        ("政务公开办", "待收集", 1), ("教育局", "待收集", 3)]
    assert [(s["key"], s["required"]) for s in data["empty_sections"]] == [
        ("总体情况", True), ("申请办理", True), ("工作安排", False)]

    # material comes back (as YAML here): one required section is still missing
    for name in ("政务公开办", "教育局"):
        (ws / "departments" / f"{name}.xlsx").unlink()
    (ws / "departments" / "政务公开办.yaml").write_text(OFFICE, encoding="utf-8")
    code, out = run(capsys, "validate", str(ws), "--json")
    found = json.loads(out)["issues"]
    assert code == 1
    assert sorted(i["code"] for i in found if i["severity"] == "error") == [
        "department_unknown", "section_missing"]  # 教育局 is listed in 部门 but has no file
    (missing,) = [i["message"] for i in found if i["code"] == "section_missing"]
    assert "收到和处理政府信息公开申请情况" in missing and BASIS in missing

    (ws / "departments" / "教育局.yaml").write_text(EDUCATION, encoding="utf-8")
    code, out = run(capsys, "status", str(ws), "--json")
    data = json.loads(out)
    assert [(d["name"], d["label"]) for d in data["departments"]] == [
        ("政务公开办", "可用"), ("教育局", "可用")]
    assert data["empty_sections"] == [] and data["errors"] == 0
    code, out = run(capsys, "validate", str(ws))
    assert code == 0, out

    code, out = run(capsys, "build", str(ws), "-o", str(tmp_path / "out"))
    assert code == 0, out
    (docx,) = (tmp_path / "out").glob("*.docx")
    assert docx.stem == "某区人民政府2023年政府信息公开工作年度报告"
    texts = open_docx(docx).texts()
    body = texts[texts.index("一、总体情况"):]
    assert body[:6] == [
        "一、总体情况",
        "1.加强组织领导。全年主动公开政府信息1200条。",  # 编号: 二级样式 数字
        "2.完善公开平台。升级政府网站。",
        "二、收到和处理政府信息公开申请情况",
        "收到申请40件，按时答复率95%。",  # derived from the type's 计算
        "三、2024年工作安排",
    ]


def test_deadlines_are_the_types_own(types_dir, make_tree):
    from generator.api import validate_workspace

    files = {"departments/政务公开办.yaml": OFFICE, "departments/教育局.yaml": EDUCATION}
    late = make_tree({**files, "report.yaml": f"模板: {NAME}\n机关: 某区人民政府\n年度: 2023\n"
                      "成文日期: 2024-03-20\n印发机关: 某区人民政府办公室\n印发日期: 2024-02-05\n"})
    issues = validate_workspace(late).issues
    codes = [i.code for i in issues]
    assert "date_after_deadline" not in codes  # this type has no 报送 deadline
    (published,) = [i for i in issues if i.code == "published_late"]
    assert "2024年1月31日" in published.message and "第四十九条" in published.message


def test_report_yaml_numbering_overrides_the_manifest_option_by_option(types_dir, make_tree):
    from generator.api import prepare

    files = {"departments/政务公开办.yaml": OFFICE, "departments/教育局.yaml": EDUCATION}
    head = f"模板: {NAME}\n机关: 某区人民政府\n年度: 2023\n"
    default = prepare(make_tree({**files, "report.yaml": head}, name="a"))
    assert default.outline.config.numbering.second_level == "数字"
    assert "1.加强组织领导。全年主动公开政府信息1200条。" in [
        b.head + b.text for b in default.outline.blocks]
    own = prepare(make_tree({**files, "report.yaml": head + "编号:\n  连续编号层级: [2]\n"},
                            name="b"))
    numbering = own.outline.config.numbering
    assert (numbering.second_level, numbering.continuous_levels) == ("数字", [2])
    back = prepare(make_tree({**files, "report.yaml": head + "编号:\n  二级样式: 括号\n"},
                             name="c"))
    assert back.outline.config.numbering.second_level == "括号"
    assert any(b.head.startswith("（一）") for b in back.outline.blocks)


def test_unknown_metrics_in_the_collection_plan_are_reported(types_dir):
    (types_dir / "template.yaml").write_text(
        MANIFEST.replace("指标: [依申请公开]", "指标: [依申请公开, 没有这组.指标]"), encoding="utf-8")
    moved = types_dir.parent / "broken"
    types_dir.rename(moved)  # a fresh path: loaded templates are cached by folder
    report_type, problems = load_report_type("broken")
    assert report_type is not None
    assert [p.code for p in problems] == ["template_broken"]
    assert "没有这组.指标" in problems[0].message and problems[0].loc.file == "types/broken/template.yaml"


def test_a_type_can_switch_rules_off_with_a_reason(types_dir, make_tree):
    from generator.api import validate_workspace

    (types_dir / "template.yaml").write_text(
        MANIFEST + "关闭规则:\n  - 规则: W5\n    原因: 本类报告另行公布\n", encoding="utf-8")
    moved = types_dir.parent / "switched"
    types_dir.rename(moved)  # a fresh path: loaded templates are cached by folder
    files = {"departments/政务公开办.yaml": OFFICE, "departments/教育局.yaml": EDUCATION}
    ws = make_tree({**files, "report.yaml": "模板: switched\n机关: 某区人民政府\n年度: 2023\n"
                    "印发机关: 某区人民政府办公室\n印发日期: 2024-02-05\n"})
    issues = validate_workspace(ws).issues
    assert "published_late" not in [i.code for i in issues]
    (note,) = [i for i in issues if i.code == "rule_disabled"]
    assert note.loc.file == "types/switched/template.yaml" and "本类报告另行公布" in note.message
