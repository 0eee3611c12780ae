"""Fixed statistical tables (template tables.yaml): the 政府信息公开工作年度报告 example
builds, its DOCX tables read back cell for cell with their merges and repeated header
rows; init → workbook → filled → build round-trips; every relation has a fixture that
breaks it at the right cell."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.api import build_report, init_workspace, validate_workspace
from generator.table_data import DATA_XLSX, read_tables
from generator.table_spec import TOP, grid, load_table_specs
from generator.table_values import show

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "templates" / "zhengwu-gongkai"
EXAMPLE = REPO / "data_examples" / "yangling-shenji-2022"
RELATIONS = REPO / "tests" / "cases" / "table_relations"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPECS = load_table_specs(TEMPLATE)


def _tables(path: Path) -> list:
    """Return each body table as rows of (text, gridSpan, vMerge, tcPr font size) and the
    number of rows marked w:tblHeader."""
    from docx import Document

    out = []
    for tbl in Document(str(path)).element.body.iter(f"{W}tbl"):
        rows, header = [], 0
        for tr in tbl.findall(f"{W}tr"):
            if tr.find(f"{W}trPr/{W}tblHeader") is not None:
                header += 1
            cells = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                cells.append((text, int(span.get(f"{W}val")) if span is not None else 1,
                              None if merge is None else (merge.get(f"{W}val") or "continue")))
            rows.append(cells)
        out.append((rows, header, tbl))
    return out


def _expected(spec, values: dict) -> list[list[tuple]]:
    """Return the rows a DOCX table of ``spec`` must have: (text, gridSpan, vMerge)."""
    placed = {(p.row, p.col): p.cell for p in grid(spec)}
    covered = {}
    for (r, c), cell in placed.items():
        for dr in range(1, cell.rowspan):
            covered[(r + dr, c)] = cell
    rows = []
    for r in range(len(spec.rows)):
        line, c = [], 0
        while c < spec.columns:
            if (r, c) in placed:
                cell = placed[(r, c)]
                text = str(values.get(cell.key, "")) if cell.key else cell.text
                line.append((text, cell.colspan, "restart" if cell.rowspan > 1 else None))
                c += cell.colspan
            elif (r, c) in covered:
                line.append(("", covered[(r, c)].colspan, "continue"))
                c += covered[(r, c)].colspan
            else:
                c += 1
        rows.append(line)
    return rows


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("zhengwu")
    result = build_report(EXAMPLE, out)
    assert result.output is not None, [i.text() for i in result.report.issues]
    return result


def test_example_validates_clean() -> None:
    report = validate_workspace(EXAMPLE, strict=True)
    assert report.issues == [] or all(i.severity == "info" for i in report.issues), \
        [i.text() for i in report.issues]


def test_example_tables_read_back_cell_for_cell(example) -> None:
    values, problems = read_tables(EXAMPLE, SPECS)
    assert values is not None and not problems
    tables = _tables(example.output)
    assert len(tables) == 3
    for (rows, header, _), spec in zip(tables, SPECS.values()):
        data = {k: show(v, spec.value(k)) for k, v in values.values[spec.key].items()}
        assert rows == _expected(spec, data)
        assert header == spec.header_rows


def test_table_three_has_the_national_merges(example) -> None:
    rows, header, _ = _tables(example.output)[1]
    assert header == 3
    assert rows[0][0][:2] == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3)
    assert rows[0][0][2] == "restart" and rows[0][1][:2] == ("申请人情况", 7)
    assert [c[0] for c in rows[2]] == ["", "", "商业企业", "科研机构", "社会公益组织",
                                       "法律服务机构", "其他", ""]
    group = [r for r in rows if r[0][0] == "三、本年度办理结果"]
    assert len(group) == 1 and group[0][0][2] == "restart"
    start = rows.index(group[0])
    assert all(rows[start + k][0] == ("", 1, "continue") for k in range(1, 22))
    assert rows[start + 22][0][0] == "四、结转下年度继续办理"
    cols = [int(g.get(f"{W}w")) for g in _tables(example.output)[1][2].iter(f"{W}gridCol")]
    assert len(cols) == 10 and sum(cols) == 8845  # the GB/T 9704 text width
    assert cols[2] > 2 * cols[3]  # long row labels get room, figures stay narrow
    assert len(rows) == 28 and sum(len([c for c in r if c[0].isdigit()]) for r in rows) == 175


def test_tables_follow_their_section_headings_in_the_official_style(example) -> None:
    from docx import Document

    body = list(Document(str(example.output)).element.body)
    headings = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况"]
    for heading in headings:
        index = next(i for i, el in enumerate(body) if "".join(el.itertext()).startswith(heading))
        assert body[index + 1].tag == f"{W}tbl"
    for _, _, tbl in _tables(example.output):
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        assert {b.get(f"{W}val") for b in borders} == {"single"}
        assert {b.get(f"{W}sz") for b in borders} == {"4"}
        fonts = {f.get(f"{W}eastAsia") for f in tbl.iter(f"{W}rFonts")}
        sizes = {s.get(f"{W}val") for s in tbl.iter(f"{W}sz")}
        assert fonts == {"仿宋_GB2312"} and sizes == {"21"}
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in tbl.iter(f"{W}tr"))


def test_the_pdf_repeats_table_three_header_on_every_page(example, tmp_path) -> None:
    """Table 三 with long labels crosses pages: its three header rows print again."""
    import shutil

    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required")
    import pymupdf

    from generator.pdf import convert_to_pdf

    source = tmp_path / "report.docx"
    shutil.copy(example.output, source)
    (pdf,) = convert_to_pdf([source])
    pages = [page.get_text() for page in pymupdf.open(str(pdf))]
    start = next(i for i, t in enumerate(pages) if "三、收到和处理政府信息公开申请情况" in t)
    end = next(i for i, t in enumerate(pages) if "四、结转下年度继续办理" in t)
    assert end > start  # the table crosses a page
    assert all("申请人情况" in pages[i] for i in range(start, end + 1))


def test_init_workbook_round_trip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = tmp_path / "ws"
    result = init_workspace(root, region="测试区", year=2023, template="zhengwu-gongkai")
    assert DATA_XLSX in result.written
    book = load_workbook(root / DATA_XLSX)
    sheet = book["申请办理"]
    assert sheet.protection.sheet
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "E4:I4", "A8:A29"} <= merged
    spec = SPECS["申请办理"]
    assert [sheet.cell(TOP + 3, 5 + k).value for k in range(5)] == \
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # fill every value cell so that all relations hold: each applicant column its own count
    filled = {}
    for key, spec in SPECS.items():
        ws = book[spec.sheet]
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        assert kinds == ({"whole", "custom"} if key == "主动公开" else {"whole"})
        for p in grid(spec):
            cell = ws.cell(TOP + p.row + 1, p.col + 1)
            if p.cell.key:
                assert cell.protection.locked is False
            else:
                assert cell.protection.locked is not False
    numbers = _consistent_values()
    for (key, name), value in numbers.items():
        spec = SPECS[key]
        place = next(p for p in grid(spec) if p.cell.key == name)
        book[spec.sheet].cell(TOP + place.row + 1, place.col + 1).value = value
        filled[(key, name)] = value
    book.save(root / DATA_XLSX)
    _fill_narrative(root)
    built = build_report(root, tmp_path / "out")
    assert built.output is not None, [i.text() for i in built.report.issues]
    assert [i for i in built.report.issues if i.severity != "info"] == []
    tables = _tables(built.output)
    for (rows, _, _), spec in zip(tables, SPECS.values()):
        values = {n: _shown(v) for (k, n), v in filled.items() if k == spec.key}
        assert rows == _expected(spec, values)


def test_workbook_errors_point_at_sheet_and_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = tmp_path / "ws"
    init_workspace(root, region="测试区", year=2023, template="zhengwu-gongkai")
    book = load_workbook(root / DATA_XLSX)
    numbers = _consistent_values()
    numbers[("复议诉讼", "行政复议.总计")] += 1
    numbers[("主动公开", "行政事业性收费.本年收费金额")] = "125,000元"  # 12.5 万元 in 元
    for (key, name), value in numbers.items():
        spec = SPECS[key]
        place = next(p for p in grid(spec) if p.cell.key == name)
        book[spec.sheet].cell(TOP + place.row + 1, place.col + 1).value = value
    book.save(root / DATA_XLSX)
    _fill_narrative(root)
    report = validate_workspace(root)
    (found,) = [i for i in report.issues if i.code == "table_relation_broken"]
    assert (found.loc.file, found.loc.sheet, found.loc.cell) == (DATA_XLSX, "复议诉讼", "E6")
    assert "应为 4" in found.message and "为 5" in found.message
    (yuan,) = [i for i in report.issues if i.code == "table_cell_yuan"]
    fee = next(p for p in grid(SPECS["主动公开"]) if p.cell.kind == "万元")
    assert (yuan.loc.sheet, yuan.loc.cell) == ("主动公开", f"B{TOP + fee.row + 1}")
    assert "已按 12.50 万元计入" in yuan.message and yuan.severity == "warning"


@pytest.mark.parametrize("ident", sorted(p.name for p in RELATIONS.iterdir()))
def test_each_relation_has_a_fixture_that_breaks_it_at_its_cell(ident: str) -> None:
    folder = RELATIONS / ident
    want = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    report = validate_workspace(folder)
    hits = [i for i in report.issues if i.code == want["code"] and i.loc.line == want["line"]
            and i.loc.file == want["file"]]
    assert hits, [i.text() for i in report.issues]
    assert want["expected"] in hits[0].message and want.get("relation") in (ident, None)
    if want.get("relation"):  # a tables.yaml relation names itself; a 时限 its basis
        assert f"（{want['relation']}：" in hits[0].message


def test_relations_need_last_year_only_with_previous(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "x"
    shutil.copytree(RELATIONS / "X-01", folder)
    (folder / "report.yaml").write_text(
        (folder / "report.yaml").read_text(encoding="utf-8").replace("上年工作区: previous\n", ""),
        encoding="utf-8")
    assert not [i for i in validate_workspace(folder).issues if i.code.startswith("table_")]
    with_cli = validate_workspace(folder, previous=folder / "previous")
    assert any(i.code == "table_previous_mismatch" for i in with_cli.issues)


def test_text_figures_are_checked_against_the_tables(tmp_path: Path) -> None:
    """X-02/X-03: a figure the text types by hand is compared with the table; the same
    figure written as a reference to the table's cell is never a mismatch."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree(RELATIONS / "X-02", folder)
    dept = folder / "departments" / "办公室.yaml"
    typed = dept.read_text(encoding="utf-8")
    dept.write_text(typed.replace("申请2件", "申请{{ 申请办理.新收.总计 }}件"), encoding="utf-8")
    assert not [i for i in validate_workspace(folder).issues if i.code == "table_text_mismatch"]
    said = "被申请行政复议1宗，被提起行政诉讼2件，办理行政复议案件120件"  # the last: not Table 四
    dept.write_text(typed.replace("未发生行政复议和行政诉讼", said).replace("申请2件", "申请0件"),
                    encoding="utf-8")
    found = {(i.loc.column, i.message.split("文中为 ")[1].split("（")[0])
             for i in validate_workspace(folder).issues if i.code == "table_text_mismatch"}
    assert found == {(36, "1，按表应为 0"), (46, "2，按表应为 0")}


@pytest.mark.parametrize("organ, published, deadline", [
    ("测试区统计局", "2024年2月1日", "2024年1月31日"),
    ("测试区人民政府", "2024年2月1日", None),
    ("测试区人民政府", "2024年4月1日", "2024年3月31日"),
    ("测试区人民政府办公室", "2024年3月31日", None),
])
def test_publication_deadline_by_organ(tmp_path: Path, organ, published, deadline) -> None:
    """X-05: departments publish by 31 January, a government's own report by 31 March."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree(RELATIONS / "X-05", folder)
    text = (folder / "report.yaml").read_text(encoding="utf-8")
    text = text.replace("测试区统计局", organ).replace("2024年2月5日", published)
    (folder / "report.yaml").write_text(text.replace("成文日期: 2024年1月20日\n", ""),
                                        encoding="utf-8")
    late = [i for i in validate_workspace(folder).issues if i.code == "published_late"]
    assert [deadline in i.message for i in late] == ([True] if deadline else [])


def test_no_python_module_names_the_report_type() -> None:
    words = ("zhengwu", "申请办理", "复议诉讼", "勾稽", "结转下年")
    for path in (REPO / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not any(w in text for w in words), path


def _shown(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) and value != int(value) else str(value)


def _consistent_values() -> dict:
    """Return values for every cell that satisfy every relation of the three tables."""
    values = {(k, c.key): 0 for k, s in SPECS.items() for c in s.values}
    columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    for n, col in enumerate(columns, 1):
        values[("申请办理", f"新收.{col}")] = 3 * n
        values[("申请办理", f"上年结转.{col}")] = n
        values[("申请办理", f"予以公开.{col}")] = 2 * n
        values[("申请办理", f"不予公开.过程性信息.{col}")] = n
        values[("申请办理", f"其他处理.逾期未缴费.{col}")] = n
        values[("申请办理", f"办理总计.{col}")] = 4 * n
        values[("申请办理", f"结转下年.{col}")] = 0
    t3 = SPECS["申请办理"]
    rows = {c.key.rsplit(".", 1)[0] for c in t3.values}
    for row in rows:
        values[("申请办理", f"{row}.总计")] = sum(values[("申请办理", f"{row}.{c}")]
                                                 for c in columns)
    for group, parts in (("行政复议", (1, 2, 0, 1)), ("直接起诉", (0, 1, 1, 0)),
                         ("复议后起诉", (2, 0, 0, 3))):
        for name, value in zip(("结果维持", "结果纠正", "其他结果", "尚未审结"), parts):
            values[("复议诉讼", f"{group}.{name}")] = value
        values[("复议诉讼", f"{group}.总计")] = sum(parts)
    values[("主动公开", "行政规范性文件.本年制发件数")] = 7
    values[("主动公开", "行政规范性文件.现行有效件数")] = 31
    values[("主动公开", "行政许可.本年处理决定数量")] = 1205
    values[("主动公开", "行政事业性收费.本年收费金额")] = 12.5
    return values


def _fill_narrative(root: Path) -> None:
    for path in (root / "departments").glob("*.xlsx"):
        path.unlink()
    (root / "departments" / "办公室.yaml").write_text(
        "部门: 测试区人民政府办公室\n内容:\n"
        "  - {章节: 总体情况, 正文: 本年度主动公开政府信息，工作考核、社会评议和责任追究结果均已公开。}\n"
        "  - {章节: 问题和改进, 正文: 工作仍需加强。}\n"
        "  - {章节: 其他事项, 正文: 本年度未收取信息处理费。}\n", encoding="utf-8")


def test_last_years_docx_feeds_the_cross_year_check(example, tmp_path: Path) -> None:
    """--previous may name last year's report DOCX: its tables are read back."""
    import shutil

    from generator.table_docx import read_docx_tables

    last, problems = read_docx_tables(example.output, SPECS)
    assert not problems and last is not None
    mine, _ = read_tables(EXAMPLE, SPECS)
    assert mine is not None
    assert last.values == mine.values and last.present == set(SPECS)
    folder = tmp_path / "next"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "report.yaml").read_text(encoding="utf-8").replace("年度: 2022", "年度: 2023")
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    assert not [i for i in validate_workspace(folder, previous=example.output).issues
                if i.code == "table_previous_mismatch"]
    data = (folder / "tables.yaml").read_text(encoding="utf-8")
    data = data.replace("上年结转: *zero", "上年结转: {自然人: 2, 商业企业: 0, 科研机构: 0, "
                        "社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 2}")
    (folder / "tables.yaml").write_text(data, encoding="utf-8")
    found = [i for i in validate_workspace(folder, previous=example.output).issues
             if i.code == "table_previous_mismatch"]
    assert {i.loc.path for i in found} == {"申请办理.上年结转.自然人", "申请办理.上年结转.总计"}
    assert all("应为 0" in i.message for i in found)


def test_docx_tables_read_back_with_figures(tmp_path: Path) -> None:
    """A filled report (not all zeros) reads back cell for cell from its own DOCX."""
    from docx import Document as Docx

    from generator.docx_tables import table_element
    from generator.table_data import document_table
    from generator.table_docx import read_docx_tables
    from generator.table_values import TableValues

    values = TableValues("x")
    numbers = _consistent_values()
    for (key, name), value in numbers.items():
        values.values.setdefault(key, {})[name] = value
        values.present.add(key)
    doc = Docx()
    for spec in SPECS.values():
        doc.element.body.append(table_element(document_table(spec, values)))
    path = tmp_path / "t.docx"
    doc.save(str(path))
    back, _ = read_docx_tables(path, SPECS)
    assert back is not None
    got = {(k, n): v for k, cells in back.values.items() for n, v in cells.items()}
    assert {k: float(v) for k, v in got.items()} == {k: float(v) for k, v in numbers.items()}


def test_lint_recognises_the_six_parts_by_meaning(example, tmp_path: Path) -> None:
    from docx import Document

    from generator.lint import lint_files

    report = lint_files([example.output], template="zhengwu-gongkai")
    assert [i.text() for i in report.issues] == []
    doc = Document(str(example.output))
    for p in doc.paragraphs:
        if p.text.startswith("五、"):
            p._element.getparent().remove(p._element)
    doc.save(str(tmp_path / "cut.docx"))
    missing = [i for i in lint_files([tmp_path / "cut.docx"], template="zhengwu-gongkai").issues
               if i.code == "required_item_missing"]
    assert len(missing) == 1 and "存在的主要问题及改进情况" in missing[0].message


def test_narrative_repeats_table_figures_from_the_same_data(tmp_path: Path) -> None:
    import shutil

    from docx import Document

    folder = tmp_path / "ws"
    shutil.copytree(RELATIONS / "T4-02", folder)
    data = (folder / "tables.yaml").read_text(encoding="utf-8")
    (folder / "tables.yaml").write_text(data.replace("总计: 1", "总计: 2", 1), encoding="utf-8")
    dept = folder / "departments" / "办公室.yaml"
    dept.write_text(dept.read_text(encoding="utf-8").replace(
        "{章节: 总体情况, 正文: 本年度主动公开政府信息20条。}",
        "{章节: 总体情况, 正文: '本年度被申请行政复议{{ 复议诉讼.行政复议.总计 }}件，"
        "其中结果维持{{ 复议诉讼.行政复议.结果维持 }}件。'}"), encoding="utf-8")
    result = build_report(folder, tmp_path / "out")
    assert result.output is not None, [i.text() for i in result.report.issues]
    text = "\n".join(p.text for p in Document(str(result.output)).paragraphs)
    assert "本年度被申请行政复议2件，其中结果维持2件。" in text


def test_an_untouched_workbook_is_three_missing_tables_not_175_blanks(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, region="测试区", year=2023, template="zhengwu-gongkai")
    _fill_narrative(root)
    issues = validate_workspace(root).issues
    assert sorted((i.code, i.loc.file, i.loc.sheet) for i in issues) == [
        ("table_missing", DATA_XLSX, sheet) for sheet in sorted(s.sheet for s in SPECS.values())]


def test_cell_values_parse_and_print() -> None:
    from decimal import Decimal

    from generator.table_spec import CellSpec
    from generator.table_values import parse_value

    count, money = CellSpec(key="a"), CellSpec(key="b", kind="万元")
    assert parse_value(3, count) == (3, "") and parse_value("/", count) == ("/", "")
    assert parse_value(None, count) == (None, "")
    assert parse_value(-1, count)[1] == "不能为负数"
    assert parse_value(2.5, count)[1] == "应为整数（件数）"
    assert parse_value("1e999", count)[1] == "应填数字"
    assert parse_value(12.345, money)[1] == "万元最多保留两位小数"
    assert parse_value("4000元", money) == (Decimal("0.40"), "")  # 元 converted (warned)
    assert parse_value("1,234 元", money) == (Decimal("0.12"), "")
    assert parse_value("12.5万元", money) == (Decimal("12.50"), "")
    assert parse_value("4000元", count)[1] == "应填数字"
    assert show(parse_value(12.5, money)[0], money) == "12.50"
    assert show(parse_value(3, money)[0], money) == "3"
    assert show("/", count) == "/" and show(None, count) == ""


@pytest.mark.parametrize("edit, detail", [
    (("式: \"行政复议.总计 = ", "式: \"行政复议.总计 ~ "), "缺少"),
    (("+ 行政复议.尚未审结\"", "+ 行政复议.尚末审结\""), "尚末审结"),
    (("列数: 15", "列数: 14"), "列数"),
    (("式: \"文中 = 新收.总计\"", "式: \"新收.总计 = 上年结转.总计\""), "恰有一项"),
    (("'(?:新收|收到|接收|受理)", "'((?:新收|收到|接收|受理)"), "正则表达式"),
    (("'上年(?:度)?结转", "'(上年)(?:度)?结转"), "最多一个分组"),
])
def test_a_broken_tables_yaml_is_a_broken_template(tmp_path: Path, monkeypatch, edit, detail):
    import shutil

    from generator.report_type import load_report_type

    folder = tmp_path / "types" / "gk-test"
    shutil.copytree(TEMPLATE, folder)
    spec = folder / "tables.yaml"
    text = spec.read_text(encoding="utf-8")
    assert edit[0] in text
    spec.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    monkeypatch.setenv("NIANBAO_TEMPLATE_PATH", str(tmp_path / "types"))
    _, problems = load_report_type("gk-test")
    assert [p.code for p in problems] == ["template_broken"] and detail in problems[0].message


# -- the layout of the rest of the report, as for the main template (test_render_layout) --------

def test_report_layout_like_the_main_template(example, open_docx) -> None:
    view = open_docx(example.output)
    sect = view.doc.element.body.findall(f"{W}sectPr")
    assert len(sect) == 1
    margins = sect[0].find(f"{W}pgMar")
    assert {k: margins.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    assert sect[0].find(f"{W}docGrid").get(f"{W}linePitch") == "579"
    titles = [p.text for p in view.paragraphs() if p.style.style_id == "GwTitle"]
    assert "".join(titles) == "杨凌示范区审计局2022年政府信息公开工作年度报告"
    h1 = [p.text for p in view.paragraphs() if p.style.style_id == "GwH1"]
    assert h1 == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                  "六、其他需要报告的事项"]
    for paragraph in view.paragraphs():  # the body keeps its grid; only table cells leave it
        assert view.paragraph_property(paragraph, "spacing", "lineRule") == "exact"
    run_in = [p for p in view.paragraphs() if p.text.startswith("（一）")]
    assert run_in and view.run_property(run_in[0], run_in[0].runs[0], "rFonts", "eastAsia") \
        == "楷体_GB2312"


# -- last year's report in the 2019 trial format (spec §3.5) -------------------------------------

TRIAL_TABLE_TWO = """
主动公开:
  列数: 4
  行:
    - 表头: [{文字: 第二十条第（一）项, 列宽: 4}]
    - 表头: [信息内容, 本年新制作数量, 本年新公开数量, 对外公开总数量]
    - {标签: [规章], 键: 规章, 值: [制作, 公开, 总数]}
    - {标签: [规范性文件], 键: 规范性文件, 值: [制作, 公开, 总数]}
    - 表头: [{文字: 第二十条第（五）项, 列宽: 4}]
    - 表头: [信息内容, 上一年项目数量, 本年增/减, 处理决定数量]
    - {标签: [行政许可], 键: 行政许可, 值: [上年, 增减, 决定]}
    - {标签: [其他对外管理服务事项], 键: 其他, 值: [上年, 增减, 决定]}
    - 表头: [{文字: 第二十条第（六）项, 列宽: 4}]
    - 表头: [信息内容, 上一年项目数量, 本年增/减, 处理决定数量]
    - {标签: [行政处罚], 键: 行政处罚, 值: [上年, 增减, 决定]}
    - {标签: [行政强制], 键: 行政强制, 值: [上年, 增减, 决定]}
    - 表头: [{文字: 第二十条第（八）项, 列宽: 4}]
    - 表头: [信息内容, 上一年项目数量, {文字: 本年增/减, 列宽: 2}]
    - {标签: [行政事业性收费], 键: 收费, 值: [上年, {键: 增减, 列宽: 2}]}
    - 表头: [{文字: 第二十条第（九）项, 列宽: 4}]
    - 表头: [信息内容, 采购项目数量, {文字: 采购总金额, 列宽: 2}]
    - {标签: [政府集中采购], 键: 采购, 值: [数量, {键: 金额, 列宽: 2}]}
"""


def _trial_docx(tmp_path: Path) -> Path:
    """Write a report's three tables in the 2019 trial layout (spec §3.5): Table 二 with
    the 2019 columns and block （九）, Table 三 with one （六）其他处理 row (group rowspan
    20) and, as in published reports of that format, blank 总计 cells and a 「减4」."""
    import re

    from docx import Document as Docx

    from generator.docx_tables import table_element
    from generator.table_data import document_table
    from generator.table_values import TableValues

    text = (TEMPLATE / "tables.yaml").read_text(encoding="utf-8")
    three = text[text.index("申请办理:"):text.index("复议诉讼:")]
    three = three[:three.index("  关系:")].replace("行高: 22}", "行高: 20}")
    three = re.sub(r"    - \{标签: \[\{文字: （六）其他处理.*?键: 其他处理\.其他, 值: \*applicants\}\n",
                   "    - {标签: [{文字: （六）其他处理, 列宽: 2}], 键: 其他处理, 值: *applicants}\n",
                   three, flags=re.S)
    four = text[text.index("复议诉讼:"):]
    folder = tmp_path / "trial"
    folder.mkdir()
    (folder / "tables.yaml").write_text(TRIAL_TABLE_TWO + three + four[:four.index("  关系:")],
                                        encoding="utf-8")
    specs = load_table_specs(folder)
    assert len(specs["申请办理"].values) == 23 * 7  # the 2019 layout: 23 data rows
    values = TableValues("x")
    for key, spec in specs.items():
        values.present.add(key)
        values.values[key] = {c.key: 0 for c in spec.values}
    values.values["主动公开"].update({"规章.制作": 1, "规章.公开": 1, "规章.总数": 5,
                                   "行政处罚.增减": "减4", "采购.金额": "52.15"})
    for row in ("新收", "办理总计", "结转下年"):  # G1 left most 总计 cells blank
        values.values["申请办理"][f"{row}.总计"] = None
    values.values["申请办理"].update({"新收.自然人": 5, "办理总计.自然人": 2, "结转下年.自然人": 3,
                                   "其他处理.自然人": 1})
    doc = Docx()
    for spec in specs.values():
        doc.element.body.append(table_element(document_table(spec, values)))
    path = tmp_path / "2019年报告.docx"
    doc.save(str(path))
    return path


def test_a_2019_trial_format_report_feeds_the_carry_over(tmp_path: Path) -> None:
    """Last year's report in the 2019 format gives 上年结转 (X-01) from its Table 三 (the
    rows the two formats share, blank cells blank); its Table 二, whose columns mean
    something else in 2019, is not read, so T2-03/T2-04 are not checked against it."""
    import shutil

    from generator.table_docx import read_docx_tables

    trial = _trial_docx(tmp_path)
    last, problems = read_docx_tables(trial, SPECS)
    assert last is not None and not problems
    assert last.present == {"申请办理", "复议诉讼"}  # Table 二: no 2021 column header
    carried = {n: last.get("申请办理", f"结转下年.{n}") for n in ("自然人", "商业企业", "总计")}
    assert carried == {"自然人": 3, "商业企业": 0, "总计": None}
    assert last.get("申请办理", "新收.自然人") == 5
    assert not [n for n in last.values["申请办理"] if n.startswith("其他处理")]  # no 2021 split
    assert last.values["复议诉讼"] == {c.key: 0 for c in SPECS["复议诉讼"].values}
    folder = tmp_path / "ws"
    shutil.copytree(RELATIONS / "X-01", folder, ignore=shutil.ignore_patterns("previous"))
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("上年工作区: previous\n", ""),
                      encoding="utf-8")
    found = [i for i in validate_workspace(folder, previous=trial).issues
             if i.code == "table_previous_mismatch"]
    assert [(i.loc.path, "按上年报告应为 3" in i.message) for i in found] == [
        ("申请办理.上年结转.自然人", True)]  # 总计 was blank last year: not compared
