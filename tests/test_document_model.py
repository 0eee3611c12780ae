"""The typed document model between the outline and the outputs (issue #10)."""

from __future__ import annotations

import dataclasses

from conftest import EXAMPLES_DIR, DocxView

from generator.api import build_report, prepare
from generator.context import docx_context
from generator.document import Document, Paragraph, Run, build_document, with_notes


def _document(name: str) -> Document:
    prepared = prepare(EXAMPLES_DIR / name)
    return build_document(prepared.outline.config, prepared.outline)


def test_headings_carry_their_level_and_generated_number() -> None:
    doc = _document("funing-2023")
    numbered = [p for p in doc.body if p.number]
    assert numbered and all(p.head.startswith(p.number) for p in numbered)
    seconds = [p.number for p in numbered if p.level == 2]
    assert seconds[:3] == ["（一）", "（二）", "（三）"] and seconds[-1] == "（十八）"
    assert all(p.level == 0 and not p.number for p in doc.body if p.kind == "p")


def test_level_is_the_heading_level_not_the_font() -> None:
    doc = _document("shanhaiguan-2020")
    levels = {(p.level, p.number[-1:]) for p in doc.body if p.number}
    assert (1, "、") in levels
    assert all(level >= 1 for level, _ in levels)


def test_runs_split_a_run_in_heading_from_its_text() -> None:
    doc = _document("zichuan-2024")
    run_in = next(p for p in doc.body if p.kind.startswith("r"))
    assert [r.role for r in run_in.runs] == ["head", "body"]
    assert run_in.head + run_in.text == "".join(r.text for r in run_in.runs)


def test_closing_furniture_and_metadata_come_from_report_yaml() -> None:
    doc = _document("funing-2023-wenjian")
    assert doc.closing.signature and doc.closing.date_text.endswith("日")
    assert doc.letterhead is not None and doc.letterhead.mark.endswith("文件")
    assert doc.attachment_notes and doc.imprint is not None
    assert doc.metadata.title == "".join(doc.title_lines) and doc.metadata.author


def test_the_docx_context_is_a_pure_function_of_the_document() -> None:
    doc = _document("funing-2023-wenjian")
    first, second = docx_context(doc), docx_context(doc)
    assert first == second and first is not second
    assert first["blocks"][0] == {"kind": doc.body[0].kind, "head": doc.body[0].head,
                                  "text": doc.body[0].text}


def test_notes_are_added_without_changing_the_original() -> None:
    doc = _document("zichuan-2024")
    noted = with_notes(doc, {0: "【待核实：x】"})
    assert noted.body[0].text.endswith("【待核实：x】") and not doc.body[0].text.endswith("】")
    heading = Paragraph("h1", (Run("一、标题", "head"),), 1, "一、")
    assert heading.with_note("【注】").head == "一、标题【注】"


def test_the_docx_renders_exactly_the_model(tmp_path) -> None:
    result = build_report(EXAMPLES_DIR / "zichuan-2024", tmp_path / "out")
    texts = DocxView(result.output).texts()
    body = [p.head + p.text for p in result.document.body]
    assert [t for t in texts if t in body] == body
    assert dataclasses.is_dataclass(result.document) and result.padding is None
