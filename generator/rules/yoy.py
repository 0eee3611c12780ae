"""Year-over-year rules: large changes against last year's workspace, and 同比(…) that
cannot be computed."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterator

from jinja2 import TemplateError, nodes

from ..formatting import format_number
from ..issues import Issue
from ..messages_zh import issue
from ..metric_catalogue import lookup
from ..yoy import HELPER, change_text, relative_change
from .narrative import narrative

if TYPE_CHECKING:
    from ..prepared import Ready


def yoy_change_large(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``yoy_change_large`` for a supplied figure that moved more than the threshold
    (report.yaml 同比预警幅度, default 50%) and has no 变动说明. Rates are not compared."""
    previous = prepared.previous
    if previous is None:
        return
    threshold = prepared.config.yoy_threshold
    for key, (dept, path) in prepared.merged.origins.items():
        if prepared.catalogue.kind(key) == "比率":
            continue
        current, last = lookup(prepared.merged.groups, key), previous.value(key)
        change = relative_change(current, last) if last is not None else None
        if change is None or abs(change) <= threshold:
            continue
        metric = dept.data.metrics[path[1]][path[2]]
        if metric.change_note:
            continue
        found = issue("yoy_change_large", dept.loc(path), metric=key,
                      current=format_number(current), last=format_number(last),
                      change=change_text(current, last), threshold=format_number(threshold))
        sentence = previous.sources.get(key)
        if sentence:  # last year's figure was read from last year's report: cite it
            found = dataclasses.replace(found, message=found.message + f"（上年数值出自"
                                        f"{previous.root.name}：「{sentence}」）")
        yield found


def yoy_unavailable(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``yoy_unavailable`` for each 同比(组.名称) in the text that has nothing to
    compare with (no previous workspace, metric missing last year, or last year 0)."""
    env = prepared.renderer.env
    for text in narrative(prepared):
        if HELPER not in text.raw:
            continue
        try:
            tree = env.parse(text.raw)
        except TemplateError:
            continue  # reported as ref_syntax
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == HELPER:
                reason, key = _why_not(prepared, call)
                if reason:
                    yield issue("yoy_unavailable", text.loc, metric=key, reason=reason)


def _why_not(prepared: "Ready", call: nodes.Call) -> tuple[str | None, str]:
    """Return (reason, metric key) when the call cannot be computed, else (None, key)."""
    arg = call.args[0] if len(call.args) == 1 and not call.kwargs else None
    if not (isinstance(arg, nodes.Getattr) and isinstance(arg.node, nodes.Name)):
        return "括号中应为一个指标，如 同比(行政复议.受理)", "…"
    key = f"{arg.node.name}.{arg.attr}"
    current = lookup(prepared.merged.groups, key)
    if current is None:
        current = prepared.merged.derived.get(key)
    if current is None:
        return None, key  # reported as ref_undefined
    if prepared.previous is None:
        return "没有上年数据；请在 report.yaml 中填写「上年工作区」，或使用 --previous", key
    last = prepared.previous.value(key)
    if last is None:
        return f"上年工作区或上年报告（{prepared.previous.root.name}）没有该指标", key
    rate = prepared.catalogue.kind(key) == "比率"
    if change_text(current, last, rate=rate) is None:
        return "上年数值为 0，无法计算增减幅度", key
    return None, key


YOY_RULES = (yoy_change_large, yoy_unavailable)
