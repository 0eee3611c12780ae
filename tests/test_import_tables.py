"""`nianbao import` of a report type with fixed tables (the 政府信息公开 example): sections
by the template's own synonyms, tables read back from the DOCX into tables.yaml, the
template chosen by the title; the imported workspace validates and builds the same
report, cell for cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from test_tables import EXAMPLE, SPECS, _consistent_values, _tables

from generator.api import build_report, import_report, validate_workspace
from generator.importer import ImportError_
from generator.importer.compare import normalise, similarity
from generator.importer.recognise import MARKERS
from generator.table_data import read_tables

TEMPLATE = "zhengwu-gongkai"


def _filled(root: Path) -> Path:
    """Copy the example to ``root`` with figures in every table (consistent, some not 0,
    one not applicable, an amount in 万元) and return it."""
    shutil.copytree(EXAMPLE, root)
    values = _consistent_values()
    values[("主动公开", "规章.本年废止件数")] = "/"
    nested: dict = {}
    for (table, name), value in values.items():
        node = nested.setdefault(table, {})
        *path, leaf = name.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    (root / "tables.yaml").write_text(yaml.safe_dump(nested, allow_unicode=True), encoding="utf-8")
    for dept in (root / "departments").glob("*.yaml"):  # the prose says what the table says
        text = dept.read_text(encoding="utf-8")
        dept.write_text(text.replace("未收到依申请公开事项", "收到政府信息公开申请"
                                     "{{ 申请办理.新收.总计 }}件"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    root = _filled(tmp_path_factory.mktemp("gk") / "src")
    result = build_report(root)
    assert result.output is not None, [i.text() for i in result.report.issues]
    return root, result.output


@pytest.fixture(scope="module")
def imported(original, tmp_path_factory):
    _, docx = original
    workspace = tmp_path_factory.mktemp("gk") / "ws"
    return import_report(docx, workspace)  # no --template: chosen by the title


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def _top_headings(paragraphs: list[str]) -> list[str]:
    first = MARKERS[0][1]
    return [first.sub("", p) for p in paragraphs if first.match(p) and len(p) < 40]


def test_template_chosen_by_title_and_tables_written(imported) -> None:
    assert imported.template == TEMPLATE and imported.inferred
    assert [p.name for p in imported.files] == ["report.yaml", "导入.yaml", "tables.yaml"]
    assert list(imported.sections) == ["总体情况", "主动公开", "申请办理", "复议诉讼",
                                       "问题和改进", "其他事项"]
    assert not imported.warnings, imported.warnings
    config = yaml.safe_load((imported.workspace / "report.yaml").read_text(encoding="utf-8"))
    assert config["模板"] == TEMPLATE
    assert config["章节顺序"] == list(imported.sections)


def test_tables_are_not_imported_as_prose(imported) -> None:
    text = (imported.workspace / "departments" / "导入.yaml").read_text(encoding="utf-8")
    for label in ("商业企业", "第二十条", "本年新收政府信息公开申请数量", "结果维持"):
        assert label not in text


def test_imported_workspace_validates_clean(imported) -> None:
    report = validate_workspace(imported.workspace)
    assert report.ok, [i.text() for i in report.issues]
    assert not [i for i in report.issues if i.severity == "warning"], \
        [i.text() for i in report.issues]


def test_every_table_cell_equal_to_the_original(original, imported) -> None:
    source, docx = original
    mine, problems = read_tables(imported.workspace, SPECS)
    theirs, _ = read_tables(source, SPECS)
    assert mine is not None and theirs is not None and not problems
    assert mine.values == theirs.values and mine.present == set(SPECS)
    assert mine.get("主动公开", "规章.本年废止件数") == "/"
    assert str(mine.get("主动公开", "行政事业性收费.本年收费金额")) == "12.50"
    built = build_report(imported.workspace)
    assert built.output is not None
    before, after = _tables(docx), _tables(built.output)
    assert len(after) == len(SPECS) == 3
    assert [(rows, header) for rows, header, _ in after] == \
        [(rows, header) for rows, header, _ in before]
    assert any(cell[0] == "1205" for rows, _, _ in after for row in rows for cell in row)


def test_six_sections_in_order_with_the_same_text(original, imported) -> None:
    _, docx = original
    built = build_report(imported.workspace)
    assert built.output is not None
    before, after = _paragraphs(docx), _paragraphs(built.output)
    assert similarity(before, after) >= 0.97
    assert _top_headings(after) == _top_headings(before)
    assert len(_top_headings(after)) == 6
    assert [normalise(p) for p in after] == [normalise(p) for p in before]


def test_explicit_template_and_never_overwrites_tables(original, tmp_path: Path) -> None:
    _, docx = original
    result = import_report(docx, tmp_path / "a", template=TEMPLATE)
    assert result.template == TEMPLATE and not result.inferred
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "tables.yaml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="不会覆盖.*tables.yaml"):
        import_report(docx, tmp_path / "b", template=TEMPLATE)
    assert (tmp_path / "b" / "tables.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "b" / "report.yaml").exists()


def test_a_missing_table_is_reported_not_invented(original, tmp_path: Path) -> None:
    _, docx = original
    document = Document(str(docx))
    second = document.tables[1]._tbl
    second.getparent().remove(second)
    document.save(str(tmp_path / "r.docx"))
    result = import_report(tmp_path / "r.docx", tmp_path / "ws")
    assert any("未找到「收到和处理政府信息公开申请情况」表" in w for w in result.warnings)
    data = yaml.safe_load((tmp_path / "ws" / "tables.yaml").read_text(encoding="utf-8"))
    assert set(data) == {"主动公开", "复议诉讼"}
    codes = {(i.code, i.severity) for i in validate_workspace(tmp_path / "ws").issues}
    assert ("table_missing", "error") in codes


TITLED = """\
{title}
2023年，我单位依法开展各项工作，现将有关情况报告如下：
一、基本情况
全年主动公开政府信息120条。
二、主动公开政府信息情况
三、依申请公开情况
四、行政复议和行政诉讼情况
五、问题和改进措施
公开内容还不够全面。
六、其他事项
本年度未收取信息处理费。
"""


@pytest.mark.parametrize(("title", "expected", "inferred"), [
    ("某县人民政府2023年政府信息公开工作年度报告", TEMPLATE, True),
    ("某县人民政府2023年度法治政府建设情况报告", "fazhi-annual", False),
    ("情况通报", "fazhi-annual", False),
], ids=["gongkai", "fazhi", "untitled"])
def test_template_follows_the_title(title: str, expected: str, inferred: bool,
                                    tmp_path: Path) -> None:
    source = tmp_path / "r.txt"
    source.write_text(TITLED.format(title=title), encoding="utf-8")
    result = import_report(source, tmp_path / "ws")
    assert (result.template, result.inferred) == (expected, inferred)
    if expected == TEMPLATE:
        assert any("不是 Word" in w for w in result.warnings)
        assert not (tmp_path / "ws" / "tables.yaml").exists()
        assert list(result.sections) == ["总体情况", "主动公开", "申请办理", "复议诉讼",
                                         "问题和改进", "其他事项"]  # by the synonyms


def test_cli_says_which_template_it_chose(original, tmp_path: Path, capsys) -> None:
    from generator.cli import main

    _, docx = original
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(docx), "-o", str(tmp_path / "ws")])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert f"模板：{TEMPLATE}（按标题识别" in out and "tables.yaml" in out
