"""Batch speed without changed results: work done once per template or per process is
reused, and what a batch writes is what one-at-a-time builds write."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from conftest import EXAMPLES_DIR
from docxtpl import DocxTemplate

from generator import docx_template
from generator.api import build_report
from generator.docx_template import CachedDocxTemplate

FUNING = EXAMPLES_DIR / "funing-2023"


def _copy(tmp_path: Path, region: str) -> Path:
    target = tmp_path / region
    shutil.copytree(FUNING, target)
    text = (target / "report.yaml").read_text("utf-8")
    assert "地区: 抚宁区" in text
    (target / "report.yaml").write_text(text.replace("地区: 抚宁区", f"地区: {region}"), "utf-8")
    return target


def _parts(docx: Path) -> dict[str, bytes]:
    """Every part of ``docx``; the creation and modification times in core.xml masked."""
    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"",
                                        parts["docProps/core.xml"])
    return parts


def test_patched_template_xml_is_docxtpls_own() -> None:
    split = ('<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>{ 机关 }</w:t></w:r><w:r><w:t>}'
             '</w:t></w:r></w:p><w:tc><w:tcPr></w:tcPr><w:p><w:r><w:t>{% colspan 2 %}</w:t>'
             '</w:r></w:p></w:tc>')
    template = DocxTemplate(str(_template_docx()))
    template.init_docx()
    for xml in (split, template.get_xml()):
        assert CachedDocxTemplate.patch_xml(template, xml) == DocxTemplate.patch_xml(template, xml)
    assert "{{ 机关 }}" in CachedDocxTemplate.patch_xml(template, split)


def _template_docx() -> Path:
    from generator.report_type import default_report_type

    return default_report_type().docx


def test_the_second_report_reuses_the_patched_template_and_writes_the_same(
        tmp_path: Path, monkeypatch) -> None:
    first = build_report(_copy(tmp_path, "甲区"), tmp_path / "out-a")
    hits = docx_template._patched.cache_info().hits
    second = build_report(_copy(tmp_path, "乙区"), tmp_path / "out-b")
    assert docx_template._patched.cache_info().hits >= hits + 3  # body, header, footer
    assert first.output and second.output
    body = _parts(second.output)["word/document.xml"].decode("utf-8")
    assert "乙区" in body and "甲区" not in body
    # docxtpl's own clean-up, every time, writes the very same document
    monkeypatch.setattr(CachedDocxTemplate, "patch_xml", DocxTemplate.patch_xml)
    plain = build_report(tmp_path / "乙区", tmp_path / "out-c")
    assert plain.output and _parts(plain.output) == _parts(second.output)


def test_output_folders_number_repeated_names_in_order(tmp_path: Path) -> None:
    from generator.batch import output_folders

    spaces = [tmp_path / "a" / "抚宁区", tmp_path / "b" / "抚宁区", tmp_path / "c" / "抚宁区",
              tmp_path / "海港区"]
    folders = output_folders(spaces, ["抚宁区"] * 3 + ["海港区"], tmp_path / "o")
    assert [f.name for f in folders if f] == ["抚宁区", "抚宁区（抚宁区）", "抚宁区（抚宁区-2）", "海港区"]


def test_a_build_batch_compiles_the_docx_template_before_the_workers_start(tmp_path: Path
                                                                          ) -> None:
    from generator.batch import Options, warm_up
    from generator.jinja_env import clear_compiled_templates, docx_env

    clear_compiled_templates()
    warm_up(Options("build"))  # under fork: in the parent, which the workers are forked from
    compiled = set(docx_env()._compiled())
    assert any("<w:body" in source or "<w:p" in source for source, _ in compiled)
    result = build_report(_copy(tmp_path, "丙区"), tmp_path / "out")
    assert result.output is not None
    added = [source for source, _ in docx_env()._compiled() if (source, True) not in compiled]
    assert not [s for s in added if "<w:" in s]  # body, headers and footers: none compiled again


def test_a_parallel_build_names_output_folders_as_output_folders_does(tmp_path: Path) -> None:
    from generator.batch import Options, output_folders, region_of, run_batch

    spaces = []
    for folder, region in (("a", "甲区"), ("b", "甲区"), ("c", "乙区"), ("d", "甲区")):
        space = _copy(tmp_path / folder, region)
        spaces.append(space)
    out = tmp_path / "out"
    entries = {e.workspace: e for e in run_batch(spaces, Options("build"), out, jobs=2)}
    expected = output_folders(spaces, [region_of(s) for s in spaces], out)
    assert [f.name for f in expected if f] == ["甲区", "甲区（甲区）", "乙区", "甲区（甲区-2）"]
    for space, folder in zip(spaces, expected):
        entry = entries[str(space)]
        assert entry.ok and entry.output and Path(entry.output).parent == folder


def test_warm_up_leaves_the_collector_as_it_found_it() -> None:
    import gc

    from generator.batch import Options, warm_up

    assert gc.isenabled()
    warm_up(Options("validate"))
    assert gc.isenabled()
    gc.disable()
    try:
        warm_up(Options("validate"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_spawned_workers_build_like_forked_ones(tmp_path: Path) -> None:
    """Where fork is missing (Windows) workers are spawned: each warms up on its own."""
    from generator.batch import Options, run_batch

    spaces = [_copy(tmp_path / "in", region) for region in ("甲区", "乙区")]
    spawned = list(run_batch(spaces, Options("build"), tmp_path / "spawn", 2, "spawn"))
    forked = list(run_batch(spaces, Options("build"), tmp_path / "fork", 2, "fork"))
    assert sorted(e.region for e in spawned) == ["乙区", "甲区"] and all(e.ok for e in spawned)
    for entry in spawned:
        twin = next(f for f in forked if f.region == entry.region)
        mine, theirs = (list(Path(d).rglob("*.docx")) for d in (tmp_path / "spawn" / entry.region,
                                                                  tmp_path / "fork" / twin.region))
        assert len(mine) == len(theirs) == 1
        assert _parts(mine[0]) == _parts(theirs[0])
