"""The glossary of official terms (generator/data/glossary.txt) and its near-miss check:
size and sources, no finding on any term written right, and the share of made-up slips
(one character missing, extra, doubled, two swapped) of sampled terms that it finds."""

from __future__ import annotations

import random

import pytest

from generator.proof import glossary
from generator.proof.paragraph import check_paragraph

#: Characters to insert for the "extra" slips (common, none a function word).
_HAN = "国人中大上地生产工学经发成部动法行方业本理政机制化管民体合社务进关决策建设执监督审核规划"


def test_glossary_has_thousands_of_terms_each_group_with_a_source() -> None:
    terms = glossary.terms()
    assert len(terms) >= 2000
    assert sum(len(t) >= glossary.MIN_TERM for t in terms) >= 2000
    for group in glossary.groups():
        assert group.terms, group.name
        assert len(group.source) >= 6, group.name  # every group names where its titles are
    assert "中华人民共和国行政处罚法" in terms and "行政处罚法" in terms  # the 全称= prefix
    assert "法治政府建设实施纲要" in terms


def test_parse_reads_groups_sources_and_full_names() -> None:
    text = "# comment\n## 法律 | 来源甲 | 全称=中华人民共和国\n行政复议法 监察法\n# note\n## 提法 | 来源乙\n放管服\n"
    groups = glossary.parse(text)
    assert [(g.name, g.source) for g in groups] == [("法律", "来源甲"), ("提法", "来源乙")]
    assert groups[0].terms == ("行政复议法", "监察法", "中华人民共和国行政复议法", "中华人民共和国监察法")
    assert groups[1].terms == ("放管服",)


def test_no_term_written_right_is_flagged() -> None:
    terms = list(glossary.terms())
    for term in terms:
        assert list(glossary.near_misses(f"依据《{term}》，{term}、{term}。")) == [], term
    assert list(glossary.near_misses("、".join(terms))) == []


@pytest.mark.parametrize(("text", "term"), [
    ("认真贯彻《中华人民共和国行政处法》", "中华人民共和国行政处罚法"),  # missing
    ("落实《优化营商环境环境条例》", None),  # two characters doubled: not a one-character slip
    ("落实《优化营商营商环境条例》", None),
    ("落实《优化营商环境条条例》", "优化营商环境条例"),  # doubled
    ("学习《重大行政决策程序暂行例条》", "重大行政决策程序暂行条例"),  # swapped
    ("学习《重大行政决策程序新暂行条例》", "重大行政决策程序暂行条例"),  # extra
    ("推进法治政府建设示范创建工作", None),
    ("全面依法治国中的战略地位", None),  # 法治国中 overlaps 依法治国: no 法治中国 swapped
    ("行政争议实质化解", None),  # 性 left out is style
    ("持续深化“放管服”改革", None),
])
def test_near_misses(text: str, term: str | None) -> None:
    found = [t for _, _, t in glossary.near_misses(text)]
    assert found == ([term] if term else []), found


def test_paragraph_rule_reports_the_slip_with_its_fix() -> None:
    [finding] = check_paragraph("严格执行《行政机关公务员处分例》。", {"term_near_miss"})
    assert (finding.snippet, finding.fix, finding.start) == ("行政机关公务员处分例", "行政机关公务员处分条例", 5)


def test_made_up_slips_of_sampled_terms_are_found() -> None:
    """Recall on slips made from 400 sampled terms, per kind (seeded)."""
    rng = random.Random(20261126)
    terms = [t for t in glossary.terms() if len(t) >= 6]
    counts = {kind: [0, 0] for kind in ("missing", "extra", "doubled", "swapped")}
    for term in rng.sample(terms, 400):
        i = rng.randrange(2, len(term) - 2)
        if term[i] in glossary.FUNCTION_CHARS or term[i] == term[i + 1]:
            continue
        slips = {"missing": term[:i] + term[i + 1:],
                 "extra": term[:i] + rng.choice(_HAN) + term[i:],
                 "doubled": term[:i + 1] + term[i] + term[i + 1:],
                 "swapped": term[:i] + term[i + 1] + term[i] + term[i + 2:]}
        for kind, slip in slips.items():
            counts[kind][1] += 1
            counts[kind][0] += bool(list(glossary.near_misses(f"全年认真贯彻落实《{slip}》，成效明显。")))
    recall = {kind: found / total for kind, (found, total) in counts.items()}
    print(recall)
    assert min(recall["missing"], recall["doubled"], recall["swapped"]) >= 0.95, recall
    assert recall["extra"] >= 0.75, recall
