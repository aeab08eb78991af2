"""Test helpers: recalculate with LibreOffice, read values, edit inputs by defined name."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.workbook.recalc import recalculate, soffice
from cmo_xl.workbook.records import WorkbookPlan

#: Formula results must match the engine this closely (abs_tol only matters near zero).
REL_TOL = 1e-9
ABS_TOL = 1e-12
INSTALL_HINT = (
    "LibreOffice is needed to prove the formulas: "
    "apt-get install -y --no-install-recommends libreoffice-calc-nogui"
)


def need_libreoffice() -> None:
    """Fail, not skip: a missing engine must not hide an unproven workbook."""
    if soffice() is None:
        pytest.fail(INSTALL_HINT)


def values_of(path: Path) -> dict[str, dict[str, Any]]:
    """Every non-empty cell value (cached values for formulas), by sheet and address."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        ws.title: {
            c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None
        }
        for ws in wb.worksheets
    }


def recalculated_values(path: Path, out_dir: Path) -> dict[str, dict[str, Any]]:
    need_libreoffice()
    return values_of(recalculate(path, out_dir))


def without_cached_values(path: Path, out: Path, edits: dict[str, Any] | None = None) -> Path:
    """Save a copy through openpyxl, which drops every cached value, applying ``edits``
    (defined name -> new value) on the way. LibreOffice then has to compute every formula."""
    wb = openpyxl.load_workbook(path)
    for name, value in (edits or {}).items():
        sheet, address = resolve(wb, name)
        wb[sheet][address] = value
    wb.save(out)
    return out


def resolve(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    """Sheet and address of a single-cell defined name."""
    destinations = list(wb.defined_names[name].destinations)
    assert len(destinations) == 1, f"{name} points at {destinations}"
    sheet, address = destinations[0]
    return sheet, address.replace("$", "")


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return (
            isinstance(actual, float | int)
            and not isinstance(actual, bool)
            and math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)
        )
    return actual == expected


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def same_text(actual: str, expected: str) -> bool:
    """Texts equal but for numbers written by TEXT(), which may differ by one unit in their
    last digit: two engines that agree to 1e-15 can still round a tie apart."""
    if _NUMBER.sub("#", actual) != _NUMBER.sub("#", expected):
        return False
    for a, b in zip(_NUMBER.findall(actual), _NUMBER.findall(expected), strict=True):
        places = len(b.partition(".")[2])
        x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        if abs(x - y) > 1.5 * 10.0**-places:
            return False
    return True


_COLUMN_SUM = re.compile(r"^=?SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")


def _summed(plan: WorkbookPlan, sheet: str, formula: str) -> float | None:
    """For ``SUM(C8:C11)`` over one column of ``sheet``: the sum of its parts' magnitudes,
    as the engine has them; None for any other formula."""
    match = _COLUMN_SUM.match(formula)
    if match is None or match[1] != match[3]:
        return None
    rows = range(int(match[2]), int(match[4]) + 1)
    wanted = {f"{match[1]}{r}" for r in rows}
    return sum(
        abs(float(c.value))
        for c in plan.sheet(sheet).cells
        if c.address in wanted and isinstance(c.value, float | int)
    )


def mismatches(plan: WorkbookPlan, values: dict[str, dict[str, Any]]) -> list[str]:
    """Formula cells whose value differs from the engine's (the plan's cached value).

    A check's gap is a difference of two sums that the engine and the spreadsheet add up in
    their own ways (LibreOffice's SUM compensates rounding, Python's does not), so it is held
    to that check's own tolerance, which is relative to the values compared: at a scale of
    1e24 a gap of 1 is 1e-24 of it; a check the engine fails must fail, by any gap. A reported
    figure's difference from the model is held to 1e-9 of the figure (or of itself, if larger).
    Every other cell is held to 1e-9 relative.

    Cells that need the cmo_xl UDFs are left out: LibreOffice cannot call them (the formulas
    package proves them instead, in test_udf_workbook.py)."""
    tolerance = {
        c.row: float(c.value)
        for c in plan.sheet("Checks").cells
        if c.col == 3 and c.is_formula and isinstance(c.value, float | int)
    }
    failing = {
        c.row for c in plan.sheet("Checks").cells if c.col == 4 and c.is_formula and c.value == 1
    }
    # A reported figure's difference from the model subtracts two numbers that may agree in
    # most of their digits: it is held to 1e-9 of the figure, not of the difference.
    reported = {
        c.row: abs(float(c.value))
        for c in plan.sheet("Reconciliation").cells
        if c.col == 5 and c.is_formula and isinstance(c.value, float | int)
    }
    out = []
    for sheet, cell in plan.formula_cells():
        if cell.udf:
            continue
        actual = values.get(sheet, {}).get(cell.address)
        if sheet == "Checks" and cell.col == 2 and cell.row in failing:
            # a check the engine fails must fail here too; how far past its tolerance is
            # noise where the parts it sums cancel (a residual far below 0)
            ok = isinstance(actual, float | int) and abs(actual) > tolerance[cell.row]
        elif sheet == "Checks" and cell.col == 2 and cell.row in tolerance:
            ok = isinstance(actual, float | int) and abs(actual - float(cell.value)) <= max(
                tolerance[cell.row], ABS_TOL
            )
        elif sheet == "Reconciliation" and cell.col == 8 and isinstance(cell.value, float):
            ok = same(actual, cell.value) or (
                isinstance(actual, float | int)
                and abs(actual - cell.value) <= REL_TOL * reported[cell.row]
            )
        elif (parts := _summed(plan, sheet, cell.formula)) is not None:
            # a total of parts that cancel (a residual far below 0 beside members far above
            # it) is as exact as the parts are: 1e-9 of their magnitude
            ok = isinstance(actual, float | int) and abs(actual - float(cell.value)) <= max(
                REL_TOL * parts, ABS_TOL, REL_TOL * abs(float(cell.value))
            )
        elif "TEXT(" in cell.formula and isinstance(cell.value, str):
            ok = isinstance(actual, str) and same_text(actual, cell.value)
        else:
            ok = same(actual, cell.value)
        if not ok:
            out.append(
                f"{sheet}!{cell.address} ={cell.formula}: got {actual!r}, engine {cell.value!r}"
            )
    return out


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float  # the child's own peak resident memory


def run_cli(args: list[str], cwd: Path, **options: Any) -> Run:
    """``python -m cmo_xl ARGS`` in ``cwd``, measured as :func:`run_python` measures."""
    return run_python(["-m", "cmo_xl", *args], cwd, **options)


def run_python(
    args: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    stdout: Any = None,
    timeout: float = 120,
) -> Run:
    """``python ARGS`` in ``cwd``, measured.

    The child is reaped with ``os.wait4``, which reports that one process's own resource use.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=err,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                pytest.fail(f"python {' '.join(args)} ran over {timeout} s")
            time.sleep(0.005)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )
