"""Print layout of a planned sheet: row heights where text wraps, and the scale it prints at.

Excel and LibreOffice do not grow a row for wrapped text in a file they open, so a note of
three lines prints over the rows below it unless its row is given the height. And a sheet
fitted to one page wide may shrink until nobody can read it. Both are settled here, from the
plan alone: every sheet prints on landscape A4 at a scale of at least :data:`MIN_SCALE` percent;
a sheet wider than that spills onto a second page across rather than shrink further.
"""

from __future__ import annotations

import math

from cmo_xl.workbook.a1 import parse
from cmo_xl.workbook.records import WRAPPED, SheetPlan

LINE_POINTS = 15.0  # one line of 11-point text
DEFAULT_WIDTH = 8.43  # a column's width when the plan sets none, in characters
#: Characters of running text a column holds per unit of width: widths count the digit 0, and
#: text runs narrower (about 1.24 in LibreOffice's prints here); this errs towards a line too
#: many, never one too few.
CHARACTERS_PER_WIDTH = 1.1
BOLD_CHARACTERS_PER_WIDTH = 0.75  # headers are bold, and break at words
#: A4 landscape, less openpyxl's default margins (0.75 inch either side, 1 inch top and bottom)
#: and the header and footer, in centimetres.
PRINTABLE_WIDTH = 29.7 - 2 * 1.905
PRINTABLE_HEIGHT = 21.0 - 2 * 2.54 - 1.5
MIN_SCALE, MAX_SCALE = 60, 100


def lay_out(sheet: SheetPlan) -> None:
    """Give wrapped text its rows' height, then choose the print scale."""
    fit_wrapped_rows(sheet)
    sheet.scale = print_scale(sheet)


def fit_wrapped_rows(sheet: SheetPlan) -> None:
    """Each row holding wrapped text gets the height of its longest cell, in lines."""
    for cell in sheet.cells:
        if cell.style not in WRAPPED or not isinstance(cell.value, str) or not cell.value:
            continue
        density = CHARACTERS_PER_WIDTH if cell.style != "header" else BOLD_CHARACTERS_PER_WIDTH
        per_line = max(1, int(sheet.widths.get(cell.col, DEFAULT_WIDTH) * density))
        lines = sum(math.ceil(len(part) / per_line) or 1 for part in cell.value.split("\n"))
        if lines > 1:
            height = lines * LINE_POINTS
            sheet.heights[cell.row] = max(sheet.heights.get(cell.row, LINE_POINTS), height)


#: Centimetres a unit of column width takes when LibreOffice 7.4 prints it at 100%, measured on
#: its PDFs here (a column of width 46 spans 11.36 cm). Excel, with Calibri, prints narrower
#: (7 pixels a unit at 96 dpi, 0.19 cm), so a sheet laid out for LibreOffice fits in both.
CM_PER_WIDTH = 0.247


def column_cm(width: float) -> float:
    """A column's printed width at 100%."""
    return width * CM_PER_WIDTH + 0.1


def print_scale(sheet: SheetPlan) -> int:
    """The largest scale, up to 100%, at which the sheet fits one page wide (and, for a
    one-page sheet, one page high), but never below :data:`MIN_SCALE`."""
    last_col = max((c.col for c in sheet.cells), default=1)
    edges = [sum(column_cm(sheet.widths.get(c, DEFAULT_WIDTH)) for c in range(1, last_col + 1))]
    for chart in sheet.charts:
        _, anchor_col = parse(chart.anchor)
        left = sum(column_cm(sheet.widths.get(c, DEFAULT_WIDTH)) for c in range(1, anchor_col))
        edges.append(left + chart.width)
    scale = 100 * PRINTABLE_WIDTH / max(edges)
    if sheet.one_page:
        scale = min(scale, 100 * PRINTABLE_HEIGHT / _height_cm(sheet))
    return max(MIN_SCALE, min(MAX_SCALE, math.floor(scale)))


def _height_cm(sheet: SheetPlan) -> float:
    def rows_cm(rows: range) -> float:
        return sum(sheet.heights.get(r, LINE_POINTS) for r in rows) / 72 * 2.54

    last_row = max((c.row for c in sheet.cells), default=1)
    bottoms = [rows_cm(range(1, last_row + 1))]
    for chart in sheet.charts:
        top, _ = parse(chart.anchor)
        bottoms.append(rows_cm(range(1, top)) + chart.height)
    return max(bottoms)
