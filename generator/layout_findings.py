"""The findings of a layout check: one `Finding` per deviation, a `LayoutReport` per
document. Shared by `layout_check`, `layout_rules` and `layout_pages`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One deviation from GB/T 9704: rule id, severity, place, found vs expected."""

    rule: str
    severity: Severity
    message: str
    found: str
    expected: str
    paragraph: int | None = None  # 1-based, counting every paragraph of the body
    text: str | None = None  # the paragraph's first characters
    section: int | None = None  # 1-based
    count: int = 1  # paragraphs with the same problem (only the first is located)

    def where(self) -> str:
        """Return the location as Chinese text."""
        if self.paragraph is not None:
            more = f"（等 {self.count} 段）" if self.count > 1 else ""
            return f"第{self.paragraph}段「{self.text}」{more}"
        return f"第{self.section}节" if self.section else "全文"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LayoutReport:
    """Findings of one document; ``ok`` when there is no error."""

    path: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def rules(self, severity: Severity | None = None) -> set[str]:
        """Return the ids of the rules that fired (optionally of one severity)."""
        return {f.rule for f in self.findings if severity in (None, f.severity)}

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "errors": self.errors, "warnings": self.warnings,
                "findings": [f.as_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


class NotADocx(Exception):
    """The file is missing or is not a Word document (exit 2)."""
