"""The data examples validate cleanly and rebuild their seed reports (issue #2 acceptance)."""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path

from generator.numbering import chinese_numeral

REPO = Path(__file__).resolve().parents[1]
SEED_OF = {"funing-2023": "001", "zichuan-2024": "004", "shanhaiguan-2020": "000"}
TEMPLATE_OF = {"funing-2023": "fazhi-annual", "zichuan-2024": "fazhi-annual",
               "shanhaiguan-2020": "work-report"}
ASCII_TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；",
                               "!": "！", "?": "？"})
MIN_SIMILARITY = 0.97

LEVEL1 = re.compile(r"^([一二三四五六七八九十]+)、")
LEVEL2 = re.compile(r"^（([一二三四五六七八九十]+)）")


def seed_text(example: str) -> str:
    (path,) = shared_path("seeds").glob(f"{SEED_OF[example]}_*.txt")
    return path.read_text(encoding="utf-8")


def normalise_seed(text: str) -> str:
    """Seed: drop the web metadata table, ASCII punctuation → full width, no whitespace."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    return re.sub(r"\s+", "", "\n".join(lines).translate(ASCII_TO_FULL))


def normalise_docx(texts: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(texts).translate(ASCII_TO_FULL))


def _number(numeral: str) -> int:
    return {chinese_numeral(n): n for n in range(1, 100)}[numeral]


@pytest.mark.parametrize("example", SEED_OF)
def test_example_validates_ok(example):
    run = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(REPO / "data_examples" / example),
         "--json"], capture_output=True, text=True, encoding="utf-8", timeout=120)
    result = json.loads(run.stdout)
    assert run.returncode == 0, result
    assert result["ok"] is True and result["errors"] == 0
    assert [i for i in result["issues"] if i["severity"] == "error"] == []


@pytest.mark.parametrize("example", SEED_OF)
def test_example_uses_its_template(example):
    from generator.api import prepare

    assert prepare(REPO / "data_examples" / example).template.name == TEMPLATE_OF[example]


@pytest.mark.parametrize("example", SEED_OF)
def test_built_text_matches_the_seed(example, example_docx, open_docx):
    seed = normalise_seed(seed_text(example))
    built = normalise_docx(open_docx(example_docx(example)).texts())
    ratio = difflib.SequenceMatcher(None, seed, built, autojunk=False).ratio()
    assert ratio >= MIN_SIMILARITY, f"{example}: similarity {ratio:.4f}"


@pytest.mark.parametrize("example", SEED_OF)
def test_built_paragraphs_follow_the_seed_paragraphs(example, example_docx, open_docx):
    """Paragraph for paragraph: the heading lines of the seed appear, in order, in the DOCX."""
    seed_lines = [re.sub(r"\s+", "", line.translate(ASCII_TO_FULL))
                  for line in seed_text(example).splitlines()
                  if line.strip() and not line.lstrip().startswith("|")]
    built = [re.sub(r"\s+", "", t.translate(ASCII_TO_FULL))
             for t in open_docx(example_docx(example)).texts()]
    seed_heads = [line for line in seed_lines if LEVEL1.match(line)]
    built_heads = [line for line in built if LEVEL1.match(line)]
    assert len(built_heads) == len(seed_heads)
    for ours, theirs in zip(built_heads, seed_heads):
        assert difflib.SequenceMatcher(None, ours, theirs).ratio() >= 0.9, (ours, theirs)


@pytest.mark.parametrize("example", SEED_OF)
def test_level_one_headings_read_in_order(example, example_docx, open_docx):
    view = open_docx(example_docx(example))
    heads = [p.text for p in view.paragraphs() if p.style.style_id == "GwH1"]
    numbers = [_number(LEVEL1.match(text).group(1)) for text in heads]
    assert numbers == list(range(1, len(heads) + 1))
    assert len(heads) >= 4


def _level_two(view) -> list[tuple[int, int]]:
    """Return (level-1 number it falls under, its own number) for every level-2 heading."""
    out, parent = [], 0
    for paragraph in view.paragraphs():
        if paragraph.style.style_id == "GwH1":
            parent = _number(LEVEL1.match(paragraph.text).group(1))
        match = LEVEL2.match(paragraph.text)
        if match:
            out.append((parent, _number(match.group(1))))
    return out


def test_funing_level_two_runs_continuously_to_eighteen(example_docx, open_docx):
    seconds = _level_two(open_docx(example_docx("funing-2023")))
    assert [n for _, n in seconds] == list(range(1, 19))
    assert sorted({parent for parent, _ in seconds}) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("example", ["zichuan-2024", "shanhaiguan-2020"])
def test_other_examples_restart_level_two_under_each_level_one(example, example_docx,
                                                               open_docx):
    seconds = _level_two(open_docx(example_docx(example)))
    assert seconds
    by_parent: dict[int, list[int]] = {}
    for parent, n in seconds:
        by_parent.setdefault(parent, []).append(n)
    for numbers in by_parent.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_funing_closing_lines(example_docx, open_docx):
    texts = [t.strip() for t in open_docx(example_docx("funing-2023")).texts()]
    assert texts[-3:] == ["秦皇岛市抚宁区人民政府", "2024年1月9日",
                          "秦皇岛市抚宁区人民政府办公室\t2024年1月9日印发"]


def test_funing_figures_come_from_metrics():
    """The prose references the metrics named in the issue instead of typing the figures."""
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in (REPO / "data_examples" / "funing-2023").rglob("*.yaml"))
    for reference in ("法律援助.受理案件", "行政复议.受理", "行政复议.审结", "行政执法.人均培训学时"):
        assert re.search(r"\{\{\s*" + re.escape(reference) + r"\s*(\||\}\})", text), reference
