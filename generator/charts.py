"""One bar chart (PNG) per chosen metric: the districts side by side.

Drawn with Pillow (the ``charts`` extra: ``pip install "nianbao[charts]"``): a few
rectangles and labels need no plotting library, Pillow is small, and the Chinese labels
use a CJK font found by fontconfig (any Noto/Source Han/WenQuanYi face). Imported only by
``rollup``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

from .rollup import Rollup

WIDTH, HEIGHT, MARGIN = 1200, 700, 80
BAR = (68, 114, 196)
MISSING_NOTE = "（缺）"


class ChartsUnavailable(Exception):
    """Pillow is not installed."""

    def __str__(self) -> str:
        return '未安装 Pillow，无法画图；请运行 pip install "nianbao[charts]"（或加 --no-charts）'


def chart_keys(rollup: Rollup, chosen: list[str] | None) -> list[str]:
    """Return the metrics to draw: ``chosen``, else every summed or recomputed one."""
    if chosen:
        return [k for k in chosen if any(t.key == k for t in rollup.totals)]
    return [t.key for t in rollup.totals if t.how in ("sum", "rate")]


def draw_charts(rollup: Rollup, folder: Path, chosen: list[str] | None = None) -> list[Path]:
    """Write ``folder/<组.名称>.png`` for each chart; return the files."""
    try:
        from PIL import Image, ImageDraw  # noqa: F401
    except ImportError:
        raise ChartsUnavailable() from None
    from .api import safe_filename
    from .outputs import save_atomic

    font = _font_file()
    out = []
    totals = {t.key: t for t in rollup.totals}
    for key in chart_keys(rollup, chosen):
        image = bar_chart(rollup, totals[key], font)
        path = folder / f"{safe_filename(key)}.png"
        save_atomic(_saver(image), path)
        out.append(path)
    return out


def _saver(image: Any) -> Callable[[str], None]:
    def save(temp: str) -> None:
        image.save(temp, format="PNG")
    return save


def bar_chart(rollup: Rollup, total: Any, font_file: str | None):
    """Return the chart of one metric as a PIL image."""
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int):
        return ImageFont.truetype(font_file, size) if font_file else ImageFont.load_default()

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title = f"{rollup.year or ''}年各地{total.name}" + (f"（{total.unit}）" if total.unit else "")
    draw.text((WIDTH // 2, 30), title, fill="black", font=font(28), anchor="mt")
    districts = rollup.districts
    values = [d.figures[total.key][0] if total.key in d.figures else None for d in districts]
    top = max([v for v in values if v is not None] or [1]) or 1
    base, height = HEIGHT - MARGIN - 30, HEIGHT - 2 * MARGIN - 80
    draw.line((MARGIN, base, WIDTH - MARGIN // 2, base), fill="black", width=2)
    step = (WIDTH - MARGIN * 1.5) / max(len(districts), 1)
    label = font(18 if len(districts) <= 12 else 12)
    for index, (district, value) in enumerate(zip(districts, values)):
        left = MARGIN + index * step + step * 0.15
        right = left + step * 0.7
        centre = (left + right) / 2
        draw.text((centre, base + 10), district.region, fill="black", font=label, anchor="mt")
        if value is None:
            draw.text((centre, base - 10), MISSING_NOTE, fill="gray", font=label, anchor="mb")
            continue
        bar_top = base - height * float(value) / top
        draw.rectangle((left, bar_top, right, base), fill=BAR)
        draw.text((centre, bar_top - 4), _number(value), fill="black", font=label, anchor="mb")
    return image


def _number(value: float) -> str:
    from .formatting import format_number

    return format_number(value)


def _font_file() -> str | None:
    """Return a font file with Chinese glyphs (fontconfig), or None."""
    if shutil.which("fc-match") is None:
        return None
    try:
        done = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    path = done.stdout.strip()
    return path if path and Path(path).is_file() else None
