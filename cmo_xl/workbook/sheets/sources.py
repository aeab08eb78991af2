"""Sources: every quoted figure, how the model uses it, its conflicts, and fixes to the source."""

from __future__ import annotations

from collections.abc import Sequence

from cmo_xl.model.flags import flags
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Sources"


def _table(
    sheet: SheetPlan,
    row: int,
    title: str,
    headers: tuple[str, ...],
    rows: Sequence[Sequence[str]],
    empty: str,
) -> int:
    sheet.put(row, 1, title, "section")
    row += 1
    for col, text in enumerate(headers, start=1):
        sheet.put(row, col, text, "header")
    if not rows:
        row += 1
        sheet.put(row, 1, empty, "note")
    for values in rows:
        row += 1
        for col, text in enumerate(values, start=1):
            sheet.put(row, col, text, "note")
    return row + 2


def build_sources_sheet(ctx: Context) -> SheetPlan:
    spec = ctx.spec
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Sources", "title")
    sheet.put(
        2,
        1,
        "Every figure the model takes from its source, how it is used, where the "
        "source conflicts with itself, and what was corrected.",
        "subtitle",
    )
    sheet.widths = {1: 34, 2: 24, 3: 70, 4: 44, 5: 60, 6: 60}
    row = _table(
        sheet,
        4,
        "Quoted figures",
        ("Id", "Figure", "Quote", "Where", "Used as", "Conflict"),
        [(s.id, s.figure, s.quote, s.location, s.use, s.conflict) for s in spec.sources],
        "The spec lists no sources.",
    )
    row = _table(
        sheet,
        row,
        "Flags",
        ("Flag", "What the model does"),
        flags(ctx.result),
        "Nothing flagged.",
    )
    _table(
        sheet,
        row,
        "Corrections to the source",
        ("Original", "Corrected", "Region", "Reason"),
        [(c.original, c.corrected or "(dropped)", c.region, c.reason) for c in spec.corrections],
        "No corrections.",
    )
    return sheet
