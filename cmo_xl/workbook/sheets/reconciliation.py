"""Reconciliation: each figure the report states but the model does not use, beside the model.

A reported figure carries the precision of its quote ("7%" is 6.5% to 7.5%). Its status is
``matched`` when the model gives the same number (to the checks' tolerance), ``within
rounding`` when it lies within the quote's precision, and ``conflict`` beyond that: the model is
built from the same report, so a conflict is the report contradicting itself. The numbers come
from :attr:`cmo_xl.model.engine.Forecast.benchmarks`.
"""

from __future__ import annotations

import math

from cmo_xl.model import names
from cmo_xl.model.verdicts import CONFLICT, MATCHED, ROUNDED
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Reconciliation"
HEADERS = (
    "Reported figure",
    "Unit",
    "From",
    "To",
    "Reported CAGR",
    "Precision (±)",
    "Model's implied CAGR",
    "Difference",
    "Status",
)
WIDTHS = (44, 6, 8, 8, 11, 11, 12, 11, 15)


def build_reconciliation_sheet(ctx: Context) -> tuple[SheetPlan, list[str]]:
    """The sheet, and each figure's implied-CAGR cell (which the Sources flags quote)."""
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Reconciliation: the report against the model", "title")
    sheet.put(
        2,
        1,
        "Figures the report states that the model does not use. Each has the precision of its "
        "quote; beyond it, the report contradicts the figures the model is built from.",
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
        start, end = inputs.start.name, inputs.end.name
        sheet.put(row, 1, b.label)
        sheet.put(row, 2, "%", "unit")
        sheet.formula(row, 3, start, cached=b.start_year, fmt="year")
        sheet.formula(row, 4, end, cached=b.end_year, fmt="year")
        sheet.formula(row, 5, inputs.cagr.name, cached=b.reported_cagr, fmt="pct")
        sheet.formula(row, 6, inputs.precision.name, cached=b.precision, fmt="precise_pct")
        model = formula_text.cagr(
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, start),
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, end),
            f"({end}-{start})",
        )
        cached = "n/a" if math.isnan(b.model_cagr) else b.model_cagr
        sheet.formula(row, 7, model, cached=cached, fmt="pct")
        sheet.formula(
            row, 8, f"{a1.cell(row, 7)}-{a1.cell(row, 5)}", cached=b.difference, fmt="points"
        )
        gap = f"ABS({a1.cell(row, 8)})"
        index = (
            f"1+({gap}>{names.CHECK_TOLERANCE}*ABS({a1.cell(row, 5)}))+({gap}>{a1.cell(row, 6)})"
        )
        options = [formula_text.text(word) for word in (MATCHED, ROUNDED, CONFLICT)]
        text = formula_text.choose(index, options)
        sheet.formula(row, 9, text, cached=b.status, style="check")
        cells.append(sheet.ref(row, 7, abs_row=True, abs_col=True))
    if row == 4:
        sheet.put(5, 1, "The spec states no figure beyond those the model uses.", "note")
    return sheet, cells
