"""Report-level rules: empty and duplicate headings, the report year against 成文日期 and the
years quoted in headings (R9, R10), and the reporting and publication deadlines (W4, W5).

What is type-specific comes from the report type (`prepared.template`): which sections
speak of the next year (章节 下一年度: true) and which deadlines apply (时限)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterator

from ..formatting import format_date
from ..issues import Issue
from ..messages_zh import issue
from .narrative import Text, narrative, walk

if TYPE_CHECKING:
    from ..prepared import Ready
    from ..report_type import ReportType

#: Outside the sections that speak of the next year (章节 下一年度: true, spec §14 R10), a
#: heading with one of these words may also name the next year.
PLAN_WORDS = re.compile("安排|打算|计划|思路|展望|谋划|下一步|下步")
_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})(?=\s*年)(?!\s*年?\s*[\-—–~～至到])")
_BOOK_TITLE = re.compile(r"《[^》]*》")


def section_empty(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``section_empty`` for a required section whose items carry no text at all."""
    for section in prepared.outline.sections:
        spec = section.spec
        if spec.required and section.nodes and not _has_text(section.nodes):
            basis = spec.basis or f"模板「{prepared.template.name}」要求包含此项"
            yield issue("section_empty", section.nodes[0].loc("章节"),
                        title=spec.item or spec.key, basis=basis)


def _has_text(nodes) -> bool:
    return any(node.item.text for node in walk(nodes))


def heading_empty(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``heading_empty`` for a placed heading with neither text nor children."""
    for section in prepared.outline.sections:
        if section.spec.required and not _has_text(section.nodes):
            continue  # reported as section_empty
        for node in walk(section.nodes):
            item = node.item
            if item.heading and not item.text and not node.children:
                yield issue("heading_empty", node.loc("标题"), heading=item.heading)


def heading_duplicate(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``heading_duplicate`` for the second of two headings with the same words."""
    seen: dict[str, str] = {}
    for section in prepared.outline.sections:
        if section.show_heading and section.nodes:
            seen.setdefault(_key(section.title), f"章节「{section.spec.key}」")
    first: dict[str, Text] = {}  # described only when a duplicate is found
    for text in narrative(prepared):
        if not text.heading or text.file == "report.yaml":
            continue
        key = _key(text.text)
        if key in seen or key in first:
            other = seen.get(key) or first[key].loc.describe()
            yield issue("heading_duplicate", text.loc, heading=text.text, other=other)
        else:
            first[key] = text


_SEPARATORS = re.compile(r"[\s。．.，,；;：:！!]+")


def _key(heading: str) -> str:
    return _SEPARATORS.sub("", heading)


def _year_known(prepared: "Ready") -> bool:
    """Return False when report.yaml was salvaged: 年度 may then be a stand-in value."""
    return not prepared.workspace.partial


def year_date(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``year_date_mismatch`` (R9) when 成文日期 is not in the year after 年度."""
    config = prepared.config
    if _year_known(prepared) and config.date and config.date.year != config.year + 1:
        yield issue("year_date_mismatch", prepared.workspace.config_loc("成文日期"),
                    year=config.year, date=format_date(config.date), expected=config.year + 1)


def heading_years(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``heading_year_mismatch`` (R10) for a year in the title or a heading that is
    not the report year (the next year in the 主要安排 section)."""
    ws, year = prepared.workspace, prepared.config.year
    if not _year_known(prepared):
        return
    next_year_sections = prepared.template.next_year_sections
    if not prepared.config.title:
        for line in prepared.outline.title_lines:
            yield from _years("标题", line, {year}, ws.config_loc("标题"))
    for section in prepared.outline.sections:
        if section.show_heading and (section.nodes or section.spec.required):
            allowed = {year + 1} if section.spec.key in next_year_sections else {year}
            yield from _years("章节标题", section.title, allowed,
                              ws.config_loc("章节", section.spec.key, "标题"))
    for text in narrative(prepared):
        if not text.heading or text.section is not None and text.file == "report.yaml":
            continue
        if text.section in next_year_sections:
            allowed = {year + 1}
        else:
            allowed = {year, year + 1} if PLAN_WORDS.search(text.text) else {year}
        yield from _years("标题", text.text, allowed, text.loc)


def _years(what: str, text: str, allowed: set[int], loc) -> Iterator[Issue]:
    if "年" not in text:  # every year `_YEAR` finds is followed by 年
        return
    for match in _YEAR.finditer(_BOOK_TITLE.sub("", text)):
        found = int(match.group(1))
        if found not in allowed:
            expected = "或".join(str(y) for y in sorted(allowed))
            yield issue("heading_year_mismatch", loc, what=what, text=text, found=found,
                        expected=expected)
            return


def deadline(organ: str, year: int, report_type: "ReportType | None" = None
             ) -> tuple[dt.date, str]:
    """Return the reporting deadline for ``organ``'s report on ``year`` and who it binds
    (by ``report_type``'s 时限, default: the default report type's)."""
    from ..report_type import default_report_type

    found = (report_type or default_report_type()).reporting_deadline(organ, year)
    if found is None:
        raise ValueError("this report type has no reporting deadline")
    return found[0], found[1]


def date_after_deadline(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``date_after_deadline`` (W4) when 成文日期 is after the reporting deadline of
    the report type (none: not checked)."""
    config = prepared.config
    if config.date is None or not _year_known(prepared):
        return
    found = prepared.template.reporting_deadline(config.organ, config.year)
    if found is not None and config.date > found[0]:
        limit, level, basis = found
        yield issue("date_after_deadline", prepared.workspace.config_loc("成文日期"),
                    date=format_date(config.date), deadline=format_date(limit), level=level,
                    basis=basis or prepared.template.manifest.name)


def published_late(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``published_late`` (W5) when 印发日期 is after the publication deadline of the
    report type (none: not checked)."""
    config = prepared.config
    found = prepared.template.publication_deadline(config.year, config.organ or "")
    if found is None:
        return
    limit, basis = found
    if config.imprint_date and config.imprint_date > limit and _year_known(prepared):
        yield issue("published_late", prepared.workspace.config_loc("印发日期"),
                    date=format_date(config.imprint_date), deadline=format_date(limit),
                    basis=basis)


REPORT_RULES = (section_empty, heading_empty, heading_duplicate, year_date, heading_years,
                date_after_deadline, published_late)
