"""Split sheets (Countries, one per segment dimension): each region divided by mix shift.

For every region a block of rows: a mix index ``w*(1+g)^(t-t0)`` per member, the member's share
(index over the block's summed index), its value (region value times share) and a total. A
dimension sheet also has a World block on top that adds each member up across regions.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.compute import engine
from cmo_xl.model.resolution.resolved import Member, Model
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import (
    FIRST_BODY_ROW,
    LABEL_COL,
    UNIT_COL,
    Context,
    section,
    timeline_sheet,
    total_row,
    year_ref,
)
from cmo_xl.workbook.sheets.regions import RegionRows


@dataclass(frozen=True)
class Block:
    region: str
    members: tuple[Member, ...]  # as the resolved model gives them for this region


@dataclass(frozen=True)
class BlockRows:
    index: dict[str, int]
    share: dict[str, int]
    value: dict[str, int]
    total: int


@dataclass(frozen=True)
class SplitRows:
    sheet: SheetPlan
    level: str  # engine.COUNTRY or engine.SEGMENT
    dimension: str  # the dimension's name; "" for countries
    blocks: dict[str, BlockRows]  # by region
    world: BlockRows | None

    def key(self, region: str | None, member: str) -> engine.Key:
        """The engine's key of ``member`` in ``region`` (None: summed over the world)."""
        return (self.level, self.dimension, region or "", member)

    def members(self, model: Model, region: str) -> tuple[Member, ...]:
        """The resolved members this sheet splits ``region`` among."""
        if self.level == engine.COUNTRY:
            return model.region(region).countries
        return model.dimension(self.dimension).by_region[region]


def _block_height(members: int) -> int:
    return 3 * members + 3  # section, index, share and value rows, total, blank


def build_split_sheet(
    ctx: Context,
    *,
    title: str,
    level: str,
    dimension: str,
    subtitle: str,
    blocks: list[Block],
    regions: RegionRows,
    world: bool,
) -> SplitRows:
    sheet = timeline_sheet(ctx, title, subtitle)
    rows = SplitRows(sheet, level, dimension, {}, None)
    row = FIRST_BODY_ROW
    world_rows = None
    if world:
        members = [m.name for m in blocks[0].members]
        row += len(members) + 3
        block_rows = []
        start = row
        for block in blocks:
            block_rows.append(_value_rows(start, len(block.members)))
            start += _block_height(len(block.members))
        world_rows = _world_block(ctx, rows, members, block_rows)

    for block in blocks:
        rows.blocks[block.region] = _region_block(
            ctx, rows, block, row, regions.value[block.region], regions.sheet
        )
        row += _block_height(len(block.members))
    return SplitRows(sheet, level, dimension, rows.blocks, world_rows)


def _index_label(member: Member) -> str:
    if member.residual:
        return "No index (the residual)"
    if member.keeps_share:
        return "Index (keeps its weight)"
    return "Index at its own CAGR" if member.anchored else "Mix index"


def _value_rows(start: int, members: int) -> list[int]:
    first = start + 1 + 2 * members
    return list(range(first, first + members))


def _world_block(
    ctx: Context, rows: SplitRows, members: list[str], block_value_rows: list[list[int]]
) -> BlockRows:
    sheet, unit = rows.sheet, ctx.spec.market.unit
    row = FIRST_BODY_ROW
    section(ctx, sheet, row, "World: each segment summed over the regions")
    value_rows = {}
    for k, name in enumerate(members):
        row += 1
        value_rows[name] = row
        sheet.put(row, LABEL_COL, name)
        sheet.put(row, UNIT_COL, unit, "unit")
        values = ctx.values[rows.key(None, name)]
        for year, value in zip(ctx.years, values, strict=True):
            col = ctx.col(year)
            refs = [a1.cell(block[k], col) for block in block_value_rows]
            sheet.formula(row, col, formula_text.plus(refs), cached=value, fmt="value")
    row += 1
    total_row(
        ctx,
        sheet,
        row,
        label="Total World",
        rows=(min(value_rows.values()), max(value_rows.values())),
        values=ctx.values[engine.world_key()],
    )
    return BlockRows({}, {}, value_rows, row)


def _region_block(
    ctx: Context,
    rows: SplitRows,
    block: Block,
    row: int,
    region_row: int,
    regions_sheet: SheetPlan,
) -> BlockRows:
    sheet, unit = rows.sheet, ctx.spec.market.unit
    n = len(block.members)
    section(ctx, sheet, row, block.region)
    index_rows = range(row + 1, row + 1 + n)
    share_rows = range(row + 1 + n, row + 1 + 2 * n)
    value_rows = range(row + 1 + 2 * n, row + 1 + 3 * n)
    sheet.collapsed.update(index_rows)  # helper rows: grouped, and closed until opened
    others = a1.runs([r for r, m in zip(share_rows, block.members, strict=True) if not m.residual])
    for k, member in enumerate(block.members):
        key = rows.key(block.region, member.name)
        sheet.put(index_rows[k], LABEL_COL, f"{_index_label(member)}: {member.name}")
        sheet.put(index_rows[k], UNIT_COL, "index", "unit")
        sheet.put(share_rows[k], LABEL_COL, f"Share: {member.name}")
        sheet.put(share_rows[k], UNIT_COL, "%", "unit")
        sheet.put(value_rows[k], LABEL_COL, member.name)
        sheet.put(value_rows[k], UNIT_COL, unit, "unit")
        shares, values = ctx.shares[key], ctx.values[key]
        index = ctx.result.mix_index.get(key)
        for t, year in enumerate(ctx.years):
            col = ctx.col(year)
            region_value = regions_sheet.ref(region_row, col, abs_row=True)
            here = a1.cell(index_rows[k], col)
            if member.residual:
                parts = [formula_text.total(a1.area(a, col, b, col)) for a, b in others]
                share = formula_text.remainder("1", parts)
            elif member.keeps_share:
                share = here
            elif member.anchored:  # its own CAGR, from the region's base value
                start = regions_sheet.ref(region_row, ctx.first_col, abs_row=True, abs_col=True)
                share = formula_text.grown_share(here, start, region_value)
            else:
                whole = a1.column_span(col, index_rows[0], index_rows[-1])
                share = formula_text.share_of(here, whole)
            if index is not None:
                cagr = member.cagr.name if member.cagr is not None else None
                text = formula_text.mix_index(member.weight.name, cagr, year_ref(col))
                sheet.formula(index_rows[k], col, text, cached=index[t], fmt="weight")
            sheet.formula(share_rows[k], col, share, cached=shares[t], fmt="share_nq")
            text = formula_text.product(region_value, a1.cell(share_rows[k], col))
            sheet.formula(value_rows[k], col, text, cached=values[t], fmt="value_nq")
    total = row + 1 + 3 * n
    region_values = ctx.values[engine.region_key(block.region)]
    total_row(
        ctx,
        sheet,
        total,
        label=f"Total {block.region}",
        rows=(value_rows[0], value_rows[-1]),
        values=region_values,
    )
    return BlockRows(
        dict(zip([m.name for m in block.members], index_rows, strict=True)),
        dict(zip([m.name for m in block.members], share_rows, strict=True)),
        dict(zip([m.name for m in block.members], value_rows, strict=True)),
        total,
    )
