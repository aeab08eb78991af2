"""Reconciliation: each figure the report states, beside the model's live number for it.

A reported figure is a CAGR over a span, or a value or share in a year, of the world or of any
member; the market values the model is built from are listed too, so every quoted number can
be seen reproduced. A figure carries the precision of its quote ("7%" is 6.5% to 7.5%,
"264.1" is 264.05 to 264.15). Its status is
``matched`` when the model gives the same number (to the checks' tolerance), ``within
rounding`` when it lies within the quote's precision, and ``conflict`` beyond that: the model is
built from the same report, so a conflict is the report contradicting itself. The numbers come
from :attr:`cmo_xl.model.compute.engine.Forecast.benchmarks`.
"""

from __future__ import annotations

from cmo_xl.model.compute.verdicts import CONFLICT, MATCHED, ROUNDED
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Key
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import NumberFormat, SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Reconciliation"
HEADERS = (
    "Reported figure",
    "Unit",
    "From",
    "To / in",
    "Reported",
    "Precision (±)",
    "Model",
    "Difference",
    "Status",
)
WIDTHS = (44, 8, 8, 8, 11, 11, 12, 11, 15)
#: The sheet's columns, which readers (the recalculation's comparison) take from here.
LABEL, UNIT, FROM, TO, REPORTED, PRECISION, MODEL, DIFFERENCE, STATUS = range(1, len(HEADERS) + 1)
HEADER_ROW = 4
#: Number formats of a figure and of its difference, by kind.
FORMATS: dict[str, tuple[NumberFormat, NumberFormat, NumberFormat]] = {
    "cagr": ("pct", "precise_pct", "points"),
    "share": ("pct", "precise_pct", "points"),
    "value": ("value", "precise", "value"),
}


def build_reconciliation_sheet(ctx: Context, series: dict[Key, str]) -> tuple[SheetPlan, list[str]]:
    """The sheet, and each figure's model cell (which the Sources flags quote). ``series``
    maps an engine key to that series' row on its sheet."""
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Reconciliation: the report against the model", "title")
    sheet.put(
        2,
        1,
        "Figures the report states, each with the precision of its quote; beyond it, the "
        "report contradicts the figures the model is built from.",
        "note",
    )
    sheet.widths = dict(enumerate(WIDTHS, start=1))
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(HEADER_ROW, col, text, "header")
    sheet.freeze = "A5"
    cells = []
    row = HEADER_ROW
    for b, inputs in zip(ctx.result.benchmarks, ctx.model.benchmarks, strict=True):
        row += 1
        figure, precision, gap = FORMATS[b.kind]
        end = inputs.end.name
        values = series[inputs.of]
        sheet.put(row, LABEL, b.label)
        sheet.put(row, UNIT, inputs.figure.unit, "unit")
        if inputs.start is not None:
            start = inputs.start.name
            sheet.formula(row, FROM, start, cached=inputs.start.value, fmt="year")
            history = inputs.start.value < ctx.model.years[0]  # from a value stated as history
            model = formula_text.cagr(
                formula_text.at_year(names.HISTORY_VALUES, names.HISTORY_YEARS, start)
                if history
                else formula_text.at_year(values, names.YEARS, start),
                formula_text.at_year(values, names.YEARS, end),
                formula_text.span(end, start),
            )
        elif b.kind == "share":
            part = formula_text.at_year(values, names.YEARS, end)
            whole = formula_text.at_year(series[inputs.parent], names.YEARS, end)
            model = formula_text.or_not_available(formula_text.ratio(part, whole))
        else:
            model = formula_text.at_year(values, names.YEARS, end)
        sheet.formula(row, TO, end, cached=b.year, fmt="year")
        sheet.formula(row, REPORTED, inputs.figure.name, cached=b.reported, fmt=figure)
        sheet.formula(row, PRECISION, inputs.precision.name, cached=b.precision, fmt=precision)
        cached = formula_text.cached_or_not_available(b.model)
        sheet.formula(row, MODEL, model, cached=cached, fmt=figure)
        difference = formula_text.cached_or_not_available(b.difference)
        text = formula_text.or_not_available(
            formula_text.minus(a1.cell(row, MODEL), a1.cell(row, REPORTED))
        )
        sheet.formula(row, DIFFERENCE, text, cached=difference, fmt=gap)
        words = [MATCHED, ROUNDED, CONFLICT]
        text = formula_text.reconciled(
            a1.cell(row, DIFFERENCE), a1.cell(row, REPORTED), a1.cell(row, PRECISION), words
        )
        sheet.formula(row, STATUS, text, cached=b.status, style="check")
        cells.append(sheet.ref(row, MODEL, abs_row=True, abs_col=True))
    if row == HEADER_ROW:
        sheet.put(
            HEADER_ROW + 1, LABEL, "The spec states no figure beyond those the model uses.", "note"
        )
    return sheet, cells


def status_range(sheet: SheetPlan) -> str | None:
    """The Status column over every figure; None when the sheet lists none."""
    rows = [c.row for c in sheet.cells if c.col == STATUS and c.is_formula]
    return sheet.area_ref(min(rows), STATUS, max(rows), STATUS) if rows else None
