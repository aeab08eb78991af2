"""The plan: plain records saying which cell holds which formula, value, style and name.

Sheet builders return these records; :mod:`cmo_xl.workbook.render` is the only place that turns them
into an openpyxl workbook. A formula cell always carries ``cached``, the engine's value for it,
so the file shows numbers before any recalculation and tests can compare against it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cmo_xl.errors import LimitError
from cmo_xl.workbook import a1

#: Style roles the renderer knows; the Cover's legend explains the first five.
STYLES = (
    "input",
    "link",
    "calc",
    "check",
    "note",
    "total",
    "title",
    "subtitle",
    "header",
    "section",
    "label",
    "unit",
    "hyperlink",
)
#: Excel's limits on what one cell holds.
MAX_FORMULA_CHARS = 8_192
MAX_CELL_CHARS = 32_767
#: Number formats by token.
FORMATS = {
    "value": "#,##0.000",
    "pct": "0.0%",
    "pct2": "0.00%",
    "share": "0.00%",
    "year": "0",
    "int": "0",
    "sci": "0.0E+00",
    "weight": "0.0000",
}


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    value: Any
    style: str = "label"
    fmt: str | None = None
    cached: Any = None
    link: str | None = None  # an internal hyperlink target, e.g. "'Client type'!A1"
    array: str | None = None  # a formula entered as an array over this range, e.g. "C9:M9"
    udf: bool = False  # the value needs the cmo_xl UDFs (LibreOffice cannot compute it)

    @property
    def address(self) -> str:
        return a1.cell(self.row, self.col)

    @property
    def is_formula(self) -> bool:
        return isinstance(self.value, str) and self.value.startswith("=")


@dataclass(frozen=True)
class Validation:
    """Data validation on an input cell: a whole or decimal number between two bounds."""

    address: str
    whole: bool
    low: float
    high: float | None  # None: no upper bound
    rule: str  # said to the user when a value is refused


@dataclass
class SheetPlan:
    title: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)  # in points
    freeze: str | None = None
    validations: list[Validation] = field(default_factory=list)
    landscape: bool = False

    def put(
        self,
        row: int,
        col: int,
        value: Any,
        style: str = "label",
        fmt: str | None = None,
        cached: Any = None,
        link: str | None = None,
        array: str | None = None,
        udf: bool = False,
    ) -> Cell:
        """Add a cell; a formula must come with the engine's value for it."""
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}")
        if fmt is not None and fmt not in FORMATS:
            raise ValueError(f"unknown number format {fmt!r}")
        new = Cell(row, col, value, style, fmt, cached, link, array, udf)
        if new.is_formula and cached is None:
            raise ValueError(f"{self.title}!{new.address}: formula {value!r} has no cached value")
        if isinstance(cached, float) and not math.isfinite(cached):
            raise LimitError(
                f"{a1.ref(self.title, new.address)}: the model computes {cached} here; every "
                "number must stay finite, so check the inputs this cell follows"
            )
        if isinstance(value, str):
            most = MAX_FORMULA_CHARS if new.is_formula else MAX_CELL_CHARS
            if len(value) > most:
                what = "formula" if new.is_formula else "text"
                raise LimitError(
                    f"{a1.ref(self.title, new.address)}: the {what} would have {len(value):,} "
                    f"characters; Excel allows {most:,}. Shorten the names or text it is made of"
                )
        self.cells.append(new)
        return new

    def ref(self, row: int, col: int, *, abs_row: bool = False, abs_col: bool = False) -> str:
        """A reference to one of this sheet's cells from another sheet."""
        return a1.ref(self.title, a1.cell(row, col, abs_row=abs_row, abs_col=abs_col))

    def area_ref(self, row1: int, col1: int, row2: int, col2: int) -> str:
        return a1.ref(self.title, a1.area(row1, col1, row2, col2, absolute=True))

    def cell_at(self, row: int, col: int) -> Cell | None:
        return next((c for c in self.cells if (c.row, c.col) == (row, col)), None)


@dataclass
class WorkbookPlan:
    sheets: list[SheetPlan]
    #: defined name -> absolute reference, e.g. ``Inputs!$C$6``
    names: dict[str, str]
    #: (sheet, UDF cell, native-formula cell) pairs that must agree, on the Functions sheet
    comparisons: list[tuple[str, str, str]] = field(default_factory=list)

    def sheet(self, title: str) -> SheetPlan:
        return next(s for s in self.sheets if s.title == title)

    def formula_cells(self) -> list[tuple[str, Cell]]:
        return [(s.title, c) for s in self.sheets for c in s.cells if c.is_formula]
