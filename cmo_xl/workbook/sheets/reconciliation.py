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

from collections.abc import Callable
from dataclasses import dataclass, field

from cmo_xl.model.compute.reconcile import (
    THE_QUOTE,
    BenchmarkComparison,
    market_phases,
    stated_for,
    stated_label,
)
from cmo_xl.model.compute.verdicts import BOUNDED, CONFLICT, MATCHED, ROUNDED
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Benchmark, Input, Key, Model, world_key
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
    "Quote says",
    "Up to",
    "Model in From",
    "Model in To / in",
    "Whole in To / in",
    "Model low",
    "Model high",
    "Rounding allowed for",
)
WIDTHS = (44, 8, 8, 8, 11, 11, 12, 11, 15, 11, 10, 12, 12, 12, 12, 12, 40)
#: The sheet's columns, which readers (the recalculation's comparison) take from here.
(
    LABEL, UNIT, FROM, TO, REPORTED, PRECISION, MODEL, DIFFERENCE, STATUS, QUALIFIER, UPPER,
    AT_START, AT_END, WHOLE, MODEL_LOW, MODEL_HIGH, ROUNDING,
) = range(1, len(HEADERS) + 1)  # fmt: skip
HEADER_ROW = 4
#: Number formats of a figure and of its difference, by kind.
#: A rate shows every digit it was quoted with ("5.45%", not "5.5%").
FORMATS: dict[str, tuple[NumberFormat, NumberFormat, NumberFormat]] = {
    "cagr": ("precise_pct", "precise_pct", "points"),
    "share": ("precise_pct", "precise_pct", "points"),
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
        "report contradicts the figures the model is built from. Columns from J show the "
        "working: a bound's words, the model's values the figure is read from, and the model's "
        "number at the corners of the rounding of the stated figures it depends on.",
        "note",
    )
    sheet.widths = dict(enumerate(WIDTHS, start=1))
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(HEADER_ROW, col, text, "header")
    sheet.freeze = "B5"
    cells = []
    row = HEADER_ROW
    for b, inputs in zip(ctx.result.benchmarks, ctx.model.benchmarks, strict=True):
        row += 1
        _figure_row(ctx, sheet, row, series, b, inputs)
        cells.append(sheet.ref(row, MODEL, abs_row=True, abs_col=True))
    if row == HEADER_ROW:
        sheet.put(
            HEADER_ROW + 1, LABEL, "The spec states no figure beyond those the model uses.", "note"
        )
    return sheet, cells


@dataclass(frozen=True)
class _Reading:
    """How a row reads the model's number and its interval: the formulas, the year cells it
    reads in, the stated figures' rounding terms, when their rounding applies (a condition), and
    the market phases that hold a CAGR's span (each with its condition)."""

    number: str
    low: str
    high: str
    years: list[str]
    rounded: list[str]
    applies: str
    phases: list[tuple[str, Benchmark, Benchmark]] = field(default_factory=list)


def _figure_row(
    ctx: Context,
    sheet: SheetPlan,
    row: int,
    series: dict[Key, str],
    b: BenchmarkComparison,
    inputs: Benchmark,
) -> None:
    """One reported figure: what it says, the model's values it is read from, the model's
    number and its interval, and the status."""
    model = ctx.model
    figure, precision, gap = FORMATS[b.kind]
    history = (names.HISTORY_VALUES, names.HISTORY_YEARS) if model.history else None

    def at(keys: tuple[Key, ...], year: Input) -> str:
        """The keys' series added in ``year``: extended where the year lies outside."""
        inside = year.kind == "year"
        parts = [
            formula_text.at_year(series[k], names.YEARS, year.name)
            if inside
            else formula_text.extended_at_year(
                series[k], year.name, history if k == world_key() else None
            )
            for k in keys
        ]
        return formula_text.plus(parts)

    def rounding(keys: tuple[Key, ...], year: str) -> str:
        stated = [] if inputs.stated else stated_for(model, keys)
        return formula_text.stated_rounding(year, [(s.end.name, s.precision.name) for s in stated])

    def cell(col: int) -> str:
        return a1.cell(row, col)

    end = inputs.end
    sheet.put(row, LABEL, b.label)
    sheet.put(row, UNIT, inputs.figure.unit, "unit")
    sheet.formula(row, TO, end.name, cached=b.year, fmt="year")
    sheet.formula(row, REPORTED, inputs.figure.name, cached=b.reported, fmt=figure)
    sheet.formula(row, PRECISION, inputs.precision.name, cached=b.precision, fmt=precision)
    if inputs.qualifier:
        sheet.put(row, QUALIFIER, inputs.qualifier, "label")
    if inputs.high is not None:
        sheet.formula(row, UPPER, inputs.high.name, cached=inputs.high.value, fmt=figure)
    sheet.formula(row, AT_END, at(inputs.of, end), cached=_cached(b.at_end), fmt="value")
    p_end = rounding(inputs.of, cell(TO))
    if inputs.start is not None:
        assert b.at_start is not None
        start = inputs.start
        sheet.formula(row, FROM, start.name, cached=start.value, fmt="year")
        sheet.formula(row, AT_START, at(inputs.of, start), cached=_cached(b.at_start), fmt="value")
        reading = _cagr_reading(model, inputs, cell, rounding(inputs.of, cell(FROM)), p_end)
    elif b.kind == "share":
        assert b.whole is not None
        whole = at((inputs.parent,), end)
        sheet.formula(row, WHOLE, whole, cached=_cached(b.whole), fmt="value")
        reading = _share_reading(cell, p_end, rounding((inputs.parent,), cell(TO)))
    else:
        low, high = f"{cell(AT_END)}-{p_end}", f"{cell(AT_END)}+{p_end}"
        reading = _Reading(cell(AT_END), low, high, [cell(TO)], [p_end], "TRUE")
    low, high = reading.low, reading.high
    if not reading.phases and all(p == "0" for p in reading.rounded):
        low = high = cell(MODEL)  # no stated figure to allow for: the model's number
    sheet.formula(row, MODEL, reading.number, cached=_cached(b.model), fmt=figure)
    sheet.formula(row, MODEL_LOW, low, cached=_cached(b.model_low), fmt=figure)
    sheet.formula(row, MODEL_HIGH, high, cached=_cached(b.model_high), fmt=figure)
    difference = formula_text.cached_or_not_available(b.difference)
    text = formula_text.or_not_available(formula_text.minus(cell(MODEL), cell(REPORTED)))
    sheet.formula(row, DIFFERENCE, text, cached=difference, fmt=gap)
    status = formula_text.reconciled(
        cell(MODEL),
        cell(DIFFERENCE),
        cell(MODEL_LOW),
        cell(MODEL_HIGH),
        cell(REPORTED),
        cell(PRECISION),
        inputs.bound,
        cell(UPPER),
        (MATCHED, ROUNDED, BOUNDED, CONFLICT),
    )
    sheet.formula(row, STATUS, status, cached=b.status, style="check")
    entries = [] if inputs.stated else _rounding_entries(model, inputs, reading, cell(TO), p_end)
    labels = formula_text.stated_labels(entries, THE_QUOTE)
    sheet.formula(row, ROUNDING, labels, cached=b.rounding, style="note")


def _cagr_reading(
    model: Model, inputs: Benchmark, cell: Callable[[int], str], p_start: str, p_end: str
) -> _Reading:
    """A CAGR, and its interval: at the corners of the two stated figures at its ends (one
    series, both stated), or of the two market values a phase that holds the span is derived
    from; as :func:`cmo_xl.model.compute.reconcile.compare` says."""
    span = formula_text.span(cell(TO), cell(FROM))
    both = "0"
    if len(inputs.of) == 1 and "0" not in (p_start, p_end):
        both = f"({p_start}>0)*({p_end}>0)"
    p_start, p_end = ("0", "0") if both == "0" else (f"{both}*{p_start}", f"{both}*{p_end}")
    low = formula_text.cagr(f"({cell(AT_START)}+{p_start})", f"({cell(AT_END)}-{p_end})", span)
    high = formula_text.cagr(f"({cell(AT_START)}-{p_start})", f"({cell(AT_END)}+{p_end})", span)
    phases = [
        (f"AND({cell(FROM)}>={first.end.name},{cell(TO)}<={last.end.name})", first, last)
        for first, last in market_phases(model, inputs)
    ]
    for where, first, last in reversed(phases):
        low = formula_text.choose(f"1+{where}", [low, _phase_cagr(first, last, +1)])
        high = formula_text.choose(f"1+{where}", [high, _phase_cagr(first, last, -1)])
    applies = both
    if phases and both != "0":  # the ends' rounding, where no such phase holds the span
        applies = f"AND({both},NOT(OR({','.join(where for where, _, _ in phases)})))"
    number = formula_text.cagr(cell(AT_START), cell(AT_END), span)
    return _Reading(number, low, high, [cell(FROM), cell(TO)], [p_start, p_end], applies, phases)


def _share_reading(cell: Callable[[int], str], p_part: str, p_whole: str) -> _Reading:
    """A share, and its interval: its part's rounding, and its whole's where the part's
    applies."""
    p_whole = "0" if "0" in (p_part, p_whole) else f"({p_part}>0)*{p_whole}"
    part, whole = cell(AT_END), cell(WHOLE)
    number = formula_text.or_not_available(formula_text.ratio(part, whole))
    low = formula_text.or_not_available(f"({part}-{p_part})/({whole}+{p_whole})")
    high = formula_text.or_not_available(f"({part}+{p_part})/({whole}-{p_whole})")
    return _Reading(number, low, high, [cell(TO)], [p_part, p_whole], f"{p_part}>0")


def _rounding_entries(
    model: Model, inputs: Benchmark, reading: _Reading, to: str, p_end: str
) -> list[tuple[str, str]]:
    """The stated figures a status may allow for, each with the condition that it does, in the
    engine's order: its parts', a phase's two values, then a share's whole's."""
    entries = []
    for s in stated_for(model, inputs.of) if reading.applies != "0" else []:
        matches = ",".join(f"{y}={s.end.name}" for y in reading.years)
        when = f"AND(OR({matches}),{reading.applies})"
        entries.append((f"OR({matches})" if reading.applies == "TRUE" else when, stated_label(s)))
    for where, first, last in reading.phases:
        entries += [(where, stated_label(first)), (where, stated_label(last))]
    if inputs.kind == "share" and p_end != "0":
        for s in stated_for(model, (inputs.parent,)):
            entries.append((f"AND({to}={s.end.name},{reading.applies})", stated_label(s)))
    return entries


def _phase_cagr(first: Benchmark, last: Benchmark, sign: int) -> str:
    """The CAGR between two stated market values at a corner of their rounding: the lowest
    (``sign`` +1: the first value up, the last down) or the highest (-1)."""
    up, down = ("+", "-") if sign > 0 else ("-", "+")
    years = f"({last.end.name}-{first.end.name})"
    return formula_text.cagr(
        f"({first.figure.name}{up}{first.precision.name})",
        f"({last.figure.name}{down}{last.precision.name})",
        years,
    )


def _cached(x: float) -> float | str:
    return formula_text.cached_or_not_available(x)


def status_range(sheet: SheetPlan) -> str | None:
    """The Status column over every figure; None when the sheet lists none."""
    rows = [c.row for c in sheet.cells if c.col == STATUS and c.is_formula]
    return sheet.area_ref(min(rows), STATUS, max(rows), STATUS) if rows else None
