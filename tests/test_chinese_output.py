"""No English reaches the user: a table of wrong invocations and broken inputs, every line
of whose output must be Chinese (command and option names, paths, codes, numbers, quoted
user text and a few product names excepted)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.messages_zh import MESSAGES

REPO = Path(__file__).resolve().parents[1]
WORK_REPORT = REPO / "templates" / "work-report"
REPORT = "模板: work-report\n机关: 测试区人民政府\n年度: 2023\n"
DEPT = "部门: 司法局\n指标:\n  法律援助:\n    受理案件: {值: 8, 单位: 件}\n内容:\n  - 章节: 正文\n" \
       "    标题: 法律援助\n    正文: {text}\n"


def _dept(text: str) -> str:
    return DEPT.replace("{text}", text)

COMMANDS = {"nianbao", "validate", "build", "status", "init", "rules", "fonts", "check-layout", "lint",
            "import", "diff", "serve", "rollup", "office"}
#: Names that stay as they are in Chinese text: formats, products, standards.
PROPER_NOUNS = {"YAML", "JSON", "DOCX", "PDF", "PNG", "Excel", "WPS", "Word", "UTF", "GBK",
                "GB", "LibreOffice", "Tab", "ANSI", "Unicode", "Python", "ok", "errors",
                "warnings", "findings", "issues", "true", "false", "HTML", "Markdown"}
_QUOTED = re.compile(r"「[^「」]*」|'[^']*'")  # user text is always quoted
_PATH = re.compile(r"\S*[/\\]\S*|\S*\.(?:yaml|yml|xlsx|xls|docx|doc|txt|pdf|png|csv)\b")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_BOX = re.compile(r"[─-╿]")


def english_left(line: str) -> list[str]:
    """Return the runs of ASCII letters left in ``line`` after removing what may stay."""
    text = _BOX.sub(" ", line)
    for command in sorted(COMMANDS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(command)}(?![\w-])", " ", text)
    for pattern in (_QUOTED, _PATH, _OPTION, _CODE):
        text = pattern.sub(" ", text)
    runs = re.findall(r"[A-Za-z]{2,}", text)
    return [r for r in runs if r not in COMMANDS and r not in PROPER_NOUNS
            and r not in MESSAGES]


def test_the_checker_finds_english_and_spares_the_allowed() -> None:
    assert english_left("用法错误：Got unexpected extra argument(s) (x)") == ["Got", "unexpected",
                                                                    "extra", "argument"]
    assert english_left("错误：'abc' is not a valid int.") == ["is", "not", "valid", "int"]
    assert english_left("错误 metric_unfilled departments/司法局.xlsx > 指标 > C7：运行 nianbao "
                        "validate --help；YAML「{{ x }}」") == []


def _docx_with(tmp: Path, old: str, new: str) -> Path:
    out = tmp / "template.docx"
    with zipfile.ZipFile(WORK_REPORT / "template.docx") as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.decode("utf-8").replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return out


def _workspace(root: Path, report: str = REPORT, dept: str | bytes | None = None,
               template: dict[str, str | bytes] | None = None) -> Path:
    (root / "departments").mkdir(parents=True)
    (root / "report.yaml").write_text(report, encoding="utf-8")
    if dept is not None:
        path = root / "departments" / "司法局.yaml"
        path.write_bytes(dept if isinstance(dept, bytes) else dept.encode("utf-8"))
    if template is not None:
        folder = root / "templates" / "自定义"
        shutil.copytree(WORK_REPORT, folder)
        for name, content in template.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(content, encoding="utf-8")
        (root / "report.yaml").write_text(REPORT.replace("work-report", "自定义"),
                                          encoding="utf-8")
    return root


def _bad_docx_template(root: Path) -> Path:
    ws = _workspace(root, dept=_dept("共受理案件8件。"), template={})
    docx = _docx_with(root.parent, "{{", "{{ 机关 {{")
    shutil.copy(docx, ws / "templates" / "自定义" / "template.docx")
    return ws


def _tab_yaml(root: Path) -> Path:
    return _workspace(root, dept="部门: 司法局\n内容:\n\t- 章节: 正文\n")


GOOD = REPO / "data_examples" / "funing-2023"
# (id, setup(tmp) -> extra args substitution, args)
CASES = [
    ("no arguments", None, []),
    ("help", None, ["--help"]),
    ("validate help", None, ["validate", "--help"]),
    ("build help", None, ["build", "--help"]),
    ("init help", None, ["init", "--help"]),
    ("status help", None, ["status", "--help"]),
    ("unknown command", None, ["foo"]),
    ("typo'd command", None, ["valdate", str(GOOD)]),
    ("unknown option", None, ["validate", "--jsn", str(GOOD)]),
    ("missing argument", None, ["validate"]),
    ("missing file argument", None, ["check-layout"]),
    ("year not a number", None, ["init", "{tmp}/新", "--region", "抚宁区", "--year", "abc"]),
    ("extra argument", None, ["fonts", "extra"]),  # validate now takes many workspaces
    ("extra argument to rules", None, ["rules", "--json", "x"]),
    ("option missing its value", None, ["build", str(GOOD), "-o"]),
    ("flag given a value", None, ["validate", str(GOOD), "--json=1"]),
    ("missing option value at the end", None, ["validate", str(GOOD), "--template"]),
    ("nonexistent workspace", None, ["validate", "{tmp}/nowhere"]),
    ("nonexistent workspace for status", None, ["status", "{tmp}/nowhere"]),
    ("YAML saved as GBK",
     lambda r: _workspace(r, dept=_dept("共受理案件8件。").encode("gbk")),
     ["validate", "{ws}"]),
    ("YAML with tabs", _tab_yaml, ["validate", "{ws}"]),
    ("unclosed {{ in narrative",
     lambda r: _workspace(r, dept=_dept("共受理{{ 法律援助.受理案件 件。")),
     ["validate", "{ws}"]),
    ("unclosed {{ in 导语",
     lambda r: _workspace(r, report=REPORT + '导语: "{{ 年度 年，现报告如下："\n'),
     ["validate", "{ws}"]),
    ("bad filter",
     lambda r: _workspace(r, dept=_dept("共{{ 法律援助.受理案件 | foo }}件。")),
     ["validate", "{ws}"]),
    ("unclosed block tag",
     lambda r: _workspace(r, dept=_dept("共{% if 法律援助 %}8件。")),
     ["validate", "{ws}"]),
    ("division by zero",
     lambda r: _workspace(r, dept=_dept("共{{ 法律援助.受理案件 / 0 }}件。")),
     ["validate", "{ws}"]),
    ("text used as a number",
     lambda r: _workspace(r, dept=_dept("共{{ 法律援助.受理案件 + '件' }}。")),
     ["validate", "{ws}"]),
    ("init into an existing file", lambda r: (r.mkdir(), (r / "文件").write_text("x"))[0],
     ["init", "{tmp}/ws/文件", "--region", "抚宁区"]),
    ("check-layout on a non-docx", lambda r: (r.mkdir(), (r / "a.docx").write_text("x"))[0],
     ["check-layout", "{tmp}/ws/a.docx"]),
    ("corrupt template.docx",
     lambda r: _workspace(r, dept=_dept("共受理案件8件。"),
                          template={"template.docx": b"not a zip"}),
     ["build", "{ws}", "-o", "{tmp}/out"]),
    ("template.yaml with bad YAML",
     lambda r: _workspace(r, template={"template.yaml": "名称: x\n  章节: [\n"}),
     ["validate", "{ws}"]),
    ("Jinja error inside template.docx", _bad_docx_template, ["build", "{ws}", "-o", "{tmp}/o"]),
    ("import a report", lambda r: (r.mkdir(), (r / "报告.txt").write_text(
        "某县2023年度工作报告\n现报告如下：\n一、概况\n全年受理行政复议申请64件。\n",
        encoding="utf-8"))[0], ["import", "{ws}/报告.txt", "-o", "{tmp}/新", "--link-figures"]),
    ("import over a workspace", lambda r: _workspace(r, dept=_dept("共受理案件8件。")),
     ["import", "{ws}/report.yaml", "-o", "{ws}"]),
]


@pytest.mark.parametrize("setup,args", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_line_is_chinese(tmp_path, capsys, setup, args):
    ws = tmp_path / "ws"
    if setup is not None:
        setup(ws)
    argv = [a.format(tmp=tmp_path, ws=ws) for a in args]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    assert exited.value.code in (0, 1, 2), err
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert lines, "nothing was printed"
    bad = [f"{line.strip()}\n    English left: {english_left(line)}"
           for line in lines if english_left(line)]
    assert not bad, "lines with English:\n" + "\n".join(bad)


# -- the same inputs, asserting what the messages say -------------------------------------

def _run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out + err


def test_corrupt_template_docx_is_an_issue_naming_the_file(tmp_path, capsys):
    ws = _workspace(tmp_path / "ws", dept=_dept("共受理案件8件。"),
                    template={"template.docx": b"not a zip"})
    code, out = _run(capsys, "validate", str(ws), "--json")
    assert code == 1
    assert '"code": "template_broken"' in out
    assert '"file": "templates/自定义/template.docx"' in out


def test_bad_template_yaml_names_the_file_and_line(tmp_path, capsys):
    ws = _workspace(tmp_path / "ws", template={"template.yaml": "名称: x\n  章节: [\n"})
    code, out = _run(capsys, "validate", str(ws))
    assert code == 1
    assert "templates/自定义/template.yaml 第" in out


def test_jinja_error_in_template_docx_exits_2_naming_the_file(tmp_path, capsys):
    ws = _bad_docx_template(tmp_path / "ws")
    code, out = _run(capsys, "build", str(ws), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "templates/自定义/template.docx" in out and "没有用「}}」结束" in out
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_gbk_yaml_says_so_at_the_line_of_the_first_bad_byte(tmp_path, capsys):
    text = "部门: 司法局\n内容:\n  - 章节: 正文\n    正文: 共受理案件8件。\n"
    ws = _workspace(tmp_path / "ws", dept=text.encode("gbk"))
    code, out = _run(capsys, "validate", str(ws))
    assert code == 1
    assert "departments/司法局.yaml 第1行" in out and "GBK" in out and "UTF-8" in out
