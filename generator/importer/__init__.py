"""Import an existing report (.docx, .txt, .md) as a workspace, and read last year's
report as a source of figures for 同比."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .recognise import Line, Recognised, recognise

__all__ = ["ImportResult", "ImportError_", "import_report", "read_report", "report_figures"]


class ImportError_(Exception):
    """The report cannot be imported, or the workspace would overwrite a file (Chinese)."""


@dataclass
class ImportResult:
    """What `import_report` wrote and found."""

    workspace: Path
    files: list[Path] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)  # section key -> top-level items
    headings: int = 0
    figures: list[Any] = field(default_factory=list)  # figures.Candidate, in order
    linked: list[Any] = field(default_factory=list)  # the candidates replaced by references
    warnings: list[str] = field(default_factory=list)  # what needs a human look
    recognised: Recognised | None = None
    template: str = ""
    inferred: bool = False  # the template was chosen by the report's title


def read_report(path: Path) -> list[Line]:
    """Return the report's paragraphs (chrome left out), with DOCX heading-style levels."""
    from ..proof.reader import ReadProblem, paragraphs, read_lines

    try:
        lines = read_lines(path)
    except ReadProblem as exc:
        raise ImportError_(str(exc)) from None
    if path.suffix.lower() != ".docx":
        return [Line(p.text, p.line) for p in paragraphs(lines)]
    styles, count = _style_levels(path)
    return [Line(p.text, p.line, styles.get(p.line, 0)) for p in paragraphs(lines)
            if p.line <= count]  # the reader adds table rows after the body: not imported


def _style_levels(path: Path) -> tuple[dict[int, int], int]:
    """Return the heading level of each DOCX paragraph with a heading style (标题 1…),
    and how many body paragraphs there are."""
    from docx import Document

    out = {}
    body = Document(str(path)).paragraphs
    for number, para in enumerate(body, 1):
        name = para.style.name if para.style is not None else ""
        match = re.match(r"^(?:Heading|标题)\s*(\d)$", name or "")
        if match:
            out[number] = int(match.group(1))
    return out, len(body)


def _tables(path: Path) -> int:
    if path.suffix.lower() != ".docx":
        return 0
    from docx import Document

    return len(Document(str(path)).tables)


def _organ(rec: Recognised) -> str | None:
    candidates = [rec.signature or "", *(rec.title[:1]), rec.imprint_organ or ""]
    for text in candidates:
        match = re.match(r"^(.*?(?:人民政府|政府|局|委员会|厅|委|院|办公室))", text)
        if match and len(match.group(1)) <= 30:
            return match.group(1)
    lead = "".join(rec.lead[:1])
    match = re.search(r"([\u4e00-\u9fa5]{2,8}?(?:省|市|区|县|旗|州))(?:人民)?政府", lead)
    return match.group(1) + "人民政府" if match else None


def _year(rec: Recognised, given: int | None) -> int:
    if given:
        return given
    for text in [*rec.title, *rec.lead[:1]]:
        match = re.search(r"((?:19|20)\d{2})\s*年", text)
        if match:
            return int(match.group(1))
    if rec.date:
        return rec.date.year - 1
    return dt.date.today().year - 1


def import_report(source: Path | str, workspace: Path | str, template: str | None = None,
                  year: int | None = None, link_figures: bool = False) -> ImportResult:
    """Import the report ``source`` into a new workspace folder; never overwrites.

    Raises:
        ImportError_: unreadable source, unknown template, or files already there.
    """
    from ..outputs import save_atomic
    from ..report_type import load_report_type
    from . import figures as F
    from . import sections as S
    from . import tables as T
    from . import writer as W
    from .kind import choose_template

    source, root = Path(source), Path(workspace)
    if template is not None and load_report_type(template)[0] is None:
        raise ImportError_(f"找不到模板「{template}」")
    targets = [root / "report.yaml", root / W.DEPARTMENT_FILE]
    _never_overwrite(targets)
    if not source.is_file():
        raise ImportError_(f"找不到文件：{source}")
    rec = recognise(read_report(source))
    name, inferred = (template, False) if template else choose_template(rec)
    kind, _ = load_report_type(name)
    if kind is None:
        raise ImportError_(f"找不到模板「{name}」")
    result = ImportResult(root, recognised=rec, template=name, inferred=inferred)
    tables, values = _tables(source), None
    if kind.tables:
        values, result.warnings = T.read_back(source, kind.tables, tables)
    elif tables:
        result.warnings.append(f"原文有 {tables} 个表格，未导入；需要时请在 report.yaml 或部门文件中补充")
    if values is not None:
        targets.append(root / T.DATA_FILE)
        _never_overwrite(targets)
    specs = kind.sections
    order, warnings = S.assign(rec, specs)
    result.warnings[:0] = warnings
    covers = S.covers(rec, specs)
    for ln in rec.deep:
        result.warnings.append(f"第{ln}段的编号层级超过四级，按正文保留（编号未去掉）")
    organ = _organ(rec)
    if rec.title and not any(re.search(r"报告|情况|总结|工作", t) for t in rec.title):
        result.warnings.append(f"开头的「{''.join(rec.title)}」不像完整标题，已改用模板的标题；"
                               "请核对 report.yaml 的「标题」")
        rec.title = []
    if organ is None:
        organ = "（请填写机关名称）"
        result.warnings.append("未能识别机关名称：请在 report.yaml 中填写「机关」")
    nodes = list(rec.all_nodes())
    result.headings = sum(n.heading is not None or n.numbered for n in nodes)
    for node in rec.nodes:
        result.sections[node.section or ""] = result.sections.get(node.section or "", 0) + 1
    titles = S.table_headings(rec, specs)
    chosen: dict[str, F.Candidate] = {}
    texts: dict[int, list[str]] = {}
    for node in nodes:
        found = F.find_figures(node.text, kind.catalogue)
        result.figures += found
        use = []
        for cand in found:
            first = chosen.setdefault(cand.key, cand)
            if first.value == cand.value:
                use.append(cand)
            else:
                result.warnings.append(f"「{cand.key}」在正文中有两个数值（{first.value}、"
                                       f"{cand.value}），只取第一个：{cand.sentence[:30]}")
        if link_figures:
            linked = [c for c in use if c.linkable]
            result.linked += linked
            texts[id(node)] = [F.link(t, [c for c in linked if c.paragraph == i], W.protect)
                               for i, t in enumerate(node.text)]
        else:
            texts[id(node)] = [W.protect(t) for t in node.text]
    units = {k: kind.catalogue.metrics[k].unit if c.unit not in kind.catalogue.metrics[k].units
             else c.unit for k, c in chosen.items()}
    report_text = W.report_yaml(rec, template=name, organ=organ,
                                year=_year(rec, year), source=source.name, order=order,
                                keys=[s.key for s in specs], titles=titles)
    dept_text = W.department_yaml(rec, organ=organ, texts=texts, covers=covers,
                                  figures=chosen, units=units)
    texts_out = [report_text, dept_text]
    if values is not None:
        texts_out.append(T.tables_yaml(values, kind.tables, source.name))
    targets[1].parent.mkdir(parents=True, exist_ok=True)
    for target, text in zip(targets, texts_out):
        save_atomic(_writer(text), target)
        result.files.append(target)
    return result


def _never_overwrite(targets: list[Path]) -> None:
    taken = [str(t) for t in targets if t.exists()]
    if taken:
        raise ImportError_(f"已有文件，不会覆盖：{'、'.join(taken)}（请换一个工作区文件夹）")


def _writer(text: str):
    def write(temp: str) -> None:
        Path(temp).write_text(text, encoding="utf-8")
    return write


def report_figures(source: Path | str, catalogue: Any) -> tuple[int, list[Any]]:
    """Return the year of a report file and its metric candidates (`figures.Candidate`),
    in reading order."""
    from .figures import find_figures

    rec = recognise(read_report(Path(source)))
    paragraphs = [*rec.lead] + [t for n in rec.all_nodes() for t in n.text]
    return _year(rec, None), find_figures(paragraphs, catalogue)
