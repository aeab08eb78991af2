"""Comparing a recalculated workbook with the engine, cell by cell: how close is the same.

Every formula cell carries the engine's value in the plan. A spreadsheet computes the same
formula in its own order, so "the same" is:

* 1e-9 relative for most cells (1e-12 absolute near zero);
* a check's gap, within that check's own tolerance, which is relative to the values it
  compares; a check the engine fails must fail, by any gap (its parts may cancel);
* a reported figure's difference from the model, within 1e-9 of the figure;
* a column total, within 1e-9 of its parts' magnitudes (parts that cancel are only that exact);
* a number TEXT() writes into a label, within one unit of its last digit or of its 15th
  significant digit, past which a spreadsheet writes 0s (two engines that
  agree to 1e-15 may still round a tie apart).

Cells that call the cmo_xl UDFs are left out: only Excel with xlwings computes them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from cmo_xl.workbook.records import Cell, WorkbookPlan
from cmo_xl.workbook.sheets import check_columns, reconciliation
from cmo_xl.workbook.sheets.check_columns import TITLE as CHECKS

#: How far two engines computing the same formula in another order may part: a rule of its own,
#: not the spec's sum rule or the checks' tolerance (``growth.SUM_TOLERANCE``, the same size
#: today), so that loosening one does not loosen the other.
REL_TOL = 1e-9
ABS_TOL = 1e-12
#: What a spreadsheet shows where a formula fails; LibreOffice writes some as Err:NNN.
ERROR_VALUES = ("#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


@dataclass(frozen=True)
class Mismatch:
    sheet: str
    cell: Cell
    actual: Any

    @property
    def error(self) -> bool:
        return isinstance(self.actual, str) and self.actual.startswith(ERROR_VALUES)


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return (
            isinstance(actual, float | int)
            and not isinstance(actual, bool)
            and math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)
        )
    return bool(actual == expected)


#: The relative precision of a number a spreadsheet writes as text: 15 significant digits.
TEXT_DIGITS = 1e-14
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def same_text(actual: str, expected: str) -> bool:
    """Texts equal but for numbers written by TEXT(), which may differ by one unit in their
    last digit."""
    if _NUMBER.sub("#", actual) != _NUMBER.sub("#", expected):
        return False
    for a, b in zip(_NUMBER.findall(actual), _NUMBER.findall(expected), strict=True):
        places = len(b.partition(".")[2])
        x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        # a spreadsheet writes 15 significant digits at most: past them TEXT() pads with 0s
        if abs(x - y) > max(1.5 * 10.0**-places, TEXT_DIGITS * abs(y)):
            return False
    return True


_COLUMN_SUM = re.compile(r"^=?SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")


def _summed(values: dict[str, float], formula: str) -> float | None:
    """For ``SUM(C8:C11)`` over one column: the sum of its parts' magnitudes as the engine has
    them (``values``: the sheet's numbers by address); None for any other formula."""
    match = _COLUMN_SUM.match(formula)
    if match is None or match[1] != match[3]:
        return None
    rows = range(int(match[2]), int(match[4]) + 1)
    return sum(abs(values.get(f"{match[1]}{r}", 0.0)) for r in rows)


def mismatches(plan: WorkbookPlan, values: dict[str, dict[str, Any]]) -> list[Mismatch]:
    """Formula cells whose value in ``values`` (by sheet and address) is not the engine's."""
    checks = plan.sheet(CHECKS).cells
    tolerance = {
        c.row: float(c.value)
        for c in checks
        if c.col == check_columns.TOLERANCE and c.is_formula and isinstance(c.value, float | int)
    }
    # a check the engine fails, by a gap beyond its tolerance (a warning's "none" is not one)
    failing = {
        c.row
        for c in checks
        if c.col == check_columns.FLAG and c.is_formula and c.value == 1 and c.row in tolerance
    }
    reported = {
        c.row: abs(float(c.value))
        for c in plan.sheet(reconciliation.TITLE).cells
        if c.col == reconciliation.REPORTED and c.is_formula and isinstance(c.value, float | int)
    }
    numbers = {
        s.title: {
            c.address: float(c.value)
            for c in s.cells
            if isinstance(c.value, float | int) and not isinstance(c.value, bool)
        }
        for s in plan.sheets
    }
    out = []
    for sheet, cell in plan.formula_cells():
        if cell.udf:
            continue
        actual: Any = values.get(sheet, {}).get(cell.address)
        number = isinstance(actual, float | int) and not isinstance(actual, bool)
        got = float(actual) if number else math.nan
        expected = cell.value
        if sheet == CHECKS and cell.col == check_columns.GAP and cell.row in failing:
            ok = number and abs(got) > tolerance[cell.row]
        elif sheet == CHECKS and cell.col == check_columns.GAP and cell.row in tolerance:
            ok = number and abs(got - float(expected)) <= max(tolerance[cell.row], ABS_TOL)
        elif (
            sheet == reconciliation.TITLE
            and cell.col == reconciliation.DIFFERENCE
            and isinstance(expected, float)
        ):
            ok = same(actual, expected) or (
                number and abs(got - expected) <= REL_TOL * reported[cell.row]
            )
        elif (parts := _summed(numbers[sheet], str(cell.formula))) is not None:
            ok = number and abs(got - float(expected)) <= max(
                REL_TOL * parts, ABS_TOL, REL_TOL * abs(float(expected))
            )
        elif "TEXT(" in str(cell.formula) and isinstance(expected, str):
            ok = isinstance(actual, str) and same_text(actual, expected)
        else:
            ok = same(actual, expected)
        if not ok:
            out.append(Mismatch(sheet, cell, actual))
    return out
