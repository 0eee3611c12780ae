"""Every required section of the template is present and not empty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..issues import Issue
from ..messages_zh import issue

if TYPE_CHECKING:
    from ..prepared import Ready


def required_sections(prepared: "Ready") -> Iterator[Issue]:
    """Yield ``section_missing`` for each required section nobody supplied or covered."""
    for section in prepared.outline.sections:
        spec = section.spec
        if spec.required and spec.key not in prepared.outline.covered:
            basis = spec.basis or f"模板「{prepared.template.name}」要求包含此项"
            yield issue("section_missing", prepared.workspace.config_loc("章节", spec.key),
                        title=spec.item or spec.key, basis=basis)
