"""generator.references: {{ 组.名称 }} resolution, filters, strict undefined, sandbox, draft."""

from __future__ import annotations

import pytest

from generator.references import Group, ReferenceProblem, TextRenderer, figure


@pytest.fixture
def namespace() -> dict:
    return {
        "法律援助": Group("法律援助", {"受理案件": figure(817, "件"), "刑事案件": figure(182, None)}),
        "行政复议": Group("行政复议", {"纠错率": figure(29.8, "%"), "受理": figure(64, "件")}),
        "行政执法": Group("行政执法", {"罚没款": figure(2.05, "万元")}),
        "普法": Group("普法", {"受众": figure(37000, "人次"), "点击量": figure(3000000, "次"),
                             "经费": figure(256000000, "元")}),
        "年度": 2023, "下一年度": 2024, "机关": "秦皇岛市抚宁区人民政府", "地区": "抚宁区",
    }


@pytest.mark.parametrize("text, expected", [
    ("共受理援助案件{{ 法律援助.受理案件 }}件", "共受理援助案件817件"),
    ("{{法律援助.刑事案件}}", "182"),
    ("罚没款{{ 行政执法.罚没款 }}万元", "罚没款2.05万元"),
    ("纠错率{{ 行政复议.纠错率 }}%", "纠错率29.8%"),
    ("纠错率{{ 行政复议.纠错率 | 带单位 }}", "纠错率29.8%"),
    ("受理{{ 行政复议.受理 | 带单位 }}", "受理64件"),
    ("{{ 法律援助.刑事案件 | 带单位 }}", "182"),
    ("受众{{ 普法.受众 | 万 }}", "受众3.7万"),
    ("点击量近{{ 普法.点击量 | 万 }}", "点击量近300万"),
    ("{{ 普法.受众 | 万(2) }}", "3.7万"),
    ("{{ 普法.经费 | 亿 }}", "2.6亿"),
    ("{{ 普法.经费 | 亿(2) }}", "2.56亿"),
    ("{{ 年度 }}年，{{ 地区 }}；{{ 下一年度 }}年", "2023年，抚宁区；2024年"),
    ("{{ 机关 }}", "秦皇岛市抚宁区人民政府"),
    ("没有引用的文字{原样}", "没有引用的文字{原样}"),
    ("没有花括号", "没有花括号"),
])
def test_references_resolve_and_format(namespace, text, expected):
    assert TextRenderer(namespace).render(text) == expected


@pytest.mark.parametrize("text, name", [
    ("共{{ 法律援助.办结 }}件", "法律援助.办结"),
    ("{{ 公证.办证 }}", "公证.办证"),
    ("{{ 不存在 }}", "不存在"),
    ("{{ 法律援助.受理案件 }}与{{ 行政复议.纠错 | 带单位 }}", "行政复议.纠错"),
])
def test_undefined_reference_is_ref_undefined_with_dotted_name(namespace, text, name):
    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace).render(text)
    assert caught.value.code == "ref_undefined"
    assert caught.value.ctx["name"] == name


def test_undefined_reference_hint_names_the_closest_metric(namespace):
    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace).render("{{ 法律援助.受理案 }}")
    assert "法律援助.受理案件" in caught.value.ctx["hint"]


@pytest.mark.parametrize("text", [
    "{{ 法律援助.__class__ }}",
    "{{ 法律援助.__class__.__mro__ }}",
    "{{ 法律援助.受理案件.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ 法律援助.clear() }}",
    "{{ 法律援助.update({'受理案件': 1}) }}",
])
def test_sandbox_blocks_internals_and_mutation(namespace, text):
    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace).render(text)
    assert caught.value.code == "ref_syntax"
    assert dict(namespace["法律援助"]) == {"受理案件": 817, "刑事案件": 182}


@pytest.mark.parametrize("text, code", [
    ("{{ 法律援助. }}", "ref_syntax"),
    ("{% for %}", "ref_syntax"),
    ("{{ 法律援助.受理案件 / 0 }}", "ref_render"),
    ("{{ range(10**9) | list }}", "ref_limit"),  # jinja_limits.MAX_RANGE
    ("{{ lipsum.__globals__ }}", "ref_undefined"),  # no lipsum any more
])
def test_broken_expressions_are_problems_not_crashes(namespace, text, code):
    with pytest.raises(ReferenceProblem) as caught:
        TextRenderer(namespace).render(text)
    assert caught.value.code == code


@pytest.mark.parametrize("text, expected", [
    ("共{{ 法律援助.办结 }}件", "共【待补充：法律援助.办结】件"),
    ("{{ 公证.办证 }}", "【待补充：公证.办证】"),
    ("{{ 不存在 }}", "【待补充：不存在】"),
    ("{{ 法律援助.受理案件 }}件，{{ 法律援助.办结 }}件", "817件，【待补充：法律援助.办结】件"),
])
def test_draft_mode_renders_visible_markers(namespace, text, expected):
    assert TextRenderer(namespace, draft=True).render(text) == expected


def test_prime_caches_good_texts_and_still_reports_bad_ones(namespace):
    renderer = TextRenderer(namespace)
    good, bad = "共{{ 法律援助.受理案件 }}件", "共{{ 法律援助.办结 }}件"
    renderer.prime([good, bad, "无引用"])
    assert renderer.render(good) == "共817件"
    with pytest.raises(ReferenceProblem) as caught:
        renderer.render(bad)
    assert caught.value.ctx["name"] == "法律援助.办结"


def test_prime_keeps_texts_apart(namespace):
    texts = ["{{ 年度 }}年", "{{ 法律援助.受理案件 -}}  件", "{{- 地区 }}区", "{{ 普法.受众 | 万 }}"]
    renderer = TextRenderer(namespace)
    renderer.prime(texts)
    assert [renderer.render(t) for t in texts] == [
        TextRenderer(namespace).render(t) for t in texts]
