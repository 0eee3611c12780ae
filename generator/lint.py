"""``nianbao lint``: proofread existing reports (.docx, .txt, .md; .doc/.wps through
LibreOffice) with the rules ``validate`` runs on narrative data, plus the document rules
(numbering, repeated paragraphs, required items)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from .formatting import normalise_punctuation
from .issues import Issue, Location, Report
from .messages_zh import issue
from .proof.document import check_document, heading_of
from .proof.finding import Finding
from .proof.paragraph import check_paragraph
from .proof.reader import Paragraph, ReadProblem, read_paragraphs
from .proof.required import missing_items

__all__ = ["lint_files", "lint_paragraphs", "ReadProblem"]


def lint_files(paths: Iterable[Path], template: str | None = None) -> Report:
    """Return the issues of every file; ``template`` adds the required-items check.

    Raises `ReadProblem` (Chinese message) for a file that cannot be read, and
    ValueError for an unknown template.
    """
    tpl = _template(template) if template else None
    report = Report()
    for path in paths:
        path = Path(path)
        report.add(lint_paragraphs(read_paragraphs(path), str(path), tpl))
    return report


def _template(name: str):
    from .templates import find_template

    found, problems = find_template(name, loc=Location(path="--template"))
    if found is None:
        raise ValueError(problems[0].message if problems else name)
    return found


def lint_paragraphs(paras: list[Paragraph], file: str | None = None, template=None,
                    store_folded: bool = False) -> list[Issue]:
    """Return the issues of one report given as paragraphs.

    ``store_folded``: the text went through a store that folded full-width ，（）：；
    to ASCII (the shared corpus); fold them back before checking.
    """
    if store_folded:
        paras = [replace(p, text=normalise_punctuation(p.text)) for p in paras]
    found: list[tuple[int, Finding]] = []
    for index, para in enumerate(paras):
        for finding in check_paragraph(para.text):
            if para.truncated and finding.code == "unbalanced_brackets" and \
                    "没有对应的「" in finding.ctx.get("detail", "") and finding.snippet in "《“（(【":
                continue  # the page cut the paragraph short: its closing mark is lost
            found.append((index, finding))
    found.extend(check_document(paras))
    found.sort(key=lambda item: (item[0], item[1].start))
    out = [_issue(f, paras[i], file) for i, f in found]
    if template is not None:
        heads = [heading_of(p.text) for p in paras]
        for item in missing_items(paras, heads, template):
            out.append(issue("required_item_missing", Location(file=file),
                             item=item.name, basis=item.basis))
    return out


def _issue(finding: Finding, para: Paragraph, file: str | None) -> Issue:
    found = issue(finding.code, Location(file=file, line=para.line, column=finding.start + 1),
                  **finding.ctx)
    return replace(found, snippet=finding.snippet, fix=finding.fix)
