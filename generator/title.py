"""Break a long title into lines shaped as a 梯形 or 菱形, never inside a word (spec §4.1).

Words are protected by a small lexicon of the titles' vocabulary plus the organ and region
names and year expressions; a break may not put 的 or punctuation at the start of a line.
Among the breaks that keep every line within the text block, the one with the best word
boundaries and the most even shape wins.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Iterable, Sequence

from .formatting import text_width
from .linefit import NO_END, NO_START

MAX_WIDTH = 20.0  # 2号 characters in the 156 mm text block
LEXICON = (
    "法治政府建设", "法治政府", "法治建设", "依法行政", "依法治国", "依法治省", "依法治市",
    "依法治区", "依法治县", "人民政府", "人民代表大会", "常务委员会", "委员会", "办公室",
    "年度", "工作", "情况", "报告", "关于", "推进", "建设", "法治", "政府", "责任", "落实",
    "第一责任人", "职责", "履行", "主要", "负责人", "党政", "述法", "司法局", "执法",
)
_YEAR = re.compile(r"\d{4}(?:年度|年)?")
_STRONG_AFTER = ("关于",)


def _protected(title: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    """Return the [start, end) spans that must stay on one line."""
    spans = [m.span() for m in _YEAR.finditer(title)]
    for word in sorted({w for w in keep if w} | set(LEXICON), key=len, reverse=True):
        for m in re.finditer(re.escape(word), title):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                spans.append(m.span())
    return spans


def break_costs(title: str, keep: Iterable[str] = ()) -> dict[int, float]:
    """Return {position: cost} of every allowed break (0 = ideal, larger = worse)."""
    keep = tuple(keep)
    spans = _protected(title, keep)
    edges = {e for _, e in spans} | {s for s, _ in spans}
    strong = {m.end() for w in (*keep, *_STRONG_AFTER) if w
              for m in re.finditer(re.escape(w), title)}
    strong |= {m.start() for m in _YEAR.finditer(title)}
    costs = {}
    for i in range(1, len(title)):
        if any(s < i < e for s, e in spans):
            continue
        if title[i] in NO_START or title[i] == "的" or title[i - 1] in NO_END:
            continue
        costs[i] = 0.0 if i in strong else 1.0 if i in edges else 4.0
    return costs


def shape_ok(widths: Sequence[float]) -> bool:
    """Return whether line widths form a 梯形 (never shorter than the line above, not all
    equal) or a 菱形 (the middle line longest)."""
    if len(widths) < 2:
        return True
    if all(abs(w - widths[0]) < 0.5 for w in widths):
        return False
    if all(b >= a for a, b in zip(widths, widths[1:])):
        return True
    peak = max(range(len(widths)), key=lambda i: widths[i])
    return (0 < peak < len(widths) - 1
            and all(b > a for a, b in zip(widths[:peak], widths[1:peak + 1]))
            and all(b < a for a, b in zip(widths[peak:], widths[peak + 1:])))


def _score(lines: list[str], cost: float) -> float:
    widths = [text_width(line) for line in lines]
    spread = max(widths) - min(widths)
    return cost * 3 + abs(spread - 2) * 0.5


def split_title(title: str, keep: Iterable[str] = ()) -> tuple[list[str], bool]:
    """Return (lines, ok): ``title`` in 1–4 lines; ok is False when no break between words
    gives a 梯形 or 菱形 within the text block (the lines are then filled greedily)."""
    if text_width(title) <= MAX_WIDTH:
        return [title], True
    costs = break_costs(title, keep)
    for count in (2, 3, 4):
        best: tuple[float, list[str]] | None = None
        for cuts in combinations(sorted(costs), count - 1):
            bounds = (0, *cuts, len(title))
            lines = [title[a:b] for a, b in zip(bounds, bounds[1:])]
            widths = [text_width(line) for line in lines]
            if max(widths) > MAX_WIDTH or not shape_ok(widths):
                continue
            score = _score(lines, sum(costs[c] for c in cuts))
            if best is None or score < best[0]:
                best = (score, lines)
        if best:
            return best[1], True
    return _greedy(title, costs), False


def _greedy(title: str, costs: dict[int, float]) -> list[str]:
    """Return ``title`` filled line by line, breaking at the last allowed position."""
    lines, start = [], 0
    while text_width(title[start:]) > MAX_WIDTH:
        fits = [c for c in costs if c > start and text_width(title[start:c]) <= MAX_WIDTH]
        cut = max(fits) if fits else start + int(MAX_WIDTH)
        lines.append(title[start:cut])
        start = cut
    return lines + [title[start:]]


def title_problems(lines: Sequence[str]) -> list[tuple[str, dict]]:
    """Return (code, ctx) for each problem of explicitly given title lines."""
    problems: list[tuple[str, dict]] = []
    for number, line in enumerate(lines, 1):
        if number > 1 and line and (line[0] in NO_START or line[0] == "的"):
            problems.append(("title_line_start", {"line": number, "char": line[0]}))
        width = text_width(line)
        if width > MAX_WIDTH:
            problems.append(("title_line_long", {"line": number, "width": f"{width:g}",
                                                 "max": f"{MAX_WIDTH:g}"}))
    widths = [text_width(line) for line in lines]
    if not shape_ok(widths):
        problems.append(("title_shape", {"widths": "、".join(f"{w:g}" for w in widths)}))
    return problems
