"""Scenario warnings on Checks: the inputs the scenarios move through a formula, and which of
them are typed over (then they stay put in every scenario); and the live text, naming the
first, that Checks, the Scenarios sheet and the Dashboard show.

The model says which inputs those are (:mod:`cmo_xl.model.scenario_links`); this module
writes the rows that find them typed over with ``ISFORMULA``, in the Checks sheet's columns.
"""

from __future__ import annotations

import math

from cmo_xl.model.compute.verdicts import PASS, WARN
from cmo_xl.model.resolution import names
from cmo_xl.model.scenario_links import Moved
from cmo_xl.workbook import a1, formula_text, layout
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.check_columns import FLAG, GAP, LABEL, STATUS, TOLERANCE
from cmo_xl.workbook.sheets.context import Context


def build_section(ctx: Context, sheet: SheetPlan, row: int) -> int:
    """Each input the scenarios move through a formula (a switched input's CHOOSE, a default
    link that follows one), warned of when typed over: it then stays put in every scenario.
    Counted apart, like the growth warnings; returns the last row used."""
    if not ctx.moved:
        return row - 2
    sheet.put(row, LABEL, "Scenario warnings: inputs the scenarios move, typed over", "section")
    for col in range(GAP, STATUS + 1):
        sheet.put(row, col, "", "section")
    summary = row + 1
    header = summary + 1
    for col, title in enumerate(("Input", "Typed over", "Tolerance", "Warns", "Status"), 1):
        sheet.put(header, col, title, "header")
    row = header
    for item in ctx.moved:
        row += 1
        follows, typed = _moved_texts(item)
        flag_cell = a1.cell(row, FLAG)
        label = formula_text.one_of(flag_cell, typed, follows)
        over = int(item.typed_over)
        sheet.formula(row, LABEL, label, cached=typed if over else follows, style="label")
        sheet.formula(row, GAP, formula_text.not_formula(item.input.name), cached=over, fmt="int")
        sheet.put(row, TOLERANCE, "none")
        flag = formula_text.flag(a1.cell(row, GAP), "0")
        sheet.formula(row, FLAG, flag, cached=over, fmt="int")
        status = formula_text.status(flag_cell, WARN)
        sheet.formula(row, STATUS, status, cached=WARN if over else PASS, style="check")
    flags = a1.area(header + 1, FLAG, row, FLAG)
    count = sum(m.typed_over for m in ctx.moved)
    sheet.formula(summary, STATUS, formula_text.total(flags), cached=count, fmt="int")
    ctx.define(names.SCENARIO_WARNINGS, sheet, summary, STATUS)
    ctx.define(names.SCENARIO_WARNING_TEXTS, sheet, header + 1, LABEL, row, LABEL)
    ctx.define(names.SCENARIO_WARNING_FLAGS, sheet, header + 1, FLAG, row, FLAG)
    # The summary names the first input typed over, so the rows (one an input, nearly all
    # OK) are grouped and closed: they print only when opened with +
    text, shown = scenario_warning_text(ctx) or ("", "")
    label = formula_text.concat([formula_text.text(TYPED_OVER), text])
    sheet.formula(summary, LABEL, label, cached=TYPED_OVER + shown, style="label")
    # the row is laid out for the text it shows once an input is typed over, not as built
    longest = len(TYPED_OVER + MORE.format(count=999)) + max(
        len(_moved_texts(m)[1]) for m in ctx.moved
    )
    sheet.heights[summary] = layout.LINE_POINTS * math.ceil(
        longest / (sheet.widths[LABEL] * layout.CHARACTERS_PER_WIDTH)
    )
    sheet.collapsed |= set(range(header, row + 1))
    return row


TYPED_OVER = "Inputs typed over: "
NO_WARNING = "None: every input the scenarios move still follows them"
MORE_WHERE = "on Checks"
MORE = "{count} (" + MORE_WHERE + "); the first: "


def _moved_texts(item: Moved) -> tuple[str, str]:
    """What a scenario warning's row says: while the input follows, and once typed over."""
    name, scenarios = item.input.name, ", ".join(item.scenarios)
    through = f" through {item.via}" if item.via else ""
    follows = f"{name} follows {scenarios}{through} ({item.input.label})"
    typed = f"{name} is typed over: it no longer follows {scenarios} ({item.input.label})"
    return follows, typed


def scenario_warning_text(ctx: Context) -> tuple[str, str] | None:
    """The formula that names the first input typed over that the scenarios no longer move,
    after how many there are, for Checks, the Scenarios sheet and the Dashboard; with the text
    it shows as built. None when the scenarios move no input through a formula."""
    if not ctx.moved:
        return None
    text = formula_text.first_flagged(
        names.SCENARIO_WARNINGS,
        names.SCENARIO_WARNING_TEXTS,
        names.SCENARIO_WARNING_FLAGS,
        NO_WARNING,
        MORE_WHERE,
    )
    over = [m for m in ctx.moved if m.typed_over]
    if not over:
        return text, NO_WARNING
    more = MORE.format(count=len(over)) if len(over) > 1 else ""
    return text, more + _moved_texts(over[0])[1]
