"""Cover: what the workbook is, its live master check, placeholders, contents and style legend."""

from __future__ import annotations

from cmo_xl.model.compute.flags import PLACEHOLDER, placeholders
from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan, Style
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.inputs import InputsSheet

TITLE = "Cover"

LEGEND: tuple[tuple[Style, str, str], ...] = (
    ("input", "Input", "Typed by you (blue on yellow), on the Inputs sheet only"),
    ("link", "Default", "Follows another input until you type a number (green on yellow)"),
    ("fixed", "Fixed", "Set when the workbook is built (black on grey), locked: rebuild to change"),
    ("calc", "Calculation", "A formula; never type over it"),
    ("total", "Total", "A sum of the rows above"),
    ("check", "Check", "OK when the check passes; ERROR in red when it fails, WARN in amber"),
)


def build_cover_sheet(
    ctx: Context,
    *,
    spec_label: str,
    version: str,
    contents: list[tuple[str, str]],
    inputs: InputsSheet,
    master_status: str,
) -> SheetPlan:
    """``contents`` lists (sheet title, what it holds) in workbook order."""
    spec, m = ctx.spec, ctx.spec.market
    sheet = SheetPlan(TITLE, typed_here=False)  # its legend shows the looks; nobody types here
    sheet.widths = {1: 30, 2: 70}
    sheet.put(1, 1, m.name, "title")
    sheet.put(
        2,
        1,
        f"Market forecast {m.base_year}-{m.end_year}, {m.unit}. Every number is a "
        "live formula on the inputs.",
        "subtitle",
    )
    facts: list[tuple[str, str]] = [
        ("Market", m.name),
        ("Currency and unit", f"{m.currency}, {m.unit}" if m.currency else m.unit),
        ("Spec", spec_label),
        ("Schema version", f"{spec.schema_version}"),
        ("Built by", f"cmo_xl {version}"),
    ]
    row = 4
    for label, value in facts:
        sheet.put(row, 1, label)
        sheet.put(row, 2, value)
        row += 1
    row += 1
    sheet.put(row, 1, "Master check", "total")
    sheet.formula(row, 2, names.MASTER_CHECK, cached=master_status, style="check")
    row += 1
    sheet.put(row, 1, "Scenario in force")
    in_force = ctx.model.scenarios[ctx.model.scenario - 1].name
    sheet.formula(row, 2, names.SCENARIO, cached=in_force, style="label")
    row += 1
    count = len(placeholders(ctx.model))
    sheet.put(row, 1, "Placeholder inputs")
    text = formula_text.count_if_equal(inputs.provenance_range, PLACEHOLDER)
    sheet.formula(row, 2, text, cached=count, style="label", fmt="int")
    if spec.document is not None:  # the report every source figure comes from
        row += 1
        sheet.put(row, 1, "Source document")
        sheet.put(row, 2, spec.document.citation(), "note")

    row += 2
    sheet.put(row, 1, "Contents", "section")
    sheet.put(row, 2, "", "section")
    for title, what in contents:
        row += 1
        sheet.put(row, 1, title, "hyperlink", link=a1.ref(title, "A1"))
        sheet.put(row, 2, what, "note")

    row += 2
    sheet.put(row, 1, "Legend", "section")
    sheet.put(row, 2, "", "section")
    for style, sample, text in LEGEND:
        row += 1
        sheet.put(row, 1, sample, style)
        sheet.put(row, 2, text, "note")
    return sheet
