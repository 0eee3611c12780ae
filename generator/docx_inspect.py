"""Read the effective formatting of a DOCX: what Word would apply, not what is written.

Paragraph properties come from docDefaults → the paragraph style's basedOn chain → the
paragraph's own pPr; run properties add the run style's chain and the run's rPr. Fonts
given as theme fonts (``w:eastAsiaTheme="minorEastAsia"``) are looked up in the theme.
Used by the layout checker and by the 版记 padding (``furniture``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS, "a": A_NS}

#: pPr children merged attribute by attribute; others are taken whole.
_ATTR_MERGED = ("ind", "spacing")
_PPR_TAGS = ("jc", "ind", "spacing", "pageBreakBefore", "keepNext", "pBdr", "outlineLvl",
             "overflowPunct", "tabs")
_RPR_TAGS = ("sz", "color", "b", "spacing", "w", "vanish")


def wval(element, attr: str = "val") -> str | None:
    """Return ``element``'s ``w:attr`` (None if the element or attribute is missing)."""
    return None if element is None else element.get(W + attr)


def _on(element) -> bool:
    """Return whether an OOXML on/off element is on (present and not val=0/false)."""
    return element is not None and wval(element) not in ("0", "false", "off")


@dataclass
class ParaFormat:
    """The effective paragraph properties the checker cares about."""

    style_id: str | None
    align: str = "left"
    ind: dict[str, str] = field(default_factory=dict)
    spacing: dict[str, str] = field(default_factory=dict)
    page_break_before: bool = False
    keep_next: bool = False
    borders: dict[str, dict[str, str]] = field(default_factory=dict)

    def twips(self, group: str, name: str, default: int = 0) -> int:
        """Return an ``ind`` or ``spacing`` attribute as an int (``default`` if unset)."""
        value = getattr(self, group).get(name)
        try:
            return int(float(value)) if value is not None else default
        except ValueError:
            return default

    @property
    def first_line(self) -> int:
        """Return the first-line indent in twips (negative for a hanging indent)."""
        if "hanging" in self.ind:
            return -self.twips("ind", "hanging")
        return self.twips("ind", "firstLine")

    @property
    def exact_pitch(self) -> int | None:
        """Return the exact line height in twips, or None for auto/atLeast spacing."""
        if self.spacing.get("lineRule") == "exact" and "line" in self.spacing:
            return self.twips("spacing", "line")
        return None


@dataclass
class RunFormat:
    """The effective run properties the checker cares about."""

    east_asia: str | None
    ascii: str | None
    size: int | None  # half-points
    color: str | None = None
    bold: bool = False
    spacing: int = 0  # twips
    scale: int = 100  # w:w, percent


class Inspector:
    """Resolve effective formatting in one python-docx ``Document``."""

    def __init__(self, document) -> None:
        self.document = document
        root = document.styles.element
        self.styles = {s.get(W + "styleId"): s for s in root.findall("w:style", NS)}
        self.default_ppr = root.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
        self.default_rpr = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self.default_para = next((sid for sid, s in self.styles.items()
                                  if s.get(W + "type") == "paragraph"
                                  and s.get(W + "default") in ("1", "true")), None)
        self.default_char = next((sid for sid, s in self.styles.items()
                                  if s.get(W + "type") == "character"
                                  and s.get(W + "default") in ("1", "true")), None)
        self.theme = _theme_fonts(document)
        # style-level layers, resolved once per style (the styles part must not change
        # while this Inspector is used; each paragraph or run adds its own layer on top)
        self._para_layers: dict[str | None, dict[str, Any]] = {}
        self._run_layers: dict[tuple[str | None, str | None], tuple[dict, dict]] = {}

    # -- chains ------------------------------------------------------------------------
    def style_chain(self, style_id: str | None) -> list[Any]:
        """Return the style elements from the root of the basedOn chain down to ``style_id``."""
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = wval(style.find("w:basedOn", NS))
        return chain[::-1]

    def paragraph_style(self, p) -> str | None:
        """Return the style id of paragraph element ``p`` (the default style if none)."""
        return wval(p.find("w:pPr/w:pStyle", NS)) or self.default_para

    def paragraph(self, p) -> ParaFormat:
        """Return the effective paragraph format of paragraph element ``p``."""
        style_id = self.paragraph_style(p)
        base = self._para_layers.get(style_id)
        if base is None:
            base = {}
            for ppr in [self.default_ppr] + [s.find("w:pPr", NS)
                                             for s in self.style_chain(style_id)]:
                _merge_ppr(base, ppr)
            self._para_layers[style_id] = base
        merged = {tag: (dict(value) if tag in _ATTR_MERGED else value)
                  for tag, value in base.items()}
        if "pBdr" in merged:
            merged["pBdr"] = {side: dict(attrs) for side, attrs in merged["pBdr"].items()}
        _merge_ppr(merged, p.find("w:pPr", NS))
        fmt = ParaFormat(style_id)
        fmt.align = wval(merged.get("jc")) or "left"
        fmt.ind, fmt.spacing = merged.get("ind", {}), merged.get("spacing", {})
        fmt.page_break_before = _on(merged.get("pageBreakBefore"))
        fmt.keep_next = _on(merged.get("keepNext"))
        fmt.borders = merged.get("pBdr", {})
        return fmt

    def run(self, p, r) -> RunFormat:
        """Return the effective run format of run element ``r`` inside paragraph ``p``."""
        rstyle = wval(r.find("w:rPr/w:rStyle", NS)) if r is not None else None
        key = (self.paragraph_style(p), rstyle or self.default_char)
        cached = self._run_layers.get(key)
        if cached is None:
            layers = [self.default_rpr]
            layers += [s.find("w:rPr", NS) for s in self.style_chain(key[0])]
            layers += [s.find("w:rPr", NS) for s in self.style_chain(key[1])]
            cached = ({"eastAsia": None, "ascii": None}, {})
            for rpr in layers:
                self._merge_rpr(*cached, rpr)
            self._run_layers[key] = cached
        fonts, props = dict(cached[0]), dict(cached[1])
        self._merge_rpr(fonts, props, r.find("w:rPr", NS) if r is not None else None)
        size = wval(props.get("sz"))
        return RunFormat(
            east_asia=fonts["eastAsia"], ascii=fonts["ascii"],
            size=int(size) if size and size.isdigit() else None,
            color=wval(props.get("color")), bold=_on(props.get("b")),
            spacing=int(wval(props.get("spacing")) or 0),
            scale=int(wval(props.get("w")) or 100))

    def _merge_rpr(self, fonts: dict[str, str | None], props: dict[str, Any], rpr) -> None:
        """Lay the run properties ``rpr`` (None: nothing) over ``fonts`` and ``props``."""
        if rpr is None:
            return
        present = {child.tag for child in rpr}
        rfonts = rpr.find("w:rFonts", NS) if W + "rFonts" in present else None
        if rfonts is not None:
            for slot in fonts:
                theme = rfonts.get(W + slot + "Theme")
                plain = rfonts.get(W + slot)
                if theme or plain:
                    fonts[slot] = self._theme_font(theme) if theme else plain
        for tag in _RPR_TAGS:
            child = rpr.find(f"w:{tag}", NS) if W + tag in present else None
            if child is not None:
                props[tag] = child

    def _theme_font(self, theme: str) -> str:
        """Return the face a theme font name stands for, e.g. minorEastAsia → 等线."""
        major = theme.startswith("major")
        script = "ea" if theme.endswith("EastAsia") else "latin"
        return self.theme.get((major, script)) or f"主题字体（{theme}）"

    # -- text --------------------------------------------------------------------------
    def runs(self, p) -> list[tuple[Any, str]]:
        """Return (run element, text) for the runs of ``p`` that carry text."""
        out = []
        for r in p.iter(W + "r"):
            text = "".join(t.text or "" for t in r.iter(W + "t"))
            text += "\t" * len(r.findall("w:tab", NS))
            if text:
                out.append((r, text))
        return out


def _merge_ppr(merged: dict[str, Any], ppr) -> None:
    """Lay the paragraph properties ``ppr`` (None: nothing) over ``merged``."""
    if ppr is None:
        return
    present = {child.tag for child in ppr}
    for tag in _PPR_TAGS:
        if W + tag not in present:
            continue
        child = ppr.find(f"w:{tag}", NS)
        if tag in _ATTR_MERGED:
            merged.setdefault(tag, {}).update(
                {k.split("}")[-1]: v for k, v in child.attrib.items()})
        elif tag == "pBdr":
            merged[tag] = {b.tag.split("}")[-1]: {k.split("}")[-1]: v
                                                  for k, v in b.attrib.items()}
                           for b in child}
        else:
            merged[tag] = child


def paragraph_text(p) -> str:
    """Return the text of paragraph element ``p`` (tabs as \\t)."""
    parts = []
    for node in p.iter(W + "t", W + "tab"):
        parts.append("\t" if node.tag == W + "tab" else node.text or "")
    return "".join(parts)


def _theme_fonts(document) -> dict[tuple[bool, str], str]:
    """Return {(major?, 'ea'|'latin'): typeface} from the theme part, if any."""
    try:
        part = document.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    except KeyError:
        return {}
    from lxml import etree

    root = etree.fromstring(part.blob)
    out = {}
    for major, tag in ((True, "majorFont"), (False, "minorFont")):
        font = root.find(f".//a:fontScheme/a:{tag}", NS)
        if font is None:
            continue
        latin = font.find("a:latin", NS)
        ea = font.find("a:ea", NS)
        hans = font.find("a:font[@script='Hans']", NS)
        out[(major, "latin")] = (latin.get("typeface") if latin is not None else "") or ""
        ea_face = ea.get("typeface") if ea is not None else ""
        out[(major, "ea")] = ea_face or (hans.get("typeface") if hans is not None else "") or ""
    return out
