"""``nianbao lint``: proofread existing reports (.docx, .txt, .md; .doc/.wps through
LibreOffice) with the rules ``validate`` runs on narrative data, plus the document rules
(numbering, repeated paragraphs, required items)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from .formatting import _HALF_TO_FULL, normalise_punctuation
from .issues import Issue, Location, Report
from .messages_zh import issue
from .proof.document import check_document, heading_of
from .proof.finding import Finding
from .proof.paragraph import PARAGRAPH_RULES, ascii_marks, check_paragraph
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
    marks: list[tuple[int, Finding]] = []
    for index, para in enumerate(paras):
        marks.extend((index, f) for f in ascii_marks(para.text))
        for finding in check_paragraph(para.text, _CODES):
            if para.truncated and finding.code == "unbalanced_brackets" and \
                    "没有对应的「" in finding.ctx.get("detail", "") and finding.snippet in "《“（(【":
                continue  # the page cut the paragraph short: its closing mark is lost
            found.append((index, finding))
    found.extend(check_document(paras))
    found.sort(key=lambda item: (item[0], item[1].start))
    out = [_issue(f, paras[i], file) for i, f in found]
    if marks:
        out.append(_ascii_summary(marks, paras, file))
    if template is not None:
        heads = [heading_of(p.text) for p in paras]
        for item in missing_items(paras, heads, template):
            out.append(issue("required_item_missing", Location(file=file),
                             item=item.name, basis=item.basis))
    return out


#: ``validate`` reports the first half-width mark of each text as info, because the
#: output turns them full width. ``lint`` outputs nothing, so it says what to change, and
#: says it once per file (`_ascii_summary`): a text typed with a half-width input method
#: has such a mark in nearly every paragraph, and one issue per mark would bury the rest.
_CODES = set(PARAGRAPH_RULES) - {"ascii_punctuation"}


def _ascii_summary(marks: list[tuple[int, Finding]], paras: list[Paragraph],
                   file: str | None) -> Issue:
    """Return one ``ascii_punctuation_file`` issue for every half-width mark of a file,
    placed at the first one, counting them all."""
    index, first = marks[0]
    kinds = sorted({f.snippet for _, f in marks}, key=",;:?!()".index)
    lines = sorted({paras[i].line for i, _ in marks})
    where = "、".join(map(str, lines[:5])) + ("……" if len(lines) > 5 else "")
    found = issue("ascii_punctuation_file",
                  Location(file=file, line=paras[index].line, column=first.start + 1),
                  count=len(marks), nlines=len(lines), marks=" ".join(kinds),
                  fixes=" ".join(_HALF_TO_FULL[k] for k in kinds), lines=where,
                  match=first.ctx["match"])
    return replace(found, snippet=first.snippet, fix=first.fix)


def _issue(finding: Finding, para: Paragraph, file: str | None) -> Issue:
    found = issue(finding.code, Location(file=file, line=para.line, column=finding.start + 1),
                  **finding.ctx)
    return replace(found, snippet=finding.snippet, fix=finding.fix)
