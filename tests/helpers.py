"""Test helpers: recalculate with LibreOffice, read values, edit inputs by defined name."""

from __future__ import annotations

import os
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

from cmo_xl.roundtrip import compare
from cmo_xl.workbook.recalc import recalculate, soffice
from cmo_xl.workbook.records import WorkbookPlan

#: Formula results must match the engine this closely (abs_tol only matters near zero).
REL_TOL, ABS_TOL = compare.REL_TOL, compare.ABS_TOL
same, same_text = compare.same, compare.same_text
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


def mismatches(plan: WorkbookPlan, values: dict[str, dict[str, Any]]) -> list[str]:
    """Formula cells whose value differs from the engine's, within the tolerances
    :mod:`cmo_xl.roundtrip.compare` documents (``cmo-xl verify`` holds a file to the same)."""
    return [
        f"{m.sheet}!{m.cell.address} ={m.cell.formula}: got {m.actual!r}, engine {m.cell.value!r}"
        for m in compare.mismatches(plan, values)
    ]


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
