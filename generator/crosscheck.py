"""Checks across districts: paragraphs copied between districts, figures equal to last year's."""

from __future__ import annotations

import re
from typing import Any

from .issues import Issue, Location
from .messages_zh import issue

District = Any  # rollup.District (not imported: rollup imports this module)

#: Paragraphs shorter than this (characters, spaces removed) are not compared: stock
#: phrases such as 取得明显成效。 may well be the same everywhere.
MIN_CHARS = 40
#: A district is only suspected of last year's figures when it has at least this many.
MIN_FIGURES = 3


def cross_issues(districts: list[District]) -> list[Issue]:
    """Return the cross-district warnings of a roll-up."""
    return [*copied_paragraphs(districts), *same_as_last_year(districts)]


def copied_paragraphs(districts: list[District]) -> list[Issue]:
    """One warning per district that shares paragraphs with an earlier district: the first
    shared paragraph's two places and how many paragraphs are shared."""
    first_seen: dict[str, tuple[int, str, int | None]] = {}  # text → (district, file, line)
    out = []
    for index, district in enumerate(districts):
        shared: dict[int, list[tuple[str, int | None, str, int | None]]] = {}
        mine: set[str] = set()
        for text, file, line in district.paragraphs:
            key = re.sub(r"\s+", "", text)
            if len(key) < MIN_CHARS or key in mine:
                continue
            mine.add(key)
            seen = first_seen.setdefault(key, (index, file, line))
            if seen[0] != index:
                shared.setdefault(seen[0], []).append((file, line, seen[1], seen[2]))
        for other, places in shared.items():
            file, line, their_file, their_line = places[0]
            theirs = districts[other]
            where = Location(file=f"{theirs.folder}/{their_file}", line=their_line).describe()
            out.append(issue("district_paragraph_copied",
                             Location(file=f"{district.folder}/{file}", line=line),
                             region=district.region, other=theirs.region, where=where,
                             count=len(places)))
    return out


def same_as_last_year(districts: list[District]) -> list[Issue]:
    """Warn about a district whose every figure equals last year's."""
    out = []
    for district in districts:
        common = [k for k in district.figures if k in district.last_year]
        if len(common) < MIN_FIGURES:
            continue
        if all(float(district.figures[k][0]) == district.last_year[k] for k in common):
            out.append(issue("district_same_as_last_year",
                             Location(file=f"{district.folder}/report.yaml"),
                             region=district.region, count=len(common)))
    return out
