"""Modelling standards on the built file: inputs apart and validated, no typed numbers on
calculation sheets, one formula per row, names that resolve, nothing hidden or merged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from cmo_xl.model.load import parse_spec
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.workbook.plan import calculation_titles, plan_workbook
from cmo_xl.workbook.records import WorkbookPlan
from cmo_xl.workbook.sheets import scenarios as scenarios_sheet
from cmo_xl.workbook.sheets.context import FIRST_BODY_ROW, FIRST_YEAR_COL

from spec_samples import small_spec_data

FORBIDDEN_FUNCTIONS = (
    "OFFSET",
    "INDIRECT",
    "TODAY",
    "NOW",
    "RAND",
    "RANDBETWEEN",
    "XLOOKUP",
    "LET",
    "SEQUENCE",
    "FILTER",
    "SORT",
    "UNIQUE",
    "LAMBDA",
)
#: Structural constants a formula may hold (FAST-style: 0 and 1 only, e.g. ``(1+g)`` or ``-1``).
ALLOWED_LITERALS = {"0", "1"}
TIMELINE_SHEETS = ("Regions", "Countries", "Client type", "Application")


@pytest.fixture(scope="module", params=["plain", "udfs"])
def variant(request: pytest.FixtureRequest) -> str:
    """Every structure test runs on the default workbook and on its --udfs variant."""
    return str(request.param)


@pytest.fixture(scope="module")
def path(variant: str, request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue("built" if variant == "plain" else "built_udfs"))


@pytest.fixture(scope="module")
def plan(variant: str, request: pytest.FixtureRequest) -> WorkbookPlan:
    fixture = "cmo_plan" if variant == "plain" else "cmo_plan_udfs"
    result: WorkbookPlan = request.getfixturevalue(fixture)
    return result


@pytest.fixture(scope="module")
def wb(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def text(value: object) -> str:
    """Formula text of a plain or an array formula."""
    return value.text if isinstance(value, ArrayFormula) else str(value)


def formulas(ws: Worksheet) -> list[tuple[str, str]]:
    return [
        (c.coordinate, text(c.value)) for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]


def array_results(ws: Worksheet) -> set[str]:
    """Cells inside an array formula's range but not its anchor: they hold its results."""
    cells = set()
    for anchor, ref in ws.array_formulae.items():
        cells |= {f"{get_column_letter(col)}{row}" for row, col in CellRange(ref).cells}
        cells.discard(anchor)
    return cells


def test_sheet_order(wb: openpyxl.Workbook, variant: str) -> None:
    model = [
        "Cover",
        "Dashboard",
        "Inputs",
        "Regions",
        "Countries",
        "Client type",
        "Application",
        "Summary",
        "Scenarios",
        "Analysis",
        "Players",
    ]
    if variant == "plain":
        assert wb.sheetnames == [*model, "Reconciliation", "Checks", "Sources", "Spec"]
    else:
        assert wb.sheetnames == [
            *model,
            "Reconciliation",
            "Functions",
            "Checks",
            "Sources",
            "Spec",
            "xlwings.conf",
        ]
        assert [[c.value for c in row] for row in wb["xlwings.conf"].iter_rows()] == [
            ["UDF Modules", "cmo_xl.udfs"]
        ]


def test_udf_calls_only_with_udfs(wb: openpyxl.Workbook, variant: str) -> None:
    calls = [f"{ws.title}!{a}" for ws in wb.worksheets for a, f in formulas(ws) if "cmo_" in f]
    if variant == "plain":
        assert calls == []
    else:
        assert {c.split("!")[0] for c in calls} == {"Functions"}
        called = {
            re.match(r"=(cmo_\w+)\(", f).group(1)  # type: ignore[union-attr]
            for ws in wb.worksheets
            for _, f in formulas(ws)
            if "cmo_" in f
        }
        assert called == {
            "cmo_forecast",
            "cmo_cagr",
            "cmo_series",
            "cmo_phased",
            "cmo_mix",
            "cmo_split",
            "cmo_table",
        }
        assert len(calls) == 7


def test_no_typed_numbers_on_calculation_sheets(wb: openpyxl.Workbook, plan: WorkbookPlan) -> None:
    titles = calculation_titles(plan)
    assert set(TIMELINE_SHEETS) <= set(titles)
    constants: list[str] = []
    for title in titles:
        results = array_results(wb[title])
        for row in wb[title].iter_rows():
            for c in row:
                if c.coordinate in results:
                    continue
                if c.fill.fgColor.rgb == "00E7E6E6" and c.protection.locked:
                    constants.append(f"{title}!{c.coordinate}")  # fixed when built, locked
                    continue
                assert not isinstance(c.value, int | float) or isinstance(c.value, bool), (
                    f"{title}!{c.coordinate} holds a typed number {c.value!r}"
                )
                if c.data_type == "f":
                    literals = {
                        t.value
                        for t in Tokenizer(text(c.value)).items
                        if t.type == Token.OPERAND and t.subtype == Token.NUMBER
                    }
                    assert literals <= ALLOWED_LITERALS, f"{title}!{c.coordinate}: {c.value}"
    # the one constant of a calculation sheet: the checks' tolerance, by its name
    assert constants == [plan.names["check_tolerance"].replace("$", "")]


@pytest.mark.parametrize("title", TIMELINE_SHEETS)
def test_one_formula_pattern_per_row(wb: openpyxl.Workbook, title: str) -> None:
    ws = wb[title]
    first_forecast_col = FIRST_YEAR_COL + 1
    rows_checked = 0
    for row in ws.iter_rows(min_row=4):
        forecast = [c for c in row[first_forecast_col - 1 :] if c.value is not None]
        if not forecast:
            continue
        assert forecast[0].data_type == "f", f"{title}!{forecast[0].coordinate} is not a formula"
        one_pattern(title, forecast)
        rows_checked += 1
    assert rows_checked > 10


def one_pattern(title: str, cells: list[Any]) -> None:
    """Every cell holds the first one's formula, moved to its own place."""
    model = cells[0]
    for c in cells[1:]:
        expected = Translator(model.value, origin=model.coordinate).translate_formula(c.coordinate)
        assert c.value == expected, f"{title}!{c.coordinate} breaks the row's pattern"


def test_one_formula_per_row_across_the_scenarios(wb: openpyxl.Workbook, cmo_spec: Spec) -> None:
    """Every scenario's column holds the same formula (relative to its column), row by row."""
    ws = wb["Scenarios"]
    scenarios = len(cmo_spec.scenarios or [])
    rows_checked = 0
    for row in ws.iter_rows(min_row=scenarios_sheet.NUMBER_ROW):
        cells = [c for c in row[scenarios_sheet.FIRST - 1 :] if c.value is not None]
        across = cells[:scenarios]
        if not across or across[0].data_type != "f":
            continue
        assert len(across) == scenarios, f"Scenarios row {row[0].row} leaves a scenario out"
        one_pattern("Scenarios", across)
        rows_checked += 1
    assert rows_checked > 30


def test_no_volatile_fragile_or_dynamic_array_functions(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        for address, text in formulas(ws):
            functions = {
                t.value.rstrip("(")
                for t in Tokenizer(text).items
                if t.type == Token.FUNC and t.subtype == Token.OPEN
            }
            assert not functions & set(FORBIDDEN_FUNCTIONS), f"{ws.title}!{address}: {text}"
            assert len(re.findall(r"(?<![A-Z])IF\(", text)) <= 1, f"nested IF at {address}"


def test_every_defined_name_resolves(wb: openpyxl.Workbook) -> None:
    assert len(wb.defined_names) > 100
    for name, defined in wb.defined_names.items():
        for sheet, area in defined.destinations:
            for row, col in CellRange(area.replace("$", "")).cells:
                value = wb[sheet].cell(row, col).value
                assert value is not None, f"{name} -> {sheet}!{area} has an empty cell"


def test_every_name_used_in_a_formula_is_defined(wb: openpyxl.Workbook) -> None:
    defined = set(wb.defined_names)
    reference = re.compile(r"^(?:'[^']+'|[^!]+)?!?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?$")
    used = set()
    for ws in wb.worksheets:
        for _, text in formulas(ws):
            for t in Tokenizer(text).items:
                if (
                    t.type == Token.OPERAND
                    and t.subtype == Token.RANGE
                    and not reference.match(t.value)
                ):
                    used.add(t.value)
    assert used
    assert used <= defined, sorted(used - defined)


def test_every_input_is_named_styled_and_validated(
    wb: openpyxl.Workbook, plan: WorkbookPlan
) -> None:
    ws = wb["Inputs"]
    validated = set()
    for dv in ws.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.error
        for cell_range in dv.sqref.ranges:
            validated |= {f"{get_column_letter(col)}{row}" for row, col in cell_range.cells}
    single_names = {
        target.split("!")[1].replace("$", "")
        for target in plan.names.values()
        if target.startswith("Inputs!") and ":" not in target
    }
    inputs = [
        c
        for row in ws.iter_rows(min_row=5, min_col=3, max_col=3)
        for c in row
        if c.value is not None and ws.cell(c.row, 1).fill.fgColor.rgb != "00D9E1F2"
    ]
    assert len(inputs) > 60
    switched = fixed = 0
    for c in inputs:
        assert c.coordinate in single_names, f"Inputs!{c.coordinate} has no defined name"
        if c.fill.fgColor.rgb == "00E7E6E6":  # a year fixed when built: grey, locked
            assert c.protection.locked and c.coordinate not in validated, c.coordinate
            fixed += 1
            continue
        if c.data_type == "f" and re.match("=(CHOOSE|MATCH)", c.value):
            # set by the scenario switch, or the switch's number: a calculation, not an input
            assert re.fullmatch(r"=(CHOOSE\(scenario_index,.*\)|MATCH\(scenario,.*\))", c.value)
            assert c.fill.fgColor.rgb != "00FFF2CC", f"Inputs!{c.coordinate} looks typeable"
            switched += 1
            continue
        assert c.coordinate in validated, f"Inputs!{c.coordinate} has no data validation"
        assert c.fill.fgColor.rgb == "00FFF2CC", f"Inputs!{c.coordinate} is not on yellow"
        colour = "000000FF" if c.data_type != "f" else "00008000"
        assert c.font.color.rgb == colour, f"Inputs!{c.coordinate} font {c.font.color.rgb}"
        if c.data_type == "f":  # a link to a default: nothing but another input's name
            assert re.fullmatch(r"=[a-z_]+[A-Za-z0-9_]*", c.value), c.value
    assert switched == 2  # the template's scenarios change one input; and the switch's number
    assert fixed == 3  # the base and end years, and the last phase's end (the end year)


def test_validation_bounds(wb: openpyxl.Workbook) -> None:
    ws = wb["Inputs"]
    rules = {
        (dv.type, dv.operator, dv.formula1, dv.formula2)
        for dv in ws.data_validations.dataValidation
    }
    assert ("decimal", "between", "0", "1") in rules  # shares
    assert ("decimal", "between", "-0.5", "1") in rules  # CAGRs
    assert ("whole", "between", "2022", "2032") in rules  # years
    base_year = ws[resolve_address(wb, "base_year")]  # fixed: locked and grey, not validated
    assert base_year.protection.locked and base_year.fill.fgColor.rgb == "00E7E6E6"
    assert ("whole", "between", "2022", "2022") not in rules


def test_sheets_are_protected_and_only_inputs_unlocked(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        if ws.title == "xlwings.conf":  # the add-in's settings stay editable
            assert not ws.protection.sheet
            continue
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
        for row in ws.iter_rows():
            for c in row:
                # inputs and defaults, on yellow; the Cover's legend only shows their look
                typed_here = c.fill.fgColor.rgb == "00FFF2CC" and ws.title != "Cover"
                assert c.protection.locked != typed_here, (ws.title, c.coordinate)
    inputs = wb["Inputs"]
    assert not inputs[resolve_address(wb, "scenario")].protection.locked
    assert inputs[resolve_address(wb, "market_cagr_p2")].protection.locked  # the switched value


def resolve_address(wb: openpyxl.Workbook, name: str) -> str:
    (_, address), *_ = wb.defined_names[name].destinations
    return address.replace("$", "")


def test_number_formats_a_person_can_read(wb: openpyxl.Workbook) -> None:
    """No scientific notation; values to at most two decimals, percentages to one."""
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                fmt = c.number_format
                seen.add(fmt)
                assert "E+" not in fmt.upper() and "E-" not in fmt.upper(), (ws.title, c.coordinate)
                for part in (p for p in fmt.split(";") if not p.startswith('"')):
                    if part.lstrip("-+").startswith("#,##0"):
                        assert len(part.partition(".")[2]) <= 2, (ws.title, c.coordinate, fmt)
                    if "%" in part:  # one decimal, or more only where they are not zeros
                        assert part.split(".")[1].rstrip("%").count("0") == 1, (ws.title, fmt)
    assert {"#,##0.0", "0.0%", "+0.0%;-0.0%;0.0%"} <= seen


def test_reported_years_estimates_and_unquantified_regions(wb: openpyxl.Workbook) -> None:
    """2022A then 2023E and on, estimates shaded; a region the source leaves unquantified
    shows n.q. where its values are 0, not a row of zeros."""
    regions = wb["Regions"]
    assert regions["C4"].number_format == '0"A"' and regions["C4"].value == "=base_year"
    assert regions["D4"].number_format == '0"E"'
    dashboard = wb["Dashboard"]
    (year_row,) = [c.row for c in dashboard["A"] if c.value == "Year"]
    assert dashboard.cell(year_row, 3).number_format == '0"A"'
    assert dashboard.cell(year_row, 4).number_format == '0"E"'
    # a region's value row is the last of its two rows (its rate, then its value)
    labels = [regions.cell(r, 1).value for r in range(1, regions.max_row + 1)]
    latin = len(labels) - labels[::-1].index("Latin America")
    assert regions.cell(latin, 3).number_format.endswith(';"n.q."')
    assert regions.cell(latin, 5).fill.fgColor.rgb == "00F2F2F2"  # 2024E, shaded
    assert regions.cell(latin, 3).fill.fgColor.rgb != "00F2F2F2"  # 2022A, not


def test_nothing_hidden_or_merged(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        assert ws.sheet_state == "visible"
        assert not ws.merged_cells.ranges
        assert not any(d.hidden for d in ws.column_dimensions.values())
        for row, d in ws.row_dimensions.items():  # only helper rows, grouped, are closed
            if d.hidden:
                assert d.outlineLevel == 1, (ws.title, row)
                label = str(ws.cell(row, 1).value)
                # a mix index; or a scenario warning's row, whose summary shows above them
                scenario_warning = ws.title == "Checks" and (
                    label == "Input" or "is typed over: it no longer follows" in label
                )
                assert label.startswith("Mix index: ") or scenario_warning, (ws.title, row)


def test_timeline_sheets_freeze_and_repeat_their_labels(wb: openpyxl.Workbook) -> None:
    for title in TIMELINE_SHEETS:
        ws = wb[title]
        assert ws.freeze_panes == f"C{FIRST_BODY_ROW - 1}"
        assert ws.print_title_cols == "$A:$B"  # on every page a wide timeline spills onto
        assert ws.column_dimensions["A"].width > 30


def test_every_sheet_prints_landscape_readably(wb: openpyxl.Workbook) -> None:
    """Landscape A4 at 60% or more, the sheet's name on top and the page number below."""
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert 60 <= int(setup.scale) <= 100, ws.title
        assert ws.oddHeader.center.text == "&A"
        assert ws.oddFooter.center.text == "Page &P of &N"


def test_cover_links_to_every_sheet(wb: openpyxl.Workbook, variant: str) -> None:
    ws = wb["Cover"]
    links = {c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    expected = {
        "Dashboard!A1",
        "Inputs!A1",
        "Regions!A1",
        "Countries!A1",
        "'Client type'!A1",
        "Application!A1",
        "Summary!A1",
        "Scenarios!A1",
        "Analysis!A1",
        "Players!A1",
        "Reconciliation!A1",
        "Checks!A1",
        "Sources!A1",
        "Spec!A1",
    }
    if variant == "udfs":
        expected |= {"Functions!A1", "'xlwings.conf'!A1"}
    assert links == expected
    assert ws["B10"].value == "=master_check"
    assert wb.calculation.fullCalcOnLoad is True


def test_no_formula_without_a_cached_value(path: Path) -> None:
    cached = openpyxl.load_workbook(path, data_only=True)
    for ws in openpyxl.load_workbook(path).worksheets:
        for address, _ in formulas(ws):
            assert cached[ws.title][address].value is not None, f"{ws.title}!{address}"


def test_every_link_goes_to_a_cell_of_the_workbook(wb: openpyxl.Workbook) -> None:
    """Links name a sheet and a cell (the Dashboard's Health rows lead to their checks), the
    location every spreadsheet follows."""
    seen = 0
    for ws in wb.worksheets:
        for link in (c.hyperlink for row in ws.iter_rows() for c in row if c.hyperlink):
            sheet, _, address = link.location.rpartition("!")
            assert sheet.strip("'").replace("''", "'") in wb.sheetnames, link.location
            assert re.fullmatch(r"[A-Z]{1,3}[0-9]+", address), link.location
            seen += 1
    assert seen > 10


def _specs() -> dict[str, Any]:
    found: dict[str, Any] = {name: load_template(name) for name in template_names()}
    found["small"] = parse_spec(small_spec_data(), "small")
    return found


@pytest.mark.parametrize("name", sorted(_specs()))
def test_no_constant_but_0_and_1_in_any_workbook(name: str) -> None:
    """Every template, not only the default: a calculation formula holds no number but 0 and 1
    (the checks' tolerance is a named, locked cell)."""
    plan = plan_workbook(_specs()[name], name)
    found = []
    for title in calculation_titles(plan):
        for cell in plan.sheet(title).cells:
            if cell.formula is None:
                continue
            literals = {
                t.value
                for t in Tokenizer("=" + cell.formula).items
                if t.type == Token.OPERAND and t.subtype == Token.NUMBER
            }
            if not literals <= ALLOWED_LITERALS:
                found.append(f"{title}!{cell.address}: {sorted(literals - ALLOWED_LITERALS)}")
    assert found == []
