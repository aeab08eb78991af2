"""Reconciliation: each figure the report states, beside the model's live number for it.

A reported figure is a CAGR over a span, or a value or share in a year, of the world or of any
member; the market values the model is built from are listed too, so every quoted number can
be seen reproduced. A figure carries the precision of its quote ("7%" is 6.5% to 7.5%,
"264.1" is 264.05 to 264.15). Its status is
``matched`` when the model gives the same number (to the checks' tolerance), ``within
rounding`` when it lies within the quote's precision, and ``conflict`` beyond that: the model is
built from the same report, so a conflict is the report contradicting itself. The numbers come
from :attr:`cmo_xl.model.engine.Forecast.benchmarks`.
"""

from __future__ import annotations

from cmo_xl.model import names
from cmo_xl.model.resolved import Key
from cmo_xl.model.verdicts import CONFLICT, MATCHED, ROUNDED
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
STATUS = HEADERS.index("Status") + 1
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
        sheet.put(4, col, text, "header")
    sheet.freeze = "A5"
    cells = []
    row = 4
    for b, inputs in zip(ctx.result.benchmarks, ctx.model.benchmarks, strict=True):
        row += 1
        figure, precision, gap = FORMATS[b.kind]
        end = inputs.end.name
        values = series[inputs.of]
        sheet.put(row, 1, b.label)
        sheet.put(row, 2, inputs.figure.unit, "unit")
        if inputs.start is not None:
            start = inputs.start.name
            sheet.formula(row, 3, start, cached=inputs.start.value, fmt="year")
            history = inputs.start.value < ctx.model.years[0]  # from a value stated as history
            model = formula_text.cagr(
                formula_text.at_year(names.HISTORY_VALUES, names.HISTORY_YEARS, start)
                if history
                else formula_text.at_year(values, names.YEARS, start),
                formula_text.at_year(values, names.YEARS, end),
                f"({end}-{start})",
            )
        elif b.kind == "share":
            part = formula_text.at_year(values, names.YEARS, end)
            whole = formula_text.at_year(series[inputs.parent], names.YEARS, end)
            model = f'IFERROR({part}/{whole},"{formula_text.NOT_AVAILABLE}")'
        else:
            model = formula_text.at_year(values, names.YEARS, end)
        sheet.formula(row, 4, end, cached=b.year, fmt="year")
        sheet.formula(row, 5, inputs.figure.name, cached=b.reported, fmt=figure)
        sheet.formula(row, 6, inputs.precision.name, cached=b.precision, fmt=precision)
        cached = formula_text.cached_or_not_available(b.model)
        sheet.formula(row, 7, model, cached=cached, fmt=figure)
        difference = formula_text.cached_or_not_available(b.difference)
        text = f'IFERROR({a1.cell(row, 7)}-{a1.cell(row, 5)},"{formula_text.NOT_AVAILABLE}")'
        sheet.formula(row, 8, text, cached=difference, fmt=gap)
        gap_cell = f"ABS({a1.cell(row, 8)})"
        margin = f"{names.CHECK_TOLERANCE}*ABS({a1.cell(row, 5)})"
        index = f"1+({gap_cell}>{margin})+({gap_cell}>{a1.cell(row, 6)}+{margin})"
        options = [formula_text.text(word) for word in (MATCHED, ROUNDED, CONFLICT)]
        text = f"IFERROR({formula_text.choose(index, options)},{formula_text.text(CONFLICT)})"
        sheet.formula(row, STATUS, text, cached=b.status, style="check")
        cells.append(sheet.ref(row, 7, abs_row=True, abs_col=True))
    if row == 4:
        sheet.put(5, 1, "The spec states no figure beyond those the model uses.", "note")
    return sheet, cells


def status_range(sheet: SheetPlan) -> str | None:
    """The Status column over every figure; None when the sheet lists none."""
    rows = [c.row for c in sheet.cells if c.col == STATUS and c.is_formula]
    return sheet.area_ref(min(rows), STATUS, max(rows), STATUS) if rows else None
