"""Only inputs look like inputs: every unlocked cell of a built workbook is an input the engine
reads, and no valid value typed into any of them changes a check's tolerance or fails the
integrity check.

The unlocked cells are read from the saved file (what Excel would let a user type in), and
the valid values from the file's own data validation, not from cmo_xl's plan.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from test_residuals import residual_spec

from cmo_xl.model.load import load_spec, parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.roundtrip.edits import Edit, carry
from cmo_xl.workbook.plan import calculation_titles, plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate_many
from cmo_xl.workbook.records import WorkbookPlan

TEMPLATES = sorted((Path(__file__).parent.parent / "templates").glob("*.yaml"))
#: The checks' tolerance as built: the spec's 1e-9 for sums.
TOLERANCE = 1e-9


def _specs() -> list[tuple[str, Spec]]:
    return [(t.stem, load_spec(t)) for t in TEMPLATES] + [
        ("residuals", parse_spec(residual_spec()))
    ]


def _unlocked(wb: openpyxl.Workbook) -> list[tuple[str, str]]:
    return [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        if ws.protection.sheet
        for row in ws.iter_rows()
        for c in row
        if c.protection.locked is False
    ]


def _named_cells(wb: openpyxl.Workbook) -> dict[tuple[str, str], list[str]]:
    """Each cell's names (a range of one cell names it too: the phase ends of one phase)."""
    out: dict[tuple[str, str], list[str]] = {}
    for name, defined in wb.defined_names.items():
        destinations = list(defined.destinations)
        if len(destinations) == 1 and ":" not in destinations[0][1]:
            sheet, ref = destinations[0]
            out.setdefault((sheet, ref.replace("$", "")), []).append(name)
    return out


def _numbers(plan: WorkbookPlan) -> list[tuple[str, str, float]]:
    """Every number the calculation sheets cache: what the engine computes."""
    titles = set(calculation_titles(plan))
    return [
        (s.title, c.address, float(c.value))
        for s in plan.sheets
        if s.title in titles
        for c in s.cells
        if c.is_formula and isinstance(c.value, int | float) and not isinstance(c.value, bool)
    ]


def _moved(spec: Spec, item: Input) -> Spec | None:
    """``spec`` with ``item`` moved to another valid value, or None if none was found: a
    tenth of the sums' tolerance first, so that shares still add up."""
    v = item.value
    if "year" in item.kind:
        candidates = [v + 1, v - 1]
    else:
        candidates = [v + 1e-10, v - 1e-10, v * 1.01 + 1e-6, v * 0.99 - 1e-6]
    for now in candidates:
        edit = Edit(item.name, item.label, item.kind, v, now, "Inputs!A1")
        carried = carry(spec, [edit], "test.xlsx")
        if carried.valid and not carried.unplaced:
            return carried.spec
    return None


@pytest.mark.parametrize(("name", "spec"), _specs(), ids=[n for n, _ in _specs()])
def test_every_unlocked_cell_is_an_input_the_engine_reads(
    name: str, spec: Spec, tmp_path: Path
) -> None:
    plan = plan_workbook(spec)
    wb = openpyxl.load_workbook(write_workbook(plan, tmp_path / f"{name}.xlsx"))
    named = _named_cells(wb)
    unlocked = _unlocked(wb)
    assert len(unlocked) > 10
    before = _numbers(plan)
    model = resolve(spec)
    inputs = {name_key(i.name): i for i in model.inputs()}
    wrong = []
    for cell in unlocked:
        known = [n for n in named.get(cell, []) if name_key(n) in inputs or n == "scenario"]
        defined = (known or named.get(cell) or [None])[0]
        if defined is None:
            wrong.append(f"{cell}: unlocked, and no defined name points at it")
        elif defined == "scenario":  # the switch: every other scenario moves the numbers
            for s in model.scenarios[1:]:
                if _numbers(plan_workbook(spec, scenario=s.name)) == before:
                    wrong.append(f"{cell}: scenario {s.name} moves no number")
        elif name_key(defined) not in inputs:
            wrong.append(f"{cell}: {defined} is not an input of the model")
        else:
            item = inputs[name_key(defined)]
            moved = _moved(spec, item)
            if not item.path or moved is None:
                wrong.append(f"{cell}: {defined} has no spec field a valid value can go into")
            elif _numbers(plan_workbook(moved)) == before:
                wrong.append(f"{cell}: {defined} moved, and no number the engine computes did")
    assert wrong == []


def _valid_value(wb: openpyxl.Workbook, sheet: str, address: str, rng: random.Random) -> Any:
    """A value the cell's data validation accepts: an end of its range or a point inside."""
    ws = wb[sheet]
    for dv in ws.data_validations.dataValidation:
        if address not in dv.sqref:
            continue
        if dv.type == "list":
            ((names_sheet, ref),) = wb.defined_names[dv.formula1].destinations
            col1, row1, _, row2 = range_boundaries(ref.replace("$", ""))
            options = [wb[names_sheet].cell(r, col1).value for r in range(row1, row2 + 1)]
            return rng.choice(options)
        low = float(dv.formula1)
        high = float(dv.formula2) if dv.formula2 is not None else max(low, 1.0) * 1000
        value = rng.choice([low, high, low + (high - low) * rng.random()])
        return round(value) if dv.type == "whole" else value
    raise AssertionError(f"{sheet}!{address} is unlocked and has no data validation")


@pytest.mark.libreoffice
def test_valid_values_in_every_unlocked_cell_leave_the_guards_alone(tmp_path: Path) -> None:
    """Every unlocked cell typed at once, each with a value its validation allows: checks may
    fail, but no tolerance moves and every formula is still a formula."""
    rng = random.Random(192)
    books = []
    for name, spec in _specs():
        built = write_workbook(plan_workbook(spec), tmp_path / f"{name}.xlsx")
        wb = openpyxl.load_workbook(built)
        for sheet, address in _unlocked(wb):
            wb[sheet][address] = _valid_value(wb, sheet, address, rng)
        books.append(tmp_path / f"{name}_typed.xlsx")
        wb.save(books[-1])
    wrong = []
    for book, out in zip(books, recalculate_many(books, tmp_path / "out"), strict=True):
        formulas = openpyxl.load_workbook(book)["Checks"]
        values = openpyxl.load_workbook(out, data_only=True)
        checks = values["Checks"]

        def at(name: str, values: openpyxl.Workbook = values) -> Any:
            ((sheet, ref),) = values.defined_names[name].destinations
            return values[sheet][ref.replace("$", "")].value

        if at("check_tolerance") != TOLERANCE:
            wrong.append(f"{book.name}: check_tolerance is {at('check_tolerance')}")
        if at("integrity_check") != 0:
            wrong.append(f"{book.name}: integrity_check is {at('integrity_check')}")
        # every tolerance that is check_tolerance alone (shares, counts) still reads 1e-9
        for row in formulas.iter_rows(min_col=3, max_col=3):
            (c,) = row
            if c.value == "=check_tolerance":
                got = checks[c.coordinate].value
                if not (isinstance(got, float) and math.isclose(got, TOLERANCE)):
                    wrong.append(f"{book.name}: Checks!{c.coordinate} is {got}")
    assert wrong == []
