"""What every sheet builder shares: the spec, the engine's numbers, the timeline and the names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from cmo_xl.model.compute.engine import Forecast, Key, forecast
from cmo_xl.model.compute.outcomes import Outcomes, outcomes
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Model
from cmo_xl.model.scenario_links import Moved, moved_by_scenarios
from cmo_xl.model.spec.schema import Spec
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import NumberFormat, SheetPlan

TITLE_ROW = 1
SUBTITLE_ROW = 2
YEAR_ROW = 4
PHASE_ROW = 5
FIRST_BODY_ROW = 7
LABEL_COL = 1
UNIT_COL = 2
#: Label column, unit column, then one column a year.
FIRST_YEAR_COL = 3


@dataclass
class Context:
    """The resolved model, the engine's numbers for it, and the defined names placed so far."""

    model: Model
    result: Forecast
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Spec, scenario: str | None = None) -> Context:
        """The context of ``spec`` with ``scenario`` in force (None: the first)."""
        model = resolve(spec, scenario)
        return cls(model, forecast(model))

    @cached_property
    def moved(self) -> list[Moved]:
        """The inputs the scenarios move through a formula, for the warnings of those typed
        over (Checks, Scenarios, the Dashboard)."""
        return moved_by_scenarios(self.model)

    @cached_property
    def outcomes(self) -> Outcomes:
        """Every scenario's results, for the Scenarios sheet."""
        return outcomes(self.model)

    @property
    def spec(self) -> Spec:
        return self.model.spec

    @property
    def values(self) -> dict[Key, list[float]]:
        return self.result.values

    @property
    def shares(self) -> dict[Key, list[float]]:
        return self.result.shares

    @property
    def years(self) -> list[int]:
        return self.model.years

    @property
    def first_col(self) -> int:
        return FIRST_YEAR_COL

    @property
    def last_col(self) -> int:
        return FIRST_YEAR_COL + len(self.years) - 1

    def col(self, year: int) -> int:
        return FIRST_YEAR_COL + year - int(self.model.base_year.value)

    def define(
        self,
        name: str,
        sheet: SheetPlan,
        row: int,
        col: int,
        row2: int | None = None,
        col2: int | None = None,
    ) -> str:
        """Give a cell (or a rectangle) a workbook-scoped defined name; returns the name."""
        if name in self.names:
            raise ValueError(f"defined name {name!r} is given twice")
        self.names[name] = sheet.area_ref(row, col, row2 or row, col2 or col)
        return name

    def row_ref(self, sheet: SheetPlan, row: int) -> str:
        """The whole timeline of one row on ``sheet``, absolute."""
        return sheet.area_ref(row, self.first_col, row, self.last_col)


def timeline_sheet(ctx: Context, title: str, subtitle: str) -> SheetPlan:
    """A calculation sheet with its title, year row and phase row; labels in A, units in B."""
    sheet = SheetPlan(title)
    sheet.put(TITLE_ROW, LABEL_COL, title, "title")
    sheet.put(SUBTITLE_ROW, LABEL_COL, subtitle, "subtitle")
    sheet.put(YEAR_ROW, LABEL_COL, "Year", "header")
    sheet.put(YEAR_ROW, UNIT_COL, "", "header")
    sheet.put(PHASE_ROW, LABEL_COL, "Growth phase of the year", "label")
    for year, phase in zip(ctx.years, ctx.result.phase_of_year, strict=True):
        col = ctx.col(year)
        fmt = year_format(ctx, year)
        if col == ctx.first_col:
            sheet.formula(YEAR_ROW, col, names.BASE_YEAR, cached=year, style="header", fmt=fmt)
            continue
        prev = a1.cell(YEAR_ROW, col - 1)
        sheet.formula(YEAR_ROW, col, f"{prev}+1", cached=year, style="header", fmt=fmt)
        text = formula_text.phase_of(a1.cell(YEAR_ROW, col, abs_row=True))
        sheet.formula(PHASE_ROW, col, text, cached=phase, fmt="int")
    sheet.widths = {LABEL_COL: 38, UNIT_COL: 10}
    sheet.widths.update({c: 11 for c in range(ctx.first_col, ctx.last_col + 1)})
    sheet.freeze = a1.cell(YEAR_ROW + 2, ctx.first_col)
    reported = ctx.model.last_reported_year
    sheet.shaded_from = ctx.col(reported + 1) if reported < ctx.years[-1] else None
    return sheet


def year_format(ctx: Context, year: int) -> NumberFormat:
    """2022A for a year the source reports, 2025E for one the model estimates."""
    return "year_actual" if year <= ctx.model.last_reported_year else "year_estimate"


def year_ref(col: int) -> str:
    """The year header above ``col``, row-absolute so it copies down."""
    return a1.cell(YEAR_ROW, col, abs_row=True)


def section(ctx: Context, sheet: SheetPlan, row: int, text: str) -> None:
    """A section heading, its band drawn across the whole timeline."""
    sheet.put(row, LABEL_COL, text, "section")
    for col in range(UNIT_COL, ctx.last_col + 1):
        sheet.put(row, col, "", "section")


def total_row(
    ctx: Context,
    sheet: SheetPlan,
    row: int,
    *,
    label: str,
    rows: tuple[int, int],
    values: list[float],
) -> None:
    """A row summing ``rows`` (first, last) in every year; ``values`` are the engine's."""
    top, bottom = rows
    sheet.put(row, LABEL_COL, label, "total")
    sheet.put(row, UNIT_COL, ctx.spec.market.unit, "total")
    for year, value in zip(ctx.years, values, strict=True):
        col = ctx.col(year)
        text = formula_text.total(a1.area(top, col, bottom, col))
        sheet.formula(row, col, text, cached=value, style="total", fmt="value_nq")
