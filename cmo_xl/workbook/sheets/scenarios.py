"""Scenarios: every scenario side by side, whatever the switch on Inputs says.

One column a scenario. Its inputs come first in the calculation: each input of the forecast
as that scenario has it (``CHOOSE`` by the column's scenario number over the same cases the
switch chooses from on Inputs, so one formula fills the row). From them each region grows in
closed form through the phases, and the world is their sum; or, where a region is residual,
the world grows at the market's CAGRs and that region is what the others leave. Where the
scenarios carry probabilities a last column holds the probability-weighted expected value. The
numbers come from :func:`cmo_xl.model.compute.outcomes.outcomes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.input_kinds import KINDS
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan, Style
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.inputs import put_label
from cmo_xl.workbook.sheets.scenario_warnings import scenario_warning_text

TITLE = "Scenarios"
LABEL, UNIT, FIRST = 1, 2, 3
NAME_ROW, NUMBER_ROW, PROBABILITY_ROW = 5, 6, 7


class _Layout:
    """Where each row of the sheet goes: filled top to bottom."""

    def __init__(self, sheet: SheetPlan, columns: int) -> None:
        self.sheet, self.columns, self.row = sheet, columns, PROBABILITY_ROW + 1

    def section(self, text: str) -> None:
        self.row += 1
        self.sheet.put(self.row, LABEL, text, "section")
        for col in range(UNIT, FIRST + self.columns):
            self.sheet.put(self.row, col, "", "section")
        self.row += 1

    def take(self) -> int:
        self.row += 1
        return self.row - 1


@dataclass(frozen=True)
class _Rows:
    """Where each block's rows sit, placed before any formula so that formulas can refer to
    rows further down; and the columns every block fills."""

    world: list[int]  # the world at the base year and each phase end
    cagrs: list[int]  # its CAGR over each phase
    total_cagr: int  # and over the whole timeline
    regions: list[list[int]]  # each region at the same years
    inputs: dict[str, int]  # each input's row, by defined name
    last: int  # the last scenario's column
    probabilities: str  # the probabilities' row, over the scenarios' columns


def build_scenarios_sheet(ctx: Context) -> SheetPlan:
    sheet = SheetPlan(TITLE)
    listed = _inputs_listed(ctx)
    rows = _header(sheet, ctx, listed)
    _input_block(sheet, ctx, rows, listed)
    _region_block(sheet, ctx, rows)
    _world_block(sheet, ctx, rows)
    _cagr_block(sheet, ctx, rows)
    return sheet


def _header(sheet: SheetPlan, ctx: Context, inputs: list[Input]) -> _Rows:
    """The title, the scenario in force, each column's scenario and probability; and every
    block's rows, placed."""
    model, results = ctx.model, ctx.outcomes
    scenarios, expected = results.scenarios, results.expected
    columns = len(scenarios) + (expected is not None)
    last = FIRST + len(scenarios) - 1
    sheet.widths = {LABEL: 46, UNIT: 10, **{c: 15 for c in range(FIRST, FIRST + columns)}}
    sheet.put(1, LABEL, "Scenarios side by side", "title")
    sheet.put(
        2,
        LABEL,
        "Each scenario computed from its own inputs, whatever the switch on Inputs says. "
        "The other sheets show the scenario in force:",
        "subtitle",
    )
    in_force = model.scenarios[model.scenario - 1].name
    sheet.formula(3, LABEL, names.SCENARIO, cached=in_force, style="total")
    warned = scenario_warning_text(ctx)
    if warned is not None:  # an input typed over that the scenarios move no longer moves
        warning, shown = warned
        label = formula_text.concat([formula_text.text("Inputs typed over: "), warning])
        sheet.formula(
            4,
            LABEL,
            label,
            cached=f"Inputs typed over: {shown}",
            style="hyperlink",
            link=names.SCENARIO_WARNINGS,
        )
    sheet.put(NAME_ROW, LABEL, "Scenario", "header")
    sheet.put(NAME_ROW, UNIT, "", "header")
    sheet.put(NUMBER_ROW, LABEL, "Scenario number")
    first_number = a1.cell(NUMBER_ROW, FIRST, abs_row=True, abs_col=True)
    for k, outcome in enumerate(scenarios):
        col = FIRST + k
        number = a1.cell(NUMBER_ROW, col, abs_row=True)
        name = outcome.scenario.name if outcome.scenario else ""
        text = formula_text.pick(names.SCENARIO_NAMES, number)
        sheet.formula(NAME_ROW, col, text, cached=name, style="header")
        here = a1.cell(NUMBER_ROW, col)
        sheet.formula(NUMBER_ROW, col, formula_text.column_number(first_number, here), cached=k + 1)
    probabilities = a1.area(PROBABILITY_ROW, FIRST, PROBABILITY_ROW, last, absolute=True)
    if expected is not None:
        sheet.put(NAME_ROW, last + 1, "Probability-weighted", "header")
        sheet.put(PROBABILITY_ROW, LABEL, "Probability")
        sheet.put(PROBABILITY_ROW, UNIT, "%", "unit")
        for k, p in enumerate(model.probabilities):
            number = a1.cell(NUMBER_ROW, FIRST + k, abs_row=True)
            text = formula_text.pick(names.SCENARIO_PROBABILITIES, number)
            sheet.formula(PROBABILITY_ROW, FIRST + k, text, cached=p.value, fmt="share")
    sheet.heights[NAME_ROW] = 30
    sheet.freeze = a1.cell(NAME_ROW + 1, FIRST)

    layout = _Layout(sheet, columns)
    years = results.years
    layout.section("The world")
    world_rows = [layout.take() for _ in years]
    cagr_rows = [layout.take() for _ in model.phases]
    total_cagr_row = layout.take()
    layout.section("Regions")
    region_rows = [[layout.take() for _ in years] for _ in model.regions]
    layout.section("Inputs in each scenario (from Inputs: the spec's values and each change)")
    input_rows = {item.name: layout.take() for item in inputs}
    return _Rows(
        world_rows, cagr_rows, total_cagr_row, region_rows, input_rows, last, probabilities
    )


def _inputs_listed(ctx: Context) -> list[Input]:
    """The inputs each scenario gives, in their rows' order. A switched input that follows a
    default gets a row for its given value, so that the test of whether it still follows (see
    :func:`_input_block`) is made once, in one formula."""
    model = ctx.model
    listed = [
        *model.anchors,
        model.base_value,
        *(p.cagr for p in model.phases),
        *(r.share for r in model.regions if not r.residual),
        *(c for r in model.regions for c in r.cagrs),
    ]
    return [
        part
        for item in listed
        for part in (item.given, item)
        if part is not None and (part is item or part.follows is not None)
    ]


def _input_block(sheet: SheetPlan, ctx: Context, rows: _Rows, inputs: list[Input]) -> None:
    """Each input as each scenario has it."""
    model, scenarios = ctx.model, ctx.outcomes.scenarios
    for item in inputs:
        row = rows.inputs[item.name]
        put_label(sheet, row, LABEL, item)
        sheet.put(row, UNIT, item.unit, "unit")
        for k, outcome in enumerate(scenarios):
            col = FIRST + k

            def ref(part: Input, col: int = col) -> str:
                """An input as this scenario has it: its row here, if it has one."""
                row = rows.inputs.get(part.name)
                return a1.cell(row, col) if row is not None else part.name

            if item.given is not None:
                cases = [formula_text.case(item, s.number, ref) for s in model.scenarios]
                text = formula_text.choose(a1.cell(NUMBER_ROW, col, abs_row=True), cases)
            elif item.derived is not None:  # from the inputs as this scenario has them
                text = formula_text.derived(item, ref)
            elif item.follows is not None:
                default = a1.cell(rows.inputs[item.follows.name], col)
                text = formula_text.default_unless_typed(item.name, default)
            else:
                text = item.name
            sheet.formula(
                row, col, text, cached=outcome.inputs[item.name], fmt=KINDS[item.kind].shown
            )


def _ends(ctx: Context) -> list[Input]:
    """The years the blocks show: the base year and each phase end."""
    return [ctx.model.base_year, *(p.end for p in ctx.model.phases)]


def _region_block(sheet: SheetPlan, ctx: Context, rows: _Rows) -> None:
    """Each region at the base year and each phase end, in closed form from its inputs; a
    residual region is what the others leave of the world."""
    model, results = ctx.model, ctx.outcomes
    ends = _ends(ctx)
    for r, region in enumerate(model.regions):
        for t, row in enumerate(rows.regions[r]):
            _year_label(sheet, row, f"{region.name} in ", ends[t])
            sheet.put(row, UNIT, model.unit, "unit")
            for k, outcome in enumerate(results.scenarios):
                col = FIRST + k
                if region.residual:  # what the other regions leave of the world
                    parts = [
                        a1.cell(rows.regions[o][t], col)
                        for o, other in enumerate(model.regions)
                        if not other.residual
                    ]
                    world = a1.cell(rows.world[t], col)
                    text = formula_text.remainder(world, [formula_text.parenthesised_sum(parts)])
                elif t == 0:
                    text = formula_text.product(
                        a1.cell(rows.inputs[model.base_value.name], col),
                        a1.cell(rows.inputs[region.share.name], col),
                    )
                else:
                    years_in = formula_text.span(ends[t].name, ends[t - 1].name)
                    rate = a1.cell(rows.inputs[region.cagrs[t - 1].name], col)
                    text = formula_text.grow_for(a1.cell(row - 1, col), rate, years_in)
                sheet.formula(row, col, text, cached=outcome.regions[r][t], fmt="value_nq")
            if results.expected is not None:
                value = results.expected.regions[r][t]
                _weighted(sheet, row, rows.last, rows.probabilities, value)


def _world_block(sheet: SheetPlan, ctx: Context, rows: _Rows) -> None:
    """The world at the same years: the regions' sum, or, with a residual region, the base
    value grown at the market's CAGRs."""
    model, results = ctx.model, ctx.outcomes
    ends = _ends(ctx)
    for t, row in enumerate(rows.world):
        _year_label(sheet, row, "World in ", ends[t])
        sheet.put(row, UNIT, model.unit, "total")
        for k, outcome in enumerate(results.scenarios):
            col = FIRST + k
            if not model.anchored:
                parts = [a1.cell(rows.regions[r][t], col) for r in range(len(model.regions))]
                text = formula_text.plus(parts)
            elif t == 0:  # a residual region: the world grows at the market's CAGRs
                text = a1.cell(rows.inputs[model.base_value.name], col)
            else:
                years_in = formula_text.span(ends[t].name, ends[t - 1].name)
                rate = a1.cell(rows.inputs[model.phases[t - 1].cagr.name], col)
                text = formula_text.grow_for(a1.cell(row - 1, col), rate, years_in)
            sheet.formula(row, col, text, cached=outcome.world[t], style="total", fmt="value")
        if results.expected is not None:
            value = results.expected.world[t]
            _weighted(sheet, row, rows.last, rows.probabilities, value, style="total")


def _cagr_block(sheet: SheetPlan, ctx: Context, rows: _Rows) -> None:
    """The world's CAGR over each phase and over the whole timeline."""
    results, ends = ctx.outcomes, _ends(ctx)
    everything = [*results.scenarios, *([results.expected] if results.expected is not None else [])]
    for i, row in enumerate(rows.cagrs):
        start, end = ends[i], ends[i + 1]
        phase_label = (f"World CAGR, phase {i + 1} (", start, "-", end, ")")
        cached = [o.phase_cagrs[i] for o in everything]
        between = (rows.world[i], rows.world[i + 1])
        _cagr_row(sheet, row, phase_label, between, (start, end), cached)
    whole_label = ("World CAGR, ", ends[0], "-", ends[-1])
    cached = [o.cagr for o in everything]
    between = (rows.world[0], rows.world[-1])
    _cagr_row(sheet, rows.total_cagr, whole_label, between, (ends[0], ends[-1]), cached)


def _cagr_row(
    sheet: SheetPlan,
    row: int,
    label: tuple[str | Input, ...],
    rows: tuple[int, int],
    years: tuple[Input, Input],
    cached: list[float],
) -> None:
    """The world's CAGR between two of its rows, in every column (the weighted one too)."""
    parts = [formula_text.text(p) if isinstance(p, str) else p.name for p in label]
    text = "".join(p if isinstance(p, str) else str(int(p.value)) for p in label)
    sheet.formula(row, LABEL, formula_text.concat(parts), cached=text, style="label")
    sheet.put(row, UNIT, "%", "unit")
    span = formula_text.span(years[1].name, years[0].name)
    for k, value in enumerate(cached):
        col = FIRST + k
        text = formula_text.cagr(a1.cell(rows[0], col), a1.cell(rows[1], col), span)
        sheet.formula(row, col, text, cached=formula_text.cached_or_not_available(value), fmt="pct")


def _year_label(sheet: SheetPlan, row: int, text: str, year: Input) -> None:
    """``text`` and a year that follows the input holding it."""
    label = formula_text.concat([formula_text.text(text), year.name])
    sheet.formula(row, LABEL, label, cached=f"{text}{int(year.value)}", style="label")


def _weighted(
    sheet: SheetPlan, row: int, last: int, probabilities: str, cached: float, style: Style = "calc"
) -> None:
    values = a1.area(row, FIRST, row, last)
    text = formula_text.weighted(probabilities, values)
    sheet.formula(row, last + 1, text, cached=cached, style=style, fmt="value")
