"""The --udfs workbook: its UDF cells computed by a real formula engine (the formulas package)
equal the native formulas beside them; everything else still passes LibreOffice parity."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from cmo_xl.udfs import UDFS
from cmo_xl.workbook.records import WorkbookPlan

from helpers import mismatches, recalculated_values, same, without_cached_values


def as_xlwings_hands_it(value: Any) -> Any:
    """What xlwings passes a UDF: one cell as a value, a range as rows (``ndim=2``), and blanks
    and error values as None (xlwings' default; its ``err_to_str`` option is off)."""
    import formulas
    import schedula  # formulas' own dependency; its EMPTY marks a blank cell

    grid = np.asarray(getattr(value, "value", value), dtype=object)
    if grid.ndim == 0:
        grid = grid.reshape(1, 1)

    def cell(v: Any) -> Any:
        if isinstance(v, formulas.tokens.operand.XlError) or v is schedula.EMPTY:
            return None
        return v.item() if isinstance(v, np.generic) else v

    rows = [[cell(v) for v in row] for row in grid.tolist()]
    return rows[0][0] if grid.size == 1 else rows


def as_excel_shows_it(result: Any) -> Any:
    """How xlwings writes a result: a DataFrame with its index and header, rows as an array."""
    if isinstance(result, pd.DataFrame):
        header = [result.index.name, *result.columns]
        result = [
            header,
            *(
                [name, *row]
                for name, row in zip(result.index, result.to_numpy().tolist(), strict=True)
            ),
        ]
    return np.array(result, dtype=object) if isinstance(result, list) else result


def registered(name: str) -> Any:
    function = UDFS[name]

    def call(*args: Any) -> Any:
        return as_excel_shows_it(function(*(as_xlwings_hands_it(a) for a in args)))

    return call


@pytest.fixture(scope="module")
def evaluated(built_udfs: Path) -> dict[tuple[str, str], Any]:
    """Every cell of the --udfs workbook as the formulas package computes it."""
    import formulas

    functions = formulas.get_functions()
    for name in UDFS:
        functions[name.upper()] = registered(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = formulas.ExcelModel().loads(str(built_udfs)).finish().calculate()
    cells: dict[tuple[str, str], Any] = {}
    for key, ranges in solution.items():
        if "!" not in key:
            continue
        sheet, ref = key.rsplit("!", 1)
        sheet = sheet.strip("'").split("]", 1)[1]
        if not re.fullmatch(r"[A-Z]+\d+(:[A-Z]+\d+)?", ref):
            continue  # a defined name, listed as well as the cells it points at
        values = np.asarray(ranges.value, dtype=object)
        bounds = CellRange(ref)
        for i, row in enumerate(range(bounds.min_row, bounds.max_row + 1)):
            for j, col in enumerate(range(bounds.min_col, bounds.max_col + 1)):
                v = values[i % values.shape[0], j % values.shape[1]]
                cells[(sheet, f"{get_column_letter(col)}{row}")] = (
                    v.item() if isinstance(v, np.generic) else v
                )
    return cells


def test_udf_cells_equal_the_native_formulas(
    cmo_plan_udfs: WorkbookPlan, evaluated: dict[tuple[str, str], Any]
) -> None:
    assert len(cmo_plan_udfs.comparisons) > 60
    for sheet, udf, native in cmo_plan_udfs.comparisons:
        got, want = evaluated[(sheet.upper(), udf)], evaluated[(sheet.upper(), native)]
        assert isinstance(got, float), f"{sheet}!{udf} = {got!r}"
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"{sheet}!{udf} vs {native}"


def test_udf_cells_equal_the_engine(
    cmo_plan_udfs: WorkbookPlan, evaluated: dict[tuple[str, str], Any]
) -> None:
    sheet = cmo_plan_udfs.sheet("Functions")
    udf_cells = [c for c in sheet.cells if c.udf and c.style != "check"]  # not differences
    assert udf_cells
    for c in udf_cells:
        expected = c.value
        assert same(evaluated[("FUNCTIONS", c.address)], expected), c.address


@pytest.mark.libreoffice
def test_the_rest_still_passes_libreoffice_parity(
    cmo_plan_udfs: WorkbookPlan, built_udfs: Path, tmp_path: Path
) -> None:
    values = recalculated_values(
        without_cached_values(built_udfs, tmp_path / "bare.xlsx"), tmp_path / "out"
    )
    assert mismatches(cmo_plan_udfs, values) == []
    assert values["Checks"]["E4"] == "OK"
    errors = {
        f"{sheet}!{address}"
        for sheet, cells in values.items()
        for address, v in cells.items()
        if isinstance(v, str) and v.startswith("#")
    }
    udf_cells = {f"Functions!{c.address}" for c in cmo_plan_udfs.sheet("Functions").cells if c.udf}
    assert errors and errors <= udf_cells  # LibreOffice has no cmo_* functions: only those fail
    native = [c for c in cmo_plan_udfs.sheet("Functions").cells if c.is_formula and not c.udf]
    assert len(native) > 60  # the Functions sheet's native formulas were compared too


IMPORT = "import cmo_xl.udfs as u; print(u.cmo_forecast(100, 0.1, 2022, 2023) > 109.99)"


def test_imports_without_xlwings_and_says_excel_cannot_see_them() -> None:
    blocked = "import sys; sys.modules['xlwings'] = None; " + IMPORT
    result = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True"), result.stderr
    assert "RuntimeWarning: cmo_xl.udfs: xlwings is not installed, so Excel cannot see these " in (
        result.stderr
    )
    assert "keep the line 'xlwings' in requirements.txt" in result.stderr


def test_the_functions_need_numpy_alone() -> None:
    """Everything but cmo_table computes with numpy only: pandas, pydantic, openpyxl and PyYAML
    are blocked, and the module still imports and computes."""
    blocked = (
        "import sys\n"
        "for name in ('pandas', 'pydantic', 'openpyxl', 'yaml', 'defusedxml'):\n"
        "    sys.modules[name] = None\n" + IMPORT
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True"), result.stderr


def test_imports_with_xlwings() -> None:
    import xlwings  # noqa: F401  (a test dependency: its absence must fail, not skip)

    code = IMPORT + "; import sys; print('xlwings' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.split()) == (0, ["True", "True"]), result.stderr
