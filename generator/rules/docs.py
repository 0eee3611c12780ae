"""The rule catalogue as text: ``nianbao rules`` (table or JSON) and docs/rules.md."""

from __future__ import annotations

import json
from typing import Iterable, Mapping

from ..issues import Issue
from ..metric_catalogue import Catalogue, MetricSpec
from .catalogue import CATEGORIES, ordered

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def rules_json() -> str:
    """Return the catalogue as a JSON list of {code, severity, category, description, ...}."""
    return json.dumps([r.as_dict() for r in ordered()], ensure_ascii=False, indent=2)


def rules_table() -> str:
    """Return the catalogue as aligned plain-text lines, one rule per line."""
    rules = ordered()
    width = max(len(r.code) for r in rules)
    lines = []
    for rule in rules:
        ref = f"[{rule.ref}] " if rule.ref else ""
        optional = "（可关闭）" if rule.optional else ""
        lines.append(f"{rule.code:<{width}}  {SEVERITY_ZH[rule.severity]}  {rule.category}  "
                     f"{ref}{rule.description}{optional}")
    lines.append(f"共 {len(rules)} 条规则。warning 加 --strict 视为错误；"
                 "标注「可关闭」的规则可在 report.yaml 的「关闭规则」中关闭（须写明原因）。")
    return "\n".join(lines)


_INTRO = """\
# 检查规则参考

<!-- 本文件由 scripts/gen_rules_doc.py 根据 generator/rules/catalogue.py、
     templates/fazhi-annual/metrics.yaml 和 tests/cases/invalid/ 生成，请勿手工修改。 -->

`nianbao validate` 一次列出工作区的全部问题。每条问题有一个**稳定的代码**（下表第一列，
测试和脚本按代码判断，不依赖措辞）、一个级别和一条中文消息，消息写明文件、行号和修改方法。

- **错误**：必须修正，`build` 在有错误时不生成报告（`--draft` 除外）。
- **警告**：请核对；加 `--strict` 时警告也视为错误。
- **提示**：输出时已自动处理（如半角标点改为全角），可在数据中顺手改正。

标注「可关闭」的规则，可在 `report.yaml` 中按工作区关闭，并写明原因（原因会作为提示
`rule_disabled` 出现在每次检查结果中）：

```yaml
关闭规则:
  - 规则: W3            # 规则代码，或规范中的编号 R1–R10、W1–W6
    原因: 本年度培训以线上专题学习为主，学时统计口径不同
```

`nianbao rules` 列出全部规则，`nianbao rules --json` 以 JSON 输出。每条规则在
`tests/cases/invalid/<代码>/` 下有一个最小的失败示例工作区，下面的「示例」就是对它运行
`nianbao validate --strict` 得到的消息。
"""


def rules_markdown(examples: Mapping[str, Issue], catalogue: Catalogue | None = None,
                   catalogue_name: str = "") -> str:
    """Return docs/rules.md: summary table, one entry per rule with an example message,
    then the metric catalogue."""
    rules = ordered()
    out = [_INTRO, f"共 {len(rules)} 条规则。", "",
           "| 代码 | 级别 | 类别 | 规范 | 说明 | 可关闭 |", "| --- | --- | --- | --- | --- | --- |"]
    for rule in rules:
        out.append(f"| [`{rule.code}`](#{rule.code}) | {SEVERITY_ZH[rule.severity]} | "
                   f"{rule.category} | {rule.ref} | {rule.description} | "
                   f"{'是' if rule.optional else ''} |")
    for category in CATEGORIES:
        out += ["", f"## {category}"]
        for rule in (r for r in rules if r.category == category):
            out += ["", f"### {rule.code}", "",
                    f"{SEVERITY_ZH[rule.severity]}。{rule.description}"
                    + (f"（规范 {rule.ref}）" if rule.ref else "") + "。"]
            example = examples.get(rule.code)
            if example is not None:
                out += ["", "示例：", "", "```text", example.text(), "```"]
    if catalogue is not None and catalogue.metrics:
        out += ["", *_metric_table(catalogue.metrics, catalogue_name)]
    return "\n".join(out) + "\n"


def _metric_table(metrics: Mapping[str, MetricSpec], name: str) -> Iterable[str]:
    yield f"## 指标目录（{name}）"
    yield ""
    yield ("`templates/fazhi-annual/metrics.yaml` 中的常用指标。单位、类型、范围用于检查"
           "（metric_unit、metric_out_of_bounds、metric_not_integer）；可累加的指标由多个部门"
           "报送时相加；带「计算」的比率在未报送时自动算出，可在正文中引用。")
    yield ""
    yield "| 指标 | 名称 | 单位 | 类型 | 范围 | 可累加 | 计算 | 通常报送部门 |"
    yield "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for key, spec in metrics.items():
        low, high = spec.bounds
        bounds = f"{_n(low)}–{_n(high)}" if high is not None else f"≥ {_n(low)}"
        if spec.recommended_min is not None:
            bounds += f"（建议 ≥ {_n(spec.recommended_min)}）"
        formula = ""
        if spec.formula:
            formula = f"{spec.formula.numerator} ÷ {' 或 '.join(spec.formula.denominators)}"
        yield (f"| `{key}` | {spec.name} | {'、'.join(spec.units)} | {spec.kind} | {bounds} | "
               f"{'是' if spec.additive else '否'} | {formula} | {'、'.join(spec.suppliers)} |")


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
