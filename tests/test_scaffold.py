"""generator.scaffold and the collection workbook: what `init` writes, and that it never
overwrites; the `nianbao init` command."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from generator.cli import main
from generator.report_type import load_report_type
from generator.scaffold import InitError, init_workspace
from generator.sources.yaml_source import load_yaml


def metrics_for(department: str, template: str = "fazhi-annual"):
    return load_report_type(template)[0].metrics_for(department)


def default_departments(template: str):
    return load_report_type(template)[0].default_departments


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_init_writes_report_and_one_workbook_per_department(tmp_path):
    root = tmp_path / "ws"
    result = init_workspace(root, region="抚宁区", year=2023, departments=["司法局", "市场监管局"])
    assert result.written == ["report.yaml", "departments/司法局.xlsx",
                              "departments/市场监管局.xlsx"]
    assert result.skipped == [] and result.report.ok
    config, _ = load_yaml(root / "report.yaml")
    assert config == {"模板": "fazhi-annual", "机关": "抚宁区人民政府", "地区": "抚宁区",
                      "年度": 2023, "部门": ["司法局", "市场监管局"]}
    assert "# 累加指标:" in (root / "report.yaml").read_text(encoding="utf-8")


def test_default_departments_and_year(tmp_path):
    import datetime as dt

    result = init_workspace(tmp_path / "ws", region="抚宁区")
    expected = [f"departments/{n}.xlsx" for n in default_departments("fazhi-annual")]
    assert result.written[1:] == expected
    config, _ = load_yaml(tmp_path / "ws" / "report.yaml")
    assert config["年度"] == dt.date.today().year - 1


def test_init_never_overwrites_and_adds_only_new_departments(tmp_path):
    root = tmp_path / "ws"
    init_workspace(root, region="抚宁区", year=2023, departments=["司法局"])
    (root / "report.yaml").write_text("机关: 改过的\n地区: 抚宁区\n年度: 2023\n", encoding="utf-8")
    before = (root / "departments" / "司法局.xlsx").read_bytes()
    (root / "departments" / "公安局.yaml").write_text("部门: 公安局\n", encoding="utf-8")
    result = init_workspace(root, departments=["司法局", "公安局", "应急管理局"])
    assert result.written == ["departments/应急管理局.xlsx"]
    assert result.skipped == ["report.yaml", "departments/司法局.xlsx", "departments/公安局.yaml"]
    assert (root / "report.yaml").read_text(encoding="utf-8").startswith("机关: 改过的")
    assert (root / "departments" / "司法局.xlsx").read_bytes() == before


def test_region_is_required_for_a_new_workspace(tmp_path):
    with pytest.raises(InitError):
        init_workspace(tmp_path / "ws")
    assert not (tmp_path / "ws").exists()


def test_bad_department_names_and_unknown_templates_are_issues(tmp_path):
    result = init_workspace(tmp_path / "a", region="x", departments=["司法/局", "司法局"])
    assert [i.code for i in result.report.issues] == ["department_bad_name"]
    assert result.written == ["report.yaml", "departments/司法局.xlsx"]
    result = init_workspace(tmp_path / "b", region="x", template="没有这个模板")
    assert [i.code for i in result.report.issues] == ["template_unknown"]
    assert result.written == []


def test_the_workbook_structure(tmp_path):
    init_workspace(tmp_path / "ws", region="抚宁区", year=2023, departments=["司法局"])
    wb = load_workbook(tmp_path / "ws" / "departments" / "司法局.xlsx")
    assert wb.sheetnames == ["填表说明", "指标", "工作举措"]
    info = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    for words in ("报送截止", "2024年1月10日前", "{{ 行政复议.受理 }}", "另存为", "联系人"):
        assert words in info
    sheet = wb["指标"]
    assert [c.value for c in sheet[3]] == ["组", "名称", "值", "单位", "说明", "必填"]
    assert sheet.protection.sheet and not sheet.protection.password
    specs = metrics_for("司法局")
    for row, spec in enumerate(specs, start=4):
        assert (sheet.cell(row, 1).value, sheet.cell(row, 2).value) == (spec.group, spec.name)
        assert sheet.cell(row, 2).protection.locked and not sheet.cell(row, 3).protection.locked
    rules = {(v.type, v.operator, v.formula1, v.formula2): str(v.sqref)
             for v in sheet.data_validations.dataValidation}
    assert set(rules) == {("whole", "greaterThanOrEqual", "0", None),
                          ("decimal", "greaterThanOrEqual", "0", None),
                          ("decimal", "between", "0", "100")}
    rate_row = 4 + [s.key for s in specs].index("行政复议.纠错率")
    assert f"C{rate_row}" in rules[("decimal", "between", "0", "100")].split()
    items = wb["工作举措"]
    assert [c.value for c in items[3]] == ["章节", "标识", "上级", "标题", "正文"]
    (choose,) = items.data_validations.dataValidation
    assert choose.type == "list" and "主要举措和成效" in choose.formula1 and "A4" in str(choose.sqref)
    assert not items["E4"].protection.locked and items["E3"].protection.locked


def test_enforcement_departments_are_asked_for_enforcement_figures():
    assert [s.key for s in metrics_for("市场监管局")] == [
        "行政执法.案件数", "行政执法.罚没款", "行政执法.执法人员", "行政执法.持证人数"]
    assert metrics_for("司法局")[0].key == "行政复议.收到"
    assert metrics_for("区委办公室") == [] and metrics_for("司法局", "work-report") == []


def test_cli_init(tmp_path, capsys):
    root = tmp_path / "ws"
    code, out, _ = run(capsys, "init", str(root), "--region", "抚宁区", "--year", "2023",
                       "--departments", "司法局", "市场监管局")
    assert code == 0
    assert "已写入" in out and "departments/市场监管局.xlsx" in out and "下一步" in out
    code, out, _ = run(capsys, "init", str(root), "-d", "司法局,应急管理局")
    assert code == 0 and "已存在，未改动" in out and "应急管理局.xlsx" in out


def test_cli_init_usage_problems(tmp_path, capsys):
    code, _, err = run(capsys, "init", str(tmp_path / "ws"))
    assert code == 2 and "--region" in err
    code, _, err = run(capsys, "init", str(tmp_path / "ws"), "司法局", "--region", "x")
    assert code == 2 and "多余的参数" in err


def test_cli_init_passes_its_arguments_to_the_api(monkeypatch, tmp_path, capsys):
    import generator.api
    from generator.scaffold import InitResult

    seen = {}

    def fake(path, **kwargs):
        seen.update(kwargs, path=path)
        return InitResult(path)

    monkeypatch.setattr(generator.api, "init_workspace", fake)
    code, _, _ = run(capsys, "init", str(tmp_path), "--region", "抚宁区", "-y", "2023",
                     "--departments", "司法局", "市场监管局", "--deadline", "1月10日前",
                     "-t", "work-report")
    assert code == 0
    assert seen == {"path": tmp_path, "region": "抚宁区", "year": 2023, "template": "work-report",
                    "departments": ["司法局", "市场监管局"], "deadline": "1月10日前",
                    "collector": None}


#: The workbook rows of the fazhi-annual type as the former Python table had them
#: (key, unit, kind, required, note): moving them into the template folder changed nothing.
FORMER_TABLE = [
    ("行政执法.案件数", "件", "count", True, "本部门全年办结的行政处罚、行政强制等执法案件"),
    ("行政执法.罚没款", "万元", "amount", True, "罚款和没收违法所得合计"),
    ("行政执法.执法人员", "人", "count", True, "在编在岗的行政执法人员"),
    ("行政执法.持证人数", "人", "count", True, "持有有效行政执法证件的人员"),
    ("行政执法.参训人数", "人", "count", False, "参加行政执法人员培训的人数"),
    ("行政执法.人均培训学时", "学时", "amount", False, "行政执法人员人均培训学时"),
    ("行政复议.收到", "件", "count", True, "全年收到的行政复议申请"),
    ("行政复议.受理", "件", "count", True, "依法受理的行政复议案件"),
    ("行政复议.上年结转", "件", "count", False, ""),
    ("行政复议.审结", "件", "count", True, "全年审结的行政复议案件"),
    ("行政复议.纠错", "件", "count", True, "撤销、变更、确认违法、责令履行等纠错决定"),
    ("行政复议.纠错率", "%", "rate", False, "纠错案件占审结案件的百分比"),
    ("行政应诉.案件数", "件", "count", True, "以本级政府及其部门为被告的行政诉讼案件"),
    ("行政应诉.败诉", "件", "count", True, ""),
    ("行政应诉.负责人出庭率", "%", "rate", True, "行政机关负责人出庭应诉的百分比"),
    ("法律援助.受理案件", "件", "count", True, ""),
    ("人民调解.受理", "件", "count", True, "受理的矛盾纠纷"),
    ("人民调解.调解成功", "件", "count", True, ""),
    ("人民调解.成功率", "%", "rate", False, ""),
    ("规范性文件.审核", "件", "count", True, "合法性审核的规范性文件"),
    ("规范性文件.备案", "件", "count", True, "报送备案的规范性文件"),
    ("规范性文件.清理", "件", "count", False, ""),
    ("规范性文件.备案率", "%", "rate", False, ""),
    ("重大行政决策.数量", "件", "count", True, "列入目录并作出的重大行政决策"),
    ("重大行政决策.合法性审查", "件", "count", True, "经合法性审查的重大行政决策"),
    ("法律顾问.人数", "人", "count", True, "政府及部门聘请的法律顾问、公职律师"),
    ("法律顾问.出具意见", "件", "count", True, ""),
    ("普法.活动场次", "场", "count", True, "组织的法治宣传活动"),
    ("普法.受众", "人次", "count", False, ""),
]


def test_workbook_metrics_agree_with_the_metric_catalogue():
    """The workbook rows come from templates/fazhi-annual/metrics.yaml, and are the rows
    the former table in workbook_metrics.py had."""
    from generator.metric_catalogue import INTEGER_KINDS
    from generator.report_type import load_report_type

    report_type, problems = load_report_type("fazhi-annual")
    assert not problems
    catalogue = report_type.catalogue
    rows = {spec.key: spec for spec in report_type.workbook_metrics()}
    checked = 0
    for key, unit, kind, required, note in FORMER_TABLE:
        spec, entry = rows[key], catalogue.metrics[key]
        checked += 1
        assert (spec.unit, spec.kind, spec.required, spec.note) == (unit, kind, required, note)
        assert spec.unit in entry.units, spec.key
        assert (spec.kind == "rate") == (entry.kind == "比率"), spec.key
        assert (spec.kind == "count") == (entry.kind in INTEGER_KINDS), spec.key
    assert checked >= 25
    asked = {spec.key for dept in default_departments("fazhi-annual")
             for spec in metrics_for(dept)}
    assert asked == {key for key, *_ in FORMER_TABLE}
