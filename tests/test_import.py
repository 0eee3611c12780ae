"""`nianbao import`: an existing report becomes a workspace that builds the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path
from docx import Document

from generator.api import build_report, import_report, validate_workspace
from generator.importer import ImportError_, read_report
from generator.importer.compare import normalise, similarity
from generator.importer.recognise import typed
from generator.proof.reader import is_chrome, read_lines

SEEDS = ("000_08eb80a36b0f0317.txt", "001_0b9e2ca00c346d25.txt", "004_64d45351c5b71526.txt")


def _built(workspace: Path) -> list[str]:
    """Build the workspace (a draft when the source lacks a required part) and read the
    DOCX's paragraphs back."""
    result = build_report(workspace)
    if result.output is None:
        codes = {i.code for i in result.report.issues if i.severity == "error"}
        assert codes <= {"section_missing", "heading_year_mismatch", "malformed_date"}, codes
        result = build_report(workspace, draft=True)
    assert result.output is not None
    return [p.text for p in Document(str(result.output)).paragraphs if p.text.strip()]


def _headings(paragraphs: list[str]) -> list[str]:
    return [normalise(p)[:12] for p in paragraphs if typed(p.strip())]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_round_trip(seed: str, tmp_path: Path) -> None:
    source = shared_path("seeds", seed)
    import_report(source, tmp_path / "ws")
    built = _built(tmp_path / "ws")
    original = [line.text for line in read_report(source)]
    assert similarity(original, built) >= 0.97
    assert _headings(built) == _headings(original)


def test_similarity_notices_a_change() -> None:
    text = ["一、总体情况", "（一）加强学习。全年开展学法活动12次，覆盖全体干部职工。"]
    assert similarity(text, ["一、总体情况", "（一）加强学习。全年开展学法活动12次,覆盖全体干部职工。"]) == 1
    assert similarity(text, ["一、总体情况"]) < 0.6


def test_corpus_paragraphs_come_back_in_order_without_chrome(tmp_path: Path) -> None:
    folder = shared_path("corpus", "fazhi")
    files = sorted(folder.glob("*.txt"))
    assert len(files) >= 40
    for index, source in enumerate(files):
        import_report(source, tmp_path / str(index))
        built = [normalise(p) for p in _built(tmp_path / str(index))]
        complete = read_report(source)[:-1]  # the excerpt stops inside its last paragraph
        at = 0
        for line in complete:
            wanted = normalise(line.text)
            found = next((k for k in range(at, len(built)) if wanted in built[k]), None)
            assert found is not None, f"{source.name} 第{line.line}行缺失或次序不对：{line.text[:30]}"
            at = found
        for number, raw in read_lines(source):
            chrome = normalise(raw)
            if is_chrome(raw) and len(chrome) >= 4:
                assert chrome not in built, f"{source.name} 第{number}行的页面信息被导入：{raw[:30]}"


TYPED = """\
某县人民政府
2023年度法治政府建设情况报告
市人民政府：
2023年，我县深入推进法治政府建设，现将有关情况报告如下：
一、2023年推进法治政府建设的主要举措和成效
（一）依法全面履行政府职能
1.深化行政审批改革。全年受理行政复议申请64件，审结60件。
2.加强规范性文件管理。清理规范性文件12件，备案率达100%。
（二）党政主要负责人履行推进法治建设第一责任人职责情况
县政府主要负责人认真履行推进法治建设第一责任人职责，全年4次专题研究法治工作。
二、存在的不足和原因
一是执法能力有待提升；二是普法针对性不强。
三、2024年推进法治政府建设的主要安排
2024年，我县将继续推进严格规范公正文明执法。
某县人民政府
2024年1月15日
"""


def test_typed_numbering_import_validates(tmp_path: Path) -> None:
    source = tmp_path / "报告.txt"
    source.write_text(TYPED, encoding="utf-8")
    result = import_report(source, tmp_path / "ws")
    report = validate_workspace(tmp_path / "ws")
    codes = {i.code for i in report.issues}
    assert report.ok, [(i.code, i.message) for i in report.issues if i.severity == "error"]
    assert not {c for c in codes if "number" in c}
    text = (tmp_path / "ws" / "departments" / "导入.yaml").read_text(encoding="utf-8")
    assert "（一）" not in text and "1.深化" not in text
    assert "标题: \"深化行政审批改革\"" in text
    config = (tmp_path / "ws" / "report.yaml").read_text(encoding="utf-8")
    assert "主送机关: \"市人民政府\"" in config and "成文日期: 2024-01-15" in config
    assert set(result.sections) == {"主要举措和成效", "存在的不足和原因", "下一年度主要安排"}
    built = _built(tmp_path / "ws")
    assert "1.深化行政审批改革。全年受理行政复议申请64件，审结60件。" in built
    assert similarity(TYPED.splitlines(), built) >= 0.97


def test_figures_verbatim_unless_linked(tmp_path: Path) -> None:
    source = tmp_path / "报告.txt"
    source.write_text(TYPED, encoding="utf-8")
    plain = import_report(source, tmp_path / "a")
    found = {c.key: c.value for c in plain.figures}
    assert found["行政复议.受理"] == 64 and found["行政复议.审结"] == 60
    assert found["规范性文件.清理"] == 12 and found["规范性文件.备案率"] == 100
    text = (tmp_path / "a" / "departments" / "导入.yaml").read_text(encoding="utf-8")
    assert "受理行政复议申请64件" in text and "{{" not in text.split("内容:")[1]
    assert not plain.linked
    linked = import_report(source, tmp_path / "b", link_figures=True)
    text = (tmp_path / "b" / "departments" / "导入.yaml").read_text(encoding="utf-8")
    assert "受理行政复议申请{{ 行政复议.受理 }}件" in text
    assert {c.key for c in linked.linked} >= {"行政复议.受理", "行政复议.审结"}
    assert validate_workspace(tmp_path / "b").ok
    assert "1.深化行政审批改革。全年受理行政复议申请64件，审结60件。" in _built(tmp_path / "b")


def test_import_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "报告.txt"
    source.write_text(TYPED, encoding="utf-8")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "report.yaml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="不会覆盖"):
        import_report(source, tmp_path / "ws")
    assert (tmp_path / "ws" / "report.yaml").read_text(encoding="utf-8") == "# mine\n"


def test_braces_and_docx_heading_styles(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("某局2023年法治政府建设工作报告")
    document.add_paragraph("2023年，我局依法履职，现报告如下：")
    document.add_heading("主要举措和成效", level=1)
    document.add_paragraph("模板写法 {{ 年度 }} 与 {% if %} 原样保留 & <b> 😀。")
    document.add_paragraph("某局")
    document.add_paragraph("2024年1月5日")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "表格内容"
    document.save(str(tmp_path / "r.docx"))
    result = import_report(tmp_path / "r.docx", tmp_path / "ws")
    assert any("表格" in w for w in result.warnings)
    config = (tmp_path / "ws" / "report.yaml").read_text(encoding="utf-8")
    assert "成文日期: 2024-01-05" in config and '发文机关署名: "某局"' in config
    built = _built(tmp_path / "ws")
    assert "模板写法 {{ 年度 }} 与 {% if %} 原样保留 & <b> 😀。" in built
    assert any(p.endswith("主要举措和成效") and typed(p) for p in built)


def test_cli_import_and_diff(tmp_path: Path, capsys) -> None:
    from generator.cli import main

    source = tmp_path / "报告.txt"
    source.write_text(TYPED, encoding="utf-8")

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out, err = capsys.readouterr()
        return exit_info.value.code, out, err

    code, out, _ = run("import", str(source), "-o", str(tmp_path / "ws"), "--link-figures")
    assert code == 0
    assert "已写入" in out and "行政复议.受理 = 64件 → {{ 行政复议.受理 }}" in out
    code, _, err = run("import", str(source), "-o", str(tmp_path / "ws"))
    assert code == 2 and "不会覆盖" in err and "Traceback" not in err
    code, _, err = run("import", str(tmp_path / "无.txt"), "-o", str(tmp_path / "ws2"))
    assert code == 2 and "找不到文件" in err
    built = build_report(tmp_path / "ws")
    assert built.output is not None
    code, out, _ = run("diff", str(tmp_path / "ws"), str(built.output))
    assert code == 0 and "没有改动" in out
