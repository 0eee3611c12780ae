"""The proofreader in ``build --draft`` (a flagged paragraph ends with 【待核实：…】) and
``lint`` of a .doc converted through LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from generator.api import build_report, validate_workspace
from generator.lint import lint_files

DEPARTMENT = """部门: 测试县司法局
内容:
  - 章节: 正文
    标题: 加强组织领导
    正文: '全面加强的的法治工作基础建设。'
  - 章节: 正文
    标题: 推进普法宣传
    正文: '组织开展普法宣传活动。'
"""


def test_draft_marks_the_paragraph_a_proofreader_rule_flagged(make_tree, tmp_path, open_docx) -> None:
    root = make_tree({"report.yaml": "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n",
                      "departments/司法局.yaml": DEPARTMENT})
    flagged = [i for i in validate_workspace(root).issues if i.code == "repeated_text"]
    assert [(i.loc.file, i.loc.path) for i in flagged] == [("departments/司法局.yaml", "内容.0.正文.0")]
    result = build_report(root, tmp_path / "out", draft=True)
    texts = open_docx(result.output).texts()
    (doubled,) = [t for t in texts if "的的" in t]
    assert doubled.startswith("全面加强的的法治工作基础建设。【待核实：") and doubled.endswith("】")
    assert "「的」重复" in doubled
    (clean,) = [t for t in texts if "普法宣传活动" in t]
    assert "待核实" not in clean


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail("LibreOffice (soffice) is missing in CI, where it must be installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def test_lint_reads_a_doc_through_libreoffice(tmp_path) -> None:
    from docx import Document

    soffice = _soffice()
    doc = Document()
    for text in ("测试县人民政府2023年法治政府建设情况报告", "一、主要举措和成效",
                 "全年共办理案件约件，，群众满意。", "截止目前，已全部办结。"):
        doc.add_paragraph(text)
    source = tmp_path / "src" / "报告.docx"
    source.parent.mkdir()
    doc.save(source)
    profile = tmp_path / "profile"  # a private profile: no clash with a running soffice
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = tmp_path / "报告.doc"
    assert converted.exists()
    report = lint_files([converted])
    got = {(i.code, i.loc.line, i.snippet) for i in report.issues}
    assert ("blank_figure", 3, "约件") in got
    assert ("doubled_punctuation", 3, "，，") in got
    assert ("typo_confusion", 4, "截止") in got
    assert all(i.loc.file == str(converted) for i in report.issues)
