"""generator.sources.yaml_source: data plus a SourceMap of 1-based lines; located YAML errors."""

from __future__ import annotations

import pytest

from generator.sources.yaml_source import SourceMap, YamlError, load_yaml

DEPARTMENT = """\
部门: 司法局
指标:
  法律援助:
    受理案件: {值: 817, 单位: 件}
    刑事案件: 182
内容:
  - 章节: 主要举措和成效
    标题: 加强法律援助
    正文: |
      第一段。
      第二段。
    子项:
      - 标题: 子项一
        正文: 文字
  - 上级: 法律援助
    正文:
      - 甲
      - 乙
"""


def _load(tmp_path, text: str, name: str = "f.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def test_data_is_plain_python(tmp_path):
    data, _ = _load(tmp_path, DEPARTMENT)
    assert data["指标"]["法律援助"] == {"受理案件": {"值": 817, "单位": "件"}, "刑事案件": 182}
    assert data["内容"][0]["正文"] == "第一段。\n第二段。\n"
    assert data["内容"][1]["正文"] == ["甲", "乙"]


@pytest.mark.parametrize("loc, line", [
    ((), 1),
    (("部门",), 1),
    (("指标",), 2),
    (("指标", "法律援助"), 3),
    (("指标", "法律援助", "受理案件"), 4),
    (("指标", "法律援助", "受理案件", "值"), 4),
    (("指标", "法律援助", "刑事案件"), 5),
    (("内容",), 6),
    (("内容", 0), 7),
    (("内容", 0, "标题"), 8),
    (("内容", 0, "正文"), 9),
    (("内容", 0, "子项", 0), 13),
    (("内容", 0, "子项", 0, "正文"), 14),
    (("内容", 1), 15),
    (("内容", 1, "上级"), 15),
    (("内容", 1, "正文", 1), 18),
])
def test_source_map_lines(tmp_path, loc, line):
    _, smap = _load(tmp_path, DEPARTMENT)
    assert smap.line(loc) == line


def test_source_map_falls_back_to_nearest_ancestor(tmp_path):
    _, smap = _load(tmp_path, DEPARTMENT)
    assert smap.line(("内容", 0, "正文", 1)) == 9   # a block scalar: the key's line
    assert smap.line(("内容", 0, "没有这个键", 3)) == 7
    assert SourceMap().line(("a",)) is None


def test_byte_order_mark_and_integer_keys(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff年度: 2023\n2024: 下一年\n".encode("utf-8"))
    data, smap = load_yaml(path)
    assert data == {"年度": 2023, "2024": "下一年"}
    assert smap.line(("2024",)) == 2


def test_empty_file_is_none(tmp_path):
    data, smap = _load(tmp_path, "")
    assert data is None and smap.lines == {}


def test_duplicate_key_at_the_second_occurrence(tmp_path):
    text = "部门: 司法局\n指标:\n  法律援助:\n    受理案件: 1\n    刑事案件: 2\n    受理案件: 3\n"
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, text)
    assert (caught.value.code, caught.value.line, caught.value.detail) == (
        "yaml_duplicate_key", 6, "受理案件")


def test_duplicate_key_inside_a_list_item(tmp_path):
    text = "内容:\n  - 标题: 甲\n  - 标题: 乙\n    正文: x\n    标题: 丙\n"
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, text)
    assert (caught.value.code, caught.value.line) == ("yaml_duplicate_key", 5)


@pytest.mark.parametrize("text, line", [
    ("a: 1\nb: c: d\n", 2),                       # colon inside a plain value
    ("a:\n  b: 1\n c: 2\n", 3),                   # inconsistent indentation
    ("a: 1\nb:\n\tc: 1\n", 3),                    # tab indentation
    ("a: 1\nb: [1, 2\nc: 3\n", 3),                # unclosed flow list, next key on line 3
    ("x: &x {a: 1}\ny:\n  <<: *x\n", 3),          # merge keys are refused
])
def test_syntax_error_line(tmp_path, text, line):
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, text)
    assert (caught.value.code, caught.value.line) == ("yaml_syntax", line)
    assert caught.value.detail


@pytest.mark.parametrize("text, line", [
    ("a: 1\nb: [1, 2\n", 2),       # the list opened on line 2 is never closed
    ('a: "abc\nb: 1\n', 1),        # the quote opened on line 1 is never closed
])
def test_error_at_end_of_file_points_at_an_existing_line(tmp_path, text, line):
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, text)
    assert caught.value.code == "yaml_syntax"
    assert caught.value.line == line


def test_control_character_is_located(tmp_path):
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, "部门: 司法局\n内容:\n  - 正文: 前\x07后\n")
    assert caught.value.code == "yaml_syntax"
    assert caught.value.line == 3


def test_non_text_key(tmp_path):
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, "a: 1\n? [x, y]\n: 2\n")
    assert (caught.value.code, caught.value.line) == ("yaml_bad_key", 2)


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30"])
def test_impossible_date_is_not_a_crash(tmp_path, value):
    """A date-like value that is no date: either a located YamlError or kept as text."""
    try:
        data, _ = _load(tmp_path, f"年度: 2023\n成文日期: {value}\n")
    except YamlError as exc:
        assert exc.line == 2
    else:
        assert data["成文日期"] == value


@pytest.mark.parametrize("text, line", [
    ("a: 1\n!!python/object:os.system b: 2\n", 2),   # an unsafe tag on a key
    ("a: 1\nb: !!python/name:os.system x\n", 2),     # and on a value
])
def test_unknown_tag_is_a_located_error_not_code(tmp_path, text, line):
    with pytest.raises(YamlError) as caught:
        _load(tmp_path, text)
    assert (caught.value.code, caught.value.line) == ("yaml_syntax", line)
    assert "python/" in caught.value.detail
