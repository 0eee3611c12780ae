"""The one problem type (`Issue`), where it happened (`Location`), and `Report`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal

Severity = Literal["error", "warning", "info"]

#: Between file, sheet and cell; ASCII so that a GBK console (Chinese Windows) can show it.
SEPARATOR = ">"


@dataclass(frozen=True)
class Location:
    """A position in the user's input: file plus YAML line, or Excel sheet and cell."""

    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    path: str | None = None
    column: int | None = None  # 1-based character position in the paragraph (lint, text rules)

    def describe(self) -> str:
        """Return the position as Chinese text, e.g. ``departments/司法局.yaml 第12行`` or
        ``departments/司法局.xlsx > 指标 > C7`` (every character exists in GBK)."""
        parts = [self.file or ""]
        if self.sheet:
            parts.append(f"{SEPARATOR} {self.sheet}")
        if self.cell:
            parts.append(f"{SEPARATOR} {self.cell}")
        if self.line:
            parts.append(f"第{self.line}行")
        if self.column:
            parts.append(f"第{self.column}字")
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, with a stable code and a Chinese message."""

    code: str
    severity: Severity
    message: str
    loc: Location = field(default_factory=Location)
    snippet: str | None = None  # the exact text found (text rules)
    fix: str | None = None  # the certain replacement of ``snippet``, when there is one

    def as_dict(self) -> dict[str, Any]:
        """Return the flat JSON form used by ``--json``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.loc.file,
            "line": self.loc.line,
            "sheet": self.loc.sheet,
            "cell": self.loc.cell,
            "path": self.loc.path,
            "column": self.loc.column,
            "snippet": self.snippet,
            "fix": self.fix,
        }

    def text(self) -> str:
        """Return a one-line Chinese rendering: position, field path, message."""
        where = self.loc.describe()
        path = f"「{self.loc.path}」" if self.loc.path else ""
        head = " ".join(p for p in (where, path) if p)
        return f"{head}：{self.message}" if head else self.message


@dataclass
class Report:
    """All issues of one run; ``ok`` when there is no error."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issues: Iterable[Issue]) -> None:
        """Append issues, dropping exact duplicates."""
        seen = set(self.issues)
        for issue in issues:
            if issue not in seen:
                self.issues.append(issue)
                seen.add(issue)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def strict(self) -> Report:
        """Return a copy in which every warning counts as an error."""
        return Report([replace(i, severity="error") if i.severity == "warning" else i
                       for i in self.issues])

    def flatten(self, fields: Iterable[str] = ("code", "file", "line")) -> list[tuple]:
        """Return one tuple of the named fields per issue (for tests and tables)."""
        names = tuple(fields)
        return [tuple(i.as_dict()[n] for n in names) for i in self.issues]

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "errors": self.errors, "warnings": self.warnings,
                "issues": [i.as_dict() for i in self.issues]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)
