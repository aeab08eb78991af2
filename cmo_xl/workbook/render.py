"""Render a plan with openpyxl: the only module that builds openpyxl objects."""

from __future__ import annotations

from collections import defaultdict
from copy import copy

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumFmt, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
    RichTextProperties,
)
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from cmo_xl.model.compute.verdicts import CONFLICT, FAIL, WARN
from cmo_xl.workbook.a1 import col_letter, parse, quote_sheet
from cmo_xl.workbook.records import Chart, SheetPlan, Validation, WorkbookPlan, number_format

_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_HEADER = PatternFill("solid", fgColor="1F4E78")
_SECTION = PatternFill("solid", fgColor="D9E1F2")
_ESTIMATE = PatternFill("solid", fgColor="F2F2F2")
_FIXED = PatternFill("solid", fgColor="E7E6E6")
_THIN = Side(style="thin", color="BFBFBF")
_TOP = Border(top=Side(style="thin", color="000000"))
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Everything sits at the top of its row, beside a wrapped note of several lines.
_TOP_ALIGN = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD = Alignment(wrap_text=True, vertical="center")
_RIGHT = Alignment(horizontal="right", vertical="top")
_UNLOCKED = Protection(locked=False)

#: A check cell's look when it fails or warns, by conditional formatting: it follows edits.
_STATUS_LOOKS = (
    (FAIL, PatternFill("solid", start_color="C00000", end_color="C00000"), "FFFFFF"),
    (WARN, PatternFill("solid", start_color="FFC000", end_color="FFC000"), "000000"),
    (CONFLICT, PatternFill("solid", start_color="FFC000", end_color="FFC000"), "000000"),
)

#: style role -> (font, fill, border, alignment)
STYLE = {
    "input": (Font(color="0000FF"), _YELLOW, _BOX, _TOP_ALIGN),
    "link": (Font(color="008000"), _YELLOW, _BOX, _TOP_ALIGN),
    "fixed": (Font(color="000000"), _FIXED, _BOX, _TOP_ALIGN),
    "calc": (Font(color="000000"), None, None, _RIGHT),
    "total": (Font(bold=True), None, _TOP, _TOP_ALIGN),
    "check": (Font(bold=True, color="375623"), None, None, _TOP_ALIGN),
    "note": (Font(color="404040"), None, None, _WRAP),
    "title": (Font(bold=True, size=14), None, None, None),
    "subtitle": (Font(italic=True, color="595959"), None, None, None),
    "header": (Font(bold=True, color="FFFFFF"), _HEADER, None, _HEAD),
    "section": (Font(bold=True), _SECTION, None, None),
    "label": (Font(), None, None, _WRAP),
    "unit": (Font(color="808080"), None, None, _TOP_ALIGN),
    "hyperlink": (Font(color="0563C1", underline="single"), None, None, None),
    "code": (Font(name="Courier New", size=10), None, None, _TOP_ALIGN),
}


def render(plan: WorkbookPlan) -> Workbook:
    """An openpyxl workbook holding exactly what ``plan`` says."""
    wb = Workbook()
    wb.remove(wb.active)
    looks: dict[tuple[str, bool, str | None, bool], StyleArray] = {}
    for sheet_plan in plan.sheets:
        _render_sheet(
            wb.create_sheet(sheet_plan.title), sheet_plan, plan.decimals, looks, plan.names
        )
    for name, target in plan.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    # Excel recalculates everything on open, so the cached values are only a preview.
    wb.calculation.fullCalcOnLoad = True
    return wb


def _render_sheet(
    ws: Worksheet,
    plan: SheetPlan,
    decimals: int,
    looks: dict[tuple[str, bool, str | None, bool], StyleArray],
    names: dict[str, str],
) -> None:
    """``looks`` holds the style of each (role, shaded, number format) met so far: setting
    a font, fill, border, alignment, format and protection costs openpyxl a hash of each per
    cell, so a cell whose look was met before takes a copy of the first one's style array,
    as openpyxl copies a cell's look itself (openpyxl/worksheet/copier.py, ``_copy_cells``)."""
    for c in plan.cells:
        cell = ws.cell(row=c.row, column=c.col)
        # An array formula sits in its range's top-left cell; the other cells of the range hold
        # only results, which is how Excel itself stores them (ECMA-376 Part 1, 18.3.1.40).
        if c.formula is None:
            cell.value = c.value
            if isinstance(c.value, str):
                cell.data_type = "s"  # text is text, even if it starts with "="
        else:
            text = "=" + c.formula
            cell.value = ArrayFormula(c.array, text) if c.array else text
        font, fill, border, alignment = STYLE[c.style]
        # a column of estimates is shaded, apart from the reported years
        shaded = fill is None and plan.shaded_from is not None and c.col >= plan.shaded_from
        key = (c.style, shaded, c.fmt, plan.typed_here)
        look = looks.get(key)
        if look is not None:
            cell._style = copy(look)
        else:
            cell.font = font
            if shaded:
                fill = _ESTIMATE
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            if alignment is not None:
                cell.alignment = alignment
            if c.fmt is not None:
                cell.number_format = number_format(c.fmt, decimals)
            if c.style in ("input", "link") and plan.typed_here:  # open when protected
                cell.protection = _UNLOCKED
            looks[key] = copy(cell._style)
        if c.link is not None:
            # A link to a defined name goes to the cell it names: a sheet and cell reference
            # is the location every spreadsheet follows (ECMA-376 Part 1, 18.3.1.47)
            target = names.get(c.link, c.link).replace("$", "")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target)
    for col, width in plan.widths.items():
        ws.column_dimensions[col_letter(col)].width = width
    checks = " ".join(c.address for c in plan.cells if c.style == "check")
    if checks:
        for word, fill, colour in _STATUS_LOOKS:
            rule = CellIsRule(
                operator="equal",
                formula=[f'"{word}"'],
                fill=fill,
                font=Font(bold=True, color=colour),
            )
            ws.conditional_formatting.add(checks, rule)
    for row, height in plan.heights.items():
        ws.row_dimensions[row].height = height
    for row in plan.collapsed:  # an outline group of helper rows, closed: + opens it
        ws.row_dimensions[row].outlineLevel = 1
        ws.row_dimensions[row].hidden = True
    if plan.collapsed:
        # The sheet's deepest row outline level, which Excel reads to draw the outline bar
        # (ECMA-376 Part 1, 18.3.1.81 sheetFormatPr); openpyxl leaves it out, where XlsxWriter
        # (worksheet.py, _write_sheet_format_pr) and LibreOffice write it.
        ws.sheet_format.outlineLevelRow = 1
    if plan.freeze:
        ws.freeze_panes = plan.freeze
    _validations(ws, plan.validations)
    _print_setup(ws, plan)
    for chart in plan.charts:
        ws.add_chart(_chart(chart, decimals), chart.anchor)
    if plan.protected:
        # No password: protection guards against accidents, not people. Columns and rows may
        # still be resized, and grouped rows opened and closed.
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False


def _validations(ws: Worksheet, validations: list[Validation]) -> None:
    groups: dict[tuple[bool, float, float | None, str, str | None], list[str]]
    groups = defaultdict(list)
    for v in validations:
        groups[(v.whole, v.low, v.high, v.rule, v.options)].append(v.address)
    for (whole, low, high, rule, options), addresses in groups.items():
        kind = "whole" if whole else "decimal"
        if options is not None:
            dv = DataValidation(type="list", formula1=options, allow_blank=False)
        elif high is None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_num(low))
        else:
            dv = DataValidation(
                type=kind, operator="between", formula1=_num(low), formula2=_num(high)
            )
        dv.showErrorMessage = True
        dv.errorTitle = "Value not allowed"
        dv.error = f"Enter {rule}."
        dv.showInputMessage = True
        dv.promptTitle = "Allowed"
        dv.prompt = rule[:255]
        dv.sqref = " ".join(addresses)
        ws.add_data_validation(dv)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _print_setup(ws: Worksheet, plan: SheetPlan) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = plan.scale
    rows, cols = "$1:$1", ""  # the title, which names the scenario in force, heads every page
    if plan.freeze:  # the frozen rows and columns repeat on every printed page
        row, col = parse(plan.freeze)
        rows = f"$1:${max(row - 1, 1)}"
        if col > 1:
            cols = f"$A:${col_letter(col - 1)}"
    # Written as Excel writes it, columns before rows (XlsxWriter, workbook.py, _prepare_
    # defined_names: repeat_col_range + "," + repeat_row_range); openpyxl's print_title_rows
    # and print_title_cols would write the rows first.
    sheet = quote_sheet(ws.title)
    titles = ",".join(f"{sheet}!{part}" for part in (cols, rows) if part)
    ws.defined_names["_xlnm.Print_Titles"] = DefinedName("_xlnm.Print_Titles", attr_text=titles)
    ws.print_options.gridLines = False
    if plan.print_area:
        ws.print_area = plan.print_area
    # &A is the sheet's name, &P the page and &N the pages (ECMA-376 Part 1, 18.3.1.46).
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"


def _chart(plan: Chart, decimals: int) -> BarChart | PieChart:
    """An openpyxl chart of live ranges, with a title, axis titles and number formats; each
    series is named by a cell, so no legend reads "Series1"."""
    chart: BarChart | PieChart
    if plan.kind == "pie":
        chart = PieChart()
    else:
        chart = BarChart()
        chart.type = "bar" if plan.kind == "tornado" else "col"
        chart.grouping = {"stacked": "stacked", "percent": "percentStacked"}.get(
            plan.kind, "stacked" if plan.kind == "tornado" else "clustered"
        )
        if plan.kind in ("stacked", "percent", "tornado"):
            chart.overlap = 100
        chart.gapWidth = 50
        chart.y_axis.title = plan.value_title
        chart.x_axis.title = plan.category_title or None
        code = number_format(plan.value_format, decimals)
        chart.y_axis.numFmt = NumFmt(formatCode=code, sourceLinked=False)
        # openpyxl 3.1 leaves an axis's <c:delete> unset (_BaseAxis.__init__(delete=None)),
        # which recent Excel reads as a deleted axis; say that both axes are shown.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        # Where each axis sits: a column chart's categories along the bottom and values at
        # the left; a bar chart's the other way round. openpyxl puts every category axis at
        # "l"; Excel and XlsxWriter (chart_bar.py, chart_column.py) write these.
        horizontal = plan.kind == "tornado"
        chart.x_axis.axPos = "l" if horizontal else "b"
        chart.y_axis.axPos = "b" if horizontal else "l"
        if plan.kind == "tornado":
            # The widest bar on top, and the inputs' names at the left edge, clear of the bars
            # that run left of zero.
            chart.x_axis.scaling.orientation = "maxMin"
            chart.x_axis.tickLblPos = "low"
            chart.x_axis.tickLblSkip = 1
        if plan.kind in ("stacked", "percent"):  # a timeline: years turned, so none overlap
            chart.x_axis.txPr = _turned_labels()
            # Plain years: a chart takes one format for all its labels, so the year row's
            # own 2022A/2025E formats would mark every year as the first one is.
            chart.x_axis.numFmt = NumFmt(formatCode="0", sourceLinked=False)
    chart.title = _title(plan.title)
    chart.width, chart.height = plan.width, plan.height
    for item in plan.series:
        series = Series(Reference(range_string=item.values))
        series.tx = SeriesLabel(strRef=StrRef(f=item.name))
        chart.series.append(series)
    chart.set_categories(Reference(range_string=plan.categories))
    if plan.kind in TEXT_CATEGORIES:
        # Names are text: Excel writes a text category range as <c:strRef>, where openpyxl's
        # set_categories always writes <c:numRef> (as XlsxWriter does for text, chart.py
        # _write_cat: strRef unless the data is numeric).
        for series in chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=series.cat.numRef.f))
    chart.legend.position = "b"
    return chart


#: Charts whose categories are names, not years.
TEXT_CATEGORIES = frozenset({"pie", "column", "tornado"})


#: Chart title size in hundredths of a point: the applications' default (LibreOffice's 13 pt,
#: Excel's 14 pt) leaves a dashboard-sized chart little room for its plot.
TITLE_SIZE = 1100


def _title(text: str) -> Title:
    """A chart title of ``text`` in bold at :data:`TITLE_SIZE` (a:rPr sz, ECMA-376 Part 1,
    21.1.2.3.9)."""
    run = RegularTextRun(rPr=CharacterProperties(sz=TITLE_SIZE, b=True), t=text)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=CharacterProperties(sz=TITLE_SIZE, b=True)), r=[run]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _turned_labels() -> RichText:
    """Axis labels turned 45 degrees (``rot`` is in 60,000ths of a degree, ECMA-376 Part 1,
    21.1.2.1.1 bodyPr), in the paragraph Excel writes for them: properties and an end, no run
    (XlsxWriter, chart.py, _write_a_p_formula). openpyxl's Paragraph adds an empty run unless
    its runs are cleared."""
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=CharacterProperties()),
        endParaRPr=CharacterProperties(lang="en-US"),
    )
    paragraph.r = []
    return RichText(bodyPr=RichTextProperties(rot=-2_700_000, vert="horz"), p=[paragraph])
