"""Property-based fuzzing of the workspace schema (issue #9), seeded so that it reproduces.

Hypothesis generates report.yaml and department files — strings with markup, quotes,
newlines, emoji and template tags, numbers of every size, nesting, YAML anchors and
tags — and workbook cells; each case runs ``nianbao build --draft`` and ``validate``
in-process. Properties: no internal error (exit codes 0, 1 or 2 only), inputs unchanged,
any DOCX written holds every paragraph of its document model, each case bounded in time.
"""

from __future__ import annotations

import hashlib
import resource
import time
from pathlib import Path

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")  # a test extra; CI installs it
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.cli import main  # noqa: E402

CASES = {"count": 0, "built": 0}
SECONDS_PER_CASE = 20  # generous for a 2-core CI machine; real cases take well under 1 s
MAX_RSS_MB = 1500

NASTY = ["&", "<", ">", '"', "'", "\n", "\t", "😀", "{{", "}}", "{{ 年度 }}", "{{ 年度 * 2 }}",
         "{{ x.y }}", "{%", "{% for i in range(3) %}x{% endfor %}", "{{ ''.__class__ }}",
         "{{ self }}", "{{ lipsum() }}", "（一）", "1.", "XX", "约", "\u2028", "\x07", "\\",
         "*a", "&a", "!!python/object:os.system", ":", "- ", "#", "2024年1月9日"]
text = st.one_of(st.text(max_size=40), st.sampled_from(NASTY),
                 st.lists(st.sampled_from(NASTY + ["工作", "开展", "法治"]), max_size=6)
                 .map("".join))
number = st.one_of(st.integers(-10**6, 10**25), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from(["约3000", "1,234", "１２３", "12.5%", "", None, True]))
metric = st.one_of(number, st.fixed_dictionaries({"值": number}, optional={"单位": text}))
leaf = st.one_of(text, number, st.none(), st.booleans())
nested = st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(text, inner, max_size=3)),
                      max_leaves=12)
item = st.fixed_dictionaries(
    {"章节": st.one_of(st.sampled_from(["主要举措和成效", "存在的不足和原因", "正文"]), text)},
    optional={"标题": text, "正文": st.one_of(text, st.lists(text, max_size=3)),
              "标识": text, "上级": text, "子项": st.lists(nested, max_size=2),
              "编号": st.booleans(), "涵盖": nested})
department = st.fixed_dictionaries(
    {}, optional={"部门": text,
                  "指标": st.dictionaries(st.sampled_from(["法律援助", "行政复议", "组", "😀"]),
                                         st.dictionaries(st.sampled_from(
                                             ["受理案件", "受理", "审结", "纠错", "名称"]),
                                             metric, max_size=3), max_size=3),
                  "内容": st.lists(item, max_size=4), "杂项": nested})
report = st.fixed_dictionaries(
    {"机关": text, "年度": st.one_of(st.integers(1900, 2200), text)},
    optional={"模板": st.sampled_from(["fazhi-annual", "work-report", "../x", "无此模板"]),
              "地区": text, "导语": st.one_of(text, st.lists(text, max_size=2)),
              "发文机关署名": text, "成文日期": st.one_of(st.dates().map(str), text),
              "主送机关": text, "部门": st.lists(text, max_size=3), "标题": text,
              "关闭规则": nested, "附件": st.lists(text, max_size=2)})
as_yaml = st.sampled_from(["plain", "anchors", "tag", "raw"])


def _dump(data, style: str, rng_text: str) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if style == "anchors":
        return "x: &a [1, 2]\ny: *a\n" + body
    if style == "tag":
        return body + "z: !!python/object:os.system ls\n"
    if style == "raw":
        return body[: len(body) // 2] + rng_text + body[len(body) // 2:]
    return body


def _hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "out" not in p.parts}


def _run(args: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; return the exit code and what it printed."""
    import contextlib
    import io

    printed = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            main(args)
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 0
    return code, printed.getvalue()


@seed(20261125)
@settings(max_examples=250, deadline=None, derandomize=False, database=None,
          suppress_health_check=list(HealthCheck))
@given(report=report, departments=st.lists(department, min_size=0, max_size=3),
       style=as_yaml, extra=text)
def test_any_workspace_gives_a_clean_result(tmp_path_factory, report, departments, style,
                                            extra) -> None:
    from docx import Document

    root = tmp_path_factory.mktemp("fuzz") / "ws"
    (root / "departments").mkdir(parents=True)
    (root / "report.yaml").write_text(_dump(report, style, extra), encoding="utf-8")
    for index, data in enumerate(departments):
        (root / "departments" / f"部门{index}.yaml").write_text(
            _dump(data, style if index == 0 else "plain", extra), encoding="utf-8")
    before = _hash(root)
    start = time.perf_counter()
    runs = [_run(["validate", str(root)]), _run(["build", str(root), "--draft"])]
    assert {code for code, _ in runs} <= {0, 1, 2}, runs
    assert not any(m in out for _, out in runs for m in ("内部错误", "Traceback", "不完整")), runs
    assert time.perf_counter() - start < SECONDS_PER_CASE
    assert _hash(root) == before
    for docx in (root / "out").glob("*.docx") if (root / "out").is_dir() else []:
        body = "".join(p.text for p in Document(str(docx)).paragraphs)
        assert body  # a written report always has text (and verify_complete checked it all)
        CASES["built"] += 1
    CASES["count"] += 1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert rss_mb < MAX_RSS_MB


def test_the_fuzzer_ran_its_cases() -> None:
    """Runs after the property test in file order: report the count."""
    if CASES["count"]:
        print(f"schema fuzz: {CASES['count']} cases, {CASES['built']} built a draft DOCX")
        assert CASES["count"] >= 200 and CASES["built"] >= 20


_STORABLE = st.one_of(st.text(max_size=30), st.sampled_from(NASTY)).filter(
    lambda v: not any(ord(c) < 32 and c not in "\t\n\r" for c in v))  # Excel refuses them
cell = st.one_of(_STORABLE, st.integers(-10**12, 10**20),
                 st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
                 st.sampled_from(["=1/0", "=SUM(A1:A3)", "约60", "12.5%", "３０", "1,234"]))


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """A fresh collection workspace from ``init`` (two departments' workbooks)."""
    from generator.api import init_workspace

    root = tmp_path_factory.mktemp("collect") / "ws"
    init_workspace(root, region="测试县", year=2023, departments=["司法局", "市场监管局"])
    return root


@seed(20261126)
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(values=st.lists(cell, min_size=1, max_size=8),
       rows=st.lists(st.lists(cell, min_size=5, max_size=5), max_size=3),
       which=st.sampled_from(["司法局", "市场监管局"]))
def test_any_workbook_cells_give_a_clean_result(collection, tmp_path_factory, values, rows,
                                                which) -> None:
    import shutil

    from openpyxl import load_workbook

    root = Path(shutil.copytree(collection, tmp_path_factory.mktemp("cells") / "ws"))
    path = root / "departments" / f"{which}.xlsx"
    book = load_workbook(path)
    metrics, items = book["指标"], book["工作举措"]
    for offset, value in enumerate(values):
        metrics.cell(4 + offset, 3).value = value
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            items.cell(3 + offset, column).value = value
    book.save(path)
    before = _hash(root)
    runs = [_run(["validate", str(root)]), _run(["status", str(root)]),
            _run(["build", str(root), "--draft"])]
    assert {code for code, _ in runs} <= {0, 1, 2}, runs
    assert not any(m in out for _, out in runs for m in ("内部错误", "Traceback", "不完整")), runs
    assert _hash(root) == before
    CASES["cells"] = CASES.get("cells", 0) + 1


def test_the_cell_fuzzer_ran_its_cases() -> None:
    if CASES.get("cells"):
        print(f"workbook cell fuzz: {CASES['cells']} cases")
        assert CASES["cells"] >= 30
