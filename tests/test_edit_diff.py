"""`nianbao diff`: Word edits listed with their sources, and written back with --apply."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES_DIR
from docx import Document

from generator.api import build_report, diff_report
from generator.edit_apply import edit_yaml, rewrite


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def _edit(paragraph, old: str, new: str) -> None:
    run = paragraph.runs[-1]  # a run-in heading keeps its own run
    assert old in run.text
    run.text = run.text.replace(old, new)


@pytest.fixture()
def edited(tmp_path: Path) -> tuple[Path, Path]:
    workspace = tmp_path / "funing"
    shutil.copytree(EXAMPLES_DIR / "funing-2023", workspace)
    built = build_report(workspace, tmp_path / "out")
    assert built.output is not None
    document = Document(str(built.output))
    paragraphs = {p.text[:6]: p for p in document.paragraphs if p.text.strip()}
    _edit(paragraphs["（五）提供优"], "共受理援助案件817件", "共受理援助案件820件")
    _edit(paragraphs["（七）严把重"], "完善依法决策机制", "健全依法决策机制")
    _edit(paragraphs["一年来，我区"], "取得了一定成效", "取得了明显成效")
    target = tmp_path / "修改稿.docx"
    document.save(str(target))
    return workspace, target


def test_diff_lists_exactly_the_edits(edited: tuple[Path, Path]) -> None:
    workspace, target = edited
    before = (workspace / "departments" / "司法局.yaml").read_bytes()
    result = diff_report(workspace, target)
    assert [c.kind for c in result.changes] == ["改动"] * 3
    places = [c.where() for c in result.changes]
    assert places[0].startswith("departments/司法局.yaml 第54行") and "第55行" in places[0]
    assert "第73行" in places[1] and places[2].startswith("departments/司法局.yaml 第129行")
    notes = [n for c in result.changes for n in c.notes]
    assert len(notes) == 1 and "817" in notes[0] and "法律援助.受理案件" in notes[0]
    assert not result.applied
    assert (workspace / "departments" / "司法局.yaml").read_bytes() == before


def test_apply_writes_back_and_build_reproduces_the_edit(edited: tuple[Path, Path]) -> None:
    workspace, target = edited
    original = (workspace / "departments" / "司法局.yaml").read_text(encoding="utf-8")
    result = diff_report(workspace, target, apply=True)
    assert not result.unplaced
    [(written, backup)] = result.applied
    assert backup.read_text(encoding="utf-8") == original
    text = written.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.splitlines(), text.splitlines()) if a != b]
    assert len(changed) == 3 and len(text.splitlines()) == len(original.splitlines())
    assert "{{ 法律顾问.列席会议 }}" in text  # unchanged figures keep their reference
    assert "共受理援助案件820件" in text  # the figure typed over is written as typed
    assert text.count("#") == original.count("#")  # comments kept
    rebuilt = build_report(workspace, workspace / "again")
    assert rebuilt.output is not None
    assert _texts(rebuilt.output) == _texts(target)
    assert not diff_report(workspace, target).changes


def test_unplaceable_changes_are_listed(edited: tuple[Path, Path], tmp_path: Path) -> None:
    workspace, target = edited
    document = Document(str(target))
    document.paragraphs[0].text = "新的标题第一行"  # title: report.yaml, not a department file
    document.add_paragraph("新增的一段。")
    document.save(str(target))
    result = diff_report(workspace, target, apply=True)
    kinds = sorted(c.kind for c in result.unplaced)
    assert kinds == ["改动", "新增"]
    assert len(result.changes) == 5 and len(result.applied) == 1


def test_rewrite_keeps_unchanged_references() -> None:
    class Renderer:
        def render(self, expr: str) -> str:
            return {"{{ a.b }}": "64", "{{ a.c }}": "7"}[expr]

    raw = "受理{{ a.b }}件，审结{{ a.c }}件。"
    assert rewrite(raw, "受理64件，审结7件。", "共受理64件，审结8件。", Renderer()) == \
        "共受理{{ a.b }}件，审结8件。"
    assert rewrite("纯文字", "纯文字", "有 {{ 括号", Renderer()) == "有 {{ '{' }}{ 括号"


def test_edit_yaml_keeps_the_rest() -> None:
    text = "# 注释\n部门: 甲\n内容:\n  - 标题: 旧\n    正文: 第一段\n  # 中间\n  - 标题: 乙\n"
    out = edit_yaml(text, [(("内容", 0, "正文", 0), "新的第一段"), (("内容", 1, "标题"), "丙")])
    assert out == ("# 注释\n部门: 甲\n内容:\n  - 标题: 旧\n    正文: |\n      新的第一段\n"
                   "  # 中间\n  - 标题: \"丙\"\n")


def test_apply_inserts_and_edits_headings(edited: tuple[Path, Path]) -> None:
    import copy

    from docx.text.paragraph import Paragraph

    workspace, target = edited
    document = Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    last = next(p for p in paragraphs if p.text.startswith("一年来"))
    added = copy.deepcopy(last._element)
    last._element.addnext(added)
    Paragraph(added, last._parent).runs[0].text = "新增一段：{{ 不是引用 }} & <b>。"
    head = next(p for p in paragraphs if p.text.startswith("（七）"))
    head.runs[0].text = head.runs[0].text.replace("严把", "严守")
    document.save(str(target))
    result = diff_report(workspace, target, apply=True)
    assert not result.unplaced
    assert [c.kind for c in result.changes].count("新增") == 1
    text = (workspace / "departments" / "司法局.yaml").read_text(encoding="utf-8")
    assert '标题: "严守重大行政决策法治关口"' in text
    rebuilt = build_report(workspace, workspace / "again")
    assert _texts(rebuilt.output) == _texts(target)
