"""The spec's rules that the values typed in a workbook break, named by the cells they are in.

Validation words a problem by its field path (``regions[*].share: region shares sum to 1.05``);
a reviewer reads cells. Each problem's path is matched with the inputs' paths (``[*]`` stands
for every index), and the inputs it names are given by where their defined names point now,
consecutive rows of a column as one range: ``Inputs!C35:C39: regions[*].share: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cmo_xl.model.resolution.resolved import Model
from cmo_xl.workbook import a1

_TOKEN = re.compile(r"[^.\[\]]+|\[(?:\d+|\*)\]")
_PATH = re.compile(r"^([A-Za-z_][\w]*(?:\[(?:\d+|\*)\]|\.[A-Za-z_]\w*)*): ")
#: Ranges listed for one problem at most; the rest are counted.
MAX_RANGES = 6


@dataclass(frozen=True)
class Broken:
    """A rule the workbook's values break, and the cells of the inputs it names."""

    problem: str  # as validation words it, with its field path
    cells: tuple[str, ...]  # ranges, e.g. ("Inputs!C35:C39",); none when no input is named

    @property
    def where(self) -> str:
        """The cells, shortened: ``Inputs!C35:C39``, ``Inputs!C8, Inputs!C12 and 3 more``."""
        shown = ", ".join(self.cells[:MAX_RANGES])
        more = len(self.cells) - MAX_RANGES
        return f"{shown}{f' and {more} more' if more > 0 else ''}"

    def line(self) -> str:
        return f"{self.where}: {self.problem}" if self.cells else self.problem


def broken_rules(
    problems: Iterable[str], model: Model, places: dict[str, tuple[str, int, int]]
) -> list[Broken]:
    """Each problem with the cells of the inputs of ``model`` it names; ``places`` gives an
    input's sheet, row and column by its defined name."""
    out = []
    for problem in problems:
        match = _PATH.match(problem)
        named = _tokens(match[1]) if match else None
        cells = []
        if named is not None:
            for item in model.inputs():
                if item.path and item.name in places and _overlap(named, _tokens(item.path)):
                    cells.append(places[item.name])
        out.append(Broken(problem, _ranges(cells)))
    return out


def _tokens(path: str) -> list[str]:
    return _TOKEN.findall(path)


def _overlap(named: list[str], path: list[str]) -> bool:
    """Whether one path holds the other: ``regions[*]`` holds ``regions[2].share``, and
    ``phases[0].cagr`` holds ``phases[0].cagr.value``."""
    return all(a == b or _any_index(a, b) for a, b in zip(named, path, strict=False))


def _any_index(a: str, b: str) -> bool:
    return "[*]" in (a, b) and a.startswith("[") and b.startswith("[")


def _ranges(cells: list[tuple[str, int, int]]) -> tuple[str, ...]:
    columns: dict[tuple[str, int], list[int]] = {}
    for sheet, row, col in sorted(set(cells)):
        columns.setdefault((sheet, col), []).append(row)
    out = []
    for (sheet, col), rows in columns.items():
        for first, last in a1.runs(rows):
            area = a1.area(first, col, last, col) if last > first else a1.cell(first, col)
            out.append(a1.ref(sheet, area))
    return tuple(out)
