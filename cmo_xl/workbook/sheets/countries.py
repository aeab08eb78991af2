"""Countries: each region split among its countries by mix shift."""

from __future__ import annotations

from cmo_xl.model import engine, names
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import Block, Member, SplitRows, build_split_sheet

TITLE = "Countries"


def build_countries_sheet(ctx: Context, regions: RegionRows) -> SplitRows:
    spec = ctx.spec
    default = engine.headline_cagr(spec)
    blocks = [
        Block(
            r.name,
            [
                Member(
                    c.name,
                    names.country_weight(r.name, c.name),
                    names.country_cagr(r.name, c.name),
                    c.weight.value,
                    c.cagr.value if c.cagr else default,
                )
                for c in r.countries
            ],
        )
        for r in spec.regions
        if r.countries
    ]
    m = spec.market
    return build_split_sheet(
        ctx,
        TITLE,
        engine.COUNTRY,
        "",
        f"{m.name}: each region split among its countries, {m.unit}",
        blocks,
        regions,
        world=False,
    )
