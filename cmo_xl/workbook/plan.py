"""Plan a whole workbook from a spec: the sheets in order, and every defined name."""

from __future__ import annotations

from dataclasses import replace

from cmo_xl.errors import SpecError
from cmo_xl.model import names
from cmo_xl.model.excel_names import name_key
from cmo_xl.model.resolved import Key, region_key, world_key
from cmo_xl.model.schema import Spec
from cmo_xl.text import excerpt
from cmo_xl.version import __version__
from cmo_xl.workbook import formula_text
from cmo_xl.workbook.layout import lay_out
from cmo_xl.workbook.records import SheetPlan, WorkbookPlan
from cmo_xl.workbook.sheets import (
    analysis,
    checks,
    cover,
    dashboard,
    functions,
    history,
    inputs,
    players,
    reconciliation,
    scenarios,
    sources,
    spec_sheet,
    summary,
)
from cmo_xl.workbook.sheets import countries as countries_sheet
from cmo_xl.workbook.sheets import regions as regions_sheet
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.countries import build_countries_sheet
from cmo_xl.workbook.sheets.regions import RegionRows, build_regions_sheet
from cmo_xl.workbook.sheets.segments import build_segment_sheet
from cmo_xl.workbook.sheets.split import SplitRows

#: The titles cmo_xl's own sheets take, read from their modules; a dimension's sheet may not
#: take one (Excel compares sheet names ignoring case).
FIXED_TITLES = (
    analysis.TITLE,
    cover.TITLE,
    dashboard.TITLE,
    scenarios.TITLE,
    inputs.TITLE,
    regions_sheet.TITLE,
    countries_sheet.TITLE,
    summary.TITLE,
    players.TITLE,
    reconciliation.TITLE,
    checks.TITLE,
    sources.TITLE,
    functions.TITLE,
    spec_sheet.TITLE,
    functions.CONFIG_TITLE,
)


def _dimension_titles(spec: Spec) -> None:
    taken = {name_key(title): title for title in FIXED_TITLES}
    problems = [
        f"dimensions[{i}].name: got {excerpt(d.name)}; it names a sheet and "
        f"{taken[name_key(d.name)]!r} is taken by cmo_xl"
        for i, d in enumerate(spec.dimensions)
        if name_key(d.name) in taken
    ]
    if problems:
        raise SpecError(problems)


def plan_workbook(
    spec: Spec,
    spec_label: str = "spec",
    *,
    udfs: bool = False,
    scenario: str | None = None,
    protect: bool = True,
) -> WorkbookPlan:
    """Every sheet, cell, style, validation and defined name of the workbook for ``spec``.

    With ``udfs``, a Functions sheet calls the cmo_xl UDFs beside native formulas, and an
    ``xlwings.conf`` sheet points the xlwings add-in at them; without, no cell calls a UDF.
    ``scenario`` names the scenario the switch starts at (None: the first). With ``protect``
    every sheet but xlwings.conf is protected, without a password; input cells stay unlocked.
    """
    _dimension_titles(spec)
    ctx = Context.of(spec, scenario)
    model = ctx.model
    inputs_sheet = inputs.build_inputs_sheet(ctx)
    regions = build_regions_sheet(ctx)
    countries = (
        build_countries_sheet(ctx, regions) if any(r.countries for r in model.regions) else None
    )
    splits = [s for s in [countries] if s is not None]
    splits += [build_segment_sheet(ctx, d, regions) for d in model.dimensions]
    series = _series_rows(ctx, regions, splits)
    inputs_sheet.add_implied_cagrs(ctx, series)
    summary_sheet = summary.build_summary_sheet(ctx, regions, splits)
    scenarios_sheet = scenarios.build_scenarios_sheet(ctx)
    analysis_sheet = analysis.build_analysis_sheet(ctx, regions)
    players_sheet = players.build_players_sheet(ctx) if model.players else None
    history_sheet = history.build_history_sheet(ctx) if model.history else None
    reconciliation_sheet, benchmark_cells = reconciliation.build_reconciliation_sheet(ctx, series)
    calc_sheets = [regions.sheet, *(s.sheet for s in splits), summary_sheet.sheet]
    calc_sheets += [scenarios_sheet, analysis_sheet]
    calc_sheets += [players_sheet] if players_sheet else []
    calc_sheets += [history_sheet] if history_sheet else []
    calc_sheets.append(reconciliation_sheet)
    scanned = [inputs_sheet.sheet, *calc_sheets]
    master, warnings = checks.verdicts(ctx)
    statuses = reconciliation.status_range(reconciliation_sheet)
    health = dashboard.Health(master, warnings, inputs_sheet.provenance_range, statuses)
    dashboard_sheet = dashboard.build_dashboard_sheet(ctx, regions, splits, players_sheet, health)
    guarded = [*calc_sheets, dashboard_sheet]
    _scenario_in_titles(ctx, guarded)  # before the checks, which guard those formulas too
    checks_sheet = checks.build_checks_sheet(ctx, regions, splits, scanned, guarded)
    assert (checks_sheet.master_status, checks_sheet.warnings) == (master, warnings)

    described = [
        (dashboard_sheet, "The forecast on one page: key figures, regions, checks and charts"),
        (inputs_sheet.sheet, "Every assumption, with provenance and a defined name"),
        (regions.sheet, "Growth rate and value of each region; the world total"),
        *((s.sheet, f"Each region split by {s.sheet.title.lower()} (mix shift)") for s in splits),
        (summary_sheet.sheet, "Values at phase ends; input against implied CAGRs"),
        (scenarios_sheet, "Every scenario side by side, whatever the switch says"),
        (analysis_sheet, "Goal seek, sensitivities and a tornado table on the end-year value"),
    ]
    if players_sheet:
        described.append((players_sheet, "Reported revenue and implied market share"))
    if history_sheet:
        described.append((history_sheet, "The market before the base year, as reported"))
    described.append(
        (reconciliation_sheet, "Reported figures the model does not use, against the model")
    )
    comparisons: list[functions.Comparison] = []
    if udfs:
        functions_sheet, comparisons = functions.build_functions_sheet(ctx, regions, countries)
        described.append((functions_sheet, "The cmo_xl UDFs beside the same native formulas"))
    described += [
        (checks_sheet.sheet, "Every check, its tolerance and the master check"),
        (
            sources.build_sources_sheet(ctx, benchmark_cells),
            "Quoted figures, conflicts and corrections",
        ),
        (
            spec_sheet.build_spec_sheet(ctx, spec_sheet.BuildOptions(spec_label, udfs, protect)),
            "The spec it was built from, which cmo-xl read takes the structure from",
        ),
    ]
    if udfs:
        described.append((functions.build_xlwings_conf_sheet(), "Settings for the xlwings add-in"))
    cover_sheet = cover.build_cover_sheet(
        ctx,
        spec_label=spec_label,
        version=__version__,
        contents=[(s.title, what) for s, what in described],
        inputs=inputs_sheet,
        master_status=checks_sheet.master_status,
    )
    sheets = [cover_sheet, *(s for s, _ in described)]
    _scenario_in_titles(ctx, sheets)
    for s in sheets:
        s.protected = protect and s.title != functions.CONFIG_TITLE
        lay_out(s)
    return WorkbookPlan(sheets, dict(ctx.names), comparisons, spec.presentation.decimals, series)


def _scenario_in_titles(ctx: Context, sheets: list[SheetPlan]) -> None:
    """Every sheet's title names the scenario in force, live, so that each printed page does:
    the title row is among the rows every page repeats (see :mod:`.render`). Excel's page
    headers hold only text and codes such as ``&A`` (ECMA-376 Part 1, 18.3.1.46), never a
    cell's value, so the header cannot say it. The Dashboard and the Scenarios sheet say it
    on a row of their own; xlwings.conf is the add-in's, not a page."""
    in_force = ctx.model.scenarios[ctx.model.scenario - 1].name
    for sheet in sheets:
        if sheet.title in (dashboard.TITLE, scenarios.TITLE, functions.CONFIG_TITLE):
            continue
        for k, cell in enumerate(sheet.cells):
            if (cell.row, cell.col) == (1, 1) and cell.style == "title" and not cell.is_formula:
                title = str(cell.value)
                parts = [
                    formula_text.text(f"{title} (scenario "),
                    names.SCENARIO,
                    formula_text.text(")"),
                ]
                text = formula_text.concat(parts)
                sheet.cells[k] = replace(cell, formula=text, value=f"{title} (scenario {in_force})")
                break


def _series_rows(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> dict[Key, str]:
    """Every series' value row, by its engine key: the world, regions, countries, segments."""
    rows = {world_key(): names.WORLD_VALUES}
    for region, row in regions.value.items():
        rows[region_key(region)] = ctx.row_ref(regions.sheet, row)
    for split in splits:
        for region, block in split.blocks.items():
            for member, row in block.value.items():
                rows[split.key(region, member)] = ctx.row_ref(split.sheet, row)
        if split.world is not None:
            for member, row in split.world.value.items():
                rows[split.key(None, member)] = ctx.row_ref(split.sheet, row)
    return rows


#: Sheets made only of formulas over the inputs: no typed numbers allowed on them.
def calculation_titles(plan: WorkbookPlan) -> list[str]:
    fixed = {cover.TITLE, inputs.TITLE, sources.TITLE, spec_sheet.TITLE, functions.CONFIG_TITLE}
    return [s.title for s in plan.sheets if s.title not in fixed]
