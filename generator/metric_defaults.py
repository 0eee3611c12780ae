"""Which metrics each department is asked for, with units and kinds (a small default table).

This is the one place `init`, the workbook reader and the status view learn about expected
metrics. Units and kinds agree with the template's metric catalogue (templates/fazhi-annual/
metrics.yaml, which also decides what is 可累加); to take them from the catalogue instead,
only the bodies of `metric_spec` and `metrics_for` need to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "amount", "rate"]

#: Units of figures that are counted (whole numbers); anything else is an amount.
COUNT_UNITS = frozenset(
    "件 人 个 家 场 场次 次 人次 名 所 类 项 条 篇 期 户 份 起 部 批 支 处 座 台 辆 本 册 门".split())

#: What a value of each kind must be, in Chinese (used in messages and the workbook).
KIND_ZH: dict[Kind, str] = {
    "count": "不小于 0 的整数",
    "amount": "不小于 0 的数",
    "rate": "0～100 之间的数（百分比，不写 %）",
}


@dataclass(frozen=True)
class MetricSpec:
    """One metric a department is asked for."""

    group: str
    name: str
    unit: str
    kind: Kind
    required: bool = True
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.group}.{self.name}"


def _m(group: str, name: str, unit: str, note: str = "", required: bool = True) -> MetricSpec:
    kind: Kind = "rate" if unit == "%" else "count" if unit in COUNT_UNITS else "amount"
    return MetricSpec(group, name, unit, kind, required, note)


_TABLE: tuple[MetricSpec, ...] = (
    _m("行政执法", "案件数", "件", "本部门全年办结的行政处罚、行政强制等执法案件"),
    _m("行政执法", "罚没款", "万元", "罚款和没收违法所得合计"),
    _m("行政执法", "执法人员", "人", "在编在岗的行政执法人员"),
    _m("行政执法", "持证人数", "人", "持有有效行政执法证件的人员"),
    _m("行政执法", "参训人数", "人", "参加行政执法人员培训的人数", required=False),
    _m("行政执法", "人均培训学时", "学时", "行政执法人员人均培训学时", required=False),
    _m("行政复议", "收到", "件", "全年收到的行政复议申请"),
    _m("行政复议", "受理", "件", "依法受理的行政复议案件"),
    _m("行政复议", "上年结转", "件", required=False),
    _m("行政复议", "审结", "件", "全年审结的行政复议案件"),
    _m("行政复议", "纠错", "件", "撤销、变更、确认违法、责令履行等纠错决定"),
    _m("行政复议", "纠错率", "%", "纠错案件占审结案件的百分比", required=False),
    _m("行政应诉", "案件数", "件", "以本级政府及其部门为被告的行政诉讼案件"),
    _m("行政应诉", "败诉", "件"),
    _m("行政应诉", "负责人出庭率", "%", "行政机关负责人出庭应诉的百分比"),
    _m("法律援助", "受理案件", "件"),
    _m("人民调解", "受理", "件", "受理的矛盾纠纷"),
    _m("人民调解", "调解成功", "件"),
    _m("人民调解", "成功率", "%", required=False),
    _m("规范性文件", "审核", "件", "合法性审核的规范性文件"),
    _m("规范性文件", "备案", "件", "报送备案的规范性文件"),
    _m("规范性文件", "清理", "件", required=False),
    _m("规范性文件", "备案率", "%", required=False),
    _m("重大行政决策", "数量", "件", "列入目录并作出的重大行政决策"),
    _m("重大行政决策", "合法性审查", "件", "经合法性审查的重大行政决策"),
    _m("法律顾问", "人数", "人", "政府及部门聘请的法律顾问、公职律师"),
    _m("法律顾问", "出具意见", "件"),
    _m("普法", "活动场次", "场", "组织的法治宣传活动"),
    _m("普法", "受众", "人次", required=False),
)

_JUSTICE = ("行政复议", "行政应诉", "法律援助", "人民调解", "规范性文件", "法律顾问", "普法",
            "重大行政决策.合法性审查", "行政执法.参训人数", "行政执法.人均培训学时")
_ENFORCEMENT = ("行政执法.案件数", "行政执法.罚没款", "行政执法.执法人员", "行政执法.持证人数")

#: Department name keyword → the groups or keys it is asked for (first match wins).
_BY_KEYWORD: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("司法",), _JUSTICE),
    (("政府办",), ("重大行政决策.数量",)),
    (("市场监", "公安", "生态环境", "应急", "交通", "卫生健康", "卫健", "自然资源", "执法",
      "城管", "人力资源", "人社", "农业农村", "文化", "水利", "住房", "住建", "林业", "税务",
      "教育", "民政", "商务", "发展和改革", "发改", "统计", "医疗保障", "医保", "退役军人"),
     _ENFORCEMENT),
)

_DEFAULT_DEPARTMENTS = {
    "fazhi-annual": ["政府办公室", "司法局", "市场监管局", "公安局", "生态环境局", "应急管理局",
                     "交通运输局", "卫生健康局", "自然资源和规划局", "综合行政执法局"],
}


def metric_spec(group: str, name: str) -> MetricSpec | None:
    """Return the known metric ``group.name``, or None."""
    for spec in _TABLE:
        if spec.group == group and spec.name == name:
            return spec
    return None


def metrics_for(department: str, template: str = "fazhi-annual") -> list[MetricSpec]:
    """Return the metrics ``department`` is asked for in reports of ``template``."""
    if template != "fazhi-annual":
        return []
    for keywords, wanted in _BY_KEYWORD:
        if any(word in department for word in keywords):
            return [s for want in wanted for s in _TABLE if want in (s.group, s.key)]
    return []


def default_departments(template: str) -> list[str]:
    """Return the departments `init` creates workbooks for when none are given."""
    return list(_DEFAULT_DEPARTMENTS.get(template, ["办公室"]))


def kind_of(group: str, name: str, unit: str | None) -> Kind:
    """Return the kind of a metric: from the table, else guessed from its unit and name."""
    spec = metric_spec(group, name)
    if spec is not None:
        return spec.kind
    unit = (unit or "").strip()
    if unit in ("%", "％") or name.endswith("率"):
        return "rate"
    return "count" if unit in COUNT_UNITS else "amount"
