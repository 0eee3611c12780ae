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

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import shared_path

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
    "ascii_quotes": "punctuation", "enumeration_comma": "punctuation", "unbalanced_brackets": "punctuation",
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
MIN_WARNING_RECALL = 0.85
MAX_FALSE_ALARMS_PER_REPORT = 0.5
MIN_HELD_OUT_WARNING_RECALL = 0.85

#: Excerpts 30–45 are held out: the rules for enumerations, report years and same-sound
#: slips (this branch) were written from the defects of excerpts 01–29 and the seeds;
#: their recall on 30–45 is printed and tested on its own.
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
    hits: Counter = Counter()
    totals: Counter = Counter()
    held_hits: Counter = Counter()
    held_totals: Counter = Counter()
    unmatched = {name: list(issues) for name, issues in found.items()}
    for note in notes:
        key = (note["class"], note["severity"])
        totals[key] += 1
        held_totals[key] += held_out(note["file"])
        for issue in unmatched.get(note["file"], []):
            if issue.loc.line == note["line"] and CLASS[issue.code] == note["class"]:
                unmatched[note["file"]].remove(issue)
                hits[key] += 1
                held_hits[key] += held_out(note["file"])
                break
    false_alarms = [i for issues in unmatched.values() for i in issues]
    held_alarms = [i for i in false_alarms if held_out(i.loc.file)]
    held = (+held_totals, +held_hits, held_alarms, sum(map(held_out, found)))
    return totals, hits, false_alarms, len(found), held


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
    totals, hits, false_alarms, reports, held = measured
    print("\nALL REPORTS (corpus 01–45, seeds, clean text)\n" + _table(totals, hits, false_alarms, reports))
    print("HELD OUT (corpus 30–45)\n" + _table(*held))
    assert _recall(totals, hits, "error") >= MIN_ERROR_RECALL
    assert _recall(totals, hits, "warning") >= MIN_WARNING_RECALL
    assert len(false_alarms) / reports <= MAX_FALSE_ALARMS_PER_REPORT
    held_totals, held_hits, held_alarms, held_reports = held
    assert _recall(held_totals, held_hits, "warning") >= MIN_HELD_OUT_WARNING_RECALL
    assert len(held_alarms) / held_reports <= MAX_FALSE_ALARMS_PER_REPORT


def test_clean_text_raises_nothing() -> None:
    for path in CLEAN:
        assert _issues(path, False, False) == [], path
