"""Issue #8: no figure counted twice or silently partial, no lost edit, templated fields
render, and CI runs README's commands in a fresh environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES_DIR, DocxView, shared_path

from generator.api import build_report, prepare, validate_workspace
from generator.cli import main
from generator.metric_catalogue import KIND_BOUNDS

REPO = Path(__file__).resolve().parents[1]
XLSX = EXAMPLES_DIR / "zichuan-2024-xlsx"


def figures(path: Path) -> dict[str, float]:
    """Return every merged metric of a workspace, ``组.名称`` → value."""
    merged = prepare(path).merged
    return {f"{g}.{n}": float(v) for g, group in merged.groups.items() for n, v in group.items()}


@pytest.fixture
def xlsx_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(XLSX, tmp_path / "ws", ignore=shutil.ignore_patterns("out")))


# -- a re-sent workbook is not counted twice ------------------------------------------------

@pytest.mark.parametrize("copy_name", ["司法局(1).xlsx", "法制科报送.xlsx"])
def test_a_resent_workbook_is_an_error_and_totals_stay(xlsx_copy: Path, copy_name: str) -> None:
    before = figures(xlsx_copy)
    folder = xlsx_copy / "departments"
    shutil.copyfile(folder / "司法局.xlsx", folder / copy_name)
    old = time.time() - 86400
    os.utime(folder / "司法局.xlsx", (old, old))  # the original is a day older
    report = validate_workspace(xlsx_copy)
    (dup,) = [i for i in report.issues if i.code == "department_duplicate"]
    assert dup.severity == "error" and dup.loc.file == "departments/司法局.xlsx"
    assert "departments/司法局.xlsx" in dup.message and f"departments/{copy_name}" in dup.message
    assert dup.message.count("修改于") == 2 and "请删除 departments/司法局.xlsx" in dup.message
    mismatch = [i for i in report.issues if i.code == "department_name_mismatch"]
    assert [i.loc.file for i in mismatch] == [f"departments/{copy_name}"]
    assert figures(xlsx_copy) == before
    assert build_report(xlsx_copy, xlsx_copy / "out").output is None


def test_two_yaml_files_naming_one_department(make_tree) -> None:
    text = "部门: 测试县司法局\n指标:\n  法律援助:\n    受理案件: {值: 36, 单位: 件}\n"
    root = make_tree({"report.yaml": "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n",
                      "departments/司法局.yaml": text, "departments/司法局-修改.yaml": text})
    report = validate_workspace(root)
    assert [(i.code, i.loc.file) for i in report.issues if i.severity == "error"] == [
        ("department_duplicate", "departments/司法局-修改.yaml")]
    assert prepare(root).merged.groups["法律援助"]["受理案件"] == 36


def test_short_file_names_of_full_department_names_agree(make_tree) -> None:
    root = make_tree({
        "report.yaml": "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n",
        "departments/区委依法治区办.yaml": "部门: 中共测试区委全面依法治区委员会办公室\n",
        "departments/市场监管局.yaml": "部门: 测试县市场监督管理局\n"})
    assert not [i for i in validate_workspace(root).issues
                if i.code == "department_name_mismatch"]


# -- a total that lacks a department ---------------------------------------------------------

PARTIAL = {
    "report.yaml": """\
        模板: fazhi-annual
        机关: 测试县人民政府
        年度: 2023
        部门: [司法局, 交通运输局]
        """,
    "departments/司法局.yaml": """\
        部门: 测试县司法局
        指标:
          行政执法:
            案件数: {值: 120, 单位: 件}
        内容:
          - 章节: 主要举措和成效
            标题: 严格规范执法
            正文: 全县办理行政执法案件{{ 行政执法.案件数 }}件。
        """,
}


def test_a_total_missing_an_expected_department_is_an_error(make_tree) -> None:
    report = validate_workspace(make_tree(PARTIAL))
    (partial,) = [i for i in report.issues if i.code == "metric_total_incomplete"]
    assert partial.severity == "error" and "交通运输局（未报送材料）" in partial.message
    assert "行政执法.案件数" in partial.message and partial.loc.file == "departments/司法局.yaml"


def test_a_draft_marks_the_partial_total_where_it_is_printed(make_tree, tmp_path) -> None:
    result = build_report(make_tree(PARTIAL), tmp_path / "out", draft=True)
    text = "\n".join(DocxView(result.output).texts())
    assert "全县办理行政执法案件120【待核实：缺交通运输局】件" in text


def test_a_refused_workbook_value_leaves_the_total_partial(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from generator.api import init_workspace

    root = tmp_path / "ws"
    init_workspace(root, region="测试县", year=2023, departments=["市场监管局", "公安局"])
    for name, value in (("市场监管局", 50), ("公安局", "约60")):
        path = root / "departments" / f"{name}.xlsx"
        book = load_workbook(path)
        sheet = book["指标"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "案件数")
        sheet.cell(row, 3).value = value
        book.save(path)
    issues = validate_workspace(root).issues
    (refused,) = [i for i in issues if i.code == "cell_not_number"]
    assert (refused.loc.file, refused.loc.sheet) == ("departments/公安局.xlsx", "指标")
    (partial,) = [i for i in issues if i.code == "metric_total_incomplete"]
    assert "公安局（数值未填写或有误）" in partial.message and "50件" in partial.message


# -- drafts are visibly drafts -----------------------------------------------------------------

def test_a_draft_has_a_header_mark_and_flags_each_flagged_paragraph(make_tree, tmp_path) -> None:
    files = dict(PARTIAL)
    files["departments/司法局.yaml"] = PARTIAL["departments/司法局.yaml"].rstrip(" ") + """\
          - 章节: 主要举措和成效
            标题: 加强法治宣传
            正文: 全年开展普法活动XX场，受众广泛。
        """
    files["report.yaml"] = PARTIAL["report.yaml"].replace("[司法局, 交通运输局]", "[司法局]")
    result = build_report(make_tree(files), tmp_path / "out", draft=True)
    view = DocxView(result.output)
    headers = [p.text for s in view.doc.sections
               for h in (s.header, s.even_page_header) for p in h.paragraphs]
    assert sum("草稿" in h for h in headers) == 2
    flagged = [t for t in view.texts() if "【待核实：" in t]
    assert len(flagged) == 1  # the placeholder; missing sections show 【待补充】 instead
    assert any("普法活动XX场" in t for t in flagged)
    assert not any("严格规范执法" in t for t in flagged)


def test_a_clean_build_has_no_draft_header(example_docx) -> None:
    view = DocxView(example_docx("zichuan-2024"))
    assert not any(p.text for s in view.doc.sections for p in s.header.paragraphs)


# -- plausibility ---------------------------------------------------------------------------------

def test_every_kind_has_an_upper_bound() -> None:
    assert all(high is not None for _, high in KIND_BOUNDS.values())


@pytest.mark.parametrize("value", ["1.0e+20", "200000000", "123456789012"])
def test_absurd_counts_are_errors(make_tree, value: str) -> None:
    files = dict(PARTIAL)
    files["departments/司法局.yaml"] = files["departments/司法局.yaml"].replace("120", value)
    files["report.yaml"] = PARTIAL["report.yaml"].replace("[司法局, 交通运输局]", "[司法局]")
    codes = {(i.code, i.severity) for i in validate_workspace(make_tree(files)).issues}
    assert ("metric_out_of_bounds", "error") in codes


# -- outputs: permissions, edits kept -------------------------------------------------------------

@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664)])
def test_outputs_respect_the_umask(make_tree, tmp_path, mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        result = build_report(EXAMPLES_DIR / "zichuan-2024", tmp_path / "out")
    finally:
        os.umask(old)
    assert result.output.stat().st_mode & 0o777 == mode


def test_a_report_edited_after_the_build_is_kept(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    first = build_report(EXAMPLES_DIR / "zichuan-2024", out).output
    again = build_report(EXAMPLES_DIR / "zichuan-2024", out)
    assert again.backups == []  # unchanged since it was written: replaced silently
    edited = DocxView(first).doc
    edited.add_paragraph("办公室手工补充的一段。")
    edited.save(str(first))
    edited_bytes = first.read_bytes()
    with pytest.raises(SystemExit) as exited:
        main(["build", str(EXAMPLES_DIR / "zichuan-2024"), "-o", str(out)])
    assert exited.value.code == 0
    (backup,) = out.glob("*（修改稿1）.docx")
    assert backup.read_bytes() == edited_bytes
    assert "办公室手工补充的一段。" not in "".join(DocxView(first).texts())
    assert "已原样保留" in capsys.readouterr().out


def test_a_foreign_file_of_the_same_name_is_kept(tmp_path) -> None:
    out = tmp_path / "out"
    name = build_report(EXAMPLES_DIR / "zichuan-2024", tmp_path / "probe").output.name
    out.mkdir()
    (out / name).write_bytes(b"someone else's report")
    result = build_report(EXAMPLES_DIR / "zichuan-2024", out)
    assert [p.read_bytes() for p in result.backups] == [b"someone else's report"]


# -- report.yaml fields with references -------------------------------------------------------

def test_templated_signature_and_recipient_render_resolved(make_tree, tmp_path) -> None:
    root = make_tree({
        "report.yaml": """\
            模板: work-report
            机关: 测试县人民政府
            地区: 测试县
            年度: 2023
            主送机关: "{{ 地区 }}人大常委会"
            发文机关署名: "{{ 机关 }}"
            成文日期: 2024-01-09
            """,
        "departments/司法局.yaml": "内容:\n  - 章节: 正文\n    标题: 甲\n    正文: 乙。\n"})
    result = build_report(root, tmp_path / "out")
    texts = DocxView(result.output).texts()
    assert "测试县人民政府" in texts and "测试县人大常委会：" in texts
    assert not any("{{" in t for t in texts)


def test_a_reference_in_a_field_that_is_not_templated_is_an_error(make_tree) -> None:
    root = make_tree({"report.yaml": '模板: work-report\n机关: "{{ 地区 }}政府"\n年度: 2023\n'})
    found = [(i.code, i.loc.line) for i in validate_workspace(root).issues]
    assert ("ref_not_templated", 2) in found


# -- CI: README's commands in a fresh environment -----------------------------------------------

def _readme_command(number: int) -> str:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    start = script.index("readme_command() {")
    function = script[start:script.index("\n}\n", start) + 3]
    done = subprocess.run(["bash", "-c", f"{function}\nreadme_command {number}"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_ci_runs_readmes_two_commands_verbatim_in_a_fresh_venv() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first, second = _readme_command(1), _readme_command(2)
    assert first.startswith("pip install .") and "nianbao build" in first
    assert second.startswith("pip install -e") and "pytest" in second
    assert f"\n{first}\n" in readme and f"\n{second}\n" in readme
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m venv" in script and 'bash -euo pipefail -c "$install_and_test"' in script


def test_the_test_extra_installs_the_build_backend() -> None:
    import tomllib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    backend = meta["build-system"]["requires"][0].split(">")[0]
    assert any(dep.startswith(backend) for dep in meta["project"]["optional-dependencies"]["test"])


def test_shared_material_is_never_skipped_in_ci(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        shared_path("no-such-folder")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        shared_path("no-such-folder")
