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


@dataclass(frozen=True)
class _Place:
    """Where a region's block sits: its section row, then an index, a share and a value row
    for each of its members, a total and a blank row."""

    row: int
    members: int

    @property
    def index_rows(self) -> range:
        return range(self.row + 1, self.row + 1 + self.members)

    @property
    def share_rows(self) -> range:
        return range(self.row + 1 + self.members, self.row + 1 + 2 * self.members)

    @property
    def value_rows(self) -> range:
        return range(self.row + 1 + 2 * self.members, self.row + 1 + 3 * self.members)

    @property
    def total_row(self) -> int:
        return self.row + 1 + 3 * self.members

    @property
    def next_row(self) -> int:
        return self.total_row + 2  # and a blank row


def _places(first: int, blocks: list[Block]) -> list[_Place]:
    """Each block's place, one under the other from row ``first``."""
    places = []
    for block in blocks:
        places.append(_Place(first, len(block.members)))
        first = places[-1].next_row
    return places


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
    world_rows = None
    members = [m.name for m in blocks[0].members]
    places = _places(FIRST_BODY_ROW + (len(members) + 3 if world else 0), blocks)
    if world:
        values = [list(place.value_rows) for place in places]
        world_rows = _world_block(ctx, rows, members, values)
    for block, place in zip(blocks, places, strict=True):
        rows.blocks[block.region] = _region_block(
            ctx, rows, block, place, regions.value[block.region], regions.sheet
        )
    return SplitRows(sheet, level, dimension, rows.blocks, world_rows)


def _index_label(member: Member) -> str:
    if member.residual:
        return "No index (the residual)"
    if member.keeps_share:
        return "Index (keeps its weight)"
    return "Index at its own CAGR" if member.anchored else "Mix index"


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
    place: _Place,
    region_row: int,
    regions_sheet: SheetPlan,
) -> BlockRows:
    sheet, unit = rows.sheet, ctx.spec.market.unit
    row = place.row
    section(ctx, sheet, row, block.region)
    index_rows, share_rows, value_rows = place.index_rows, place.share_rows, place.value_rows
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
    total = place.total_row
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
