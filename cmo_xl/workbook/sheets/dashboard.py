"""Dashboard: the forecast on one landscape page, with live charts.

The world at the base year, each phase end and the end year; each phase's CAGR, the whole
period's and the absolute change; each region's value, share of the world and latest growth;
the master check and the growth warning; and charts over the calculation sheets' own rows.
Every number is a formula over the model, cached with the engine's value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cmo_xl.model.compute import flags
from cmo_xl.model.compute.engine import region_key, world_key
from cmo_xl.model.compute.verdicts import CONFLICT, PASS, WARN
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import Chart, ChartSeries, SheetPlan, Value
from cmo_xl.workbook.sheets import (
    check_columns,
    inputs,
    reconciliation,
    scenario_warnings,
    scenarios,
)
from cmo_xl.workbook.sheets import checks as checks_layout
from cmo_xl.workbook.sheets.context import LABEL_COL, YEAR_ROW, Context, year_format
from cmo_xl.workbook.sheets.players import players_chart
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import SplitRows

TITLE = "Dashboard"
LABEL, UNIT, FIRST = 1, 2, 3
#: Two charts stacked right of the tables, the rest in rows of three under both; for the CMO
#: template the page prints at 65% (see :mod:`cmo_xl.workbook.layout`).
RIGHT_COLUMN = "I"
BOTTOM_COLUMNS = ("A", "E", "J")
CHART_ROWS = 13  # rows from one chart's top to the next one's: 6.9 cm
CHART_SIZE = (11.0, 6.8)  # centimetres
HEALTH_ROW = 5
WORLD_ROW = 13  # the world's section, under the Health block


@dataclass(frozen=True)
class Health:
    """What the Health block counts, as the engine and the other sheets have it."""

    master_status: str  # the master check's verdict
    warnings: int  # growth warnings raised
    provenance: str  # the Inputs sheet's provenance column, where placeholders are counted
    conflict_statuses: str | None  # Reconciliation's status column; None without figures


def build_dashboard_sheet(
    ctx: Context,
    regions: RegionRows,
    splits: list[SplitRows],
    players: SheetPlan | None,
    health: Health,
) -> SheetPlan:
    model = ctx.model
    m = ctx.spec.market
    sheet = SheetPlan(TITLE, one_page=True)
    sheet.widths = {LABEL: 30, UNIT: 7, **{c: 10 for c in range(FIRST, FIRST + 6)}}
    sheet.put(1, LABEL, f"{m.name}: dashboard", "title")
    sheet.put(2, LABEL, f"{m.unit}; every figure follows the inputs", "subtitle")
    in_force = model.scenarios[model.scenario - 1].name
    label = formula_text.concat([formula_text.text("Scenario in force: "), names.SCENARIO])
    sheet.formula(3, LABEL, label, cached=f"Scenario in force: {in_force}", style="total")
    _health(ctx, sheet, health)

    years = _world_block(ctx, sheet)
    top, row = _region_block(ctx, sheet, regions, years)
    _charts(ctx, sheet, regions, splits, players, top, row)
    return sheet


def _world_block(ctx: Context, sheet: SheetPlan) -> list[int]:
    """The world at the base year and each phase end, each phase's CAGR, the whole period's
    and its change; the years shown."""
    model, result, m = ctx.model, ctx.result, ctx.spec.market
    _section(sheet, WORLD_ROW, "The world")
    bounds: list[Input] = [model.base_year, *(p.end for p in model.phases)]
    years = [int(b.value) for b in bounds]
    sheet.put(WORLD_ROW + 1, LABEL, "Year", "header")
    sheet.put(WORLD_ROW + 1, UNIT, "", "header")
    sheet.put(WORLD_ROW + 2, LABEL, "World value")
    sheet.put(WORLD_ROW + 2, UNIT, m.unit, "unit")
    sheet.put(WORLD_ROW + 3, LABEL, "CAGR of the phase ending that year")
    sheet.put(WORLD_ROW + 3, UNIT, "%", "unit")
    for k, (bound, year) in enumerate(zip(bounds, years, strict=True)):
        col = FIRST + k
        fmt = year_format(ctx, year)
        sheet.formula(WORLD_ROW + 1, col, bound.name, cached=year, style="header", fmt=fmt)
        here = a1.cell(WORLD_ROW + 1, col, abs_row=True)
        value = result.at(world_key(), year)
        text = formula_text.at_year(names.WORLD_VALUES, names.YEARS, here)
        sheet.formula(WORLD_ROW + 2, col, text, cached=value, fmt="value")
        if k:
            before = a1.cell(WORLD_ROW + 1, col - 1, abs_row=True)
            rate = result.implied(world_key(), years[k - 1], year)
            text = formula_text.cagr(
                a1.cell(WORLD_ROW + 2, col - 1),
                a1.cell(WORLD_ROW + 2, col),
                formula_text.span(here, before),
            )
            sheet.formula(
                WORLD_ROW + 3,
                col,
                text,
                cached=formula_text.cached_or_not_available(rate),
                fmt="pct",
            )
    first, last = a1.cell(WORLD_ROW + 2, FIRST), a1.cell(WORLD_ROW + 2, FIRST + len(years) - 1)
    span = formula_text.span(names.END_YEAR, names.BASE_YEAR)
    whole = (formula_text.text("CAGR, "), names.BASE_YEAR, formula_text.text("-"), names.END_YEAR)
    cached_label = f"CAGR, {years[0]}-{years[-1]}"
    sheet.formula(
        WORLD_ROW + 4, LABEL, formula_text.concat(list(whole)), cached=cached_label, style="label"
    )
    sheet.put(WORLD_ROW + 4, UNIT, "%", "unit")
    rate = result.implied(world_key(), years[0], years[-1])
    sheet.formula(
        WORLD_ROW + 4,
        FIRST,
        formula_text.cagr(first, last, span),
        cached=formula_text.cached_or_not_available(rate),
        fmt="pct",
    )
    sheet.put(WORLD_ROW + 5, LABEL, "Change over the whole period")
    sheet.put(WORLD_ROW + 5, UNIT, m.unit, "unit")
    change = result.world[-1] - result.world[0]
    sheet.formula(WORLD_ROW + 5, FIRST, formula_text.minus(last, first), cached=change, fmt="value")
    return years


def _region_block(
    ctx: Context, sheet: SheetPlan, regions: RegionRows, years: list[int]
) -> tuple[int, int]:
    """Each region's value at the base and end years, its share and its last year's growth,
    and the world; the first region's row and the world's."""
    model, result, m = ctx.model, ctx.result, ctx.spec.market
    _section(sheet, WORLD_ROW + 7, "Regions")
    start, end = years[0], years[-1]
    headers: list[tuple[str, tuple[str, str] | None]] = [
        ("Region", None),
        ("Unit", None),
        ("Value, ", (names.BASE_YEAR, str(start))),
        ("Value, ", (names.END_YEAR, str(end))),
        ("Share, ", (names.END_YEAR, str(end))),
        ("Growth in ", (names.END_YEAR, str(end))),
    ]
    for col, (text, quoted) in enumerate(headers, start=1):
        if quoted is None:
            sheet.put(WORLD_ROW + 8, col, text, "header")
        else:
            label = formula_text.concat([formula_text.text(text), quoted[0]])
            sheet.formula(WORLD_ROW + 8, col, label, cached=f"{text}{quoted[1]}", style="header")
    sheet.heights[WORLD_ROW + 8] = 30
    row = WORLD_ROW + 8
    top = WORLD_ROW + 9
    world_row = top + len(model.regions)
    world_end = result.world[-1]
    for r in model.regions:
        row += 1
        key = region_key(r.name)
        values = ctx.row_ref(regions.sheet, regions.value[r.name])
        sheet.put(row, LABEL, r.name)
        sheet.put(row, UNIT, m.unit, "unit")
        base_text = formula_text.at_year(values, names.YEARS, names.BASE_YEAR)
        sheet.formula(row, FIRST, base_text, cached=result.at(key, start), fmt="value_nq")
        end_text = formula_text.at_year(values, names.YEARS, names.END_YEAR)
        sheet.formula(row, FIRST + 1, end_text, cached=result.at(key, end), fmt="value_nq")
        share = formula_text.ratio(a1.cell(row, FIRST + 1), a1.cell(world_row, FIRST + 1))
        cached_share: Value = result.at(key, end) / world_end
        sheet.formula(row, FIRST + 2, share, cached=cached_share, fmt="share_nq")
        before = formula_text.at_year(values, names.YEARS, formula_text.minus(names.END_YEAR, "1"))
        growth = formula_text.cagr(before, a1.cell(row, FIRST + 1), "1")
        yoy = result.implied(key, end - 1, end)
        sheet.formula(
            row, FIRST + 3, growth, cached=formula_text.cached_or_not_available(yoy), fmt="pct"
        )
    row += 1
    sheet.put(row, LABEL, "World", "total")
    sheet.put(row, UNIT, m.unit, "total")
    for offset, value, year_name in (
        (0, result.world[0], names.BASE_YEAR),
        (1, world_end, names.END_YEAR),
    ):
        area = a1.area(top, FIRST + offset, row - 1, FIRST + offset)
        # beside a residual region the world is the market, which the regions add up to
        text = (
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, year_name)
            if model.anchored
            else formula_text.total(area)
        )
        sheet.formula(row, FIRST + offset, text, cached=value, style="total", fmt="value")
    shares = a1.area(top, FIRST + 2, row - 1, FIRST + 2)
    sheet.formula(
        row, FIRST + 2, formula_text.total(shares), cached=1.0, style="total", fmt="share"
    )
    return top, row


def _charts(
    ctx: Context,
    sheet: SheetPlan,
    regions: RegionRows,
    splits: list[SplitRows],
    players: SheetPlan | None,
    top: int,
    row: int,
) -> None:
    """The charts: the world by region, each dimension's mix, the end-year region shares and
    the players'; two right of the tables, the rest in rows of three under both."""
    model, end = ctx.model, ctx.years[-1]
    world_row = row
    charts = [_regions_chart(ctx, regions)]
    charts += [_mix_chart(ctx, split) for split in splits if split.dimension]
    names_range = sheet.area_ref(top, LABEL, row - 1, LABEL)
    end_values = sheet.area_ref(top, FIRST + 1, row - 1, FIRST + 1)
    charts.append(
        Chart(
            "pie",
            f"Region shares in {end}",
            "",
            names_range,
            (
                ChartSeries(
                    sheet.ref(WORLD_ROW + 8, FIRST + 1, abs_row=True, abs_col=True), end_values
                ),
            ),
            "",
            "share",
        )
    )
    reported = sum(p.revenue is not None for p in model.players)
    if players is not None and reported:
        charts.append(players_chart(players, reported))
    bottom = max(world_row + 3, 4 + 2 * CHART_ROWS)
    for k, chart in enumerate(charts):
        if k < 2:
            anchor = f"{RIGHT_COLUMN}{4 + CHART_ROWS * k}"
        else:
            column = BOTTOM_COLUMNS[(k - 2) % 3]
            anchor = f"{column}{bottom + CHART_ROWS * ((k - 2) // 3)}"
        width, height = CHART_SIZE
        sheet.charts.append(replace(chart, anchor=anchor, width=width, height=height))


def _health(ctx: Context, sheet: SheetPlan, health: Health) -> None:
    """Each thing that should stop a reader trusting the numbers, live: its count, its
    status, and a link to where it is explained (a defined name: the renderer links to the
    cell it names)."""
    _section(sheet, HEALTH_ROW, "Health")
    sheet.put(HEALTH_ROW, FIRST, "Count", "section")
    sheet.put(HEALTH_ROW, FIRST + 1, "Status", "section")
    conflicts = sum(b.status == CONFLICT for b in ctx.result.benchmarks)
    placeholders = len(flags.placeholders(ctx.model))
    failing = a1.ref(
        check_columns.TITLE, a1.cell(checks_layout.MASTER_ROW + 1, check_columns.STATUS)
    )
    rows: list[tuple[str, str, str | None, int, str, str]] = [
        # label, link, count formula (None: not counted), cached count, status formula, cached
        (
            "Master check (checks failing)",
            names.MASTER_CHECK,
            failing,
            0 if health.master_status == PASS else 1,
            names.MASTER_CHECK,
            health.master_status,
        ),
        (
            "Formulas typed over or cleared (rows)",
            names.INTEGRITY_CHECK,
            names.INTEGRITY_CHECK,
            0,
            formula_text.status(names.INTEGRITY_CHECK),
            PASS,
        ),
        (
            "World growth vs market CAGR (warnings)",
            names.GROWTH_WARNINGS,
            names.GROWTH_WARNINGS,
            health.warnings,
            formula_text.status(names.GROWTH_WARNINGS, WARN),
            WARN if health.warnings else PASS,
        ),
        (
            "Reported figures in conflict",
            a1.ref(reconciliation.TITLE, "A1"),
            None
            if health.conflict_statuses is None
            else formula_text.count_if_equal(health.conflict_statuses, CONFLICT),
            conflicts,
            "",
            WARN if conflicts else PASS,
        ),
        (
            "Placeholder inputs",
            a1.ref(inputs.TITLE, "A1"),
            formula_text.count_if_equal(health.provenance, flags.PLACEHOLDER),
            placeholders,
            "",
            WARN if placeholders else PASS,
        ),
    ]
    warned = scenario_warnings.scenario_warning_text(ctx)
    over = sum(m.typed_over for m in ctx.moved)
    rows.append(
        (
            "Inputs typed over that scenarios move",
            names.SCENARIO_WARNINGS if warned else a1.ref(scenarios.TITLE, "A1"),
            names.SCENARIO_WARNINGS if warned else None,
            over,
            formula_text.status(names.SCENARIO_WARNINGS, WARN) if warned else "",
            WARN if over else PASS,
        )
    )
    row = HEALTH_ROW
    for label, link, count, cached_count, status, cached_status in rows:
        row += 1
        sheet.put(row, LABEL, label, "hyperlink", link=link)
        if count is None:
            sheet.put(row, FIRST, "none", "unit")
            sheet.put(row, FIRST + 1, PASS, "check")
            continue
        here = a1.cell(row, FIRST)
        sheet.formula(row, FIRST, count, cached=cached_count, fmt="int")
        text = status or formula_text.status(here, WARN)
        sheet.formula(row, FIRST + 1, text, cached=cached_status, style="check")
    if warned:
        text, cached = warned
        sheet.formula(row + 1, LABEL, text, cached=cached, style="subtitle")


def _regions_chart(ctx: Context, regions: RegionRows) -> Chart:
    sheet = regions.sheet
    years = sheet.area_ref(YEAR_ROW, ctx.first_col, YEAR_ROW, ctx.last_col)
    series = tuple(
        ChartSeries(sheet.ref(row, LABEL_COL, abs_row=True, abs_col=True), ctx.row_ref(sheet, row))
        for row in regions.value.values()
    )
    unit = ctx.spec.market.unit
    return Chart(
        "stacked",
        "World value by region",
        "",
        years,
        series,
        unit,
        "value",
        "Year",
    )


def _mix_chart(ctx: Context, split: SplitRows) -> Chart:
    sheet = split.sheet
    assert split.world is not None, "a dimension's sheet sums its segments over the world"
    years = sheet.area_ref(YEAR_ROW, ctx.first_col, YEAR_ROW, ctx.last_col)
    series = tuple(
        ChartSeries(sheet.ref(row, LABEL_COL, abs_row=True, abs_col=True), ctx.row_ref(sheet, row))
        for row in split.world.value.values()
    )
    title = f"World mix by {split.dimension.lower()}"
    return Chart(
        "percent",
        title,
        "",
        years,
        series,
        "share of the world",
        "pct",
        "Year",
    )


def _section(sheet: SheetPlan, row: int, text: str) -> None:
    sheet.put(row, LABEL, text, "section")
    for col in range(UNIT, FIRST + 6):
        sheet.put(row, col, "", "section")
