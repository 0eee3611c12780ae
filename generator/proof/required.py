"""Required items of a report type, recognised by meaning in an existing report.

A required item counts as present when a heading names it (or one of its synonyms), or,
for items often written without a heading of their own, when the text does. The
synonyms are what real reports write instead of the template's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .reader import Paragraph

if TYPE_CHECKING:
    from ..templates import Template

#: Item (template 事项 or section key) -> (heading patterns, text patterns).
SYNONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "主要举措和成效": (
        (r"主要(?:举措|措施|做法|工作|成效)", r"工作(?:开展|推进|落实)?情况", r"(?:举措|措施|做法)(?:和|及|与)?成效",
         r"推进法治政府建设(?:的)?(?:主要)?(?:工作|情况)", r"基本情况", r"取得的成效", r"工作成效"),
        ()),
    "存在的不足和原因": (
        (r"不足", r"存在(?:的)?(?:主要)?问题", r"短板", r"差距", r"薄弱"),
        (r"存在(?:一些|的)?(?:问题|不足|短板)", r"(?:问题|不足|短板|差距)(?:和|及|与)?(?:薄弱环节|原因|短板|不足)",
         r"还(?:存在|有)(?:一定|一些)?(?:差距|不足|问题)", r"仍(?:存在|有)(?:一定|一些)?(?:差距|不足|问题)")),
    "党政主要负责人履行推进法治建设第一责任人职责情况": (
        (r"第一责任人", r"主要负责人履行"),
        (r"(?:履行|落实)[^。]{0,12}第一责任人(?:职责|责任)",)),
    "下一年度主要安排": (
        (r"下一(?:年度?|步)", r"(?:主要|工作)?(?:安排|计划|打算|思路|谋划)", r"\d{4}年(?:工作|推进|法治)",
         r"今后"),
        (r"下一(?:年度?|步)[^。]{0,6}(?:将|要|继续)", r"\d{4}年，?[^。]{0,10}(?:将|继续)")),
}


@dataclass(frozen=True)
class Required:
    """One required item of the report type: its name and legal basis."""

    name: str
    basis: str
    headings: tuple[str, ...] = ()  # the template's 同义标题 / 同义正文, if it gives them
    texts: tuple[str, ...] = ()


def required_items(template: "Template") -> list[Required]:
    """Return the template's required items."""
    return [Required(str(s.item or s.title), s.basis or "模板要求", tuple(s.heading_synonyms),
                     tuple(s.text_synonyms))
            for s in template.manifest.sections if s.required]


def missing_items(paras: list[Paragraph], heads: list, template: "Template"
                  ) -> Iterator[Required]:
    """Yield each required item that neither a heading nor the text mentions."""
    headings = [p.text for p, h in zip(paras, heads) if h is not None and h.level <= 2] + \
               [p.text for p in paras if len(p.text) <= 40 and "。" not in p.text]
    body = "\n".join(p.text for p in paras)
    for item in required_items(template):
        heading_patterns, text_patterns = SYNONYMS.get(item.name, ((re.escape(item.name),), ()))
        if item.headings or item.texts:  # the template's own synonyms win
            heading_patterns, text_patterns = item.headings, item.texts
        names = heading_patterns + (re.escape(item.name),)
        if any(re.search(pat, h) for pat in names for h in headings):
            continue
        if any(re.search(pat, body) for pat in text_patterns):
            continue
        yield item
