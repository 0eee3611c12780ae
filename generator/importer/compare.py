"""Compare report texts the way a reader would: whitespace, ASCII versus full-width
punctuation and typed versus generated heading numbers do not count."""

from __future__ import annotations

import difflib
import re

from .recognise import strip_marker

#: ASCII punctuation and the full-width form official documents use.
FOLD = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？",
                      "!": "！", "．": ".", "\u3000": " ", "\u00a0": " "})


def normalise(paragraph: str) -> str:
    """Return ``paragraph`` without its typed heading number, with ASCII punctuation
    folded to full width and all whitespace removed."""
    text = re.sub(r"\s+", "", paragraph.translate(FOLD))
    return strip_marker(text)


def normalised(paragraphs: list[str]) -> list[str]:
    return [n for n in (normalise(p) for p in paragraphs) if n]


def similarity(source: list[str], result: list[str]) -> float:
    """Return the similarity (0–1) of two texts given as paragraphs, after `normalise`.

    Paragraphs are aligned first; unequal stretches are then compared character by
    character, so a long report costs little."""
    a, b = normalised(source), normalised(result)
    total = sum(map(len, a)) + sum(map(len, b))
    if not total:
        return 1.0
    same = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            same += 2 * sum(len(p) for p in a[i1:i2])
        else:
            left, right = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
            matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
            same += 2 * sum(m.size for m in matcher.get_matching_blocks())
    return same / total
