"""Excel custom functions (xlwings UDFs) with the same math as the workbook and the engine.

This is the only module that imports xlwings. Its ``func``, ``arg`` and ``ret`` are what register
the functions, and they are chosen by xlwings itself (xlwings/__init__.py): under xlwings Lite
(Pyodide, ``XLWINGS_ON_SERVER``) they come from ``xlwings.server`` and record each function for
Office.js; on Windows with the classic add-in they come from ``xlwings.udfs`` and ``Import
Functions`` registers them; elsewhere (Linux, tests) they do nothing and the functions run as
plain Python. Without xlwings at all the functions still run as plain Python, but Excel cannot
see them (``#NAME?``), so importing this module then says so, as a warning, instead of failing
in silence.

Bad input gets a message that names the function and the argument, and says what was received
and what is allowed. How it reaches the cell depends on the runtime:

* classic add-in: returned as a text that starts with ``#VALUE!`` (an exception would open
  a dialog box per cell). A message is text, so arithmetic on it gives Excel's own
  ``#VALUE!``; SUM and AVERAGE skip text, so check a UDF range with ISNUMBER before summing it;
* xlwings Lite: raised, so Excel shows a real ``#VALUE!`` error, with the message on hover, and
  every formula that uses the cell is an error too (IFERROR catches it).

Only numpy is needed to compute: pandas is imported by ``cmo_table`` alone, when it runs.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from cmo_xl.model import growth
from cmo_xl.text import excerpt
from cmo_xl.udf_args import (
    Grid,
    UdfInputError,
    broadcast,
    calendar_years,
    check_size,
    check_span,
    finite,
    grid,
    labels,
    not_a_date,
    require,
    scalar,
    unwrap,
)
from cmo_xl.udf_args import vector as _vector
from cmo_xl.udf_args import whole as _whole

_F = TypeVar("_F", bound=Callable[..., Any])


def _as_is(f: _F) -> _F:
    return f


def _no_options(*_: Any, **__: Any) -> Callable[[_F], _F]:
    return _as_is


#: Whether the functions run under xlwings Lite (Pyodide) or xlwings Server, where xlwings
#: takes its decorators from ``xlwings.server`` (the switch xlwings/__init__.py reads).
ON_LITE = os.environ.get("XLWINGS_ON_SERVER") == "true" or sys.platform == "emscripten"

#: What importing this module says when the functions cannot be registered.
NOT_REGISTERED = (
    "cmo_xl.udfs: xlwings is not installed, so Excel cannot see these functions (they show "
    "#NAME?). In xlwings Lite keep the line 'xlwings' in requirements.txt; with the classic "
    'add-in run pip install "cmo-xl[xlwings]".'
)

try:
    from xlwings import arg, func, ret
except ImportError:  # xlwings is an optional extra; without it the decorators do nothing
    func, arg, ret = _no_options, _no_options, _no_options  # type: ignore[assignment]
    warnings.warn(NOT_REGISTERED, RuntimeWarning, stacklevel=2)

#: The group the functions appear under in Excel's function wizard.
CATEGORY = "cmo_xl"


class UdfError(ValueError):
    """A function's message, raised under xlwings Lite so that Excel shows ``#VALUE!``."""


def _guarded(fn: _F) -> _F:
    """One readable line, whatever goes wrong: returned as text in the classic add-in, raised
    under xlwings Lite (see the module's docstring).

    numpy's overflow warnings are silenced: every result is checked for finiteness instead.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        try:
            with np.errstate(all="ignore"):
                return fn(*args)
        except UdfInputError as exc:
            message = f"{fn.__name__}: {exc}"
        except OverflowError:
            message = f"{fn.__name__}: the result is too large for a number (above 1.8e308)"
        except Exception as exc:  # a bug: still no traceback in the cell
            detail = excerpt(str(exc), 80)
            message = f"{fn.__name__}: unexpected {type(exc).__name__}: {detail}"
        if ON_LITE:
            raise UdfError(message)
        return f"#VALUE! {message}"

    return wrapper  # type: ignore[return-value]


def _years(value: Any, name: str) -> Grid:
    return calendar_years(_whole(grid(value, name), name), name)


def _year(value: Any, name: str) -> int:
    return int(_years([[scalar(value, name)]], name)[0, 0])


def _rates(value: Any, name: str) -> Grid:
    rates = grid(value, name)
    require(rates, rates > -1.0, name, "a CAGR must be above -100%")
    return rates


def _not_before(later: Grid, earlier: Grid, later_name: str, earlier_name: str) -> None:
    require(
        later,
        later >= earlier,
        later_name,
        f"it is before {earlier_name}; periods must not be negative",
    )


@func(category=CATEGORY)
@arg("base_value", ndim=2, doc="The value in base_year: a cell or a range.")
@arg("cagr", ndim=2, doc="The yearly growth rate, e.g. 0.06 for 6%: a cell or a range.")
@arg("base_year", ndim=2, doc="The year of base_value: a cell or a range.")
@arg("year", ndim=2, doc="The year to forecast, not before base_year: a cell or a range.")
@_guarded
def cmo_forecast(base_value: Any, cagr: Any, base_year: Any, year: Any) -> Any:
    """The value in a year of a base value growing at a constant CAGR.

    Ranges combine like Excel's array arithmetic: a row of CAGRs against a column of years
    gives a table.
    """
    value, rate, start, end = broadcast(
        [
            ("base_value", grid(base_value, "base_value")),
            ("cagr", _rates(cagr, "cagr")),
            ("base_year", _years(base_year, "base_year")),
            ("year", _years(year, "year")),
        ]
    )
    _not_before(end, start, "year", "base_year")
    result = np.vectorize(growth.grow, otypes=[float])(value, rate, end - start)
    return unwrap(finite(result, "base_value, cagr and year"))


@func(category=CATEGORY)
@arg("start_value", ndim=2, doc="The value at the start, above 0: a cell or a range.")
@arg("end_value", ndim=2, doc="The value at the end, at least 0: a cell or a range.")
@arg("periods", ndim=2, doc="The number of years between them, above 0: a cell or a range.")
@_guarded
def cmo_cagr(start_value: Any, end_value: Any, periods: Any) -> Any:
    """The constant yearly growth rate that takes a start value to an end value."""
    start, end, n = broadcast(
        [
            ("start_value", grid(start_value, "start_value")),
            ("end_value", grid(end_value, "end_value")),
            ("periods", grid(periods, "periods")),
        ]
    )
    require(start, start > 0, "start_value", "need a value above 0")
    require(end, end >= 0, "end_value", "need a value of at least 0")
    require(n, n > 0, "periods", "need more than 0 periods")
    not_a_date(n, "periods")
    result = np.vectorize(growth.implied_cagr, otypes=[float])(start, end, n)
    return unwrap(finite(result, "start_value and end_value"))


@func(category=CATEGORY)
@arg("base_value", doc="The value in base_year.")
@arg("cagr", doc="The yearly growth rate, e.g. 0.06 for 6%.")
@arg("base_year", doc="The first year of the row.")
@arg("end_year", doc="The last year of the row, not before base_year.")
@_guarded
def cmo_series(base_value: Any, cagr: Any, base_year: Any, end_year: Any) -> Any:
    """One row: the value in each year from base_year to end_year, compounding yearly.

    In Excel 365 it spills; elsewhere enter it as an array formula over a row.
    """
    start, end = _year(base_year, "base_year"), _year(end_year, "end_year")
    rate = scalar(_rates(cagr, "cagr"), "cagr")
    _not_before(np.array([[end]]), np.array([[start]]), "end_year", "base_year")
    check_size(1, end - start + 1)
    values = growth.phased_series(scalar(base_value, "base_value"), start, end, [end], [rate])
    finite(np.array([values]), "base_value and cagr")
    return [values]


@func(category=CATEGORY)
@arg("base_value", doc="The value in base_year.")
@arg("base_year", doc="The year the first phase starts.")
@arg("phase_end_years", ndim=2, doc="The year each phase ends: one row or one column.")
@arg("phase_cagrs", ndim=2, doc="The yearly growth rate of each phase: one row or column.")
@arg("year", ndim=2, doc="The year to forecast, within the phases: a cell or a range.")
@_guarded
def cmo_phased(
    base_value: Any, base_year: Any, phase_end_years: Any, phase_cagrs: Any, year: Any
) -> Any:
    """The value in a year under consecutive growth phases, as the workbook's phases.

    Each phase runs from the end of the one before (or base_year) to its end year at its
    CAGR, compounding yearly.
    """
    value, start = scalar(base_value, "base_value"), _year(base_year, "base_year")
    ends = _whole(_vector(phase_end_years, "phase_end_years"), "phase_end_years").ravel()
    rates = _rates(_vector(phase_cagrs, "phase_cagrs"), "phase_cagrs").ravel()
    if ends.size != rates.size:
        raise UdfInputError(
            f"phase_end_years has {ends.size} years but phase_cagrs has "
            f"{rates.size} rates; give one rate per phase"
        )
    bounds = np.concatenate(([start], ends))
    require(
        ends,
        np.diff(bounds) > 0,
        "phase_end_years",
        "each phase must end after the one before (and after base_year)",
    )
    years = _years(year, "year")
    _not_before(years, np.full(years.shape, start), "year", "base_year")
    require(years, years <= ends[-1], "year", f"it is after the last phase end {ends[-1]:g}")
    last = int(years.max())  # compound only as far as the latest year asked for
    check_span(start, last, "year")
    # the ends as floats: a phase may end far past any year asked for (1e19, "for good"),
    # where an integer cast would wrap past 2**63
    series = growth.phased_series(value, start, last, ends.tolist(), rates.tolist())
    result = np.vectorize(lambda y: series[int(y) - start], otypes=[float])(years)
    return unwrap(finite(result, "base_value and phase_cagrs"))


def _mix(base_shares: Any, cagrs: Any, years_elapsed: Any) -> tuple[Grid, float]:
    shares = _vector(base_shares, "base_shares")
    rates = _rates(cagrs, "cagrs")
    if rates.size == 1:
        rates = np.full(shares.shape, rates[0, 0])
    elif rates.size != shares.size:
        raise UdfInputError(
            f"base_shares has {shares.size} cells but cagrs has {rates.size}; "
            "give one CAGR per share, or one for all"
        )
    require(shares, shares >= 0, "base_shares", "shares must not be negative")
    total = float(shares.sum())
    if abs(total - 1.0) > growth.SUM_TOLERANCE:
        raise UdfInputError(
            f"base_shares: they sum to {total:.12g}; they must sum to 1 "
            f"(within {growth.SUM_TOLERANCE:g}), or the split would be silently rescaled"
        )
    years = scalar(years_elapsed, "years_elapsed")
    not_a_date(np.array([[years]]), "years_elapsed")
    require(
        np.array([[years]]),
        np.array([[years >= 0]]),
        "years_elapsed",
        "periods must not be negative",
    )
    index = shares * (1.0 + rates.reshape(shares.shape)) ** years
    if not (np.all(np.isfinite(index)) and index.sum() > 0 and np.isfinite(index.sum())):
        raise UdfInputError(
            f"years_elapsed: after {years:g} years at these cagrs the mix index leaves the "
            "range of numbers (0 for every share, or above 1.8e308 for one); "
            "use fewer years or milder cagrs"
        )
    mixed = growth.mix_shares(shares.ravel().tolist(), rates.reshape(shares.size).tolist(), years)
    return finite(np.array(mixed).reshape(shares.shape), "cagrs and years_elapsed"), years


@func(category=CATEGORY)
@arg("base_shares", ndim=2, doc="The shares in the base year, summing to 1: a row or column.")
@arg("cagrs", ndim=2, doc="Each share's yearly growth rate, or one rate for all.")
@arg("years_elapsed", doc="The years since the base year, at least 0.")
@_guarded
def cmo_mix(base_shares: Any, cagrs: Any, years_elapsed: Any) -> Any:
    """Shares after some years of mix shift: each share grows at its CAGR, then all are
    scaled to sum to 1. The result has the orientation of base_shares."""
    return unwrap(_mix(base_shares, cagrs, years_elapsed)[0])


@func(category=CATEGORY)
@arg("total", doc="The value to split.")
@arg("base_shares", ndim=2, doc="The shares in the base year, summing to 1: a row or column.")
@arg("cagrs", ndim=2, doc="Each share's yearly growth rate, or one rate for all.")
@arg("years_elapsed", doc="The years since the base year, at least 0.")
@_guarded
def cmo_split(total: Any, base_shares: Any, cagrs: Any, years_elapsed: Any) -> Any:
    """A total divided among segments by mix shift, as the workbook's split sheets do."""
    shares, _ = _mix(base_shares, cagrs, years_elapsed)
    return unwrap(finite(scalar(total, "total") * shares, "total"))


@func(category=CATEGORY)
@arg("names", ndim=2, doc="The name of each row: one row or one column.")
@arg("base_values", ndim=2, doc="Each row's value in base_year, one per name.")
@arg("cagrs", ndim=2, doc="Each row's yearly growth rate, or one rate for all.")
@arg("base_year", doc="The first year of the table.")
@arg("end_year", doc="The last year of the table, not before base_year.")
@ret(index=True, header=True)
@_guarded
def cmo_table(names: Any, base_values: Any, cagrs: Any, base_year: Any, end_year: Any) -> Any:
    """A forecast table: a name column, a header row of years, and one row per name
    compounding its base value yearly at its CAGR."""
    row_names = labels(names, "names")
    values = _vector(base_values, "base_values").ravel()
    rates = _rates(cagrs, "cagrs").ravel()
    if not (len(row_names) == values.size and rates.size in (1, values.size)):
        raise UdfInputError(
            f"names has {len(row_names)} cells, base_values {values.size} and "
            f"cagrs {rates.size}; give one of each per row (or one CAGR)"
        )
    if rates.size == 1:
        rates = np.full(values.size, rates[0])
    start, end = _year(base_year, "base_year"), _year(end_year, "end_year")
    _not_before(np.array([[end]]), np.array([[start]]), "end_year", "base_year")
    check_size(values.size + 1, end - start + 2)  # with the header row and the name column
    # growth.phased_series with one phase, for every row at once: each year is the year
    # before times (1 + CAGR), the same multiplications in the same order, so the same bits
    table = np.empty((values.size, end - start + 1))
    table[:, 0] = values
    factor = 1.0 + rates.astype(float)
    for k in range(1, end - start + 1):
        table[:, k] = table[:, k - 1] * factor
    finite(table, "base_values and cagrs")
    try:
        import pandas as pd  # only here: the other functions need numpy alone
    except ImportError:
        raise UdfInputError(
            "needs pandas, which is not installed; in xlwings Lite add the line 'pandas' to "
            "requirements.txt"
        ) from None

    return pd.DataFrame(
        table, index=pd.Index(row_names, name="Name"), columns=list(range(start, end + 1))
    )


__all__ = [
    "cmo_cagr",
    "cmo_forecast",
    "cmo_mix",
    "cmo_phased",
    "cmo_series",
    "cmo_split",
    "cmo_table",
]

#: Every UDF, by its Excel name.
UDFS = {
    f.__name__: f
    for f in (cmo_forecast, cmo_cagr, cmo_series, cmo_phased, cmo_mix, cmo_split, cmo_table)
}
