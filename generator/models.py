"""Pydantic models of the workspace files; YAML keys are the Chinese aliases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .formatting import parse_date


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              populate_by_name=False)


def _paragraphs(value: Any) -> Any:
    """Accept a text (one paragraph per line) or a list of texts."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
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
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number_type", "应为数字")
    return value


Figure = Annotated[int | float, BeforeValidator(_number), Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]


class Metric(_Model):
    """One figure supplied by a department."""

    value: Figure = Field(alias="值", title="数值")
    unit: str | None = Field(None, alias="单位", title="单位")
    note: str | None = Field(None, alias="说明", title="说明")


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


class NumberingOptions(_Model):
    continuous_levels: list[Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=list, alias="连续编号层级")
    second_level: Literal["括号", "数字"] = Field("括号", alias="二级样式")


class SectionOptions(_Model):
    title: Text | None = Field(None, alias="标题")
    show_heading: bool = Field(True, alias="显示标题")


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
    numbering: NumberingOptions = Field(default_factory=NumberingOptions, alias="编号")
    sections: dict[str, SectionOptions] = Field(default_factory=dict, alias="章节")
    section_order: list[Text] | None = Field(None, alias="章节顺序")
    departments: list[Text] | None = Field(None, alias="部门")


class SectionSpec(_Model):
    """One section of a template manifest."""

    key: Text = Field(alias="键")
    title: Text = Field(alias="标题")
    item: Text | None = Field(None, alias="事项")
    required: bool = Field(False, alias="必需")
    show_heading: bool = Field(True, alias="显示标题")
    basis: str | None = Field(None, alias="依据")


class Manifest(_Model):
    """template.yaml: what a report type contains and how it is numbered."""

    name: Text = Field(alias="名称")
    description: str | None = Field(None, alias="说明")
    title: Text = Field(alias="标题")
    sections: list[SectionSpec] = Field(alias="章节")
    numbering: NumberingOptions = Field(default_factory=NumberingOptions, alias="编号")
