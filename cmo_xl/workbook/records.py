"""The plan's records: which cell holds which value or formula, style, format and name.

Sheet builders return these records; :mod:`cmo_xl.workbook.render` is the only place that turns
them into an openpyxl workbook. A formula cell always carries the engine's value for it, so the
file shows numbers before any recalculation and tests can compare against it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from cmo_xl.errors import LimitError
from cmo_xl.workbook import a1

#: Style roles the renderer knows; the Cover's legend explains the first six.
Style = Literal[
    "input",
    "link",
    "fixed",  # a constant set when the workbook is built: locked, not an input
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
    "code",  # a line of the spec's YAML, in a fixed-width font
]
#: Styles whose text wraps within its column; :mod:`.layout` gives their rows the height.
WRAPPED: frozenset[Style] = frozenset({"note", "header", "label"})
#: Number-format tokens, and the Excel format each stands for. No format a person reads uses
#: scientific notation; values take the spec's decimals (see :func:`number_format`).
NumberFormat = Literal[
    "value",
    "value_nq",  # a value of a region (or its members), which is 0 only when not quantified
    "pct",
    "share",
    "share_nq",
    "points",
    "year",
    "year_actual",  # a year the source reports: 2022A
    "year_estimate",  # a year the model estimates: 2025E
    "int",
    "precise",
    "precise_pct",  # a precision: 0.5%, 0.05%
    "weight",
]
FORMATS: dict[NumberFormat, str] = {
    "value": "#,##0.0",
    "value_nq": '#,##0.0;-#,##0.0;"n.q."',
    "pct": "0.0%",
    "share": "0.0%",
    "share_nq": '0.0%;-0.0%;"n.q."',
    "points": "+0.0%;-0.0%;0.0%",  # a difference of two rates, signed
    "year": "0",
    "year_actual": '0"A"',
    "year_estimate": '0"E"',
    "int": "0",
    "precise": "0.0##########",  # tolerances and gaps: every digit, never 1E-09
    "precise_pct": "0.0##%",
    "weight": "0.0000",
}


def number_format(token: NumberFormat, decimals: int) -> str:
    """The Excel format of ``token``; values show ``decimals`` decimals (1 or 2).

    >>> number_format("value", 2), number_format("pct", 2)
    ('#,##0.00', '0.0%')
    """
    value = "#,##0." + "0" * decimals
    if token == "value":
        return value
    if token == "value_nq":  # zero is a region the source does not quantify
        return f'{value};-{value};"n.q."'
    return FORMATS[token]


#: Excel's limits on what one cell holds.
MAX_FORMULA_CHARS = 8_192
MAX_CELL_CHARS = 32_767
Value = str | float | int | bool


@dataclass(frozen=True)
class Cell:
    """One cell: a typed value, or a formula with the engine's value for it as ``value``."""

    row: int
    col: int
    value: Value
    formula: str | None = None  # the formula's text, without the leading "="
    style: Style = "label"
    fmt: NumberFormat | None = None
    link: str | None = None  # an internal hyperlink target, e.g. "'Client type'!A1"
    array: str | None = None  # a formula entered as an array over this range, e.g. "C9:M9"
    udf: bool = False  # the value needs the cmo_xl UDFs (LibreOffice cannot compute it)

    @property
    def address(self) -> str:
        return a1.cell(self.row, self.col)

    @property
    def is_formula(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True)
class Validation:
    """Data validation on an input cell: a whole or decimal number between two bounds, or one
    of a list of texts."""

    address: str
    whole: bool
    low: float
    high: float | None  # None: no upper bound
    rule: str  # said to the user when a value is refused
    options: str | None = None  # a defined name over the cells listing the allowed texts


#: stacked: columns stacked by series; percent: the same as 100%; pie: one series' parts;
#: column: side by side; tornado: horizontal bars below and above a base, stacked.
ChartKind = Literal["stacked", "percent", "pie", "column", "tornado"]


@dataclass(frozen=True)
class ChartSeries:
    name: str  # an absolute reference to the cell naming it, so the legend follows edits
    values: str  # an absolute reference to its values, e.g. "Regions!$C$12:$M$12"


@dataclass(frozen=True)
class Chart:
    """A chart over live ranges of the workbook."""

    kind: ChartKind
    title: str
    anchor: str  # the cell its top-left corner sits on
    categories: str  # an absolute reference to the category labels (years, names)
    series: tuple[ChartSeries, ...]
    value_title: str  # what the value axis measures, with its unit
    value_format: NumberFormat
    category_title: str = ""
    width: float = 12.0  # centimetres
    height: float = 7.0


@dataclass
class SheetPlan:
    title: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)  # in points
    freeze: str | None = None
    validations: list[Validation] = field(default_factory=list)
    one_page: bool = False  # printed on one page, scaled down to fit
    scale: int = 100  # the print scale in percent; :mod:`.layout` sets it
    shaded_from: int | None = None  # the first column of estimates, shaded on a timeline
    collapsed: set[int] = field(default_factory=set)  # helper rows, grouped and closed
    #: Locked against edits (no password): a stray keystroke cannot overwrite a formula.
    protected: bool = False
    charts: list[Chart] = field(default_factory=list)
    print_area: str | None = None  # what prints, when not the whole sheet (e.g. "A1:B9")
    #: Whether its input and link cells are typed in (unlocked); False where they only show
    #: the looks, as the Cover's legend does.
    typed_here: bool = True
    kind: str = ""  # what the registry says it is (:data:`cmo_xl.workbook.registry.Kind`)

    def put(
        self,
        row: int,
        col: int,
        value: Value,
        style: Style = "label",
        fmt: NumberFormat | None = None,
        *,
        link: str | None = None,
        udf: bool = False,
    ) -> Cell:
        """Place a value: text is always text, whatever it starts with."""
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise LimitError(
                f"{self._where(row, col)}: the text would have {len(value):,} characters; "
                f"Excel allows {MAX_CELL_CHARS:,}. Shorten the text it is made of"
            )
        return self._add(Cell(row, col, value, None, style, fmt, link, None, udf))

    def formula(
        self,
        row: int,
        col: int,
        text: str,
        *,
        cached: Value,
        style: Style = "calc",
        fmt: NumberFormat | None = None,
        array: str | None = None,
        udf: bool = False,
        link: str | None = None,
    ) -> Cell:
        """Place a formula (``text`` without "=") with the engine's value for it."""
        if len(text) + 1 > MAX_FORMULA_CHARS:
            raise LimitError(
                f"{self._where(row, col)}: the formula would have {len(text) + 1:,} characters; "
                f"Excel allows {MAX_FORMULA_CHARS:,}. Shorten the names or text it is made of"
            )
        if isinstance(cached, float) and not math.isfinite(cached):
            raise LimitError(
                f"{self._where(row, col)}: the model computes {cached} here; every number must "
                "stay finite, so check the inputs this cell follows"
            )
        return self._add(Cell(row, col, cached, text, style, fmt, link, array, udf))

    def _where(self, row: int, col: int) -> str:
        return a1.ref(self.title, a1.cell(row, col))

    def _add(self, cell: Cell) -> Cell:
        self.cells.append(cell)
        return cell

    def ref(self, row: int, col: int, *, abs_row: bool = False, abs_col: bool = False) -> str:
        """A reference to one of this sheet's cells from another sheet."""
        return a1.ref(self.title, a1.cell(row, col, abs_row=abs_row, abs_col=abs_col))

    def area_ref(self, row1: int, col1: int, row2: int, col2: int) -> str:
        return a1.ref(self.title, a1.area(row1, col1, row2, col2, absolute=True))


@dataclass
class WorkbookPlan:
    sheets: list[SheetPlan]
    #: defined name -> absolute reference, e.g. ``Inputs!$C$6``
    names: dict[str, str]
    #: (sheet, UDF cell, native-formula cell) pairs that must agree, on the Functions sheet
    comparisons: list[tuple[str, str, str]] = field(default_factory=list)
    decimals: int = 1  # of values in the model's unit
    #: Every series' value row by its engine key (world, regions, countries, segments): an
    #: absolute reference over the timeline, or the defined name of one.
    series: dict[tuple[str, str, str, str], str] = field(default_factory=dict)

    def sheet(self, title: str) -> SheetPlan:
        return next(s for s in self.sheets if s.title == title)

    def formula_cells(self) -> list[tuple[str, Cell]]:
        return [(s.title, c) for s in self.sheets for c in s.cells if c.is_formula]
