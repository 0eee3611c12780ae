"""Where each piece of loaded data came from: a YAML line, or an Excel sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..issues import Location

Loc = tuple[str | int, ...]


class Position(NamedTuple):
    """A place inside one file: a 1-based YAML line, or a sheet plus an A1-style cell."""

    line: int | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass
class SourceMap:
    """Positions of the keys and items of one loaded file, keyed by data path (``loc``)."""

    positions: dict[Loc, Position] = field(default_factory=dict)

    def set_line(self, loc: Loc, line: int) -> None:
        """Record that ``loc`` starts on YAML line ``line``."""
        self.positions[tuple(loc)] = Position(line=line)

    def set_cell(self, loc: Loc, sheet: str, cell: str | None = None) -> None:
        """Record that ``loc`` comes from ``cell`` of ``sheet`` (the whole sheet if None)."""
        self.positions[tuple(loc)] = Position(sheet=sheet, cell=cell)

    def position(self, loc: Loc) -> Position:
        """Return the position of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), Position())

    def line(self, loc: Loc) -> int | None:
        """Return the YAML line of ``loc`` (nearest ancestor), or None."""
        return self.position(loc).line

    @property
    def lines(self) -> dict[Loc, int]:
        """Return the YAML lines by loc (a read-only snapshot, kept for older callers)."""
        return {loc: p.line for loc, p in self.positions.items() if p.line is not None}

    def location(self, file: str, loc: Loc = (), **extra: Any) -> Location:
        """Return the `Location` of ``loc`` in ``file``, with its dotted path."""
        pos = self.position(loc)
        path = ".".join(map(str, loc)) or None
        if not extra:  # most calls: built positionally, without the dict
            return Location(file, pos.line, pos.sheet, pos.cell, path)
        where = {"line": pos.line, "sheet": pos.sheet, "cell": pos.cell, **extra}
        return Location(file=file, path=path, **where)
