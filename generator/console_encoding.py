"""Make printing safe on consoles and files that are not UTF-8 (a Chinese Windows console
or ``PYTHONIOENCODING=gbk``): characters the encoding lacks degrade instead of crashing.

Our own text uses only characters that exist in GBK (tests/test_console_encoding.py
checks); user data can still hold anything (an emoji in a department name). Such a
character is written as a look-alike when there is one (``−`` → ``-``) and as ``?``
otherwise, the way Windows itself shows it.
"""

from __future__ import annotations

import codecs
import sys

ERRORS = "nianbao-degrade"

#: Look-alikes for characters missing from GBK that may still reach the console.
LOOK_ALIKES = {
    "\u203a": ">", "\u2039": "<", "\u2212": "-", "\u2713": "√", "\u2714": "√",
    "\u2717": "×", "\u2718": "×", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u2011": "-", "\u2010": "-", "\u2022": "·", "\u00bb": ">>", "\u00ab": "<<",
}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    encoding = error.encoding or "ascii"
    out = []
    for char in bad:
        substitute = LOOK_ALIKES.get(char, "?")
        try:
            substitute.encode(encoding)
        except UnicodeEncodeError:
            substitute = "?"
        out.append(substitute)
    return "".join(out), error.end


def _register() -> None:
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _degrade)


def make_streams_safe() -> None:
    """Let stdout and stderr write any text, degrading what their encoding cannot hold."""
    _register()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is None or encoding in ("utf-8", "utf8", "utf-16", "utf-32"):
            continue  # pytest's capture, or an encoding that holds everything
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
            pass


def json_for_stdout(text: str) -> str:
    """Return JSON text with every character stdout cannot encode written as ``\\uXXXX``,
    so that ``--json`` stays exact on a GBK console (non-ASCII only occurs inside strings)."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except (UnicodeEncodeError, LookupError):
            import json

            out.append(json.dumps(char)[1:-1])  # a surrogate pair for emoji
    return "".join(out)
