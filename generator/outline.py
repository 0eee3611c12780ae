"""Build the report outline: sections, generated heading numbers, rendered paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config_text import resolve_config, templated_texts
from .formatting import clean_text, normalise_punctuation
from .issues import Issue, Location
from .merge import Merged, Node
from .messages_zh import issue
from .models import Attachment, ReportConfig, SectionSpec
from .numbering import marker, max_depth, number_levels, style_for_level, typed_marker
from .references import MARKER, Group, ReferenceProblem, TextRenderer, referenced_metrics
from .suggest import closest
from .templates import Template

#: Paragraph font by marker style: 1 黑体, 2 楷体, 3 and 4 仿宋 (spec §4, §15).
FONT_OF_STYLE = {"chinese": 1, "paren_chinese": 2, "arabic": 3, "paren_arabic": 4,
                 "circled": 4}
SENTENCE_END = "。！？；："
#: Characters one paragraph may hold. Real paragraphs stay under a few thousand; Word and
#: the XML parser behind docxtpl silently cut text nodes near 10 MB.
MAX_PARAGRAPH = 100_000


@dataclass(frozen=True)
class Block:
    """One body paragraph: kind h1–h4 (heading), r1–r4 (run-in heading) or p (plain).

    ``origins`` are the (file, data path) its texts came from and ``refs`` the metrics
    they reference (``组.名称``, in drafts only): a draft marks the paragraphs that
    validation flagged through them."""

    kind: str
    head: str = ""
    text: str = ""
    marker: str = ""  # the generated heading number (一、（一）1.…) that starts ``head``
    level: int = 0  # the heading level (1 for 一、); 0 for plain text
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    refs: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass
class Section:
    spec: SectionSpec
    title: str
    show_heading: bool
    nodes: list[Node]


@dataclass
class Outline:
    """The report's content in reading order, ready for the template."""

    title_lines: list[str]
    blocks: list[Block]
    sections: list[Section]
    covered: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)  # references resolved
    config: ReportConfig | None = None  # report.yaml with its templated texts rendered
    tables: dict[str, Any] = field(default_factory=dict)  # document tables by key (pipeline)


def namespace(config: ReportConfig, merged: Merged,
              helpers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the names narrative text may use: metric groups (with the rates derived
    from their parts, see `metric_catalogue`), report metadata and ``helpers``."""
    meta = {"年度": config.year, "下一年度": config.year + 1, "机关": config.organ,
            "地区": config.region or config.organ}
    groups = dict(merged.groups)
    for key, value in merged.derived.items():
        group, _, name = key.partition(".")
        groups[group] = Group(group, {**groups.get(group, {}), name: value})
    return {**groups, **meta, **(helpers or {})}


def build_outline(config: ReportConfig, template: Template, merged: Merged,
                  renderer: TextRenderer, config_loc) -> Outline:
    """Return the outline; problems (bad references, typed numbers, depth) are issues."""
    renderer.prime(_texts(config, template, merged))
    builder = _Builder(config, renderer, config_loc)
    config, problems = resolve_config(config, builder.text, config_loc)
    builder.config = config
    builder.issues.extend(problems)
    sections = builder.sections(template, merged)
    title = builder.title_lines(template)
    for line in config.lead:
        builder.add_plain(line, config_loc("导语"))
    covered = {s.spec.key for s in sections if s.nodes or s.spec.tables}
    covered |= {key for s in sections for node in _walk(s.nodes) for key in node.item.covers}
    builder.numbered(sections, covered)
    return Outline(title, builder.blocks, sections, covered, builder.issues,
                   list(config.attachments), config)


def _texts(config: ReportConfig, template: Template, merged: Merged):
    """Yield every string that will be rendered, so that one compile serves them all."""
    yield template.manifest.title
    yield from templated_texts(config)
    yield from (s.title for s in template.manifest.sections)
    for node in _walk([n for nodes in merged.sections.values() for n in nodes]):
        if node.item.heading:
            yield node.item.heading
        yield from node.item.text


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


class _Builder:
    def __init__(self, config: ReportConfig, renderer: TextRenderer, config_loc):
        self.config, self.renderer, self.config_loc = config, renderer, config_loc
        self.blocks: list[Block] = []
        self.issues: list[Issue] = []
        self.second = config.numbering.second_level

    # -- text ---------------------------------------------------------------
    def text(self, raw: str, loc: Location) -> str:
        try:
            out = self.renderer.render(raw)
        except ReferenceProblem as exc:
            self.issues.append(issue(exc.code, loc, **exc.ctx))
            out = raw
        if len(out) > MAX_PARAGRAPH:  # never written partly: refused, or a visible marker
            self.issues.append(issue("text_too_long", loc, length=len(out), limit=MAX_PARAGRAPH))
            return MARKER.format(f"此段过长（{len(out)} 字），未写入")
        return clean_text(normalise_punctuation(out))

    def checked(self, raw: str, loc: Location) -> str:
        typed = typed_marker(raw)
        if typed:
            self.issues.append(issue("typed_numbering", loc, marker=typed))
        return self.text(raw, loc)

    def traced(self, kind: str, head: str, text: str, sources: list[tuple[str, Location]],
               marker: str = "", level: int = 0) -> Block:
        """Return a block remembering where its raw texts came from (and, in a draft, the
        metrics they reference)."""
        origins = tuple((loc.file or "", loc.path or "") for _, loc in sources)
        refs: frozenset[str] = frozenset()
        if self.renderer.draft:
            refs = frozenset(k for raw, _ in sources for k in referenced_metrics(raw))
        return Block(kind, head, text, marker, level, origins, refs)

    def plain(self, raw: str, loc: Location) -> None:
        self.blocks.append(self.traced("p", "", self.checked(raw, loc), [(raw, loc)]))

    def add_plain(self, text: str, loc: Location) -> None:
        """Add an already rendered paragraph (from report.yaml)."""
        typed = typed_marker(text)
        if typed:
            self.issues.append(issue("typed_numbering", loc, marker=typed))
        self.blocks.append(self.traced("p", "", text, [("", loc)]))

    # -- structure ----------------------------------------------------------
    def sections(self, template: Template, merged: Merged) -> list[Section]:
        specs = {s.key: s for s in template.manifest.sections}
        order = list(self.config.section_order or [])
        for index, key in enumerate(order):
            if key not in specs:
                self._unknown_section(key, template, self.config_loc("章节顺序", index))
        keys = [k for k in order if k in specs] + [k for k in specs if k not in order]
        for key in self.config.sections:
            if key not in specs:
                self._unknown_section(key, template, self.config_loc("章节", key))
        for key, nodes in merged.sections.items():
            if key not in specs:
                for node in nodes:
                    self._unknown_section(key, template, node.loc("章节"))
        for node in _walk([n for ns in merged.sections.values() for n in ns]):
            for index, key in enumerate(node.item.covers):
                if key not in specs:
                    self.issues.append(issue("covers_unknown", node.loc("涵盖", index),
                                             section=key, available="、".join(specs)))
        out = []
        for key in keys:
            spec, opts = specs[key], self.config.sections.get(key)
            title = (opts.title if opts and opts.title  # rendered with report.yaml
                     else self.text(spec.title, self.config_loc("章节", key, "标题")))
            show = opts.show_heading if opts else spec.show_heading
            out.append(Section(spec, title, show, merged.sections.get(key, [])))
        return out

    def _unknown_section(self, key: str, template: Template, loc: Location) -> None:
        keys = [s.key for s in template.manifest.sections]
        close = closest(key, keys, cutoff=0.3)
        self.issues.append(issue("section_unknown", loc, template=template.name, section=key,
                                 hint=f"（是否应为「{close}」？）" if close else "",
                                 available="、".join(keys)))

    def title_lines(self, template: Template) -> list[str]:
        from .title import split_title as shaped
        from .title import title_problems

        if self.config.title:
            lines = list(self.config.title)  # rendered with report.yaml
            for code, ctx in title_problems(lines):
                self.issues.append(issue(code, self.config_loc("标题"), **ctx))
            return lines
        title = self.text(template.manifest.title, self.config_loc("标题"))
        lines, ok = shaped(title, (self.config.organ, self.config.region or ""))
        if not ok:
            self.issues.append(issue("title_unsplittable", self.config_loc("标题")))
        return lines

    def numbered(self, sections: list[Section], covered: set[str]) -> None:
        entries: list[tuple[Any, int]] = []  # (Section | Node, level); level 0 = plain
        for section in sections:
            missing = section.spec.required and section.spec.key not in covered
            if not section.nodes and not section.spec.tables and not (
                    section.show_heading and missing):
                continue
            base = 1 if section.show_heading else 0
            if section.show_heading:
                entries.append((section, 1))
            for node in section.nodes:
                self._collect(node, base + 1, entries)
        numbered = [(e, lv) for e, lv in entries if lv > 0]
        numbers = number_levels([lv for _, lv in numbered],
                                 self.config.numbering.continuous_levels)
        markers = {id(e): (lv, n) for (e, lv), n in zip(numbered, numbers)}
        for entry, level in entries:
            if isinstance(entry, Section):
                self._section_blocks(entry, *markers[id(entry)])
            elif level == 0:
                for i, para in enumerate(entry.item.text):
                    self.plain(para, entry.loc("正文", i))
            else:
                self._node_blocks(entry, *markers[id(entry)])

    def _collect(self, node: Node, level: int, entries: list) -> None:
        item = node.item
        numbered = item.numbered if item.numbered is not None else item.heading is not None
        if item.heading is None and not item.text:
            self.issues.append(issue("item_empty", node.loc()))
            return
        if not numbered and node.children:
            self.issues.append(issue("unnumbered_children", node.loc()))
        if numbered and level > max_depth(self.second):
            self.issues.append(issue("too_deep", node.loc(), max=max_depth(self.second)))
            numbered = False
        entries.append((node, level if numbered else 0))
        for child in node.children:
            self._collect(child, level + 1 if numbered else level, entries)

    def _section_blocks(self, section: Section, level: int, number: int) -> None:
        style = style_for_level(level, self.second)
        mark = marker(style, number)
        self.blocks.append(Block(f"h{FONT_OF_STYLE[style]}", head=mark + section.title,
                                 marker=mark, level=level))
        for key in section.spec.tables:  # a fixed table (template tables.yaml)
            self.blocks.append(Block("table", text=key))
        if not section.nodes and not section.spec.tables:  # a required section nobody
            self.blocks.append(Block("p", text=MARKER.format(section.title)))  # filled in

    def _node_blocks(self, node: Node, level: int, number: int) -> None:
        item = node.item
        style = style_for_level(level, self.second)
        font = FONT_OF_STYLE[style]
        mark = marker(style, number)
        sources = [(p, node.loc("正文", i)) for i, p in enumerate(item.text)]
        paras = [self.checked(raw, loc) for raw, loc in sources]
        if item.heading is None:
            self.blocks.append(self.traced(f"r{font}", mark, paras[0], sources[:1], mark, level))
            self._add_paragraphs(paras[1:], sources[1:])
            return
        head_source = [(item.heading, node.loc("标题"))]
        heading = self.checked(item.heading, head_source[0][1])
        run_in = item.run_in if item.run_in is not None else level >= 2
        if paras and run_in:
            end = "" if heading.endswith(tuple(SENTENCE_END)) else "。"
            self.blocks.append(self.traced(f"r{font}", mark + heading + end, paras[0],
                                           head_source + sources[:1], mark, level))
            paras, sources = paras[1:], sources[1:]
        else:
            self.blocks.append(self.traced(f"h{font}", mark + heading, "", head_source, mark,
                                           level))
        self._add_paragraphs(paras, sources)

    def _add_paragraphs(self, paras: list[str], sources: list[tuple[str, Location]]) -> None:
        self.blocks.extend(self.traced("p", "", text, [source])
                           for text, source in zip(paras, sources))


def split_title(title: str, organ: str) -> list[str]:
    """Break a long title into 梯形/菱形 lines between words (see `generator.title`)."""
    from .title import split_title as shaped

    return shaped(title, (organ,))[0]
