"""Output to a GBK console or file (a Chinese Windows console, ``PYTHONIOENCODING=gbk``):
our own text only uses characters that exist in GBK, and user data that does not (an
emoji in a department name) degrades instead of ending in an internal error."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.console_encoding import LOOK_ALIKES

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "generator"
CASES = REPO / "tests" / "cases" / "invalid"
#: Modules whose every string reaches the console: no look-alike may be needed there.
PRINTED = ["issues.py", "messages_zh.py", "cli.py", "report_view.py", "status_view.py",
           "status.py", "templates.py", "console_encoding.py", "cli_messages.py",
           "sources/yaml_source.py", "sources/excel_source.py", "rules/docs.py",
           "rules/catalogue.py", "yaml_hints.py"]


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _not_gbk(text: str) -> set[str]:
    out = set()
    for char in text:
        try:
            char.encode("gbk")
        except UnicodeEncodeError:
            out.add(char)
    return out


def test_printed_modules_use_only_gbk_characters() -> None:
    problems = []
    for name in PRINTED:
        path = PACKAGE / name
        if not path.exists():
            continue
        for line, text in _strings(path):
            if name == "console_encoding.py":
                continue  # the table of look-alikes names the missing characters on purpose
            for char in _not_gbk(text):
                problems.append(f"{name}:{line} U+{ord(char):04X} {char!r}")
    assert not problems, "characters missing from GBK:\n" + "\n".join(problems)


def test_text_missing_from_gbk_degrades_to_look_alikes() -> None:
    from generator.console_encoding import ERRORS, make_streams_safe

    make_streams_safe()  # registers the error handler
    # layout messages (another module) still say −0.25 磅: it must not become ?0.25
    assert "字距 −0.25 磅 ✓ 😀".encode("gbk", ERRORS).decode("gbk") == "字距 -0.25 磅 √ ?"
    assert all(alike.encode("gbk") for alike in LOOK_ALIKES.values())


# -- the command line writing to a GBK file ---------------------------------------------

EMOJI_DEPARTMENT = "司法局😀"


@pytest.fixture(scope="module")
def broken_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a YAML error (name with an emoji) and an unfilled workbook cell."""
    root = tmp_path_factory.mktemp("gbk") / "ws"
    shutil.copytree(CASES / "metric_unfilled", root)
    (root / "expected.yaml").unlink()
    (root / "departments" / f"{EMOJI_DEPARTMENT}.yaml").write_text(
        "部门: 测试县司法局😀\n指标:\n  行政复议:\n    纠错: -3\n", encoding="utf-8")
    return root


def _gbk_run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    out_file, err_file = tmp_path / "out.txt", tmp_path / "err.txt"
    with out_file.open("wb") as out, err_file.open("wb") as err:
        code = subprocess.run([sys.executable, "-m", "generator", *args], stdout=out,
                              stderr=err, env=env, cwd=REPO, timeout=120).returncode
    # the files must be valid GBK: strict decoding fails on anything else
    return code, out_file.read_bytes().decode("gbk"), err_file.read_bytes().decode("gbk")


def test_validate_to_a_gbk_file_names_file_line_and_cell(tmp_path, broken_workspace):
    code, out, err = _gbk_run(tmp_path, "validate", str(broken_workspace))
    assert code == 1, err
    assert "内部错误" not in out + err
    assert "departments/司法局😀.yaml".replace("😀", "?") + " 第4行" in out
    assert "departments/司法局.xlsx > 指标 > C" in out


def test_validate_json_to_a_gbk_file(tmp_path, broken_workspace):
    code, out, err = _gbk_run(tmp_path, "validate", str(broken_workspace), "--json")
    assert code == 1, err
    result = json.loads(out)
    assert ("negative_value", f"departments/{EMOJI_DEPARTMENT}.yaml", 4) in {
        (i["code"], i["file"], i["line"]) for i in result["issues"]}


@pytest.mark.parametrize("args", [["status", "{ws}"], ["status", "{ws}", "--json"],
                                  ["build", "{ws}", "-o", "{tmp}"], ["rules"], ["--help"],
                                  ["validate", "--help"], ["validate", "{tmp}/nowhere"],
                                  ["init", "{tmp}/新建😀", "--region", "抚宁区😀",
                                   "--departments", "司法局😀"]])
def test_every_command_writes_gbk(tmp_path, broken_workspace, args):
    args = [a.format(ws=broken_workspace, tmp=tmp_path) for a in args]
    code, out, err = _gbk_run(tmp_path, *args)
    assert code in (0, 1, 2), err
    assert "内部错误" not in out + err and "Traceback" not in err
    assert out.strip() or err.strip()
