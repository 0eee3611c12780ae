"""The proofreader (校对): rule functions shared by ``validate`` (narrative data) and
``lint`` (any existing report).

Paragraph rules (`paragraph.PARAGRAPH_RULES`) take one paragraph and return every
`Finding` in it, each with its character offsets, the exact snippet and a certain fix
where there is one. Document rules (`document.check_document`) look across paragraphs:
repeated paragraphs, heading numbering, mixed range styles, required items.
"""

from __future__ import annotations

from .finding import Finding
from .paragraph import PARAGRAPH_RULES, check_paragraph

__all__ = ["Finding", "PARAGRAPH_RULES", "check_paragraph"]
