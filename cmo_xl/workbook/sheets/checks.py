"""Checks: each a formula with a stated tolerance, a flag and a status; a master check on top.

The engine decides each check's gap, tolerance and verdict (:mod:`cmo_xl.model.compute.engine`);
this
sheet writes the formulas that compute the same in the workbook, and their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from cmo_xl.model.compute import checks as model_checks
from cmo_xl.model.compute import engine
from cmo_xl.model.compute.checks import Check
from cmo_xl.model.compute.verdicts import FAIL, PASS, WARN
from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets import integrity, scenario_warnings
from cmo_xl.workbook.sheets.check_columns import FLAG, GAP, LABEL, STATUS, TITLE, TOLERANCE
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import SplitRows

TOLERANCE_ROW = 3
MASTER_ROW = 4
WARNINGS_ROW = 6
FIRST_CHECK_ROW = 8


@dataclass(frozen=True)
class ChecksSheet:
    sheet: SheetPlan
    master_status: str  # the engine's verdict, which the master check cell caches
    warnings: int  # growth warnings raised


@dataclass(frozen=True)
class _Placed:
    label: str
    gap: str  # the gap's formula
    scale: str | None  # what the tolerance is multiplied by, for gaps in the model's unit
    check: Check
    label_formula: str = ""  # for a label that says where the check fails


def build_checks_sheet(
    ctx: Context,
    regions: RegionRows,
    splits: list[SplitRows],
    scanned: list[SheetPlan],
    guarded: list[SheetPlan],
) -> ChecksSheet:
    """Every check of the model, the growth warnings, and the integrity of every formula on
    the ``guarded`` sheets (and of the checks themselves); ``scanned`` sheets are scanned for
    error values."""
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, "Checks", "title")
    sheet.put(
        2,
        LABEL,
        "A check passes when its gap is within the tolerance: check_tolerance (below, fixed "
        "when built) for shares and counts, check_tolerance times the values compared for sums "
        "of values. Any error "
        "value fails it. The master check is OK only when every check passes and every formula "
        "cmo_xl wrote is still a formula (the integrity checks, at the end).",
        "note",
    )
    sheet.widths = {LABEL: 62, GAP: 14, TOLERANCE: 14, FLAG: 8, STATUS: 10}
    # A constant of this sheet, locked: not an input, so no edit can silence the checks
    sheet.put(TOLERANCE_ROW, LABEL, "Tolerance of the checks (relative; fixed when built)")
    sheet.put(TOLERANCE_ROW, TOLERANCE, ctx.model.tolerance, "fixed", "precise")
    ctx.define(names.CHECK_TOLERANCE, sheet, TOLERANCE_ROW, TOLERANCE)
    placed = [*_share_checks(ctx, splits), _phase_check(ctx), *_sum_checks(ctx, regions, splits)]
    placed += _residual_checks(ctx, regions, splits)
    placed += [_error_check(s) for s in scanned]

    for col, text in enumerate(("Check", "Gap", "Tolerance", "Fails", "Status"), start=1):
        sheet.put(FIRST_CHECK_ROW - 1, col, text, "header")
    row = FIRST_CHECK_ROW
    for item in placed:
        check = item.check
        tolerance = formula_text.scaled_tolerance(item.scale)
        flag = formula_text.flag(a1.cell(row, GAP), a1.cell(row, TOLERANCE))
        if item.label_formula:
            sheet.formula(row, LABEL, item.label_formula, cached=item.label, style="label")
        else:
            sheet.put(row, LABEL, item.label)
        sheet.formula(row, GAP, item.gap, cached=check.gap, fmt="precise")
        sheet.formula(row, TOLERANCE, tolerance, cached=check.tolerance, fmt="precise")
        sheet.formula(row, FLAG, flag, cached=check.fails, fmt="int")
        status = formula_text.status(a1.cell(row, FLAG))
        sheet.formula(row, STATUS, status, cached=check.status, style="check")
        row += 1
    flags = a1.area(FIRST_CHECK_ROW, FLAG, row - 1, FLAG)
    failing = model_checks.failing([item.check for item in placed])
    master = FAIL if failing else PASS
    warnings, last = _growth_warnings(ctx, sheet, row + 1)
    last = scenario_warnings.build_section(ctx, sheet, last + 2)
    guards = integrity.guarded_rows(guarded) + integrity.guarded_rows(
        [sheet], {TITLE: FIRST_CHECK_ROW}
    )
    broken = _integrity_checks(ctx, sheet, last + 2, guards)
    counted = formula_text.plus([formula_text.total(flags), broken])
    sheet.put(MASTER_ROW, LABEL, "Master check", "total")
    text = formula_text.status(counted)
    sheet.formula(MASTER_ROW, STATUS, text, cached=master, style="check")
    sheet.put(MASTER_ROW + 1, LABEL, "Checks failing, integrity checks included")
    sheet.formula(MASTER_ROW + 1, STATUS, counted, cached=failing, fmt="int")
    ctx.define(names.MASTER_CHECK, sheet, MASTER_ROW, STATUS)
    sheet.freeze = a1.cell(FIRST_CHECK_ROW, 1)
    return ChecksSheet(sheet, master, warnings)


def verdicts(ctx: Context) -> tuple[str, int]:
    """The master check's verdict and the count of growth warnings, as the engine finds them
    (the Checks sheet computes the same), for the sheets built before it."""
    failing = model_checks.failing(model_checks.model_checks(ctx.result))
    warnings = sum(w.warns for w in model_checks.growth_warnings(ctx.result))
    return (FAIL if failing else PASS), warnings


def _integrity_checks(
    ctx: Context, sheet: SheetPlan, row: int, guards: list[integrity.GuardedRow]
) -> str:
    """A section that checks each row of formulas is still formulas; the cell counting the
    rows that are not, which the master check adds."""
    sheet.put(row, LABEL, "Integrity: every formula cmo_xl wrote is still a formula", "section")
    for col in range(GAP, STATUS + 1):
        sheet.put(row, col, "", "section")
    summary = row + 1
    sheet.put(
        summary,
        LABEL,
        "Rows where a formula was typed over or cleared (counted in the master check)",
    )
    header = summary + 1
    for col, text in enumerate(("Row of formulas", "Missing", "Tolerance", "Fails", "Status"), 1):
        sheet.put(header, col, text, "header")
    row = header
    for guard in guards:
        row += 1
        gap = a1.cell(row, GAP)
        sheet.formula(row, LABEL, integrity.label(guard, gap), cached=guard.intact(), style="label")
        missing = formula_text.formulas_missing(guard.areas())
        sheet.formula(row, GAP, missing, cached=0.0, fmt="int")
        # not check_tolerance, an input: no missing formula is allowed
        sheet.put(row, TOLERANCE, "none")
        sheet.formula(row, FLAG, formula_text.flag(gap, "0"), cached=0, fmt="int")
        sheet.formula(
            row, STATUS, formula_text.status(a1.cell(row, FLAG)), cached=PASS, style="check"
        )
    flags = a1.area(header + 1, FLAG, max(row, header + 1), FLAG)
    sheet.formula(summary, STATUS, formula_text.total(flags), cached=0, fmt="int")
    ctx.define(names.INTEGRITY_CHECK, sheet, summary, STATUS)
    # A printout carries the count, not a page per hundred rows that say "intact": the rows
    # are on the sheet, below the print area
    sheet.print_area = a1.area(1, 1, summary, STATUS)
    return a1.cell(summary, STATUS)


def _growth_warnings(ctx: Context, sheet: SheetPlan, row: int) -> tuple[int, int]:
    """Each phase's world growth against the market CAGR input: warnings, counted on top,
    outside the master check. The count, and the last row used."""
    sheet.put(row, LABEL, "Warnings: not failures, but worth reading", "section")
    for col in range(GAP, STATUS + 1):
        sheet.put(row, col, "", "section")
    row += 1
    for col, text in enumerate(("Warning", "Difference", "Threshold", "Warns", "Status"), 1):
        sheet.put(row, col, text, "header")
    first = row + 1
    warnings = model_checks.growth_warnings(ctx.result)
    bounds = [ctx.model.base_year, *(p.end for p in ctx.model.phases)]
    for warning, phase in zip(warnings, ctx.model.phases, strict=True):
        row += 1
        start, end = bounds[phase.number - 1].name, phase.end.name
        implied = formula_text.cagr(
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, start),
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, end),
            formula_text.span(end, start),
        )
        sheet.put(
            row,
            LABEL,
            f"World growth in phase {phase.number}, the sum of the regions, against the market "
            f"CAGR input ({phase.cagr.name})",
        )
        sheet.formula(
            row,
            GAP,
            formula_text.minus(implied, phase.cagr.name),
            cached=warning.difference,
            fmt="points",
        )
        sheet.formula(
            row, TOLERANCE, names.CHECK_TOLERANCE, cached=warning.threshold, fmt="precise"
        )
        flag = formula_text.flag(a1.cell(row, GAP), a1.cell(row, TOLERANCE))
        sheet.formula(row, FLAG, flag, cached=warning.warns, fmt="int")
        status = formula_text.status(a1.cell(row, FLAG), WARN)
        sheet.formula(row, STATUS, status, cached=warning.status, style="check")
    flags = a1.area(first, FLAG, row, FLAG)
    sheet.put(WARNINGS_ROW, LABEL, "Growth warnings (not counted in the master check)")
    count = sum(w.warns for w in warnings)
    sheet.formula(WARNINGS_ROW, STATUS, formula_text.total(flags), cached=count, fmt="int")
    ctx.define(names.GROWTH_WARNINGS, sheet, WARNINGS_ROW, STATUS)
    return count, row


def _sum_to_one(range_: str) -> str:
    return formula_text.total(range_) + "-1"


def _share_checks(ctx: Context, splits: list[SplitRows]) -> list[_Placed]:
    placed = []
    for check in model_checks.share_checks(ctx.model):
        if check.kind == "region_shares":
            label, range_ = "Region shares sum to 100%", names.REGION_SHARES
        elif check.kind == "country_weights":
            label = f"Country weights in {check.region} sum to 100%"
            range_ = ctx.model.region(check.region).weights_range
        elif check.kind == "segment_shares":
            label = f"{check.dimension}: segment shares sum to 100%"
            range_ = ctx.model.dimension(check.dimension).shares_range
        elif check.kind == "probabilities":
            label, range_ = "Scenario probabilities sum to 100%", names.SCENARIO_PROBABILITIES
        else:  # override_shares
            # The mix index in the base year is the share itself, w*(1+g)^0, with the region's
            # overrides applied: its column is the one contiguous range of them.
            split = next(
                s for s in splits if s.level == engine.SEGMENT and s.dimension == check.dimension
            )
            index_rows = split.blocks[check.region].index.values()
            first = ctx.first_col
            label = (
                f"{check.dimension}: segment shares in {check.region} sum to 100% (after overrides)"
            )
            range_ = split.sheet.area_ref(min(index_rows), first, max(index_rows), first)
        placed.append(_Placed(label, _sum_to_one(range_), None, check))
    return placed


def _phase_check(ctx: Context) -> _Placed:
    ends = [ctx.model.base_year.name] + [p.end.name for p in ctx.model.phases]
    terms = [f"({later}<={earlier})" for earlier, later in pairwise(ends)]
    terms.append(f"({ends[-1]}<>{names.END_YEAR})")
    return _Placed(
        "Phase end years ascend and the last is the end year",
        "+".join(terms),
        None,
        model_checks.phase_check(ctx.model),
    )


def _sum_checks(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> list[_Placed]:
    checks = model_checks.sum_checks(ctx.result, [(s.level, s.dimension) for s in splits])
    world_total = formula_text.total(names.WORLD_VALUES)
    placed = []
    for check in checks:
        if check.kind == "regions_sum":
            region_rows = [ctx.row_ref(regions.sheet, row) for row in regions.value.values()]
            gap = formula_text.abs_gap(names.WORLD_VALUES, "(" + "+".join(region_rows) + ")")
            placed.append(
                _Placed("Regions add up to the world in every year", gap, world_total, check)
            )
            continue
        split = next(s for s in splits if (s.level, s.dimension) == (check.level, check.dimension))
        what = "Countries" if split.level == engine.COUNTRY else f"{split.dimension} segments"
        anchored = model_checks.beside_residual(ctx.model, split.level, split.dimension)
        if check.kind == "split_region":
            region_row = ctx.row_ref(regions.sheet, regions.value[check.region])
            block = split.blocks[check.region]
            total = ctx.row_ref(split.sheet, block.total)
            placed.append(
                _Placed(
                    f"{what} of {check.region} add up to the region in every year",
                    formula_text.abs_gap(total, region_row),
                    _magnitude(ctx, split, block.value)
                    if model_checks.by_magnitude(
                        ctx.model, split.level, split.dimension, check.region
                    )
                    else formula_text.total(region_row),
                    check,
                )
            )
        elif split.world is not None:  # split_world
            total = ctx.row_ref(split.sheet, split.world.total)
            placed.append(
                _Placed(
                    f"{what} add up to the world in every year",
                    formula_text.abs_gap(total, names.WORLD_VALUES),
                    _magnitude(ctx, split, split.world.value) if anchored else world_total,
                    check,
                )
            )
    return placed


def _residual_checks(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> list[_Placed]:
    """Each residual is at least 0 in every year; the label names the first year it is not."""
    checks = model_checks.residual_checks(ctx.result, [(s.level, s.dimension) for s in splits])
    placed = []
    for check in checks:
        if check.level == engine.REGION:
            values = ctx.row_ref(regions.sheet, regions.value[check.member])
            parent, what = names.WORLD_VALUES, "the world"
        else:
            split = next(
                s for s in splits if (s.level, s.dimension) == (check.level, check.dimension)
            )
            values = ctx.row_ref(split.sheet, split.blocks[check.region].value[check.member])
            parent = ctx.row_ref(regions.sheet, regions.value[check.region])
            what = check.region
        gap = formula_text.years_below(values, parent)
        label = f"{check.member} (residual of {what}) is never below 0"
        first = formula_text.first_year_below(values, parent)
        negative = formula_text.concat([formula_text.text(": negative from "), first])
        text = formula_text.labelled_when(label, gap, negative)
        cached = label if check.year is None else f"{label}: negative from {check.year}"
        placed.append(_Placed(cached, gap, None, check, label_formula=text))
    return placed


def _magnitude(ctx: Context, split: SplitRows, rows: dict[str, int]) -> str:
    """The parts' magnitudes, SUMPRODUCT(ABS(...)) over their value rows: beside a residual
    the parts may cancel, and a sum of them is as exact as they are."""
    area = split.sheet.area_ref(min(rows.values()), ctx.first_col, max(rows.values()), ctx.last_col)
    return formula_text.magnitude(area)


def _error_check(sheet: SheetPlan) -> _Placed:
    last_row = max(c.row for c in sheet.cells)
    last_col = max(c.col for c in sheet.cells)
    area = a1.ref(sheet.title, a1.area(1, 1, last_row, last_col, absolute=True))
    return _Placed(
        f"No error values on {sheet.title}",
        formula_text.error_count(area),
        None,
        model_checks.no_errors_check(),
    )
