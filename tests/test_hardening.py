"""Issue #9: containment, bounded input, complete output, isolated batches (the Jinja
and LibreOffice classes have their own test modules)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES_DIR, DocxView

from generator import outline as outline_module
from generator.api import build_report, build_reports, validate_workspace
from generator.cli import main

REPORT = "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n"
DEPT = "内容:\n  - 章节: 正文\n    标题: 甲\n    正文: 乙。\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


# -- containment ------------------------------------------------------------------------------

def test_links_out_of_the_workspace_are_not_read(make_tree, tmp_path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("部门: 机密内容\n指标:\n  机密:\n    口令: 123456\n", encoding="utf-8")
    root = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": DEPT})
    (root / "departments" / "公安局.yaml").symlink_to(secret)
    (root / "departments" / "内部.yaml").symlink_to(root / "departments" / "司法局.yaml")
    report = validate_workspace(root)
    links = [(i.code, i.loc.file) for i in report.issues if i.code == "link_outside"]
    assert links == [("link_outside", "departments/公安局.yaml")]  # the inner link is read
    assert not any("机密" in i.message or "123456" in i.message for i in report.issues)


def test_a_linked_report_yaml_or_departments_folder_is_not_read(make_tree, tmp_path) -> None:
    outside = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": DEPT}, name="other")
    root = tmp_path / "ws"
    (root / "departments").mkdir(parents=True)
    (root / "report.yaml").symlink_to(outside / "report.yaml")
    assert [i.code for i in validate_workspace(root).issues] == ["link_outside"]
    (root / "report.yaml").unlink()
    (root / "report.yaml").write_text(REPORT, encoding="utf-8")
    (root / "departments").rmdir()
    (root / "departments").symlink_to(outside / "departments")
    assert [(i.code, i.loc.file) for i in validate_workspace(root).issues] == [
        ("link_outside", "departments")]


@pytest.mark.parametrize("name", ["/etc", "../work-report", "..", "a/b", "C:\\\\x"])
def test_template_is_a_name_not_a_path(make_tree, name: str) -> None:
    root = make_tree({"report.yaml": f'模板: "{name}"\n机关: 测试县人民政府\n年度: 2023\n'})
    assert [i.code for i in validate_workspace(root).issues] == ["template_name_bad"]


def test_city_template_folders_come_from_the_environment(make_tree, tmp_path, monkeypatch):
    import shutil

    from generator.templates import template_dirs

    city = tmp_path / "city-templates"
    shutil.copytree(Path(template_dirs()[-1]) / "work-report", city / "市级工作报告")
    root = make_tree({"report.yaml": REPORT.replace("work-report", "市级工作报告"),
                      "departments/办公室.yaml": DEPT})
    assert [i.code for i in validate_workspace(root).issues] == ["template_unknown"]
    monkeypatch.setenv("NIANBAO_TEMPLATE_PATH", str(city))
    assert validate_workspace(root).issues == []


# -- bounded input ------------------------------------------------------------------------------

def test_an_alias_bomb_stops_at_once(make_tree) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    root = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": "\n".join(lines) + "\n"})
    start = time.perf_counter()
    codes = [i.code for i in validate_workspace(root).issues]
    assert codes == ["yaml_too_large"] and time.perf_counter() - start < 5


def test_deep_nesting_is_refused(make_tree) -> None:
    text = "内容: " + "[" * 200 + "]" * 200 + "\n"
    root = make_tree({"report.yaml": REPORT, "departments/司法局.yaml": text})
    assert "yaml_too_large" in [i.code for i in validate_workspace(root).issues]


# -- nothing silently lost ---------------------------------------------------------------------

def _huge(make_tree, chars: int) -> Path:
    body = "测" * chars
    return make_tree({
        "report.yaml": REPORT + "发文机关署名: 测试县人民政府\n成文日期: 2024-01-09\n",
        "departments/办公室.yaml": f"内容:\n  - 章节: 正文\n    标题: 甲\n    正文: {body}。\n"
                                   "  - 章节: 正文\n    标题: 乙\n    正文: 最后一段。\n"})


def test_an_overlong_paragraph_is_refused_not_cut(make_tree, tmp_path) -> None:
    result = build_report(_huge(make_tree, 150_000), tmp_path / "out")
    assert result.output is None
    assert [i.code for i in result.report.issues] == ["text_too_long"]
    draft = build_report(_huge(make_tree, 150_000), tmp_path / "draft", draft=True)
    texts = DocxView(draft.output).texts()
    assert any("此段过长（150001 字），未写入" in t for t in texts)
    assert "2024年1月9日" in texts  # everything after it is still there


def test_a_document_the_parser_cut_is_never_saved(make_tree, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(outline_module, "MAX_PARAGRAPH", 10**9)  # let 10 MB through
    root = _huge(make_tree, 3_400_000)
    code, out, err = run(capsys, "build", str(root), "-o", str(tmp_path / "out"))
    assert code == 2 and "生成的文档不完整" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.docx"))


# -- outputs -------------------------------------------------------------------------------------

def test_stale_temp_files_of_a_killed_build_are_removed(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".测试县人民政府2023年工作情况报告.k2j4h5l6.tmp"
    fresh = out / ".另一个正在写的文件.abcd1234.tmp"
    foreign = out / ".用户自己的.tmp"
    for path in (stale, fresh, foreign):
        path.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(foreign, (old, old))
    build_report(EXAMPLES_DIR / "zichuan-2024", out)
    assert not stale.exists() and fresh.exists() and foreign.exists()


@pytest.mark.parametrize("length", [95, 500])
def test_long_titles_build_with_safe_names(make_tree, tmp_path, length: int) -> None:
    title = ("关于" + "法治政府建设" * 100)[:length]
    root = make_tree({"report.yaml": REPORT + f"标题: {title}\n", "departments/办公室.yaml": DEPT})
    result = build_report(root, tmp_path / "out")
    assert result.output is not None and result.output.is_file()
    assert len(result.output.name.encode("utf-8")) < 200
    view = DocxView(result.output)
    assert view.texts()[0] == title  # the title itself stays whole
    assert len(view.doc.core_properties.title) <= 255


# -- batches ---------------------------------------------------------------------------------------

def test_a_batch_builds_each_workspace_on_its_own(make_tree, tmp_path, capsys) -> None:
    good = make_tree({"report.yaml": REPORT, "departments/办公室.yaml": DEPT}, name="甲县")
    twin = make_tree({"report.yaml": REPORT, "departments/办公室.yaml": DEPT}, name="乙县")
    broken = make_tree({"report.yaml": REPORT, "departments/办公室.yaml": "内容: [\n"},
                       name="丙县")
    missing = tmp_path / "丁县"
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "build", str(good), str(missing), str(broken), str(twin),
                            "-o", str(out))
    assert code == 2  # 丁县 has no report.yaml
    # a batch writes each report to <-o>/<地区>/: two of one 地区 get the folder name added
    docs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert docs == ["测试县人民政府/测试县人民政府2023年工作情况报告.docx",
                    "测试县人民政府（乙县）/测试县人民政府2023年工作情况报告.docx"]
    assert "找不到工作区" in err and str(missing) in err
    assert "丙县" in stdout and "yaml_syntax" in stdout  # the broken one, with its issue
    assert "共 3 份：已生成 2 份，未生成 1 份" in stdout


def test_a_write_error_in_one_workspace_does_not_stop_the_next(make_tree, tmp_path) -> None:
    first = make_tree({"report.yaml": REPORT, "departments/办公室.yaml": DEPT}, name="甲县")
    second = make_tree({"report.yaml": REPORT.replace("测试县", "测试市"),
                        "departments/办公室.yaml": DEPT}, name="乙县")
    blocked = first / "out"
    blocked.write_text("a file where the output folder should be", encoding="utf-8")
    results = build_reports([first, second])
    assert results[0].error and "文件读写失败" in results[0].error
    assert results[1].output is not None and results[1].output.is_file()
