"""generator.formatting (numbers, dates, punctuation, XML-safe text) and styles.signature_indents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.formatting import (
    clean_text,
    format_date,
    format_number,
    format_scaled,
    normalise_punctuation,
    parse_date,
    text_width,
)
from generator.styles import CHAR, signature_indents


@pytest.mark.parametrize("value, expected", [
    (817, "817"), (0, "0"), (3000000, "3000000"), (2.05, "2.05"), (29.8, "29.8"),
    (26.55, "26.55"), (0.1 + 0.2, "0.3"), (100.0, "100"), (0.0, "0"), (1000000.0, "1000000"),
    (12.830, "12.83"), (Decimal("12.830"), "12.83"), (Decimal("5.00"), "5"),
])
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("value, digits, expected", [
    (2.345, 2, "2.35"), (2.5, 0, "3"), (12.8349, 2, "12.83"), (7, 2, "7"),
])
def test_format_number_rounds_half_up_then_drops_trailing_zeros(value, digits, expected):
    assert format_number(value, digits) == expected


def test_format_number_rejects_booleans():
    with pytest.raises(TypeError):
        format_number(True)


@pytest.mark.parametrize("value, unit, digits, expected", [
    (37000, "万", 1, "3.7万"), (35000, "万", 1, "3.5万"), (10000, "万", 1, "1万"),
    (20500, "万", 1, "2.1万"), (12345, "万", 2, "1.23万"), (3000000, "万", 1, "300万"),
    (120000000, "亿", 1, "1.2亿"), (100000000, "亿", 1, "1亿"), (256000000, "亿", 2, "2.56亿"),
])
def test_format_scaled(value, unit, digits, expected):
    assert format_scaled(value, unit, digits) == expected


@pytest.mark.parametrize("day, expected", [
    (dt.date(2024, 1, 9), "2024年1月9日"), (dt.date(2024, 12, 31), "2024年12月31日"),
    (dt.date(2025, 1, 10), "2025年1月10日"), (dt.date(2020, 3, 1), "2020年3月1日"),
])
def test_format_date_has_no_zero_padding(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize("text", [
    "2024-01-09", "2024-1-9", "2024年1月9日", "2024年01月09日", "2024.1.9", "2024/1/9",
    " 2024-01-09 ", "2024年1月9",
])
def test_parse_date_accepted_forms(text):
    assert parse_date(text) == dt.date(2024, 1, 9)


@pytest.mark.parametrize("text", [
    "2024-13-01", "2024-02-30", "2024年1月", "昨天", "24-1-9", "", "2024-01-09 10:00",
])
def test_parse_date_rejects(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("raw, expected", [
    ("共受理,审结", "共受理，审结"),
    ("乡镇(街道)", "乡镇（街道）"),
    ("注意:如下", "注意：如下"),
    ("是否?", "是否？"),
    ("成效明显!", "成效明显！"),
    ("一是;二是", "一是；二是"),
    ("《办法(试行)》", "《办法（试行）》"),
    ("截至12月31日,共", "截至12月31日，共"),
    ("达到１００％", "达到100％"),
    ("（此件公开发布)", "（此件公开发布）"),
])
def test_normalise_punctuation_next_to_chinese(raw, expected):
    assert normalise_punctuation(raw) == expected


@pytest.mark.parametrize("text", [
    "卸载货物2.05万吨", "1.加强", "罚没款1,234元", "比例为3:1", "12:30开会", "abc, def",
    "Hello(world)", "GB/T 9704-2012", "12.83%",
])
def test_normalise_punctuation_leaves_numbers_and_latin_alone(text):
    assert normalise_punctuation(text) == text


def test_clean_text_removes_xml_illegal_characters_only():
    illegal = "".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
    assert clean_text(f"前{illegal}后") == "前后"
    assert clean_text("a\tb\nc\rd") == "a\tb\nc\rd"
    assert clean_text("A&B<C>\"D\"'E'😀") == "A&B<C>\"D\"'E'😀"
    assert clean_text("x\ufffey\uffff") == "xy"


@pytest.mark.parametrize("text, width", [
    ("2024年1月9日", 6.0), ("2024年12月31日", 7.0), ("秦皇岛市抚宁区人民政府", 11.0),
    ("淄川区人民政府", 7.0), ("", 0.0),
])
def test_text_width_in_zi(text, width):
    assert text_width(text) == width


def test_text_width_latin_capital_is_wider():
    assert text_width("X") == pytest.approx(0.72)
    assert text_width("x") == 0.5


# -- signature block (spec §6.1 no seal, §6.2 with seal); widths in 字, 1 字 = 320 twips ----

def _no_seal(n: float, d: float) -> tuple[float, float]:
    """Spec §6.1: if N − D ≥ 2: R_name = 2, R_date = N − D; else R_date = 2, R_name = D − N + 4."""
    return (2, n - d) if n - d >= 2 else (d - n + 4, 2)


def _seal(n: float, d: float) -> tuple[float, float]:
    """Spec §6.2: R_date = 4; R_name = 4 + (D − N) / 2, not below 0."""
    return max(4 + (d - n) / 2, 0), 4


@pytest.mark.parametrize("n, d", [(11, 6), (7, 6), (8, 6), (4, 6), (6, 7), (20, 6), (2, 7)])
@pytest.mark.parametrize("sealed, formula", [(False, _no_seal), (True, _seal)])
def test_signature_indents_follow_spec_formulas(n, d, sealed, formula):
    name, date = formula(n, d)
    assert signature_indents(n, d, sealed) == (round(name * CHAR), round(date * CHAR))


@pytest.mark.parametrize("sealed, name, date, expected", [
    (False, "秦皇岛市抚宁区人民政府", "2024年1月9日", (640, 1600)),   # N−D = 5
    (False, "淄川区人民政府", "2025年1月10日", (1120, 640)),          # N−D = 0.5 < 2
    (False, "某某人民政府", "2024年1月9日", (1280, 640)),             # N = D
    (True, "秦皇岛市抚宁区人民政府", "2024年1月9日", (480, 1280)),
    (True, "某区政府", "2024年12月31日", (1760, 1280)),
])
def test_signature_indents_worked_examples(sealed, name, date, expected):
    assert signature_indents(text_width(name), text_width(date), sealed) == expected


def test_sealed_date_indent_is_four_characters_and_unsealed_keeps_two():
    for n, d in [(3, 6), (11, 6), (30, 7)]:
        assert signature_indents(n, d, True)[1] == 4 * CHAR
        name, date = signature_indents(n, d, False)
        assert min(name, date) == 2 * CHAR
