"""Pydantic models of the workspace files; YAML keys are the Chinese aliases."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr
from pydantic_core import PydanticCustomError

from .formatting import parse_date


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              populate_by_name=False)


def _paragraphs(value: Any) -> Any:
    """Accept a text (one paragraph per line) or a list of texts."""
    if isinstance(value, str):  # only real line breaks start a paragraph
        return [line.strip() for line in re.split(r"\r\n|\r|\n", value) if line.strip()]
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            out.extend(_paragraphs(item) if isinstance(item, str) else [item])
        return out
    return value


def _date(value: Any) -> Any:
    if isinstance(value, str):
        return parse_date(value) or value
    return value


def _list_of_str(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Paragraphs = Annotated[list[str], BeforeValidator(_paragraphs)]
Date = Annotated[dt.date, BeforeValidator(_date)]
def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)):
        raise PydanticCustomError("number_type", "应为数字")
    return value


Figure = Annotated[int | float, BeforeValidator(_number), Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]


class Metric(_Model):
    """One figure supplied by a department."""

    value: Figure = Field(alias="值", title="数值")
    unit: str | None = Field(None, alias="单位", title="单位")
    note: str | None = Field(None, alias="说明", title="说明")
    change_note: str | None = Field(None, alias="变动说明", title="同比变动说明",
                                    description="同比变动超过预警幅度时说明原因")


def _metric(value: Any) -> Any:
    """Accept a bare number as shorthand for ``{值: number}``."""
    return {"值": value} if not isinstance(value, dict) else value


MetricEntry = Annotated[Metric, BeforeValidator(_metric)]


class Item(_Model):
    """A narrative item: heading, paragraphs, children. Numbers are never typed."""

    id: Text | None = Field(None, alias="标识")
    section: Text | None = Field(None, alias="章节")
    parent: Text | None = Field(None, alias="上级")
    heading: Text | None = Field(None, alias="标题")
    text: Paragraphs = Field(default_factory=list, alias="正文")
    children: list[Item] = Field(default_factory=list, alias="子项")
    run_in: bool | None = Field(None, alias="连排")
    numbered: bool | None = Field(None, alias="编号")
    covers: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        default_factory=list, alias="涵盖")


class DepartmentFile(_Model):
    """The material of one department."""

    name: Text | None = Field(None, alias="部门")
    contact: str | None = Field(None, alias="联系人")
    metrics: dict[str, dict[str, MetricEntry]] = Field(default_factory=dict, alias="指标")
    items: list[Item] = Field(default_factory=list, alias="内容")
    # Where each item stood in the file when invalid items were left out (else None).
    _item_positions: list[int] | None = PrivateAttr(default=None)


class NumberingOptions(_Model):
    continuous_levels: list[Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=list, alias="连续编号层级")
    second_level: Literal["括号", "数字"] = Field("括号", alias="二级样式")


class SectionOptions(_Model):
    title: Text | None = Field(None, alias="标题")
    show_heading: bool = Field(True, alias="显示标题")


class RuleSwitch(_Model):
    """One rule switched off for this workspace, with the reason (report.yaml 关闭规则)."""

    rule: Text = Field(alias="规则", title="规则代码")
    reason: Text = Field(alias="原因", title="关闭原因")


_YEAR_BRACKETS = re.compile(r"[\[【（(［〔]\s*(\d{4})\s*[\]】）)］〕]")
DOC_NUMBER = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")


def _doc_number(value: Any) -> Any:
    """Write the year of a 发文字号 in 六角括号: 抚政[2024]3号 → 抚政〔2024〕3号 (spec §9)."""
    if isinstance(value, str):
        value = _YEAR_BRACKETS.sub(r"〔\1〕", value.strip())
        if not DOC_NUMBER.match(value):
            raise PydanticCustomError("doc_number_format", "发文字号格式有误")
    return value


class Letterhead(_Model):
    """版头 (spec §9): red 发文机关标志, 发文字号, and 签发人 for a report sent up."""

    mark: Text = Field(alias="发文机关标志", title="发文机关标志",
                       description="红色机关标志，如「秦皇岛市抚宁区人民政府文件」")
    number: Annotated[str, BeforeValidator(_doc_number)] | None = Field(
        None, alias="发文字号", title="发文字号", description="如 抚政〔2024〕3号")
    signer: Text | None = Field(None, alias="签发人", title="签发人",
                                description="上行文填写：发文字号居左，签发人居右")
    size: Annotated[float, Field(ge=22, le=72)] | None = Field(
        None, alias="标志字号", title="标志字号（磅）", description="默认 42（初号），过宽时自动压扁")


class Attachment(_Model):
    """One 附件: listed in 附件说明; with 正文 it also gets its own pages (spec §4)."""

    name: Text = Field(alias="名称", title="附件名称")
    title: Annotated[list[Text], BeforeValidator(_list_of_str)] | None = Field(
        None, alias="标题", title="附件标题", description="附件页标题各行；默认为名称")
    text: Paragraphs = Field(default_factory=list, alias="正文", title="附件正文")


def _attachment(value: Any) -> Any:
    """Accept a bare name as shorthand for ``{名称: name}``."""
    return {"名称": value} if isinstance(value, str) else value


class ReportConfig(_Model):
    """report.yaml: the metadata of one report."""

    template: Text | None = Field(None, alias="模板")
    organ: Text = Field(alias="机关")
    region: Text | None = Field(None, alias="地区")
    year: Annotated[int, Field(ge=1949, le=2100, strict=True)] = Field(alias="年度")
    title: Annotated[list[Text], BeforeValidator(_list_of_str)] | None = Field(None, alias="标题")
    recipient: Text | None = Field(None, alias="主送机关")
    lead: Paragraphs = Field(default_factory=list, alias="导语")
    signature: Text | None = Field(None, alias="发文机关署名")
    date: Date | None = Field(None, alias="成文日期")
    sealed: bool = Field(False, alias="用印")
    note: Text | None = Field(None, alias="附注")
    imprint_organ: Text | None = Field(None, alias="印发机关")
    imprint_date: Date | None = Field(None, alias="印发日期")
    cc: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        default_factory=list, alias="抄送", title="抄送机关")
    imprint_even_page: bool = Field(False, alias="版记偶数页", title="版记排在偶数页")
    letterhead: Letterhead | None = Field(None, alias="版头", title="版头")
    attachments: list[Annotated[Attachment, BeforeValidator(_attachment)]] = Field(
        default_factory=list, alias="附件", title="附件")
    numbering: NumberingOptions = Field(default_factory=NumberingOptions, alias="编号")
    sections: dict[str, SectionOptions] = Field(default_factory=dict, alias="章节")
    section_order: list[Text] | None = Field(None, alias="章节顺序")
    departments: list[Text] | None = Field(None, alias="部门")
    additive: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        default_factory=list, alias="累加指标", title="累加指标",
        description="多个部门都报送、应当相加的指标（组.名称）；合计为该指标，各部门数值为其「分项」")
    previous: Text | None = Field(None, alias="上年工作区", title="上年工作区",
                                  description="上一年度工作区的文件夹（相对于本工作区），用于同比")
    yoy_threshold: Annotated[float, Field(ge=1, le=1000)] = Field(
        50, alias="同比预警幅度", title="同比预警幅度（%）")
    disabled_rules: list[RuleSwitch] = Field(default_factory=list, alias="关闭规则",
                                             title="关闭的检查规则及原因")


class SectionSpec(_Model):
    """One section of a template manifest."""

    key: Text = Field(alias="键")
    title: Text = Field(alias="标题")
    item: Text | None = Field(None, alias="事项")
    required: bool = Field(False, alias="必需")
    show_heading: bool = Field(True, alias="显示标题")
    basis: str | None = Field(None, alias="依据")
    next_year: bool = Field(False, alias="下一年度", title="讲下一年度的章节",
                            description="章节标题和条目标题中的年份应为下一年度（如「下一年度主要安排」）")


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*(?:月|-|/)\s*(\d{1,2})\s*日?$")


def _month_day(value: Any) -> Any:
    """Accept 「3月1日」 or 「03-01」 as (month, day)."""
    if isinstance(value, str):
        match = _MONTH_DAY.match(value.strip())
        try:
            if match:
                month, day = int(match.group(1)), int(match.group(2))
                dt.date(2000, month, day)  # a leap year: 2月29日 is allowed
                return (month, day)
        except ValueError:
            pass
        raise PydanticCustomError("month_day", "应写成「3月1日」这样的月日")
    return value


MonthDay = Annotated[tuple[int, int], BeforeValidator(_month_day)]


class Deadline(_Model):
    """A date in the year after the report year by which something must be done."""

    date: MonthDay = Field(alias="日期", title="截止日期（次年）")
    level: Text = Field("规定", alias="对象", title="适用对象",
                        description="提示中写作「晚于{对象}的报告截止日期」")
    provincial: MonthDay | None = Field(None, alias="省级日期", title="省级截止日期",
                                        description="省、自治区、直辖市党委和政府适用的日期")
    provincial_level: Text = Field("省级党委和政府", alias="省级对象")
    basis: Text | None = Field(None, alias="依据")


class Deadlines(_Model):
    """时限: the deadlines a report type is bound by (none: not checked)."""

    report: Deadline | None = Field(None, alias="报送", title="报送时限（成文日期）")
    publish: Deadline | None = Field(None, alias="公开", title="公开时限（印发日期）")


class Assignment(_Model):
    """One line of 报送分工: departments whose name contains a keyword are asked for these
    metrics (a group, or 组.名称)."""

    keywords: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        alias="部门关键词", min_length=1)
    metrics: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        alias="指标", min_length=1)


class WorkbookExample(_Model):
    """The figure the workbook's 填表说明 shows as an example of how figures are used."""

    metric: Text = Field(alias="指标", description="组.名称")
    value: Figure = Field(alias="数值")
    text: Text = Field(alias="正文", description="引用该指标的一句正文")
    additive: Text | None = Field(None, alias="累加", description="一个需要各部门相加的指标的名称")


class Collection(_Model):
    """填报表: how `init` collects material for this report type."""

    report_name: Text | None = Field(None, alias="报告名称",
                                     description="填报表中称「地区+年度+年度+报告名称」；默认为模板名称")
    departments: Annotated[list[Text], BeforeValidator(_list_of_str)] = Field(
        default_factory=lambda: ["办公室"], alias="默认部门", min_length=1)
    assignments: list[Assignment] = Field(default_factory=list, alias="报送分工")
    example: WorkbookExample | None = Field(None, alias="示例")


class Manifest(_Model):
    """template.yaml: what a report type contains and how it is numbered."""

    name: Text = Field(alias="名称")
    description: str | None = Field(None, alias="说明")
    title: Text = Field(alias="标题")
    sections: list[SectionSpec] = Field(alias="章节")
    metrics: Text | None = Field(None, alias="指标目录",
                                 description="使用另一模板的 metrics.yaml（模板名称）")
    numbering: NumberingOptions = Field(default_factory=NumberingOptions, alias="编号",
                                        description="默认编号；report.yaml 的「编号」逐项覆盖")
    collection: Collection = Field(default_factory=Collection, alias="填报表")
    deadlines: Deadlines = Field(default_factory=Deadlines, alias="时限")
    disabled_rules: list[RuleSwitch] = Field(default_factory=list, alias="关闭规则",
                                             title="本类报告不适用的检查规则及原因")
