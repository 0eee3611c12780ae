"""Jinja time and size limits, and what the sandbox exposes (issue #9, generator/jinja_limits).

Every risky case runs in a subprocess with a 512 MB address-space limit and a timeout, so
that a regression fails the test (exit 3, MemoryError, timeout) instead of the test run.
The wall-clock limits are shortened there (1 s a text, 2 s a document) to keep it quick.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from generator.references import Group, ReferenceProblem, TextRenderer, figure

REPO = Path(__file__).resolve().parents[1]
WORK_REPORT = REPO / "templates" / "work-report"
REPORT = "模板: {template}\n机关: 测试区人民政府\n年度: 2023\n成文日期: 2024-01-09\n"
DEPT = ("部门: 司法局\n指标:\n  法律援助:\n    受理案件: {{值: 8, 单位: 件}}\n内容:\n"
        "  - 章节: 正文\n    标题: 法律援助\n    正文: \"{text}\"\n")
TEXT_LINE = 8  # the line of 正文 in DEPT
MEMORY_MB = 512
RUNNER = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_MB} << 20, {MEMORY_MB} << 20))
import generator.jinja_limits as limits, generator.references as references
limits.FIELD_SECONDS = references.FIELD_SECONDS = 1.0
limits.DOCUMENT_SECONDS = references.DOCUMENT_SECONDS = 2.0
from generator.cli import main
main(sys.argv[1:])
"""

NESTED_OUTPUT = "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}"
NESTED_SILENT = ("{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                 "{% endfor %}{% endfor %}{% endfor %}")
#: (id, Jinja text, issue code in narrative text, words the message must contain)
CASES = [
    ("nested range loops", NESTED_OUTPUT, "ref_limit", "超过"),  # characters or seconds
    ("nested silent loops", NESTED_SILENT, "ref_limit", "秒"),
    ("huge power", "{{ 9 ** (9 ** 9) }}", "ref_limit", "数字过大"),
    ("string repetition", "{{ 'x' * 10**10 }}", "ref_limit", "上限"),
    ("100 MB result", "{{ 'x' * 10**8 }}", "ref_limit", "上限"),
    ("range list", "{{ range(10**9) | list }}", "ref_limit", "range"),
    ("include", "{% include '/etc/passwd' %}", "ref_syntax", "include"),
    ("self", "{{ self }}", "ref_undefined", "self"),
    ("lipsum", "{{ lipsum() }}", "ref_undefined", "lipsum"),
    ("cycler", "{{ cycler }}", "ref_undefined", "cycler"),
    ("str class", "{{ ''.__class__ }}", "ref_syntax", "内部属性"),
    ("group init", "{{ 法律援助.__init__ }}", "ref_syntax", "内部属性"),
]
IDS = [c[0] for c in CASES]


def _run(tmp: Path, *args: str) -> tuple[int, str, float]:
    script = tmp / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=60, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


def _workspace(root: Path, text: str, template: str = "work-report") -> Path:
    (root / "departments").mkdir(parents=True)
    (root / "report.yaml").write_text(REPORT.format(template=template), encoding="utf-8")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    (root / "departments" / "司法局.yaml").write_text(DEPT.format(text=escaped),
                                                     encoding="utf-8")
    return root


def _docx_workspace(root: Path, payload: str) -> Path:
    ws = _workspace(root, "共受理案件8件。", template="自定义")
    folder = ws / "templates" / "自定义"
    shutil.copytree(WORK_REPORT, folder)
    xml = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    with zipfile.ZipFile(WORK_REPORT / "template.docx") as zin, \
            zipfile.ZipFile(folder / "template.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert "{{ line }}" in text  # the title: always rendered
                data = text.replace("{{ line }}", "{{ line }}" + xml, 1).encode()
            zout.writestr(item, data)
    return ws


@pytest.mark.parametrize("text, code, words", [c[1:] for c in CASES], ids=IDS)
def test_narrative_text_is_a_located_issue(tmp_path, text, code, words):
    ws = _workspace(tmp_path / "ws", f"共{text}件。")
    exit_code, out, elapsed = _run(tmp_path, "validate", str(ws), "--json")
    assert exit_code == 1, out[-2000:]
    assert elapsed < 30
    issues = json.loads(out)["issues"]
    found = [(i["code"], i["file"], i["line"]) for i in issues]
    assert found == [(code, "departments/司法局.yaml", TEXT_LINE)], found
    assert words in issues[0]["message"]
    assert len(issues[0]["message"]) < 300  # never the whole result or text


@pytest.mark.parametrize("text, code, words", [c[1:] for c in CASES], ids=IDS)
def test_template_docx_is_a_render_error_naming_the_file(tmp_path, text, code, words):
    ws = _docx_workspace(tmp_path / "ws", text)
    exit_code, out, elapsed = _run(tmp_path, "build", str(ws), "-o", str(tmp_path / "out"))
    assert exit_code == 2, out[-2000:]
    assert elapsed < 30
    assert "templates/自定义/template.docx" in out
    assert "错误：模板文件" in out and words in out
    assert "Traceback" not in out and "内部错误" not in out
    assert len(out) < 1000  # never the whole result
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


MORE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (%d << 20, %d << 20))
import generator.jinja_limits as limits, generator.references as references
limits.FIELD_SECONDS = references.FIELD_SECONDS = 1.0
from generator.jinja_env import docx_env
from generator.references import Group, ReferenceProblem, TextRenderer, figure
namespace = {"法律援助": Group("法律援助", {"受理案件": figure(817, "件")}), "年度": 2023}
out = {}
for text in json.loads(sys.argv[1]):
    try:
        TextRenderer(namespace).render(text)
        narrative = "ok"
    except ReferenceProblem as exc:
        narrative = exc.code
    try:
        with limits.limited(10**6, 1.0, "整份文档"):
            docx_env().from_string(text).render(namespace)
        docx = "ok"
    except limits.LimitExceeded:
        docx = "limit"
    out[text] = [narrative, docx]
print(json.dumps(out))
""" % (MEMORY_MB, MEMORY_MB)

MORE_BOMBS = [
    "{{ 'x' | center(10**10) }}",
    "{{ ''.ljust(10**10) }}",
    "{{ '{:>9999999999}'.format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%s' | format('x') | indent(10**10) }}",
    "{{ ('x' * 50000) | replace('x', 'y' * 50000) }}",
    "{{ range(10000) | join('x' * 10000) }}",
    "{{ [1] * 10**9 }}",
    "{{ (10**1000) * (10**1000) * (10**1000) * (10**1000) * (10**1000) }}",
    "{% set a = 'x' * 90000 %}{% set a = a ~ a %}{% set a = a ~ a %}{% set a = a ~ a %}{% set a = a ~ a %}{{ a | length }}",
    "{% set a = 'x' * 90000 %}{% set a = a + a %}{% set a = a + a %}{% set a = a + a %}{% set a = a + a %}{{ a | length }}",
    "{% set x %}" + NESTED_OUTPUT + "{% endset %}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{{ range(10000) | map('center', 50000) | list | length }}",
    "{{ [1] | batch(10**9, 0) | list }}",
    "{{ ('x' * 100) | wordwrap(1, wrapstring='y' * 100000) }}",
]


def test_more_bombs_stop_at_a_limit_in_both_environments(tmp_path):
    script = tmp_path / "more.py"
    script.write_text(MORE, encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(script), json.dumps(MORE_BOMBS)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.monotonic() - start < 60
    results = json.loads(done.stdout)
    bad = {t: r for t, r in results.items() if r != ["ref_limit", "limit"]}
    assert not bad


@pytest.fixture
def namespace() -> dict:
    return {"法律援助": Group("法律援助", {"受理案件": figure(817, "件")}), "年度": 2023}


@pytest.mark.parametrize("text, expected", [
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ("{{ '—' * 3 }}", "———"),
    ("{{ 2 ** 10 }}", "1024"),
    ("{{ 法律援助.受理案件 * 2 }}件", "1634件"),
    ("{{ 年度 ~ '年' }}", "2023年"),
    ("{{ '%d' % 年度 }}", "2023"),
    ("{{ 'a' + 'b' }}", "ab"),
    ("{{ ['甲', '乙'] | join('、') }}", "甲、乙"),
    ("{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(1) }}", "[1]"),
    ("{% set s %}{{ 年度 }}{% endset %}{{ s }}年", "2023年"),
])
def test_ordinary_jinja_still_works(namespace, text, expected):
    assert TextRenderer(namespace).render(text) == expected


@pytest.mark.parametrize("text", [
    "{{ " + "很长的名字" * 2000 + " }}",
    "{{ 法律援助.受理案件 | " + "f" * 10000 + " }}",
    "{{ 法律援助." + "办结" * 5000 + " }}",
    "{{ 1 " + "x" * 10000 + " }}",
])
def test_messages_quote_only_a_short_excerpt_of_the_text(namespace, text):
    from generator.issues import Location
    from generator.messages_zh import issue

    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace).render(text)
    message = issue(caught.value.code, Location(), **caught.value.ctx).message
    assert len(message) < 300, message


def test_draft_mode_still_reports_limits(namespace):
    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace, draft=True).render("{{ 'x' * 10**6 }}")  # 1 MB: safe in-process
    assert caught.value.code == "ref_limit"
    assert TextRenderer(namespace, draft=True).render("{{ self }}") == "【待补充：self】"


def test_the_environments_expose_nothing_but_range():
    from generator.jinja_env import docx_env
    from generator.references import make_env

    for env in (docx_env(), make_env(), make_env(draft=True)):
        assert set(env.globals) == {"range"}
