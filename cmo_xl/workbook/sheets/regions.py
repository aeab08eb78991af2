"""Regions: each region's growth rate and value across the timeline; the world is their sum."""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model import engine, names
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
    for r in model.regions:
        row += 1
        rate_rows[r.name] = row
        sheet.put(row, LABEL_COL, r.name)
        sheet.put(row, UNIT_COL, "%", "unit")
        rates = ctx.result.region_rates[r.name]
        for t, year in enumerate(ctx.years[1:], start=1):
            col = ctx.col(year)
            phase = a1.cell(PHASE_ROW, col, abs_row=True)
            text = formula_text.pick(r.cagrs_range, phase)
            sheet.formula(row, col, text, cached=rates[t], fmt="pct")

    row += 2
    section(ctx, sheet, row, f"Value ({m.unit})")
    value_rows: dict[str, int] = {}
    for r in model.regions:
        row += 1
        value_rows[r.name] = row
        values = ctx.values[engine.region_key(r.name)]
        sheet.put(row, LABEL_COL, r.name)
        sheet.put(row, UNIT_COL, m.unit, "unit")
        start = formula_text.product(model.base_value.name, r.share.name)
        sheet.formula(row, first, start, cached=values[0], fmt="value_nq")
        for year, value in zip(ctx.years[1:], values[1:], strict=True):
            col = ctx.col(year)
            prev, rate = a1.cell(row, col - 1), a1.cell(rate_rows[r.name], col)
            sheet.formula(row, col, formula_text.growth(prev, rate), cached=value, fmt="value_nq")

    row += 1
    world_row = row
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
