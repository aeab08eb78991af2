"""Plan a whole workbook from a spec: the sheets in order, and every defined name."""

from __future__ import annotations

from cmo_xl import __version__
from cmo_xl.plan import WorkbookPlan
from cmo_xl.sheets import checks, cover, inputs, players, sources, summary
from cmo_xl.sheets.context import Context
from cmo_xl.sheets.countries import build_countries_sheet
from cmo_xl.sheets.regions import build_regions_sheet
from cmo_xl.sheets.segments import build_segment_sheet
from cmo_xl.spec import Spec


def plan_workbook(spec: Spec, spec_label: str = "spec") -> WorkbookPlan:
    """Every sheet, cell, style, validation and defined name of the workbook for ``spec``."""
    ctx = Context.of(spec)
    inputs_sheet = inputs.build_inputs_sheet(ctx)
    regions = build_regions_sheet(ctx)
    splits = []
    if any(r.countries for r in spec.regions):
        splits.append(build_countries_sheet(ctx, regions))
    splits += [build_segment_sheet(ctx, i, regions) for i in range(len(spec.dimensions))]
    summary_sheet = summary.build_summary_sheet(ctx, regions, splits)
    players_sheet = players.build_players_sheet(ctx)
    calc_sheets = [regions.sheet, *(s.sheet for s in splits), summary_sheet, players_sheet]
    checks_sheet = checks.build_checks_sheet(ctx, regions, splits, [inputs_sheet, *calc_sheets])
    sources_sheet = sources.build_sources_sheet(ctx)

    contents = [
        (inputs_sheet.title, "Every assumption, with provenance and a defined name"),
        (regions.sheet.title, "Growth rate and value of each region; the world total"),
    ]
    contents += [
        (s.sheet.title, f"Each region split by {s.sheet.title.lower()} (mix shift)") for s in splits
    ]
    contents += [
        (summary_sheet.title, "Values at phase ends; input against implied CAGRs"),
        (players_sheet.title, "Reported revenue and implied market share"),
        (checks_sheet.title, "Every check, its tolerance and the master check"),
        (sources_sheet.title, "Quoted figures, conflicts and corrections"),
    ]
    master = checks_sheet.cell_at(checks.MASTER_ROW, checks.STATUS)
    assert master is not None
    cover_sheet = cover.build_cover_sheet(
        ctx, spec_label, __version__, contents, inputs_sheet, master.cached
    )
    sheets = [
        cover_sheet,
        inputs_sheet,
        *calc_sheets[:-2],
        summary_sheet,
        players_sheet,
        checks_sheet,
        sources_sheet,
    ]
    return WorkbookPlan(sheets, dict(ctx.names))


#: Sheets made only of formulas over the inputs: no typed numbers allowed on them.
def calculation_titles(plan: WorkbookPlan) -> list[str]:
    fixed = {cover.TITLE, inputs.TITLE, sources.TITLE}
    return [s.title for s in plan.sheets if s.title not in fixed]
