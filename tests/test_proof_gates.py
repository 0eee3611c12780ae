"""The proofreader's shortcuts find what the rules find: a rule whose gate (`GATES`)
says no finds nothing, the fast forms of patterns match where the patterns do, and the
glossary's pair codes are the text's pairs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import shared_path

from generator.proof import glossary, paragraph
from generator.proof.reader import read_paragraphs

#: Pieces that trigger the rules, put together at random (seeded): every gate meets
#: texts it lets through and texts it stops, in every combination of marks and units.
_PIECES = """共计 合计 累计 达到 约为 共有 分别为 增至 约 共 计 达 为 由 调整 提高 下降 缩短 万元 亿元 万人次
人次 场次 户次 件次 学时 % ％ 件 个 次 人 场 项 家 名 户 起 份 条 所 台 处 宗 篇 元 ， 。 ； 、 ：
） （ , ; : ) ( ！ ？ 《 》 “ ” 【 】 " ' 等 性 化 率 比例 占比 同比 是 105 12 3 2023 2021 年 月 日
— - ～ 至 到 １２ ０ 十 百 千 个百分点 每 近 和 及 按 零 一 二 三 两 几 多 数 办理 开展 培训 发放 XX
×× 某某 待补充 的 了 在 法治政府建设 行政执法 推进 工作 规范化 制度化 专业性 行业性 调解 如下 报告
现将 各 一是 二是 三是 在疫情期间 的的 进一步 按照按 取得明显成效 法治宣传 法治审核 1.5 .
3千 20205月 2月30日 截止 其它 反应 布署 权利 年来 \u3000""".split() + [" "]


def _texts() -> list[str]:
    rng = random.Random(20261126)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    texts += ["推进行业性，专业性调解组织建设。", "将法治宣传，法治审核等作为重点。", "媒体宣传报道7次被省政府推介。",
              "一是加强领导；三是完善制度。", "《人民日报》新华社、央视等予以报道。"]
    for path in sorted((Path(__file__).parent / "proof").glob("*.txt")):
        texts += [p.text for p in read_paragraphs(path)]
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("code", sorted(paragraph.GATES))
def test_a_rule_stopped_by_its_gate_finds_nothing(code: str) -> None:
    gate, rule = paragraph.GATES[code], paragraph.PARAGRAPH_RULES[code]
    stopped = [t for t in TEXTS if not gate(t)]
    assert 100 < len(stopped) < len(TEXTS), code  # the gate decides something here
    assert [t for t in stopped if list(rule(t))] == [], code
    assert any(list(rule(t)) for t in TEXTS), code  # and the rule finds things


def test_gates_on_the_seeds_and_the_corpus() -> None:
    for folder in (shared_path("seeds"), shared_path("corpus", "fazhi")):
        for path in sorted(folder.glob("*.txt")):
            for para in read_paragraphs(path):
                for code, gate in paragraph.GATES.items():
                    if not gate(para.text):
                        assert list(paragraph.PARAGRAPH_RULES[code](para.text)) == [], (code, para)


def test_fast_patterns_match_where_the_patterns_do() -> None:
    found = 0
    for text in TEXTS:
        spans = [m.span() for m in paragraph._BARE_UNIT.finditer(text)]
        assert [m.span() for m in paragraph._bare_units(text)] == spans, text
        found += len(spans)
        for gate, pattern in ((paragraph._ANY_BLANK, paragraph._BLANK),
                              (paragraph._ANY_RATE, paragraph._RATE),
                              (paragraph._ANY_DOUBLED, paragraph._DOUBLED),
                              (paragraph._YEAR_DASH, paragraph._RANGE_HALF),
                              (paragraph._YEAR_DIGIT, paragraph._FULL_DATE)):
            assert gate.search(text) or not pattern.search(text), (pattern, text)
    assert found > 50


def test_pair_codes_are_the_pairs_of_the_text() -> None:
    for text in ["", "a", "法治", "法治政府建设\ud800𠀀x", *TEXTS[:300]]:
        codes = glossary.pair_codes(text)
        assert codes == glossary._codes([text[k:k + 2] for k in range(len(text) - 1)]), text
        assert len(set(codes)) == len({text[k:k + 2] for k in range(len(text) - 1)})


def test_index_tables_match_the_terms() -> None:
    idx = glossary.index()
    assert idx.starts == {s for t in idx.terms for s in glossary.starts_of(t)}
    variant = "中华人民共和国行政处法"  # 罚 left out
    near, by_four = idx.near.get(variant[:3]) or idx.near_start(variant[:3])
    assert near[variant] == "中华人民共和国行政处罚法" and len(variant) in by_four[variant[:4]]
    plan = idx.plan("行政")
    assert plan.extra_lengths == tuple(sorted(
        {len(t) for t in idx.terms if t.startswith("行政") and len(t) >= glossary.MIN_TERM_EXTRA},
        reverse=True))
