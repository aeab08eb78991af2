"""Print layout, on plans: wrapped text gets its rows' height, and every sheet of the default
workbook prints at 60% or more, the Dashboard on one page."""

from __future__ import annotations

import math

from cmo_xl.workbook import layout
from cmo_xl.workbook.records import WRAPPED, Chart, ChartSeries, SheetPlan, WorkbookPlan


def test_a_long_note_gets_the_lines_it_needs() -> None:
    sheet = SheetPlan("Notes")
    sheet.widths = {1: 20, 2: 50}
    sheet.put(1, 1, "short")
    sheet.put(1, 2, "word " * 60, "note")  # 300 characters
    sheet.put(2, 2, "one line", "note")
    sheet.put(3, 2, "a\nb\nc", "note")
    layout.fit_wrapped_rows(sheet)
    per_line = int(50 * layout.CHARACTERS_PER_WIDTH)
    assert sheet.heights[1] == math.ceil(300 / per_line) * layout.LINE_POINTS
    assert 2 not in sheet.heights
    assert sheet.heights[3] == 3 * layout.LINE_POINTS


def test_the_scale_fits_the_width_between_60_and_100() -> None:
    narrow = SheetPlan("Narrow")
    narrow.put(1, 1, "x")
    assert layout.print_scale(narrow) == 100
    wide = SheetPlan("Wide")
    wide.put(1, 300, "x")
    assert layout.print_scale(wide) == layout.MIN_SCALE
    charted = SheetPlan("Charted")
    charted.put(1, 1, "x")
    series = (ChartSeries("Charted!$A$1", "Charted!$B$1:$B$2"),)
    charted.charts.append(Chart("column", "c", "Z1", "Charted!$A$1:$A$2", series, "u", "value"))
    width = 25 * layout.column_cm(layout.DEFAULT_WIDTH) + 12.0
    assert layout.print_scale(charted) == max(60, math.floor(100 * layout.PRINTABLE_WIDTH / width))


def test_the_default_workbook_prints_at_60_percent_or_more(cmo_plan: WorkbookPlan) -> None:
    scales = {s.title: s.scale for s in cmo_plan.sheets}
    assert min(scales.values()) >= layout.MIN_SCALE
    dashboard = cmo_plan.sheet("Dashboard")
    assert dashboard.one_page
    # above the floor, so the scale was fitted to its width and height: it is one page
    assert dashboard.scale > layout.MIN_SCALE


def test_no_text_runs_off_the_first_page(cmo_plan: WorkbookPlan) -> None:
    """Text that does not wrap may run into the empty cells beside it, but not past the right
    edge of the page, where it would print on a page of its own."""
    for sheet in cmo_plan.sheets:
        page = layout.PRINTABLE_WIDTH * 100 / sheet.scale  # centimetres of the sheet a page shows
        for c in sheet.cells:
            if c.style in WRAPPED or not isinstance(c.value, str):
                continue
            left = sum(
                layout.column_cm(sheet.widths.get(k, layout.DEFAULT_WIDTH)) for k in range(1, c.col)
            )
            right = left + len(c.value) * layout.CM_PER_WIDTH * 0.9
            assert right <= page, f"{sheet.title}!{c.address}: {c.value[:50]}..."
