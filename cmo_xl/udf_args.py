"""Turn what Excel hands a custom function into clean numbers, or a message saying what is wrong.

Excel (through xlwings, classic or Lite) passes a single cell as a value and a range as nested
lists; a blank cell and an error value both arrive as ``None``; text stays text. A date arrives
as a datetime from the classic add-in, and as its serial number (45658 for 2025-01-01) from
xlwings Lite, which Office.js hands over as it is (xlwings/pro/_xlofficejs.py converts only
what it writes back). So a datetime is refused where a number belongs, and a year or a number
of years above 9,999 is refused as the date it most likely is. Everything is checked here, so
the UDFs never compute on a bad value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from cmo_xl.text import excerpt

Grid = npt.NDArray[np.float64]  # always two-dimensional


#: The largest result a function returns: about one column of a sheet. A typo such as an end
#: year of 20300 gets a message at once instead of freezing Excel.
MAX_RESULT_CELLS = 1_000_000
#: Excel's sheet size: a row or a column of results must fit.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
#: Years a function compounds through at most, one step a year: a row of a sheet's worth.
MAX_YEARS = MAX_COLUMNS
#: The last calendar year Excel knows (DATE and YEAR go to 9999); a year or a number of years
#: above it is a date's serial number (every date since 1927-05-18 has one above 9,999).
MAX_YEAR = 9999


class UdfInputError(Exception):
    """A bad argument; ``str(error)`` is the message shown in the cell."""


def _describe(value: Any) -> str:
    if value is None:
        return "a blank cell or an error value"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return f"text {excerpt(value, 40)}" if value.strip() else "an empty text"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, complex | np.complexfloating):
        return f"the complex number {complex(value)!r}"
    if isinstance(value, int | float | np.number):
        return excerpt(value.item() if isinstance(value, np.number) else value)
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"a {type(value).__name__}"


def _as_rows(value: Any, name: str) -> list[list[Any]]:
    """Any scalar, list, list of lists, array or pandas object as rows of cells (a 1-D list is
    one row). Its size is checked before any cell is converted, so a whole column of a sheet
    costs a message, not seconds."""
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):  # pandas
        _check_argument(name, *_shape(getattr(value, "shape", (1,))))
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        _check_argument(name, *_shape(value.shape))
        value = value.tolist()
    if not isinstance(value, list | tuple):
        return [[value]]
    first = value[0] if value else None
    width = len(first) if isinstance(first, list | tuple) else len(value)
    _check_argument(name, len(value) if isinstance(first, list | tuple) else 1, width)
    if all(isinstance(row, list | tuple) for row in value) and value:
        rows = [list(row) for row in value]
        if len({len(row) for row in rows}) != 1:
            raise UdfInputError(f"{name}: the range is ragged; give a rectangular range")
    else:
        rows = [list(value)]
    if not rows[0]:
        raise UdfInputError(f"{name}: got an empty range; need at least one cell")
    return rows


def _shape(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return 1, int(shape[0])
    rows, cols = int(shape[0]), int(np.prod(shape[1:]))
    return rows, cols


def _check_argument(name: str, rows: int, columns: int) -> None:
    """An argument no larger than a result may be: no function reads more cells than it may
    return (:data:`MAX_RESULT_CELLS`)."""
    if rows * columns > MAX_RESULT_CELLS:
        raise UdfInputError(
            f"{name}: got a range of {rows:,} x {columns:,} cells; at most "
            f"{MAX_RESULT_CELLS:,} cells"
        )


def grid(value: Any, name: str) -> Grid:
    """A 2-D grid of finite numbers, or UdfInputError naming the argument and the bad cell."""
    rows = _as_rows(value, name)
    out = np.empty((len(rows), len(rows[0])), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            number = _number(cell)
            if number is None:
                raise UdfInputError(
                    f"{name}{_where(out.shape, i, j)}: got {_describe(cell)}; need a number"
                )
            if not math.isfinite(number):
                raise UdfInputError(
                    f"{name}{_where(out.shape, i, j)}: got {_describe(cell)}; need a finite "
                    "number (at most about 1.8e308)"
                )
            out[i, j] = number
    return out


def _number(cell: Any) -> float | None:
    """The cell as a float (inf when too large for one), or None when it is not a real number."""
    if isinstance(cell, bool | np.bool_ | complex | np.complexfloating):
        return None
    if not isinstance(cell, int | float | np.integer | np.floating):
        return None
    try:
        return float(cell)
    except OverflowError:  # an integer beyond the float range
        return math.inf


def _where(shape: tuple[int, ...], i: int, j: int) -> str:
    return "" if shape == (1, 1) else f" (row {i + 1}, column {j + 1} of the range)"


def scalar(value: Any, name: str) -> float:
    """Exactly one number."""
    g = grid(value, name)
    if g.size != 1:
        raise UdfInputError(f"{name}: got a range of {g.size} cells; need one cell")
    return float(g[0, 0])


def vector(value: Any, name: str) -> Grid:
    """One row or one column of numbers, kept in its orientation (1 x n or n x 1)."""
    g = grid(value, name)
    if 1 not in g.shape:
        raise UdfInputError(
            f"{name}: got a {g.shape[0]} x {g.shape[1]} range; need one row or one column"
        )
    return g


def calendar_years(values: Grid, name: str) -> Grid:
    """Whole years from 1 to :data:`MAX_YEAR`; a larger one is a date's serial number."""
    bad = values[(values < 1) | (values > MAX_YEAR)]
    if bad.size:
        raise UdfInputError(
            f"{name}: got {float(bad.ravel()[0]):g}; a year is a whole number from 1 to "
            f"{MAX_YEAR}{_date_hint(float(bad.ravel()[0]))}"
        )
    return values


def not_a_date(values: Grid, name: str) -> None:
    """A number of years no larger than :data:`MAX_YEAR`: a larger one is a date."""
    bad = values[values > MAX_YEAR]
    if bad.size:
        raise UdfInputError(
            f"{name}: got {float(bad.ravel()[0]):g}; a number of years is at most "
            f"{MAX_YEAR:,}{_date_hint(float(bad.ravel()[0]))}"
        )


def _date_hint(value: float) -> str:
    """Which date a serial number is, when it is one Excel shows (1900 date system)."""
    if not MAX_YEAR < value < 2_958_466:  # 9999-12-31 is serial 2,958,465
        return ""
    day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return f" (that is the date {day.isoformat()} as a number: type the year, e.g. {day.year})"


def labels(value: Any, name: str) -> list[str]:
    """One row or one column of non-blank labels."""
    rows = _as_rows(value, name)
    if len(rows) != 1 and len(rows[0]) != 1:
        raise UdfInputError(f"{name}: need one row or one column of names")
    flat = [cell for row in rows for cell in row]
    for k, cell in enumerate(flat, start=1):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            raise UdfInputError(f"{name} (item {k}): got {_describe(cell)}; need a name")
    return [str(int(c)) if isinstance(c, float) and c.is_integer() else str(c) for c in flat]


def whole(values: Grid, name: str) -> Grid:
    """Whole numbers (years)."""
    bad = [float(v) for v in values.ravel() if not float(v).is_integer()]
    if bad:
        raise UdfInputError(f"{name}: got {bad[0]:g}; need a whole year")
    return values


def require(values: Grid, ok: npt.NDArray[np.bool_], name: str, rule: str) -> None:
    """UdfInputError for the first value where ``ok`` is false, saying the rule it breaks."""
    if not np.all(ok):
        bad = float(values[~ok].ravel()[0])
        raise UdfInputError(f"{name}: got {bad:g}; {rule}")


def broadcast(named: Sequence[tuple[str, Grid]]) -> list[Grid]:
    """Grids broadcast to one shape as Excel's array arithmetic does (a single cell fits any
    range; a row against a column makes a table), or a message naming the misfit."""
    try:
        shape = np.broadcast_shapes(*(g.shape for _, g in named))
    except ValueError:
        sizes = ", ".join(f"{name} is {g.shape[0]} x {g.shape[1]}" for name, g in named)
        raise UdfInputError(
            f"ranges do not fit together ({sizes}); give ranges of one size, "
            "single cells, or a row and a column"
        ) from None
    check_size(shape[0], shape[1])
    return list(np.broadcast_arrays(*(g for _, g in named)))


def check_size(rows: int, columns: int) -> None:
    """Refuse a result larger than a sheet, or than :data:`MAX_RESULT_CELLS`, before computing."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_RESULT_CELLS:
        raise UdfInputError(
            f"the result would be {rows:,} x {columns:,} cells; at most {MAX_RESULT_CELLS:,} "
            f"cells, {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns"
        )


def check_span(start: int, end: float, name: str) -> None:
    """Refuse compounding through more than :data:`MAX_YEARS` years, one step a year."""
    if end - start > MAX_YEARS:
        raise UdfInputError(
            f"{name}: got {end:g}; at most {MAX_YEARS:,} years after base_year ({start})"
        )


def finite(result: Grid, inputs: str) -> Grid:
    """``result`` when every number in it is finite; a message naming the inputs otherwise."""
    if np.all(np.isfinite(result)):
        return result
    if np.any(np.isinf(result)):
        raise UdfInputError(
            f"the result is too large for a number (above about 1.8e308); check {inputs}"
        )
    raise UdfInputError(f"the result is undefined for these values; check {inputs}")


def unwrap(result: Grid) -> float | list[list[float]]:
    """A 1 x 1 result as a plain number, anything else as rows."""
    if result.shape == (1, 1):
        return float(result[0, 0])
    return [[float(v) for v in row] for row in result]
