"""Plan a whole workbook from a spec: the sheets of the registry in order, and every defined
name."""

from __future__ import annotations

from dataclasses import replace

from cmo_xl.errors import SpecError
from cmo_xl.model.resolution import names
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.text import excerpt
from cmo_xl.workbook import formula_text, registry
from cmo_xl.workbook.layout import lay_out
from cmo_xl.workbook.records import SheetPlan, WorkbookPlan
from cmo_xl.workbook.registry import BUILD_ORDER, FIXED_TITLES, FORMULAS_ONLY, Built, Options
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.functions import CONFIG_TITLE


def _dimension_titles(spec: Spec) -> None:
    """A dimension's sheet may not take a title of cmo_xl's own (Excel compares sheet names
    ignoring case)."""
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
    built = Built(ctx, Options(spec_label, udfs, protect))
    for kind in BUILD_ORDER:  # the Cover last: it lists the others
        for entry in registry.SHEETS:
            if entry.kind != kind:
                continue
            for sheet in entry.build(built):
                sheet.kind = kind
                built.placed.append((entry, sheet))
                if not entry.own_scenario:
                    _scenario_in_title(ctx, sheet)
    sheets = [sheet for _, sheet in built.in_workbook_order()]
    for s in sheets:
        s.protected = protect and s.title != CONFIG_TITLE
        lay_out(s)
    comparisons = built.functions[1] if udfs else []
    decimals = spec.presentation.decimals
    return WorkbookPlan(sheets, dict(ctx.names), comparisons, decimals, built.series)


def _scenario_in_title(ctx: Context, sheet: SheetPlan) -> None:
    """The sheet's title names the scenario in force, live, so that each printed page does:
    the title row is among the rows every page repeats (see :mod:`.render`). Excel's page
    headers hold only text and codes such as ``&A`` (ECMA-376 Part 1, 18.3.1.46), never a
    cell's value, so the header cannot say it. Sheets that say it on a row of their own (the
    Dashboard, Scenarios) and xlwings.conf (the add-in's, not a page) are left alone."""
    in_force = ctx.model.scenarios[ctx.model.scenario - 1].name
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
            return


def calculation_titles(plan: WorkbookPlan) -> list[str]:
    """The sheets made only of formulas over the inputs: no typed number belongs on them."""
    return [s.title for s in plan.sheets if s.kind in FORMULAS_ONLY]
