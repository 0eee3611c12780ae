"""Switching rules off per report type (template.yaml) and per workspace (report.yaml):
``关闭规则: [{规则: W3, 原因: …}]``.

A switched-off rule's issues are dropped and one ``rule_disabled`` note records the code,
the reason and how many issues were left out, so the decision stays visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages_zh import issue
from .catalogue import resolve, suggest

if TYPE_CHECKING:
    from ..prepared import Prepared


def apply_switches(prepared: "Prepared") -> None:
    """Drop the issues of the rules the report type and report.yaml switch off; note each
    switch."""
    ws = prepared.workspace
    if ws.config is None:
        return
    switches = list(getattr(prepared.template, "rule_switches", list)())
    switches += [(switch, ws.config_loc("关闭规则", index), ws.config_loc("关闭规则", index, "规则"))
                 for index, switch in enumerate(ws.config.disabled_rules)]
    for switch, where, at_rule in switches:
        rules = resolve(switch.rule)
        if not rules:
            prepared.report.add([issue("rule_unknown", at_rule,
                                       rule=switch.rule, hint=suggest(switch.rule))])
            continue
        optional = [r for r in rules if r.optional]
        if not optional:
            rule = rules[0]
            prepared.report.add([issue("rule_not_optional", at_rule,
                                       rule=switch.rule, description=rule.description)])
            continue
        codes = {r.code for r in optional}
        kept = [i for i in prepared.report.issues if i.code not in codes]
        count = len(prepared.report.issues) - len(kept)
        prepared.report.issues = kept
        prepared.report.add([issue(
            "rule_disabled", where, rule="、".join(sorted(codes)),
            description="；".join(r.description for r in optional), reason=switch.reason,
            count=count)])
