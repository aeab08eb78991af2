"""Turn what Excel hands a custom function into clean numbers, or a message saying what is wrong.

Excel (through xlwings, classic or Lite) passes a single cell as a value and a range as nested
lists; a blank cell and an error value both arrive as ``None``; text stays text; dates arrive as
datetimes. Everything is checked here, so the UDFs never compute on a bad value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Grid = npt.NDArray[np.float64]  # always two-dimensional


class UdfInputError(Exception):
    """A bad argument; ``str(error)`` is the message shown in the cell."""


def _describe(value: Any) -> str:
    if value is None:
        return "a blank cell or an error value"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return f"text {value!r}" if value.strip() else "an empty text"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return f"{value!r}"


def _as_rows(value: Any) -> list[list[Any]]:
    """Any scalar, list, list of lists or array as rows of cells (a 1-D list is one row)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list | tuple):
        return [[value]]
    if not value:
        return [[None]]
    if all(isinstance(row, list | tuple) for row in value):
        rows = [list(row) for row in value]
        if len({len(row) for row in rows}) != 1:
            raise UdfInputError("the range is ragged")
        return rows
    return [list(value)]


def grid(value: Any, name: str) -> Grid:
    """A 2-D grid of finite numbers, or UdfInputError naming the argument and the bad cell."""
    rows = _as_rows(value)
    out = np.empty((len(rows), len(rows[0])), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, bool) or not isinstance(cell, int | float | np.number):
                raise UdfInputError(
                    f"{name}{_where(out.shape, i, j)}: got {_describe(cell)}; need a number"
                )
            if not math.isfinite(cell):
                raise UdfInputError(
                    f"{name}{_where(out.shape, i, j)}: got {_describe(cell)}; need a finite number"
                )
            out[i, j] = float(cell)
    return out


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


def labels(value: Any, name: str) -> list[str]:
    """One row or one column of non-blank labels."""
    rows = _as_rows(value)
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
        return list(np.broadcast_arrays(*(g for _, g in named)))
    except ValueError:
        sizes = ", ".join(f"{name} is {g.shape[0]} x {g.shape[1]}" for name, g in named)
        raise UdfInputError(
            f"ranges do not fit together ({sizes}); give ranges of one size, "
            "single cells, or a row and a column"
        ) from None


def unwrap(result: Grid) -> float | list[list[float]]:
    """A 1 x 1 result as a plain number, anything else as rows."""
    if result.shape == (1, 1):
        return float(result[0, 0])
    return [[float(v) for v in row] for row in result]
