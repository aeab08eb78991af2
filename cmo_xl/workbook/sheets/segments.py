"""One sheet per segment dimension: each region split among the segments, plus world totals."""

from __future__ import annotations

from cmo_xl.model.compute import engine
from cmo_xl.model.resolution.resolved import Dimension
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import Block, SplitRows, build_split_sheet


def build_segment_sheet(ctx: Context, dimension: Dimension, regions: RegionRows) -> SplitRows:
    blocks = [Block(r.name, dimension.by_region[r.name]) for r in ctx.model.regions]
    m = ctx.spec.market
    return build_split_sheet(
        ctx,
        title=dimension.name,
        level=engine.SEGMENT,
        dimension=dimension.name,
        subtitle=f"{m.name}: {dimension.name.lower()} by region, {m.unit}",
        blocks=blocks,
        regions=regions,
        world=True,
    )
