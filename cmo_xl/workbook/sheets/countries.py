"""Countries: each region split among its countries by mix shift."""

from __future__ import annotations

from cmo_xl.model.compute import engine
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import Block, SplitRows, build_split_sheet

TITLE = "Countries"


def build_countries_sheet(ctx: Context, regions: RegionRows) -> SplitRows:
    blocks = [Block(r.name, r.countries) for r in ctx.model.regions if r.countries]
    m = ctx.spec.market
    return build_split_sheet(
        ctx,
        title=TITLE,
        level=engine.COUNTRY,
        dimension="",
        subtitle=f"{m.name}: each region split among its countries, {m.unit}",
        blocks=blocks,
        regions=regions,
        world=False,
    )
