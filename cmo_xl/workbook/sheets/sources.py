"""Sources: every quoted figure, how the model uses it, its conflicts, and fixes to the source."""

from __future__ import annotations

from collections.abc import Sequence

from cmo_xl.model.compute.flags import (
    ALL_DIGITS,
    ALL_DIGITS_PCT,
    GENERAL,
    TEXT_FORMATS,
    WHOLE,
    Flag,
    flags,
    quote_format,
)
from cmo_xl.model.resolution.resolved import Benchmark
from cmo_xl.workbook import formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Sources"


FLAG_HEADERS = ("Flag", "What the model does")


def _heading(sheet: SheetPlan, row: int, title: str, headers: tuple[str, ...]) -> int:
    """A section title and its header row; returns the header row."""
    sheet.put(row, 1, title, "section")
    for col, text in enumerate(headers, start=1):
        sheet.put(row + 1, col, text, "header")
    return row + 1


def _table(
    sheet: SheetPlan,
    row: int,
    title: str,
    headers: tuple[str, ...],
    rows: Sequence[Sequence[str]],
    empty: str,
) -> int:
    row = _heading(sheet, row, title, headers)
    if not rows:
        row += 1
        sheet.put(row, 1, empty, "note")
    for values in rows:
        row += 1
        for col, text in enumerate(values, start=1):
            sheet.put(row, col, text, "note")
    return row + 2


def _as_quoted(inputs: Benchmark, name: str, upper: bool) -> str:
    """The figure in cell ``name`` as text, as :func:`cmo_xl.model.compute.flags.quoted_text`
    writes it: with every digit typed, or the quote's decimals where it had trailing zeros."""
    fmt = quote_format(inputs, upper)
    if fmt != GENERAL:
        return formula_text.as_text(name, fmt)
    if inputs.kind == "value":
        whole = formula_text.as_text(name, WHOLE)
        return f"IF({name}=INT({name}),{whole},{formula_text.as_text(name, ALL_DIGITS)})"
    percent = formula_text.as_text(name, ALL_DIGITS_PCT)
    return f'SUBSTITUTE({percent},".%","%")'


def _benchmark_flag(ctx: Context, flag: Flag, model_cell: str) -> str:
    """The flag's text as a formula over the figures it quotes, so it follows edits."""
    inputs = ctx.model.benchmarks[flag.benchmark or 0]
    _, model = TEXT_FORMATS[inputs.kind]
    period = [inputs.end.name]
    if inputs.start is not None:
        period = [inputs.start.name, formula_text.text("-"), inputs.end.name]
    words = f"Reported {inputs.qualifier} " if inputs.qualifier else "Reported "
    upper = []
    if inputs.high is not None:
        upper = [formula_text.text(" and "), _as_quoted(inputs, inputs.high.name, True)]
    return formula_text.concat(
        [
            formula_text.text(words),
            _as_quoted(inputs, inputs.figure.name, False),
            *upper,
            formula_text.text(" for "),
            *period,
            formula_text.text("; the model implies "),
            formula_text.as_text(model_cell, model),
            formula_text.text(". Shown on Reconciliation; not used as an input."),
        ]
    )


def _flags_table(ctx: Context, sheet: SheetPlan, row: int, benchmark_cells: list[str]) -> int:
    """What the spec leaves unsettled. A flag that quotes live figures is a formula over them."""
    found = flags(ctx.result)
    if not found:
        return _table(sheet, row, "Flags", FLAG_HEADERS, [], "Nothing flagged.")
    row = _heading(sheet, row, "Flags", FLAG_HEADERS)
    for flag in found:
        row += 1
        sheet.put(row, 1, flag.title, "note")
        if flag.benchmark is None:
            sheet.put(row, 2, flag.text, "note")
        else:
            text = _benchmark_flag(ctx, flag, benchmark_cells[flag.benchmark])
            sheet.formula(row, 2, text, cached=flag.text, style="note")
    return row + 2


def build_sources_sheet(ctx: Context, benchmark_cells: list[str]) -> SheetPlan:
    """``benchmark_cells`` hold the model's number for each reported figure on
    Reconciliation."""
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
    sheet.widths = {1: 16, 2: 30, 3: 34, 4: 26, 5: 30, 6: 30}
    row = 4
    document = spec.document
    if document is not None:
        accessed = f"{document.accessed:%Y-%m-%d}" if document.accessed else ""
        fields = [
            ("Title", document.title),
            ("Publisher", document.publisher or ""),
            ("Report id", document.report_id or ""),
            ("Address", document.address),
            ("Accessed", accessed),
            ("Note", document.note),
        ]
        row = _table(
            sheet, row, "The source document", ("Field", "Value"), [f for f in fields if f[1]], ""
        )
    row = _table(
        sheet,
        row,
        "Quoted figures",
        ("Id", "Figure", "Quote", "Where", "Used as", "Conflict"),
        [(s.id, s.figure, s.quote, s.location, s.use, s.conflict) for s in spec.sources],
        "The spec lists no sources.",
    )
    converted = [(i.path, i.quoted) for i in ctx.model.inputs() if i.quoted]
    if converted:
        row = _table(
            sheet,
            row,
            f"Figures converted to the model's unit ({ctx.model.unit})",
            ("Field", "As quoted, and converted"),
            converted,
            "",
        )
    row = _flags_table(ctx, sheet, row, benchmark_cells)
    _table(
        sheet,
        row,
        "Corrections to the source",
        ("Original", "Corrected", "Region", "Reason"),
        [(c.original, c.corrected or "(dropped)", c.region, c.reason) for c in spec.corrections],
        "No corrections.",
    )
    return sheet
