"""Checks: each a formula with a stated tolerance, a flag and a status; a master check on top."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from cmo_xl.model import engine, names
from cmo_xl.model.rules import effective_segment_shares
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.inputs import CHECK_TOLERANCE
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import SplitRows

TITLE = "Checks"
LABEL, GAP, TOLERANCE, FLAG, STATUS = range(1, 6)
MASTER_ROW = 4
FIRST_CHECK_ROW = 8


@dataclass(frozen=True)
class Check:
    label: str
    formula: str  # the gap; the check passes when |gap| <= tolerance
    gap: float  # the engine's value of the gap
    #: What the tolerance scales with, for gaps in the model's unit: a formula and the engine's
    #: value of it (the sum of the values compared). None: the gap is a share or a count.
    scale: tuple[str, float] | None = None


def _tolerance(check: Check) -> tuple[str, float]:
    """The tolerance cell's formula and value: relative, so that a market of 2.35e9 USD and one
    of 0.5 EUR m are held to the same precision."""
    if check.scale is None:
        return names.CHECK_TOLERANCE, CHECK_TOLERANCE
    formula, value = check.scale
    return f"{names.CHECK_TOLERANCE}*{formula}", CHECK_TOLERANCE * value


def build_checks_sheet(
    ctx: Context, regions: RegionRows, splits: list[SplitRows], scanned: list[SheetPlan]
) -> SheetPlan:
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, "Checks", "title")
    sheet.put(
        2,
        LABEL,
        "A check passes when its gap is within the tolerance: check_tolerance for shares "
        "and counts, check_tolerance times the values compared for sums of values. Any error "
        "value fails it. The master check is OK only when every check passes.",
        "subtitle",
    )
    sheet.widths = {LABEL: 62, GAP: 14, TOLERANCE: 12, FLAG: 8, STATUS: 10}
    checks = _share_checks(ctx, splits) + _phase_checks(ctx) + _sum_checks(ctx, regions, splits)
    checks += [_error_check(s) for s in scanned]

    for col, text in enumerate(("Check", "Gap", "Tolerance", "Fails", "Status"), start=1):
        sheet.put(FIRST_CHECK_ROW - 1, col, text, "header")
    row = FIRST_CHECK_ROW
    failing = 0
    for check in checks:
        tolerance_formula, tolerance = _tolerance(check)
        fails = int(abs(check.gap) > tolerance)
        failing += fails
        sheet.put(row, LABEL, check.label)
        sheet.put(row, GAP, "=" + check.formula, "calc", "sci", cached=check.gap)
        sheet.put(row, TOLERANCE, "=" + tolerance_formula, "calc", "sci", cached=tolerance)
        sheet.put(
            row,
            FLAG,
            "=" + formula_text.flag(a1.cell(row, GAP), a1.cell(row, TOLERANCE)),
            "calc",
            "int",
            cached=fails,
        )
        sheet.put(
            row,
            STATUS,
            "=" + formula_text.status(a1.cell(row, FLAG)),
            "check",
            cached="OK" if not fails else "CHECK",
        )
        row += 1
    flags = a1.area(FIRST_CHECK_ROW, FLAG, row - 1, FLAG)
    sheet.put(MASTER_ROW, LABEL, "Master check", "total")
    sheet.put(
        MASTER_ROW,
        STATUS,
        "=" + formula_text.status(formula_text.total(flags)),
        "check",
        cached="OK" if not failing else "CHECK",
    )
    sheet.put(MASTER_ROW + 1, LABEL, "Checks failing")
    sheet.put(
        MASTER_ROW + 1, STATUS, "=" + formula_text.total(flags), "calc", "int", cached=failing
    )
    ctx.define(names.MASTER_CHECK, sheet, MASTER_ROW, STATUS)
    sheet.freeze = a1.cell(FIRST_CHECK_ROW, 1)
    return sheet


def _sum_to_one(label: str, range_: str, values: list[float]) -> Check:
    """Shares in ``range_`` (a defined name or a reference) add up to 1."""
    return Check(label, formula_text.total(range_) + "-1", sum(values) - 1)


def _share_checks(ctx: Context, splits: list[SplitRows]) -> list[Check]:
    spec = ctx.spec
    checks = [
        _sum_to_one(
            "Region shares sum to 100%",
            names.REGION_SHARES,
            [r.share.value for r in spec.regions],
        )
    ]
    for r in spec.regions:
        if r.countries:
            checks.append(
                _sum_to_one(
                    f"Country weights in {r.name} sum to 100%",
                    names.country_weights(r.name),
                    [c.weight.value for c in r.countries],
                )
            )
    for d_index, dim in enumerate(spec.dimensions):
        checks.append(
            _sum_to_one(
                f"{dim.name}: segment shares sum to 100%",
                names.segment_shares(dim.name),
                [s.share.value for s in dim.segments],
            )
        )
        split = next(s for s in splits if s.level == engine.SEGMENT and s.dimension == dim.name)
        for r in spec.regions:
            if any(o.region == r.name and o.share is not None for o in dim.overrides):
                # The mix index in the base year is the share itself, w*(1+g)^0, with the
                # region's overrides applied: its column is the one contiguous range of them.
                index_rows = split.blocks[r.name].index.values()
                first = ctx.first_col
                checks.append(
                    _sum_to_one(
                        f"{dim.name}: segment shares in {r.name} sum to 100% (after overrides)",
                        split.sheet.area_ref(min(index_rows), first, max(index_rows), first),
                        list(effective_segment_shares(spec, d_index, r.name).values()),
                    )
                )
    return checks


def _phase_checks(ctx: Context) -> list[Check]:
    n = len(ctx.spec.phases)
    ends = [names.BASE_YEAR] + [names.phase_end(k) for k in range(1, n + 1)]
    terms = [f"({later}<={earlier})" for earlier, later in pairwise(ends)]
    terms.append(f"({ends[-1]}<>{names.END_YEAR})")
    return [Check("Phase end years ascend and the last is the end year", "+".join(terms), 0)]


def _sum_checks(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> list[Check]:
    world = ctx.values[engine.world_key()]
    region_rows = [ctx.row_ref(regions.sheet, row) for row in regions.value.values()]
    world_scale = (formula_text.total(names.WORLD_VALUES), sum(world))
    checks = [
        Check(
            "Regions add up to the world in every year",
            formula_text.abs_gap(names.WORLD_VALUES, "(" + "+".join(region_rows) + ")"),
            engine.sum_gap(world, [ctx.values[engine.region_key(r)] for r in regions.value]),
            world_scale,
        )
    ]
    for split in splits:
        what = "Countries" if split.level == engine.COUNTRY else f"{split.dimension} segments"
        for region, block in split.blocks.items():
            parts = [ctx.values[split.key(region, m)] for m in block.value]
            region_values = ctx.values[engine.region_key(region)]
            region_row = ctx.row_ref(regions.sheet, regions.value[region])
            checks.append(
                Check(
                    f"{what} of {region} add up to the region in every year",
                    formula_text.abs_gap(ctx.row_ref(split.sheet, block.total), region_row),
                    engine.sum_gap(region_values, parts),
                    (formula_text.total(region_row), sum(region_values)),
                )
            )
        if split.world is not None:
            parts = [ctx.values[split.key(None, m)] for m in split.world.value]
            checks.append(
                Check(
                    f"{what} add up to the world in every year",
                    formula_text.abs_gap(
                        ctx.row_ref(split.sheet, split.world.total), names.WORLD_VALUES
                    ),
                    engine.sum_gap(world, parts),
                    world_scale,
                )
            )
    return checks


def _error_check(sheet: SheetPlan) -> Check:
    last_row = max(c.row for c in sheet.cells)
    last_col = max(c.col for c in sheet.cells)
    area = a1.ref(sheet.title, a1.area(1, 1, last_row, last_col, absolute=True))
    return Check(f"No error values on {sheet.title}", formula_text.error_count(area), 0)
