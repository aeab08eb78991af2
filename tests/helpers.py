"""Test helpers: recalculate with LibreOffice, read values, edit inputs by defined name."""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.workbook.recalc import recalculate, soffice
from cmo_xl.workbook.records import WorkbookPlan

#: The tests' own oracle, apart from the comparator ``verify`` uses (cmo_xl.roundtrip.compare),
#: so that loosening that one is caught: a formula's result must match the engine to 1e-9
#: relative (1e-12 absolute near zero), the precision the README promises.
REL_TOL, ABS_TOL = 1e-9, 1e-12
#: A spreadsheet writes at most 15 significant digits of a number into text.
TEXT_REL = 1e-14
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_COLUMN_SUM = re.compile(r"^SUM\(([A-Z]+)(\d+):\1(\d+)\)$")
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
    """Numbers within :data:`REL_TOL`; anything else equal."""
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return _number(actual) and math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return bool(actual == expected)


def _number(value: Any) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool)


def same_text(actual: Any, expected: str) -> bool:
    """A label with numbers in it (written by TEXT()): the words equal, each number within
    1.5 units of its last decimal shown, or of its 15th significant digit."""
    if not isinstance(actual, str) or _NUMBER.sub("#", actual) != _NUMBER.sub("#", expected):
        return False
    for a, b in zip(_NUMBER.findall(actual), _NUMBER.findall(expected), strict=True):
        x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        unit = 10.0 ** -len(b.partition(".")[2])
        if abs(x - y) > max(1.5 * unit, TEXT_REL * abs(y)):
            return False
    return True


def _scale(plan: WorkbookPlan, sheet: str, cell: Any, values: dict[str, dict[str, Any]]) -> float:
    """How large the numbers a cell's result comes from are, as LibreOffice computed them:
    a check's gap, its tolerance (column C, relative to what it compares); a reported figure's
    difference, the figure (column E); a column total, its parts. Results computed by
    cancellation are only that exact."""
    got = values.get(sheet, {})
    if sheet == "Checks" and cell.col == 2:
        tolerance = got.get(f"C{cell.row}")
        return float(tolerance) / REL_TOL if _number(tolerance) else 0.0
    if sheet == "Reconciliation" and cell.col == 8:
        reported = got.get(f"E{cell.row}")
        return abs(float(reported)) if _number(reported) else 0.0
    match = _COLUMN_SUM.match(str(cell.formula))
    if match:
        rows = range(int(match[2]), int(match[3]) + 1)
        return sum(abs(float(got[k])) for r in rows if _number(got.get(k := f"{match[1]}{r}")))
    return 0.0


def mismatches(plan: WorkbookPlan, values: dict[str, dict[str, Any]]) -> list[str]:
    """Formula cells whose value (LibreOffice's, by sheet and address) is not the engine's,
    by the tests' own rules: :func:`same`, :func:`same_text` for TEXT() labels, and results
    computed by cancellation within :data:`REL_TOL` of what they come from (:func:`_scale`).
    Cells that call the cmo_xl UDFs are left out: only Excel computes them."""
    out = []
    for sheet, cell in plan.formula_cells():
        if cell.udf:
            continue
        actual = values.get(sheet, {}).get(cell.address)
        expected = cell.value
        if "TEXT(" in str(cell.formula) and isinstance(expected, str):
            ok = same_text(actual, expected)
        elif _number(expected) and _number(actual):
            allowed = REL_TOL * _scale(plan, sheet, cell, values)
            ok = same(actual, expected) or abs(actual - expected) <= allowed
        else:
            ok = same(actual, expected)
        if not ok:
            out.append(
                f"{sheet}!{cell.address} ={cell.formula}: got {actual!r}, engine {expected!r}"
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


#: Runs a command and writes its exit code and peak memory (kB) to the file named first. A
#: child's peak on Linux starts at its parent's at the fork, so a process forked from pytest
#: (hundreds of MB by the end of the suite) would seem that large; one forked from this small
#: process has its own peak (the benchmark measures the same way).
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "with open(sys.argv[1], 'w') as report:\n"
    "    report.write(f'{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}')\n"
)


def run_python(
    args: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    stdout: Any = None,
    timeout: float = 120,
) -> Run:
    """``python ARGS`` in ``cwd``, measured: its exit code, output, time, and its own peak
    resident memory (through :data:`_LAUNCHER`, with ``os.wait4``)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "report"
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), sys.executable, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=err,
            start_new_session=True,  # so that a timeout ends the launcher and its child
        )
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"python {' '.join(args)} ran over {timeout} s")
        seconds = time.monotonic() - start
        code, peak_kb = report.read_text().split()
        out.seek(0)
        err.seek(0)
        return Run(
            int(code),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            int(peak_kb) / 1024,
        )


def series_value(book: openpyxl.Workbook, sheet: str, label: str, year: int, unit: str) -> float:
    """The value row labelled ``label`` (in the model's unit) in ``year``'s column: the first
    such row, which on a segment sheet is the world's."""
    ws = book[sheet]
    column = next(c.column for c in ws[4] if c.value == year)
    row = next(
        r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == label and r[1].value == unit
    )
    value = ws.cell(row, column).value
    assert isinstance(value, float | int), (sheet, label, year, value)
    return float(value)


def zip_bomb(out: Path, megabytes: int) -> Path:
    """A workbook-shaped zip with one part of ``megabytes`` MiB of zeros, which deflate about
    1,000 times (1 GiB from about 1 MB)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                part.write(block)
    return out
