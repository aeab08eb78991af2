"""History: the market's values the report states for years before the base year, as actuals.

The forecast starts from the base year's value; the years before it are shown as the report
states them (2019A), with their sources, the growth between them and the CAGR they imply up to
the base year. Growth figures the report quotes over these years are reconciled on
Reconciliation against the same values.
"""

from __future__ import annotations

from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "History"
LABEL, UNIT, FIRST = 1, 2, 3
YEAR_ROW, VALUE_ROW, SOURCE_ROW, GROWTH_ROW, CAGR_ROW = 4, 5, 6, 7, 9


def build_history_sheet(ctx: Context) -> SheetPlan:
    """The sheet for a spec that states values before its base year."""
    model, unit = ctx.model, ctx.model.unit
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, f"{ctx.spec.market.name}: history, {unit}", "title")
    sheet.put(
        2,
        LABEL,
        "The market's values as the report states them for the years before the forecast, "
        "which starts from the base year's value.",
        "subtitle",
    )
    stated = ctx.result.history
    points = [*model.history, (model.base_value, model.base_year)]
    last = FIRST + len(points) - 1
    sheet.widths = {LABEL: 44, UNIT: 8, **{c: 11 for c in range(FIRST, last + 1)}}
    sheet.put(YEAR_ROW, LABEL, "Year", "header")
    sheet.put(YEAR_ROW, UNIT, "", "header")
    sheet.put(VALUE_ROW, LABEL, "Market value (as reported; the base year's as the model has it)")
    sheet.put(VALUE_ROW, UNIT, unit, "unit")
    sheet.put(SOURCE_ROW, LABEL, "Source")
    sheet.put(GROWTH_ROW, LABEL, "CAGR since the value before")
    sheet.put(GROWTH_ROW, UNIT, "%", "unit")
    years = stated.years
    for k, (value, year) in enumerate(points):
        col = FIRST + k
        sheet.formula(YEAR_ROW, col, year.name, cached=years[k], style="header", fmt="year_actual")
        sheet.formula(VALUE_ROW, col, value.name, cached=stated.values[k], fmt="value")
        sheet.put(SOURCE_ROW, col, value.source or value.provenance, "unit")
        if k:
            text = formula_text.cagr(
                a1.cell(VALUE_ROW, col - 1),
                a1.cell(VALUE_ROW, col),
                formula_text.span(a1.cell(YEAR_ROW, col), a1.cell(YEAR_ROW, col - 1)),
            )
            sheet.formula(
                GROWTH_ROW,
                col,
                text,
                cached=formula_text.cached_or_not_available(stated.growth[k - 1]),
                fmt="pct",
            )
    sheet.put(CAGR_ROW, LABEL, f"CAGR {years[0]}-{years[-1]}, implied by these values", "total")
    sheet.put(CAGR_ROW, UNIT, "%", "total")
    first_cell, last_cell = a1.cell(VALUE_ROW, FIRST), a1.cell(VALUE_ROW, last)
    span = formula_text.span(a1.cell(YEAR_ROW, last), a1.cell(YEAR_ROW, FIRST))
    text = formula_text.cagr(first_cell, last_cell, span)
    sheet.formula(
        CAGR_ROW,
        FIRST,
        text,
        cached=formula_text.cached_or_not_available(stated.cagr),
        style="total",
        fmt="pct",
    )
    sheet.put(
        CAGR_ROW + 1,
        LABEL,
        "Growth figures the report quotes over these years are set beside them on Reconciliation.",
        "note",
    )
    ctx.define(names.HISTORY_YEARS, sheet, YEAR_ROW, FIRST, YEAR_ROW, last)
    ctx.define(names.HISTORY_VALUES, sheet, VALUE_ROW, FIRST, VALUE_ROW, last)
    return sheet
