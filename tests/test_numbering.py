"""generator.numbering: Chinese numerals, markers, restart modes, typed-marker detection."""

from __future__ import annotations

import pytest

from generator.api import prepare
from generator.numbering import (
    chinese_numeral, marker, max_depth, number_levels, style_for_level, typed_marker,
)

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _parse(numeral: str) -> int:
    """An independent reader of 1–99 in Chinese numerals (the inverse under test)."""
    if "十" not in numeral:
        assert len(numeral) == 1
        return _DIGIT[numeral]
    tens, _, unit = numeral.partition("十")
    return (_DIGIT[tens] if tens else 1) * 10 + (_DIGIT[unit] if unit else 0)


@pytest.mark.parametrize("n, expected", [
    (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"),
    (20, "二十"), (21, "二十一"), (30, "三十"), (45, "四十五"), (90, "九十"), (99, "九十九"),
])
def test_chinese_numeral(n, expected):
    assert chinese_numeral(n) == expected


def test_chinese_numeral_covers_1_to_99_without_yi_shi():
    numerals = [chinese_numeral(n) for n in range(1, 100)]
    assert [_parse(s) for s in numerals] == list(range(1, 100))
    assert not any(s.startswith("一十") or "零" in s for s in numerals)


@pytest.mark.parametrize("n", [0, 100, -1, 120])
def test_chinese_numeral_out_of_range_raises(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize("style, n, expected", [
    ("chinese", 1, "一、"), ("chinese", 11, "十一、"), ("chinese", 21, "二十一、"),
    ("paren_chinese", 1, "（一）"), ("paren_chinese", 18, "（十八）"),
    ("arabic", 1, "1."), ("arabic", 12, "12."),
    ("paren_arabic", 3, "（3）"), ("paren_arabic", 10, "（10）"),
    ("circled", 1, "①"), ("circled", 20, "⑳"),
])
def test_marker_every_style(style, n, expected):
    assert marker(style, n) == expected


def test_markers_use_full_width_parentheses_and_ideographic_comma():
    assert marker("paren_chinese", 2)[0] == "\uff08" and marker("paren_chinese", 2)[-1] == "\uff09"
    assert marker("paren_arabic", 2)[0] == "\uff08" and marker("paren_arabic", 2)[-1] == "\uff09"
    assert marker("chinese", 2)[-1] == "\u3001"


def test_circled_marker_beyond_twenty_raises():
    with pytest.raises(ValueError):
        marker("circled", 21)


def test_styles_by_level_standard_and_two_level_variant():
    assert [style_for_level(lv) for lv in range(1, 6)] == [
        "chinese", "paren_chinese", "arabic", "paren_arabic", "circled"]
    assert [style_for_level(lv, "数字") for lv in range(1, 5)] == [
        "chinese", "arabic", "paren_arabic", "circled"]
    assert (max_depth(), max_depth("数字")) == (5, 4)
    with pytest.raises(ValueError):
        style_for_level(6)
    with pytest.raises(ValueError):
        style_for_level(5, "数字")


# -- restart modes ------------------------------------------------------------------------

def test_number_levels_restart_under_each_parent():
    levels = [1, 2, 2, 3, 3, 2, 1, 2, 3, 1]
    assert number_levels(levels) == [1, 1, 2, 1, 2, 3, 2, 1, 1, 3]


def test_number_levels_continuous_level_two_keeps_level_three_per_parent():
    levels = [1, 2, 3, 3, 2, 3, 1, 2, 3]
    assert number_levels(levels, continuous=[2]) == [1, 1, 1, 2, 2, 1, 2, 3, 1]


# Seed 001 (抚宁区 2023): 七个一级标题, with 2,3,1,3,4,3,2 level-2 headings under them.
SEED_001_CHILDREN = (2, 3, 1, 3, 4, 3, 2)


def _seed_001_levels() -> list[int]:
    levels = []
    for count in SEED_001_CHILDREN:
        levels += [1] + [2] * count
    return levels


def _markers(levels: list[int], numbers: list[int]) -> list[str]:
    return [marker(style_for_level(lv), n) for lv, n in zip(levels, numbers)]


def test_seed_001_continuous_level_two_runs_one_to_eighteen():
    levels = _seed_001_levels()
    marks = _markers(levels, number_levels(levels, continuous=[2]))
    assert [m for m, lv in zip(marks, levels) if lv == 1] == [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert [m for m, lv in zip(marks, levels) if lv == 2] == [
        f"（{chinese_numeral(n)}）" for n in range(1, 19)]
    assert marks[levels.index(1, 1) - 1] == "（二）" and marks[levels.index(1, 1) + 1] == "（三）"


def test_seed_001_per_parent_restarts():
    levels = _seed_001_levels()
    marks = _markers(levels, number_levels(levels))
    second = [m for m, lv in zip(marks, levels) if lv == 2]
    assert second[:6] == ["（一）", "（二）", "（一）", "（二）", "（三）", "（一）"]
    assert "（五）" not in second


# -- the options read from report.yaml, through the outline ------------------------------

def _workspace(numbering: str) -> dict:
    return {
        "report.yaml": f"""
            模板: work-report
            机关: 测试区人民政府
            年度: 2023
            {numbering}
            """,
        "departments/司法局.yaml": """
            内容:
              - 章节: 正文
                标题: 甲
                子项:
                  - 标题: 甲一
                    正文: 文字
                    子项:
                      - 标题: 甲一一
                        正文: 文字
                  - 标题: 甲二
                    正文: 文字
              - 章节: 正文
                标题: 乙
                子项:
                  - 标题: 乙一
                    正文: 文字
            """,
    }


def _heads(path) -> list[str]:
    prepared = prepare(path)
    assert prepared.report.ok, prepared.report.flatten(("code", "file", "line"))
    return [b.head for b in prepared.outline.blocks if b.head]


def test_outline_default_numbering_restarts(make_tree):
    root = make_tree(_workspace(""))
    assert _heads(root) == ["一、甲", "（一）甲一。", "1.甲一一。", "（二）甲二。",
                            "二、乙", "（一）乙一。"]


def test_outline_continuous_level_two(make_tree):
    root = make_tree(_workspace("编号: {连续编号层级: [2]}"))
    assert _heads(root) == ["一、甲", "（一）甲一。", "1.甲一一。", "（二）甲二。",
                            "二、乙", "（三）乙一。"]


def test_outline_two_level_variant_uses_arabic_second_level(make_tree):
    root = make_tree(_workspace("编号: {二级样式: 数字}"))
    assert _heads(root) == ["一、甲", "1.甲一。", "（1）甲一一。", "2.甲二。",
                            "二、乙", "1.乙一。"]
    kinds = [b.kind for b in prepare(root).outline.blocks if b.head]
    # the font follows the marker type: "1." is 仿宋 (level-3 style) even at depth 2
    assert kinds == ["h1", "r3", "r4", "r3", "h1", "r3"]


# -- typed markers ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("一、加强组织领导", "一、"), ("十一、其他", "十一、"), ("（一）加强", "（一）"),
    ("(二)加强", "(二)"), ("（十八）加强", "（十八）"), ("1.加强", "1."), ("1．加强", "1．"),
    ("1、加强", "1、"), ("12.加强", "12."), ("（1）加强", "（1）"), ("(3)加强", "(3)"),
    ("①加强", "①"), ("  二、前有空格", "二、"),
])
def test_typed_marker_detected(text, expected):
    assert typed_marker(text) == expected


@pytest.mark.parametrize("text", [
    "1.5万元", "3.7万人次", "12.83%", "2023年", "一是加强领导", "第一", "二〇二三年",
    "加强（一）", "全区8个乡镇", "“一、二”", "",
])
def test_typed_marker_not_detected(text):
    assert typed_marker(text) is None
