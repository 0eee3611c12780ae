"""Document metadata: title = the report title, author and last editor = 机关, created and
modified = the build time; never a tool's name as author (docProps/core.xml)."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone

import docx
from conftest import REPO

TOOLS = ("nianbao", "python-docx", "docxtpl")


def test_built_report_carries_title_organ_and_build_time(make_tree):
    from generator.api import build_report

    root = make_tree({
        "report.yaml": "模板: work-report\n机关: 某区人民政府\n年度: 2023\n"
                       "发文机关署名: 某区人民政府\n成文日期: 2024-01-09\n",
        "departments/a.yaml": "内容:\n  - 章节: 正文\n    正文: 正文段落。\n",
    })
    before = datetime.now(timezone.utc).replace(microsecond=0)
    output = build_report(root, root.parent / "out").output
    after = datetime.now(timezone.utc) + timedelta(seconds=1)
    props = docx.Document(str(output)).core_properties
    assert props.title == "某区人民政府2023年工作情况报告"
    assert props.author == props.last_modified_by == "某区人民政府"
    for stamp in (props.created, props.modified):
        assert before <= stamp.replace(tzinfo=timezone.utc) <= after
    core = zipfile.ZipFile(output).read("docProps/core.xml").decode()
    assert "2024-01-01" not in core and not any(tool in core for tool in TOOLS)
    assert "<dc:language>zh-CN</dc:language>" in core


def test_template_names_no_author():
    for name in ("fazhi-annual", "work-report"):
        package = zipfile.ZipFile(REPO / "templates" / name / "template.docx")
        core = package.read("docProps/core.xml").decode()
        assert "<dc:creator></dc:creator>" in core and not any(tool in core for tool in TOOLS)
        props = docx.Document(str(REPO / "templates" / name / "template.docx")).core_properties
        assert props.author == "" and props.last_modified_by == ""
