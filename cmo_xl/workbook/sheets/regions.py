"""Regions: each region's growth rate and value across the timeline; the world is their sum."""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.compute import engine
from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import (
    FIRST_BODY_ROW,
    LABEL_COL,
    PHASE_ROW,
    UNIT_COL,
    YEAR_ROW,
    Context,
    section,
    timeline_sheet,
    total_row,
)  # fmt: skip

TITLE = "Regions"


@dataclass(frozen=True)
class RegionRows:
    sheet: SheetPlan
    rate: dict[str, int]
    value: dict[str, int]
    world: int


def build_regions_sheet(ctx: Context) -> RegionRows:
    model, m = ctx.model, ctx.spec.market
    sheet = timeline_sheet(ctx, TITLE, f"{m.name}: value by region, {m.unit}")
    first, last = ctx.first_col, ctx.last_col
    row = FIRST_BODY_ROW
    section(ctx, sheet, row, "Growth rate: the region's CAGR for the year's phase")
    rate_rows: dict[str, int] = {}
    market_rate = 0
    for r in model.regions:
        row += 1
        rate_rows[r.name] = row
        sheet.put(row, LABEL_COL, f"{r.name} (residual: its growth)" if r.residual else r.name)
        sheet.put(row, UNIT_COL, "%", "unit")
        if r.residual:
            continue
        rates = ctx.result.region_rates[r.name]
        for t, year in enumerate(ctx.years[1:], start=1):
            col = ctx.col(year)
            phase = a1.cell(PHASE_ROW, col, abs_row=True)
            text = formula_text.pick(r.cagrs_range, phase)
            sheet.formula(
                row, col, text, cached=formula_text.cached_or_not_available(rates[t]), fmt="pct"
            )
    if model.anchored:
        row += 2
        market_rate = _market_rate_row(ctx, sheet, row)
        row = market_rate

    row += 2
    section(ctx, sheet, row, f"Value ({m.unit})")
    value_rows: dict[str, int] = {}
    for r in model.regions:
        row += 1
        value_rows[r.name] = row
        sheet.put(row, LABEL_COL, r.name)
        sheet.put(row, UNIT_COL, m.unit, "unit")
    world_row = max(value_rows.values()) + 1
    for r in model.regions:
        row = value_rows[r.name]
        values = ctx.values[engine.region_key(r.name)]
        if r.residual:
            _residual_row(ctx, sheet, row, world_row, value_rows, values)
            continue
        start = formula_text.product(model.base_value.name, r.share.name)
        sheet.formula(row, first, start, cached=values[0], fmt="value_nq")
        for year, value in zip(ctx.years[1:], values[1:], strict=True):
            col = ctx.col(year)
            prev, rate = a1.cell(row, col - 1), a1.cell(rate_rows[r.name], col)
            sheet.formula(row, col, formula_text.growth(prev, rate), cached=value, fmt="value_nq")
    for r in model.regions:  # a residual region's growth, from its values
        if r.residual:
            rates = ctx.result.region_rates[r.name]
            _growth_row(ctx, sheet, rate_rows[r.name], value_rows[r.name], rates)
    row = world_row
    if model.anchored:
        _market_row(ctx, sheet, world_row, market_rate)
    else:
        total_row(
            ctx,
            sheet,
            row,
            label="World (sum of regions)",
            rows=(min(value_rows.values()), max(value_rows.values())),
            values=ctx.result.world,
        )

    row += 1
    sheet.put(row, LABEL_COL, "World growth on the year before")
    sheet.put(row, UNIT_COL, "%", "unit")
    for year, growth in zip(ctx.years[1:], ctx.result.world_growth, strict=True):
        col = ctx.col(year)
        text = formula_text.ratio(a1.cell(world_row, col), a1.cell(world_row, col - 1)) + "-1"
        sheet.formula(row, col, text, cached=growth, fmt="pct")

    ctx.define(names.YEARS, sheet, YEAR_ROW, first, YEAR_ROW, last)
    ctx.define(names.WORLD_VALUES, sheet, world_row, first, world_row, last)
    return RegionRows(sheet, rate_rows, value_rows, world_row)


def _market_rate_row(ctx: Context, sheet: SheetPlan, row: int) -> int:
    """The market's CAGR in each year, under a section; returns its row. With a residual
    region the world grows at it, whatever the other regions' CAGRs."""
    model = ctx.model
    section(ctx, sheet, row, "Market CAGR for the year's phase: the world grows at it")
    rate_row = row + 1
    sheet.put(rate_row, LABEL_COL, "Market")
    sheet.put(rate_row, UNIT_COL, "%", "unit")
    for t, year in enumerate(ctx.years[1:], start=1):
        col = ctx.col(year)
        phase = a1.cell(PHASE_ROW, col, abs_row=True)
        rate = model.phases[ctx.result.phase_of_year[t] - 1].cagr.value
        text = formula_text.pick(names.MARKET_CAGRS, phase)
        sheet.formula(rate_row, col, text, cached=rate, fmt="pct")
    return rate_row


def _market_row(ctx: Context, sheet: SheetPlan, row: int, rate_row: int) -> None:
    """The world as the market at its CAGRs: the regions, the residual one included, add up
    to it (Checks says whether they do)."""
    model, world = ctx.model, ctx.result.world
    sheet.put(row, LABEL_COL, "World (the market at its CAGRs)", "total")
    sheet.put(row, UNIT_COL, model.unit, "total")
    first = ctx.first_col
    sheet.formula(row, first, model.base_value.name, cached=world[0], style="total", fmt="value_nq")
    for t, year in enumerate(ctx.years[1:], start=1):
        col = ctx.col(year)
        text = formula_text.growth(a1.cell(row, col - 1), a1.cell(rate_row, col))
        sheet.formula(row, col, text, cached=world[t], style="total", fmt="value_nq")


def _residual_row(
    ctx: Context,
    sheet: SheetPlan,
    row: int,
    market_row: int,
    value_rows: dict[str, int],
    values: list[float],
) -> None:
    """The residual region: the market less every other region, in every year."""
    others = sorted(r for r in value_rows.values() if r != row)
    for year, value in zip(ctx.years, values, strict=True):
        col = ctx.col(year)
        parts = [formula_text.total(a1.area(a, col, b, col)) for a, b in a1.runs(others)]
        text = formula_text.remainder(a1.cell(market_row, col), parts)
        sheet.formula(row, col, text, cached=value, fmt="value_nq")


def _growth_row(
    ctx: Context, sheet: SheetPlan, row: int, value_row: int, rates: list[float]
) -> None:
    """Growth on the year before of ``value_row``: n/a from a value of 0 or below."""
    for t, year in enumerate(ctx.years[1:], start=1):
        col = ctx.col(year)
        text = formula_text.growth_on(a1.cell(value_row, col), a1.cell(value_row, col - 1))
        sheet.formula(
            row, col, text, cached=formula_text.cached_or_not_available(rates[t]), fmt="pct"
        )
