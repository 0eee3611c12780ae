"""generator.numbering: Chinese numerals, markers, restart modes, typed-marker detection."""

from __future__ import annotations

import pytest

from generator.api import prepare
from generator.numbering import (
    chinese_numeral,
    marker,
    max_depth,
    number_levels,
    style_for_level,
    typed_marker,
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


def _read_large(numeral: str) -> int:
    """An independent reader of Chinese numerals with 百/千/万 (零 as a gap marker)."""
    total, section, digit = 0, 0, 0
    for char in numeral:
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char == "万":
            total, section = (section + digit) * 10_000, 0
            digit = 0
        else:
            section += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = 0
    return total + section + digit


@pytest.mark.parametrize("n, expected", [
    (100, "一百"), (101, "一百零一"), (110, "一百一十"), (120, "一百二十"), (999, "九百九十九"),
    (1005, "一千零五"), (1010, "一千零一十"), (10000, "一万"), (10001, "一万零一"),
])
def test_chinese_numeral_beyond_99(n, expected):
    assert chinese_numeral(n) == expected


def test_chinese_numeral_reads_back_up_to_20000():
    assert all(_read_large(chinese_numeral(n)) == n for n in range(1, 20_001))


@pytest.mark.parametrize("n", [0, -1])
def test_chinese_numeral_needs_a_positive_number(n):
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


def test_circled_markers_go_on_past_twenty():
    circled = [marker("circled", n) for n in range(1, 51)]
    assert len(set(circled)) == 50 and all(len(c) == 1 for c in circled)
    assert marker("circled", 21) == "㉑" and marker("circled", 50) == "㊿"
    assert marker("circled", 51) == "〔51〕"  # no glyph: bracketed, unlike level 4's （51）


def test_a_report_with_120_first_level_and_25_fifth_level_headings_builds(make_tree, tmp_path):
    from generator.api import build_report

    items = "".join(f"  - 章节: 正文\n    标题: 第{n}项\n    正文: 内容。\n" for n in range(120))
    deep = ("  - 章节: 正文\n    标题: 甲\n    正文: 甲。\n    子项:\n      - 标题: 乙\n"
            "        正文: 乙。\n        子项:\n          - 标题: 丙\n            正文: 丙。\n"
            "            子项:\n              - 标题: 丁\n                正文: 丁。\n"
            "                子项:\n")
    deep += "".join(f"                  - 标题: 戊{n}\n                    正文: 戊。\n"
                    for n in range(25))
    root = make_tree({"report.yaml": "模板: work-report\n机关: 测试县人民政府\n年度: 2023\n",
                      "departments/办公室.yaml": "内容:\n" + items + deep})
    result = build_report(root, tmp_path / "out")
    assert result.output is not None, [i.text() for i in result.report.issues]
    from docx import Document

    texts = [p.text for p in Document(str(result.output)).paragraphs]
    assert any(t.startswith("一百二十、第119项") for t in texts)
    assert any(t.startswith("㉕戊24") for t in texts)


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
