"""Analysis: what the end-year world value does when the forecast moves, in plain formulas.

Over the forecast (last) phase every region grows from its value at the phase's start at its
forecast-phase CAGR, so the end-year world is ``SUMPRODUCT(starts, (1+rates)^years)``. On that
closed form: a goal seek (the CAGR that reaches a target), one-way sensitivities to every CAGR
and to the base value, a two-way grid, and a tornado table ranked by swing. No data tables, no
macros: Excel and LibreOffice compute every cell. The numbers come from the engine
(:func:`cmo_xl.model.compute.sensitivity.analysis`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cmo_xl.model.compute import sensitivity
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import Chart, ChartSeries, SheetPlan
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows

TITLE = "Analysis"
LABEL, UNIT, FIRST = 1, 2, 3


@dataclass(frozen=True)
class _Forecast:
    """Where the forecast phase's figures sit: the cells the what-ifs refer to."""

    start: str  # the phase's first year
    years: str  # its length
    first_driver: int  # the row of the first driver
    starts: str  # each driver's value at the phase's start
    rates: str  # each driver's forecast-phase CAGR
    closed: str  # the end-year world in closed form
    world_end: str  # the end-year world as the model compounds it


def build_analysis_sheet(ctx: Context, regions: RegionRows) -> SheetPlan:
    model, result = ctx.model, sensitivity.analysis(ctx.result)
    end = ctx.years[-1]
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, "Analysis", "title")
    sheet.put(
        2,
        LABEL,
        f"What the {end} world value does when the forecast moves: each region grows from its "
        "value at the forecast phase's start at its forecast-phase CAGR. Steps are on Inputs.",
        "subtitle",
    )
    steps = len(model.analysis.cagr_steps)
    sheet.widths = {LABEL: 40, UNIT: 8, **{c: 12 for c in range(FIRST, FIRST + 5 + steps)}}
    row, at = _forecast_phase(sheet, ctx, regions, result)
    row = _goal_seek(sheet, row + 2, ctx, result, at)
    row, bars = _one_way(sheet, row + 1, ctx, result, at)
    row = _grid(sheet, row + 2, ctx, result, at)
    _tornado(sheet, row + 2, result, bars, at.closed, model.unit, end)
    sheet.freeze = "C4"
    return sheet


def _forecast_phase(
    sheet: SheetPlan, ctx: Context, regions: RegionRows, result: sensitivity.Analysis
) -> tuple[int, _Forecast]:
    """The forecast phase, driver by driver, and the end-year world in closed form and as the
    model has it; the last row used and where the figures sit."""
    model, unit, end = ctx.model, ctx.model.unit, ctx.years[-1]
    start_name = model.phases[-2].end.name if len(model.phases) > 1 else model.base_year.name
    row = _section(sheet, 4, "The forecast phase")
    start_cell = a1.cell(row, FIRST, abs_row=True, abs_col=True)
    sheet.put(row, LABEL, "It starts in")
    sheet.formula(row, FIRST, start_name, cached=result.start_year, fmt="year")
    years_cell = a1.cell(row + 1, FIRST, abs_row=True, abs_col=True)
    sheet.put(row + 1, LABEL, "Years in it")
    sheet.put(row + 1, UNIT, "years", "unit")
    text = formula_text.minus(names.END_YEAR, start_cell)
    sheet.formula(row + 1, FIRST, text, cached=result.years, fmt="int")
    row += 3
    for col, text in enumerate(("Region", "Unit", "Value at its start", "Its CAGR"), start=1):
        sheet.put(row, col, text, "header")
    sheet.heights[row] = 30
    first_region = row + 1
    # A residual region takes what the others leave, so the world grows at the market's CAGR
    # and only the market drives it.
    drivers = (
        [(names.WORLD_VALUES, model.phases[-1].cagr.name)]
        if model.anchored
        else [
            (ctx.row_ref(regions.sheet, regions.value[r.name]), r.cagrs[-1].name)
            for r in model.regions
        ]
    )
    for label, (series, cagr), start, rate in zip(
        result.drivers, drivers, result.starts, result.rates, strict=True
    ):
        row += 1
        sheet.put(row, LABEL, label)
        sheet.put(row, UNIT, unit, "unit")
        text = formula_text.at_year(series, names.YEARS, start_cell)
        sheet.formula(row, FIRST, text, cached=start, fmt="value_nq")
        sheet.formula(row, FIRST + 1, cagr, cached=rate, fmt="pct")
    starts = a1.area(first_region, FIRST, row, FIRST, absolute=True)
    rates = a1.area(first_region, FIRST + 1, row, FIRST + 1, absolute=True)
    row += 1
    closed_cell = a1.cell(row, FIRST, abs_row=True, abs_col=True)
    sheet.put(row, LABEL, f"World in {end}, in closed form", "total")
    sheet.put(row, UNIT, unit, "total")
    closed = formula_text.closed_world(starts, rates, years_cell)
    sheet.formula(row, FIRST, closed, cached=result.closed_end, style="total", fmt="value")
    row += 1
    world_end_cell = a1.cell(row, FIRST, abs_row=True, abs_col=True)
    sheet.put(row, LABEL, f"World in {end}, as the model compounds it year by year")
    sheet.put(row, UNIT, unit, "unit")
    text = formula_text.at_year(names.WORLD_VALUES, names.YEARS, names.END_YEAR)
    sheet.formula(row, FIRST, text, cached=result.world_end, fmt="value")
    at = _Forecast(start_cell, years_cell, first_region, starts, rates, closed_cell, world_end_cell)
    return row, at


def _goal_seek(
    sheet: SheetPlan, row: int, ctx: Context, result: sensitivity.Analysis, at: _Forecast
) -> int:
    """The forecast-phase CAGR that reaches the spec's target; the row after the block."""
    model, unit = ctx.model, ctx.model.unit
    row = _section(sheet, row, "Goal seek: the forecast-phase CAGR that reaches a target")
    target = model.analysis.target
    if target is None or result.required_cagr is None or result.gap is None:
        sheet.put(
            row,
            LABEL,
            "Give analysis.target_end_value in the spec to solve for the CAGR that reaches it.",
            "note",
        )
        return row + 1
    last = model.phases[-1]
    sheet.put(row, LABEL, target.label)
    sheet.put(row, UNIT, unit, "unit")
    sheet.formula(row, FIRST, target.name, cached=target.value, fmt="value")
    sheet.put(row + 1, LABEL, "World value at the forecast phase's start")
    sheet.put(row + 1, UNIT, unit, "unit")
    text = formula_text.at_year(names.WORLD_VALUES, names.YEARS, at.start)
    sheet.formula(row + 1, FIRST, text, cached=result.world_start, fmt="value")
    sheet.put(row + 2, LABEL, "CAGR that reaches the target, every region alike")
    sheet.put(row + 2, UNIT, "%", "unit")
    text = formula_text.cagr(a1.cell(row + 1, FIRST), a1.cell(row, FIRST), at.years)
    sheet.formula(row + 2, FIRST, text, cached=result.required_cagr, fmt="pct")
    sheet.put(row + 3, LABEL, f"The market CAGR of the forecast phase ({last.cagr.name})")
    sheet.put(row + 3, UNIT, "%", "unit")
    sheet.formula(row + 3, FIRST, last.cagr.name, cached=last.cagr.value, fmt="pct")
    sheet.put(row + 4, LABEL, "Gap: the CAGR needed less the one assumed", "total")
    sheet.put(row + 4, UNIT, "pp", "total")
    gap = formula_text.minus(a1.cell(row + 2, FIRST), a1.cell(row + 3, FIRST))
    sheet.formula(row + 4, FIRST, gap, cached=result.gap, style="total", fmt="points")
    return row + 5


def _one_way(
    sheet: SheetPlan, row: int, ctx: Context, result: sensitivity.Analysis, at: _Forecast
) -> tuple[int, list[tuple[int, int, int]]]:
    """The end-year world when every CAGR, each driver's CAGR or the base value moves; the last
    row used, and each tornado input's (row, first column, last column)."""
    model, unit, end = ctx.model, ctx.model.unit, ctx.years[-1]
    steps = len(model.analysis.cagr_steps)
    row = _section(sheet, row, f"World in {end} when a forecast-phase CAGR moves")
    header = row
    _step_header(sheet, header, "The CAGR that moves, by", model.analysis.cagr_steps)
    every_row = header + 1
    bars: list[tuple[int, int, int]] = []
    sheet.put(every_row, LABEL, result.tornado[0].label)
    sheet.put(every_row, UNIT, unit, "unit")
    for k, value in enumerate(result.every_region):
        step_ref = a1.cell(header, FIRST + k, abs_row=True)
        text = formula_text.closed_world(at.starts, at.rates, at.years, step_ref)
        sheet.formula(every_row, FIRST + k, text, cached=value, fmt="value")
    bars.append((every_row, FIRST, FIRST + steps - 1))
    row = every_row
    for i, (bar, values) in enumerate(zip(result.tornado[1:-1], result.by_region, strict=True)):
        row += 1
        sheet.put(row, LABEL, bar.label)
        sheet.put(row, UNIT, unit, "unit")
        start_ref = a1.cell(at.first_driver + i, FIRST, abs_row=True, abs_col=True)
        rate_ref = a1.cell(at.first_driver + i, FIRST + 1, abs_row=True, abs_col=True)
        for k, value in enumerate(values):
            step_ref = a1.cell(header, FIRST + k, abs_row=True)
            text = formula_text.one_driver_moved(at.closed, start_ref, rate_ref, step_ref, at.years)
            sheet.formula(row, FIRST + k, text, cached=value, fmt="value")
        bars.append((row, FIRST, FIRST + steps - 1))

    value_steps = model.analysis.value_steps
    row = _section(sheet, row + 2, f"World in {end} when the base value moves")
    value_header = row
    _step_header(sheet, value_header, "The base value moves by", value_steps)
    row += 1
    sheet.put(row, LABEL, result.tornado[-1].label)
    sheet.put(row, UNIT, unit, "unit")
    for k, value in enumerate(result.by_base_value):
        step_ref = a1.cell(value_header, FIRST + k, abs_row=True)
        text = formula_text.scaled(at.world_end, step_ref)
        sheet.formula(row, FIRST + k, text, cached=value, fmt="value")
    bars.append((row, FIRST, FIRST + len(value_steps) - 1))
    return row, bars


def _grid(
    sheet: SheetPlan, row: int, ctx: Context, result: sensitivity.Analysis, at: _Forecast
) -> int:
    """Every region's CAGR steps (down) by the base value's (across); the last row used."""
    model, end = ctx.model, ctx.years[-1]
    row = _section(sheet, row, f"World in {end}: every region's CAGR (down) by base value (across)")
    grid_header = row
    _step_header(
        sheet, grid_header, "CAGR moves by / base value moves by", model.analysis.value_steps
    )
    for i, (step_input, values) in enumerate(
        zip(model.analysis.cagr_steps, result.grid, strict=True)
    ):
        row += 1
        sheet.formula(
            row, UNIT, step_input.name, cached=step_input.value, style="header", fmt="points"
        )
        sheet.put(row, LABEL, f"Every region's CAGR moves by step {i + 1}")
        cagr_step = a1.cell(row, UNIT, abs_col=True)
        every = formula_text.closed_world(at.starts, at.rates, at.years, cagr_step)
        for k, value in enumerate(values):
            base_step = a1.cell(grid_header, FIRST + k, abs_row=True)
            text = formula_text.scaled(every, base_step)
            sheet.formula(row, FIRST + k, text, cached=value, fmt="value")
    return row


def _step_header(sheet: SheetPlan, row: int, label: str, steps: Sequence[Input]) -> None:
    """A header row whose columns are the steps, each a link to its input."""
    sheet.put(row, LABEL, label, "header")
    sheet.put(row, UNIT, "", "header")
    for k, step in enumerate(steps):
        sheet.formula(row, FIRST + k, step.name, cached=step.value, style="header", fmt="pct")


def _section(sheet: SheetPlan, row: int, text: str) -> int:
    sheet.put(row, LABEL, text, "section")
    sheet.put(row, UNIT, "", "section")
    return row + 1


def _tornado(
    sheet: SheetPlan,
    row: int,
    result: sensitivity.Analysis,
    bars: list[tuple[int, int, int]],
    closed: str,
    unit: str,
    end: int,
) -> None:
    """Each input's swing between its lowest and highest step, then the inputs by swing, with
    each step's change from the closed-form end-year world (``closed``) and a tornado chart."""
    row = _section(sheet, row, "Tornado: the inputs by how far they swing the end-year world")
    headers = ("Input", "Rank", "At the lowest step", "At the highest step", "Swing")
    for col, text in enumerate(headers, start=1):
        sheet.put(row, col, text, "header")
    sheet.heights[row] = 30  # two-line headers
    first = row + 1
    last = row + len(bars)
    swings = a1.area(first, FIRST + 2, last, FIRST + 2, absolute=True)
    for k, (bar, (source, low_col, high_col), rank) in enumerate(
        zip(result.tornado, bars, result.ranks, strict=True)
    ):
        r = first + k
        sheet.put(r, LABEL, bar.label)
        sheet.formula(r, FIRST, a1.cell(source, low_col), cached=bar.low, fmt="value")
        sheet.formula(r, FIRST + 1, a1.cell(source, high_col), cached=bar.high, fmt="value")
        swing = formula_text.swing(a1.cell(r, FIRST), a1.cell(r, FIRST + 1))
        sheet.formula(r, FIRST + 2, swing, cached=bar.swing, fmt="value")
        this = a1.cell(r, FIRST + 2)
        above = f"{a1.cell(first, FIRST + 2, abs_row=True)}:{this}"
        text = formula_text.rank_by_swing(swings, above, this)
        sheet.formula(r, UNIT, text, cached=rank, fmt="int")
    ranks = a1.area(first, UNIT, last, UNIT, absolute=True)

    row = _section(sheet, last + 2, "Tornado, widest swing first")
    for col, text in enumerate(headers, start=1):
        sheet.put(row, col, text, "header")
    sheet.heights[row] = 30  # two-line headers
    order = sorted(range(len(bars)), key=lambda k: result.ranks[k])
    for position, k in enumerate(order, start=1):
        r = row + position
        bar = result.tornado[k]
        text = "1" if position == 1 else f"{a1.cell(r - 1, UNIT)}+1"
        sheet.formula(r, UNIT, text, cached=position, fmt="int")
        labels = a1.area(first, LABEL, last, LABEL, absolute=True)
        text = formula_text.looked_up(labels, a1.cell(r, UNIT), ranks)
        sheet.formula(r, LABEL, text, cached=bar.label, style="label")
        for offset, value in enumerate((bar.low, bar.high, bar.swing)):
            column = a1.area(first, FIRST + offset, last, FIRST + offset, absolute=True)
            text = formula_text.looked_up(column, a1.cell(r, UNIT), ranks)
            sheet.formula(r, FIRST + offset, text, cached=value, fmt="value")
        for offset, value in ((3, bar.low_change), (4, bar.high_change)):
            change = formula_text.minus(a1.cell(r, FIRST + offset - 3), closed)
            sheet.formula(r, FIRST + offset, change, cached=value, fmt="value")
    for offset, text in ((3, "Change at the lowest step"), (4, "Change at the highest step")):
        sheet.put(row, FIRST + offset, text, "header")
    top, bottom = row + 1, row + len(bars)
    series = tuple(
        ChartSeries(
            sheet.ref(row, FIRST + offset, abs_row=True, abs_col=True),
            sheet.area_ref(top, FIRST + offset, bottom, FIRST + offset),
        )
        for offset in (3, 4)
    )
    sheet.charts.append(
        Chart(
            "tornado",
            f"Tornado: change in the {end} world value",
            # right of every table, at the top, so that it covers none and prints first
            a1.cell(4, max(c.col for c in sheet.cells) + 2),
            sheet.area_ref(top, LABEL, bottom, LABEL),
            series,
            unit,
            "value",
            height=2.5 + 0.9 * len(bars),
        )
    )
