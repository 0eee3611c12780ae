"""Data with XML-special characters, emoji, newlines and control characters builds a valid
DOCX whose text reads back exactly."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from generator.api import build_report

SPECIAL = "A&B <tag> \"双引号\" 'single' & &amp; </w:t></w:r> ]]> {x}"


@pytest.fixture(scope="module")
def built(session_tree, open_docx):
    root = session_tree({
        "report.yaml": """\
            模板: work-report
            机关: 甲&乙<区>"人民"'政府'
            年度: 2023
            标题: 关于A&B<C>"D"'E'的报告
            主送机关: 区委&区人大<常委会>
            发文机关署名: 甲&乙<区>"人民"'政府'
            成文日期: 2024年1月9日
            附注: （此件公开发布&<>）
            印发机关: 甲&乙<区>办公室
            """,
        "departments/司法局.yaml": """\
            内容:
              - 章节: 正文
                标题: 标题&<>"'
                正文: |
                  第一行 A&B <tag> "双引号" 'single' 😀🇨🇳
                  第二行 </w:t></w:r> ]]> &amp; {x}
                子项:
                  - 标题: 子项<b>&"'
                    正文: 连排正文&<>
              - 章节: 正文
                标题: 控制字符
                正文: "前\\x07中\\x01后\\x1f完"
              - 章节: 正文
                标题: 列表正文
                正文:
                  - "一段 & <两段>"
                  - "多行\\n拆开"
            """,
    })
    result = build_report(root, root.parent / "out")
    assert result.output is not None, [i.text() for i in result.report.issues]
    return open_docx(result.output)


def test_every_xml_part_parses(built):
    with zipfile.ZipFile(built.path) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))


def test_body_text_reads_back_exactly(built):
    # strip(): layout may indent a line with a full-width space (the 版记's 1 字 inset)
    assert [t.strip() for t in built.texts()] == [
        '关于A&B<C>"D"\'E\'的报告',
        "区委&区人大<常委会>：",
        '一、标题&<>"\'',
        "第一行 A&B <tag> \"双引号\" 'single' 😀🇨🇳",
        "第二行 </w:t></w:r> ]]> &amp; {x}",
        "（一）子项<b>&\"'。连排正文&<>",
        "二、控制字符",
        "前中后完",
        "三、列表正文",
        "一段 & <两段>",
        "多行",
        "拆开",
        '甲&乙<区>"人民"\'政府\'',
        "2024年1月9日",
        "（此件公开发布&<>）",
        "甲&乙<区>办公室\t2024年1月9日印发",
    ]


def test_newlines_in_text_become_separate_paragraphs(built):
    styled = built.styled()
    first = [t for s, t in styled].index("第一行 A&B <tag> \"双引号\" 'single' 😀🇨🇳")
    assert styled[first + 1][0] == styled[first][0] == "Normal"
    assert not any("\n" in p.text for p in built.paragraphs())


def test_document_title_property_is_not_escaped_twice(built):
    assert built.doc.core_properties.title == '关于A&B<C>"D"\'E\'的报告'


def test_output_file_name_is_safe(built):
    assert built.path.suffix == ".docx"
    assert not set('<>:"/\\|?*') & set(built.path.name)
