"""One sheet per segment dimension: each region split among the segments, plus world totals."""

from __future__ import annotations

from cmo_xl.model import engine, names
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import Block, Member, SplitRows, build_split_sheet


def build_segment_sheet(ctx: Context, dim_index: int, regions: RegionRows) -> SplitRows:
    spec = ctx.spec
    dim = spec.dimensions[dim_index]
    blocks = []
    for r in spec.regions:
        shares, cagrs = engine.segment_mix(spec, dim_index, r.name)
        overridden = {
            (o.segment, field)
            for o in dim.overrides
            if o.region == r.name
            for field in ("share", "cagr")
            if getattr(o, field) is not None
        }
        members = [
            Member(
                s.name,
                names.segment_share(
                    dim.name, s.name, r.name if (s.name, "share") in overridden else None
                ),
                names.segment_cagr(
                    dim.name, s.name, r.name if (s.name, "cagr") in overridden else None
                ),
                share,
                cagr,
            )
            for s, share, cagr in zip(dim.segments, shares, cagrs, strict=True)
        ]
        blocks.append(Block(r.name, members))
    m = spec.market
    return build_split_sheet(
        ctx,
        dim.name,
        engine.SEGMENT,
        dim.name,
        f"{m.name}: {dim.name.lower()} by region, {m.unit}",
        blocks,
        regions,
        world=True,
    )
