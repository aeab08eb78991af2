"""Inputs: every assumption and nothing else, each with a defined name and data validation.

The resolved model says what each input is; this sheet only lays it out: a typed value in blue
on yellow, or a green link to the input it follows by default.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.input_kinds import KINDS, allowed
from cmo_xl.model.resolution.resolved import Input, Key, Model
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import NumberFormat, SheetPlan, Validation
from cmo_xl.workbook.sheets.context import Context

TITLE = "Inputs"
LABEL, UNIT, VALUE, IMPLIED, PROVENANCE, SOURCE, NAME, NOTE = range(1, 9)
HEADERS = (
    "Assumption",
    "Unit",
    "Value",
    "Implied CAGR, base to end year",
    "Provenance",
    "Source",
    "Defined name",
    "Note",
)
WIDTHS = (42, 8, 11, 11, 11, 6, 30, 50)
FIRST_ROW = 5


@dataclass
class InputsSheet:
    """The Inputs sheet and where each input landed: defined name -> row."""

    sheet: SheetPlan
    rows: dict[str, int] = field(default_factory=dict)

    def add_implied_cagrs(self, ctx: Context, series: dict[Key, str]) -> None:
        """Beside each mix-shift growth rate, the CAGR it gives its member over the timeline:
        ``series`` maps an engine key to that series' row on its sheet (absolute)."""
        first, last = ctx.years[0], ctx.years[-1]
        span = formula_text.span(names.END_YEAR, names.BASE_YEAR)
        for item in ctx.model.inputs():
            if item.implies is None:
                continue
            row_range = series[item.implies]
            start = formula_text.first_of(row_range)
            end = formula_text.last_of(row_range)
            implied = ctx.result.implied(item.implies, first, last)
            self.sheet.formula(
                self.rows[item.name],
                IMPLIED,
                formula_text.cagr(start, end, span),
                cached=formula_text.cached_or_not_available(implied),
                fmt="pct",
            )

    @property
    def provenance_range(self) -> str:
        """The provenance column over every input row, e.g. for counting placeholders."""
        first, last = min(self.rows.values()), max(self.rows.values())
        return self.sheet.area_ref(first, PROVENANCE, last, PROVENANCE)


def build_inputs_sheet(ctx: Context) -> InputsSheet:
    model = ctx.model
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, "Inputs: every assumption of the model", "title")
    sheet.put(
        2,
        LABEL,
        "Blue on yellow: typed. Green on yellow: a default until you type a number. Black: "
        "derived from other inputs. Grey: fixed when built. Each has its defined name beside it.",
        "subtitle",
    )
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(4, col, text, "header")
    sheet.widths = dict(enumerate(WIDTHS, start=1))
    sheet.heights[4] = 30  # two lines: Excel does not grow a row for wrapped text
    sheet.freeze = "A5"
    out = InputsSheet(sheet)
    row = _scenario_block(ctx, out)
    for title, items in _sections(model):
        row = _section(sheet, row + 1, title)
        for item in items:
            if item.name in out.rows:  # placed already (a reported value that derives a share)
                continue
            _input_row(ctx, out, row, item)
            row += 1
    for name, items in model.ranges.items():
        rows = [out.rows[i.name] for i in items]
        if rows != list(range(rows[0], rows[0] + len(rows))):
            raise ValueError(f"the inputs of range {name} are not contiguous on Inputs")
        ctx.define(name, sheet, rows[0], VALUE, rows[-1], VALUE)
    return out


def _sections(model: Model) -> Iterable[tuple[str, Sequence[Input]]]:
    """The sheet's sections in order, each with its inputs."""
    first = model.years[0]
    changes = [c.input for s in model.scenarios for c in s.changes]
    if changes:
        yield "Scenario changes: what each scenario sets, or shifts by (in points)", changes
        yield (
            "Inputs the scenarios change, as the spec gives them (the scenarios that leave or "
            "shift them use these)",
            [i.given for i in model.switched() if i.given is not None],
        )
    history = [i for pair in model.history for i in pair]
    anchors = [i for b in model.benchmarks if b.figure in model.anchors for i in b.inputs()]
    market = [model.base_year, model.end_year, *history, *anchors, model.base_value]
    yield "Market", market
    yield "Growth phases", [p.end for p in model.phases] + [p.cagr for p in model.phases]
    stated = list(model.stated_values())
    if stated:
        yield "Values the report states for members (their shares are derived from them)", stated
    yield f"Regions: share of the market in {first}", [r.share for r in model.regions]
    yield "Regions: CAGR by phase", [c for r in model.regions for c in r.cagrs]
    for r in model.regions:
        if r.countries:
            yield (
                f"Countries of {r.name}: weight within the region in {first}, and CAGR",
                [c.weight for c in r.countries]
                + [c.cagr for c in r.countries if c.cagr is not None],
            )
    for d in model.dimensions:
        cagrs = [c for c in d.cagrs if c is not None]
        yield f"{d.name}: share in {first}, and CAGR", [*d.shares, *cagrs, *d.overrides]
    players = [i for p in model.players for i in (p.revenue, p.year) if i is not None]
    if players:
        yield "Players: reported revenue", players
    reported = [i for b in model.benchmarks if b.figure not in model.anchors for i in b.inputs()]
    if reported:
        yield "Reported figures not used by the model (compared on Reconciliation)", reported
    a = model.analysis
    target = [a.target] if a.target is not None else []
    yield (
        "What-ifs for the Analysis sheet (the forecast does not use them)",
        [*target, *a.cagr_steps, *a.value_steps],
    )


def _scenario_block(ctx: Context, out: InputsSheet) -> int:
    """The scenario switch and the list of scenarios, each with its probability if the spec
    gives one; returns the last row used."""
    model, sheet = ctx.model, out.sheet
    row = _section(sheet, FIRST_ROW, "Scenario: every sheet but Scenarios follows the switch")
    active = model.scenarios[model.scenario - 1]
    first, last = row + 3, row + 2 + len(model.scenarios)
    sheet.put(row, LABEL, "Scenario in force")
    sheet.put(row, VALUE, active.name, "input")
    sheet.put(row, PROVENANCE, "analyst")
    sheet.put(row, NAME, names.SCENARIO, "unit")
    sheet.put(row, NOTE, "Pick one of the scenarios listed below.", "note")
    rule = "one of the scenarios listed in column A below"
    sheet.validations.append(
        Validation(a1.cell(row, VALUE), False, 0, None, rule, names.SCENARIO_NAMES)
    )
    ctx.define(names.SCENARIO, sheet, row, VALUE)
    sheet.put(row + 1, LABEL, "Scenario number (calculated)")
    text = formula_text.position(names.SCENARIO, names.SCENARIO_NAMES)
    sheet.formula(row + 1, VALUE, text, cached=model.scenario, fmt="int")
    sheet.put(row + 1, NAME, names.SCENARIO_INDEX, "unit")
    ctx.define(names.SCENARIO_INDEX, sheet, row + 1, VALUE)
    _section(sheet, row + 2, "Scenarios, with their probability (names are fixed when built)")
    for row, scenario in enumerate(model.scenarios, start=first):
        p = scenario.probability
        note = " ".join(t for t in (scenario.note, p and p.note and f"Probability: {p.note}") if t)
        if p is not None:
            _input_row(ctx, out, row, replace(p, note=note))
        else:
            sheet.put(row, LABEL, scenario.name)
            sheet.put(row, NOTE, note, "note")
    ctx.define(names.SCENARIO_NAMES, sheet, first, LABEL, last, LABEL)
    return last + 1


def _section(sheet: SheetPlan, row: int, text: str) -> int:
    """A section band across the table; returns the first row under it."""
    sheet.put(row, LABEL, text, "section")
    for col in range(UNIT, NOTE + 1):
        sheet.put(row, col, "", "section")
    return row + 1


def _input_row(ctx: Context, out: InputsSheet, row: int, item: Input) -> None:
    sheet = out.sheet
    put_label(sheet, row, LABEL, item)
    sheet.put(row, UNIT, item.unit, "unit")
    fmt: NumberFormat = KINDS[item.kind].shown
    if item.given is not None:  # set by the scenario switch
        cases = [formula_text.case(item, s.number, lambda i: i.name) for s in ctx.model.scenarios]
        text = formula_text.choose(names.SCENARIO_INDEX, cases)
        sheet.formula(row, VALUE, text, cached=item.value, style="calc", fmt=fmt)
    elif item.derived is not None:  # a residual's share
        text = formula_text.derived(item)
        sheet.formula(row, VALUE, text, cached=item.value, style="calc", fmt=fmt)
    elif item.kind == "fixed_year":  # fixed when built: shown as such, and locked
        sheet.put(row, VALUE, int(item.value), "fixed", fmt)
    elif item.follows is None:
        value = int(item.value) if KINDS[item.kind].whole else item.value
        sheet.put(row, VALUE, value, "input", fmt)
    else:
        sheet.formula(row, VALUE, item.follows.name, cached=item.value, style="link", fmt=fmt)
    sheet.put(row, PROVENANCE, item.provenance)
    sheet.put(row, SOURCE, item.source)
    sheet.put(row, NAME, item.name, "unit")
    note = f"As quoted: {item.quoted}. {item.note}".strip() if item.quoted else item.note
    sheet.put(row, NOTE, note, "note")
    if item.derived is None and KINDS[item.kind].validated:
        sheet.validations.append(_validation(ctx.model, item, a1.cell(row, VALUE)))
    ctx.define(item.name, sheet, row, VALUE)
    out.rows[item.name] = row


def put_label(sheet: SheetPlan, row: int, col: int, item: Input) -> None:
    """An input's label; a formula when it quotes other inputs (a phase's years), so that it
    follows their edits."""
    if item.label_parts:
        parts = [formula_text.text(p) if isinstance(p, str) else p.name for p in item.label_parts]
        sheet.formula(row, col, formula_text.concat(parts), cached=item.label, style="label")
    else:
        sheet.put(row, col, item.label)


def _validation(model: Model, item: Input, address: str) -> Validation:
    bounds = allowed(item.kind, model.years[0], model.years[-1])
    assert bounds.low is not None, f"every validated kind has a lower bound: {item.kind}"
    return Validation(address, bounds.whole, bounds.low, bounds.high, bounds.words)
