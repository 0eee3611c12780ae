"""How well the proofreader does on real reports: recall per class over the defects
annotated by hand in tests/proof_annotations.yaml, and false alarms per report over the
same reports plus clean text written for the purpose (tests/proof/).

The reports are read from ../shared/ by path (never copied into the repository). The
shared corpus went through a text store that folded full-width ，（）：； to ASCII, so
those are folded back first (`store_folded`), and each excerpt's last line, cut in the
middle by the store, counts as truncated.

Run with ``-s`` to see the table.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import shared_path

from generator.formatting import normalise_punctuation
from generator.lint import lint_paragraphs
from generator.proof.reader import read_paragraphs

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "proof_annotations.yaml"
CLEAN = sorted((HERE / "proof").glob("*.txt"))

CLASS = {
    "blank_figure": "blank", "placeholder": "placeholder",
    "malformed_date": "date", "date_range_mixed": "date", "date_after_signing": "date",
    "report_year_mismatch": "date",
    "number_format": "number", "fullwidth_digits": "number",
    "spaced_digits": "punctuation", "cjk_space": "punctuation", "doubled_punctuation": "punctuation",
    "ascii_quotes": "punctuation", "enumeration_comma": "punctuation",
    "missing_clause_punct": "punctuation", "unbalanced_brackets": "punctuation",
    "missing_end_punct": "punctuation", "ascii_punctuation": "punctuation",
    "ascii_punctuation_file": "punctuation",
    "repeated_text": "repeated", "repeated_sentence": "repeated", "repeated_paragraph": "repeated",
    "typo_confusion": "typo", "term_near_miss": "typo", "digit_ge_typo": "typo",
    "numbering_sequence": "numbering", "numbering_malformed": "numbering",
    "numbering_mixed": "numbering", "numbering_runon": "numbering", "numbering_level": "numbering",
    "required_item_missing": "required",
}

#: The thresholds this commit holds to (the issue's targets: 0.90 / 0.75 / 0.5), at what
#: the rules achieve: all reports, and the held-out excerpts alone.
MIN_ERROR_RECALL = 0.90
MIN_WARNING_RECALL = 0.80
MAX_FALSE_ALARMS_PER_REPORT = 0.5
MIN_HELD_OUT_WARNING_RECALL = 0.55


#: The split, by file. Tuning: excerpts 01–29 and the seeds — rules were written from
#: their defects. Held out: excerpts 30–45 — no rule was written from a defect found
#: there; five of their annotations (marked "session 3" in the YAML) were added by
#: reading those excerpts after the rules of that session were written, and none of the
#: five is found: the held-out recall is what the rules do on defects nobody tuned them
#: to, and it is well below the tuning part's. Each part's recall is
#: printed on its own (run with -s).
def held_out(name: str) -> bool:
    return name[:2].isdigit() and int(name[:2]) >= 30


def _reports() -> list[tuple[str, Path, bool]]:
    corpus = shared_path("corpus", "fazhi")
    seeds = shared_path("seeds")
    out = [(p.name, p, True) for p in sorted(corpus.glob("[0-9]*.txt"))]
    out += [(p.name, p, False) for p in sorted(seeds.glob("*.txt"))]
    return out


def _issues(path: Path, excerpt: bool, folded: bool):
    paras = read_paragraphs(path)
    if excerpt and paras:
        paras[-1] = replace(paras[-1], truncated=True)
    return [i for i in lint_paragraphs(paras, path.name, store_folded=folded)
            if i.severity in ("error", "warning")]


@pytest.fixture(scope="module")
def measured():
    notes = yaml.safe_load(ANNOTATIONS.read_text(encoding="utf-8"))
    reports = _reports()
    by_name = {name: path for name, path, _ in reports}
    for note in notes:  # each annotation points at real text
        assert len(note["quote"]) <= 20, note
        lines = by_name[note["file"]].read_text(encoding="utf-8").splitlines()
        assert note["quote"] in lines[note["line"] - 1], note
    found: dict[str, list] = {name: _issues(path, excerpt, True) for name, path, excerpt in reports}
    for path in CLEAN:
        found[path.name] = _issues(path, False, False)
    notes_by_part = {"tuning": [n for n in notes if not held_out(n["file"])],
                     "held-out": [n for n in notes if held_out(n["file"])]}
    hits: Counter = Counter()
    totals: Counter = Counter()
    parts = {part: (Counter(), Counter()) for part in notes_by_part}
    unmatched = {name: list(issues) for name, issues in found.items()}
    for part, part_notes in notes_by_part.items():
        part_totals, part_hits = parts[part]
        for note in part_notes:
            key = (note["class"], note["severity"])
            totals[key] += 1
            part_totals[key] += 1
            span = _quote_span(by_name, note)
            for issue in unmatched.get(note["file"], []):
                if issue.loc.line == note["line"] and CLASS[issue.code] == note["class"] \
                        and _within(issue.loc.column, len(issue.snippet or ""), span):
                    unmatched[note["file"]].remove(issue)
                    hits[key] += 1
                    part_hits[key] += 1
                    break
    false_alarms = [i for issues in unmatched.values() for i in issues]
    tables = {}
    for part, (part_totals, part_hits) in parts.items():
        in_part = [name for name in found if held_out(name) == (part == "held-out")]
        alarms = [i for i in false_alarms if i.loc.file in in_part]
        tables[part] = (part_totals, part_hits, alarms, len(in_part))
    return totals, hits, false_alarms, len(found), tables


def _quote_span(by_name: dict, note: dict) -> list[tuple[int, int]] | None:
    """Return the 0-based spans of the annotation's quote (every occurrence: a repeat is
    quoted once) in the paragraph as linted (indent stripped; the store-folded marks are
    restored one for one), or None if unsure."""
    line = by_name[note["file"]].read_text(encoding="utf-8").splitlines()[note["line"] - 1]
    raw = line.strip().strip("\u3000\u00a0")
    if len(normalise_punctuation(raw)) != len(raw):
        return None
    quote = note["quote"]
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), raw)]


def _within(column: int | None, length: int, spans: list[tuple[int, int]] | None,
            slack: int = 3) -> bool:
    """An issue matches an annotation when its snippet overlaps the quote (or touches it)."""
    if column is None or spans is None:
        return True
    return any(column - 1 <= end + slack and column - 1 + length >= start - slack
               for start, end in spans)


def _table(totals: Counter, hits: Counter, false_alarms: list, reports: int) -> str:
    rows = ["class        severity  annotated  found  recall"]
    for key in sorted(totals):
        rows.append(f"{key[0]:<12} {key[1]:<9} {totals[key]:>9}  {hits[key]:>5}  "
                    f"{hits[key] / totals[key]:>6.0%}")
    for severity in ("error", "warning"):
        t = sum(v for k, v in totals.items() if k[1] == severity)
        h = sum(v for k, v in hits.items() if k[1] == severity)
        rows.append(f"{'ALL':<12} {severity:<9} {t:>9}  {h:>5}  {h / t if t else 1:>6.0%}")
    rows.append(f"false alarms: {len(false_alarms)} over {reports} reports "
                f"= {len(false_alarms) / reports:.2f} per report")
    rows += [f"  FA {i.loc.file}:{i.loc.line}:{i.loc.column} {i.code} {i.snippet!r}"
             for i in false_alarms]
    return "\n".join(rows)


def _recall(totals: Counter, hits: Counter, severity: str) -> float:
    t = sum(v for k, v in totals.items() if k[1] == severity)
    return sum(v for k, v in hits.items() if k[1] == severity) / t if t else 1.0


def test_recall_and_false_alarms_on_real_reports(measured) -> None:
    totals, hits, false_alarms, reports, tables = measured
    print("\nALL REPORTS (corpus 01–45, seeds, clean text)\n" + _table(totals, hits, false_alarms, reports))
    print("TUNING (corpus 01–29, seeds, clean text)\n" + _table(*tables["tuning"]))
    print("HELD OUT (corpus 30–45)\n" + _table(*tables["held-out"]))
    assert _recall(totals, hits, "error") >= MIN_ERROR_RECALL
    assert _recall(totals, hits, "warning") >= MIN_WARNING_RECALL
    assert len(false_alarms) / reports <= MAX_FALSE_ALARMS_PER_REPORT
    held_totals, held_hits, held_alarms, held_reports = tables["held-out"]
    assert _recall(held_totals, held_hits, "warning") >= MIN_HELD_OUT_WARNING_RECALL
    assert len(held_alarms) / held_reports <= MAX_FALSE_ALARMS_PER_REPORT


def test_clean_text_raises_nothing() -> None:
    for path in CLEAN:
        assert _issues(path, False, False) == [], path
