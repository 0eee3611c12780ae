"""The nianbao command line: JSON shape, exit codes, refusal, draft, atomic output, imports."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
FUNING = REPO / "data_examples" / "funing-2023"
ISSUE_KEYS = {"code", "severity", "message", "file", "line", "sheet", "cell", "path",
              "column", "snippet", "fix"}

VALID = {
    "report.yaml": "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n",
    "departments/司法局.yaml": textwrap.dedent("""\
        指标:
          法律援助:
            受理案件: {值: 817, 单位: 件}
        内容:
          - 章节: 正文
            标题: 加强法律援助
            正文: 共受理援助案件{{ 法律援助.受理案件 }}件。
        """),
}
BROKEN = {
    **VALID,
    "departments/市场监管局.yaml": textwrap.dedent("""\
        指标:
          市场监管:
            案件: -1
        内容:
          - 章节: 正文
            标题: 食品安全
            正文: 查处{{ 市场监管.食品案件 }}件。
        """),
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``nianbao ARGS`` in-process through the console-script entry point."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def tree_hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# -- validate --json ------------------------------------------------------------------------

def test_validate_json_ok(capsys):
    code, out, _ = run(capsys, "validate", str(FUNING), "--json")
    assert code == 0
    result = json.loads(out)  # the warnings are the seed's own slips (see its README)
    assert result["ok"] is True and result["errors"] == 0
    assert [i["code"] for i in result["issues"]] == ["typo_confusion", "enumeration_comma"]


def test_validate_json_prints_exactly_one_object_with_every_field(capsys, make_tree):
    root = make_tree(BROKEN)
    code, out, _ = run(capsys, "validate", str(root), "--json")
    assert code == 1
    result = json.loads(out)  # fails on any extra text before or after the object
    assert set(result) == {"ok", "errors", "warnings", "issues"}
    assert result["ok"] is False and result["errors"] == 2 and result["warnings"] == 0
    for item in result["issues"]:
        assert set(item) == ISSUE_KEYS
        assert item["severity"] in ("error", "warning")
        assert item["sheet"] is None and item["cell"] is None
        assert any("\u4e00" <= ch <= "\u9fff" for ch in item["message"])
    assert sorted((i["code"], i["file"], i["line"], i["path"]) for i in result["issues"]) == [
        ("negative_value", "departments/市场监管局.yaml", 3, "指标.市场监管.案件.值"),
        ("ref_undefined", "departments/市场监管局.yaml", 7, "内容.0.正文.0"),
    ]


def test_validate_json_file_is_relative_with_forward_slashes(capsys, make_tree):
    root = make_tree(BROKEN)
    _, out, _ = run(capsys, "validate", str(root), "--json")
    files = {i["file"] for i in json.loads(out)["issues"]}
    assert files == {"departments/市场监管局.yaml"}


def test_validate_strict_turns_warnings_into_errors(capsys, make_tree):
    root = make_tree({**VALID, "departments/说明.docx": b"not a department"})
    code, out, _ = run(capsys, "validate", str(root), "--json")
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["warnings"] == 1
    code, out, _ = run(capsys, "validate", str(root), "--json", "--strict")
    result = json.loads(out)
    assert code == 1 and not result["ok"] and (result["errors"], result["warnings"]) == (1, 0)


def test_validate_template_option_overrides_report_yaml(capsys, make_tree):
    root = make_tree(VALID)
    code, out, _ = run(capsys, "validate", str(root), "--json", "--template", "fazhi-annual")
    codes = {i["code"] for i in json.loads(out)["issues"]}
    assert code == 1 and "section_unknown" in codes
    code, out, _ = run(capsys, "validate", str(root), "--json", "--template", "没有这个模板")
    assert code == 1 and [i["code"] for i in json.loads(out)["issues"]] == ["template_unknown"]


def test_validate_human_output_names_file_and_line(capsys, make_tree):
    root = make_tree(BROKEN)
    code, out, _ = run(capsys, "validate", str(root))
    assert code == 1
    assert "departments/市场监管局.yaml" in out and "ref_undefined" in out
    assert "Traceback" not in out


# -- exit code 2: usage and I/O problems ------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("validate", "/nonexistent/workspace", "--json"),
    ("build", "/nonexistent/workspace"),
])
def test_missing_workspace_exits_2_with_a_chinese_message(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in out + err
    assert "/nonexistent/workspace" in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert out == ""


@pytest.mark.parametrize("args", [
    ("validate", str(FUNING), "--no-such-option"),
    ("validate",),
    ("no-such-command",),
    ("build", str(FUNING), "--template"),
])
def test_usage_errors_exit_2(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in out + err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_folder_without_report_yaml_exits_2(capsys, tmp_path):
    (tmp_path / "departments").mkdir()
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and "report.yaml" in err


def test_unwritable_output_exits_2(capsys, make_tree, tmp_path):
    root = make_tree(VALID)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, out, err = run(capsys, "build", str(root), "-o", str(blocker / "sub"))
    assert code == 2
    assert "Traceback" not in out + err


# -- build ----------------------------------------------------------------------------------------

def test_build_refuses_on_errors_and_writes_nothing(capsys, make_tree, tmp_path):
    root = make_tree(BROKEN)
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "build", str(root), "-o", str(out_dir))
    assert code == 1
    assert "ref_undefined" in out and "negative_value" in out
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    assert not (root / "out").exists()


def test_build_draft_writes_markers(capsys, make_tree, tmp_path, open_docx):
    root = make_tree(BROKEN)
    out_dir = tmp_path / "out"
    code, _, _ = run(capsys, "build", str(root), "-o", str(out_dir), "--draft")
    assert code == 0
    (docx,) = out_dir.glob("*.docx")
    text = "\n".join(open_docx(docx).texts())
    assert "【待补充：市场监管.食品案件】" in text
    assert "共受理援助案件817件。" in text


def test_build_writes_atomically_and_never_touches_inputs(capsys, make_tree, tmp_path):
    root = make_tree(VALID)
    before = tree_hash(root)
    out_dir = tmp_path / "out"
    for _ in range(2):  # the second build replaces the first file
        code, _, _ = run(capsys, "build", str(root), "-o", str(out_dir))
        assert code == 0
    assert tree_hash(root) == before
    files = sorted(p.name for p in out_dir.iterdir() if p.name != ".nianbao-manifest.json")
    assert len(files) == 1 and files[0].endswith(".docx")
    assert not list(out_dir.glob("*.tmp")) and not list(out_dir.glob(".*.tmp"))


def test_build_default_output_is_the_workspace_out_folder(capsys, make_tree):
    root = make_tree(VALID)
    before = tree_hash(root)
    code, _, _ = run(capsys, "build", str(root))
    assert code == 0
    assert len(list((root / "out").glob("*.docx"))) == 1
    after = {k: v for k, v in tree_hash(root).items() if not k.startswith("out")}
    assert after == before


def test_building_an_example_leaves_it_unchanged(capsys, tmp_path):
    before = tree_hash(FUNING)
    code, _, _ = run(capsys, "build", str(FUNING), "-o", str(tmp_path))
    assert code == 0
    assert tree_hash(FUNING) == before
    assert not list(tmp_path.glob("*.tmp"))


def test_failed_save_leaves_no_partial_file(tmp_path):
    from generator.render import save_atomic

    target = tmp_path / "报告.docx"

    def broken(path):
        Path(path).write_bytes(b"half a document")
        raise OSError("disk full")

    with pytest.raises(OSError):
        save_atomic(broken, target)
    assert list(tmp_path.iterdir()) == []


# -- whole process ----------------------------------------------------------------------------------

def _process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=REPO)


def test_python_dash_m_generator_help():
    done = _process("-m", "generator", "--help")
    assert done.returncode == 0
    assert "validate" in done.stdout and "build" in done.stdout


def test_console_script_missing_workspace_has_no_traceback(tmp_path):
    done = _process("-m", "generator", "validate", str(tmp_path / "nope"), "--json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_validate_path_keeps_heavy_imports_away():
    code = textwrap.dedent(f"""
        import json, sys
        import generator.cli, generator.api
        try:
            generator.cli.main(["validate", {str(FUNING)!r}, "--json"])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        heavy = ["pandas", "docxtpl", "numpy", "openpyxl", "python_calamine"]
        print(json.dumps([m for m in heavy if m in sys.modules]))
        """)
    done = _process("-c", code)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "pandas" not in loaded and "docxtpl" not in loaded
    assert loaded == []


def test_plain_output_keeps_bracketed_user_text(capsys):
    """Off a terminal the rich markup is stripped, but text the user wrote in [] stays."""
    from generator.report_view import _PlainConsole, escape

    _PlainConsole().print("[red]错误[/] " + escape("项目[abc] 与 [x y] 和 a[/b]"))
    assert capsys.readouterr().out == "错误 项目[abc] 与 [x y] 和 a[/b]\n"


def test_help_and_validate_keep_heavy_imports_away():
    """--help renders with rich but without markdown-it/pygments (typer imports them for
    modes we do not use); validate imports no rich at all; a later import of
    rich.markdown still gets the real module."""
    code = textwrap.dedent("""
        import json, sys
        import generator.cli
        try:
            generator.cli.main(["--help"])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        heavy = ["markdown_it", "pygments", "docxtpl", "pandas", "openpyxl", "rich.markdown",
                 "rich.traceback"]
        loaded = [m for m in heavy if m in sys.modules]
        import rich.markdown
        assert hasattr(rich.markdown.Markdown, "__rich_console__")
        print(json.dumps(loaded))
        """)
    done = _process("-c", code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    code = textwrap.dedent(f"""
        import json, sys
        import generator.cli
        try:
            generator.cli.main(["validate", {str(FUNING)!r}])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        print(json.dumps([m for m in ("rich", "docxtpl", "generator.render") if m in sys.modules]))
        """)
    done = _process("-c", code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
