"""The UDFs called directly: the engine's numbers, and a readable message for every bad input."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cmo_xl.udfs import (
    UDFS,
    cmo_cagr,
    cmo_forecast,
    cmo_mix,
    cmo_phased,
    cmo_series,
    cmo_split,
    cmo_table,
)

from helpers import run_python

REL = 1e-12


def test_phased_by_hand() -> None:
    """Compounded year by year: 73 * 1.06^3 * 1.114^7, the CMO world in 2032."""
    got = cmo_phased(73, 2022, [2025, 2032], [0.06, 0.114], 2032)
    assert got == pytest.approx(73 * 1.06**3 * 1.114**7, rel=REL)
    assert float(f"{got:.7g}") == 185.1129
    years = [2022, 2025, 2030, 2032]
    (row,) = cmo_phased(73, 2022, [[2025], [2032]], [[0.06, 0.114]], [years])
    by_hand = [73, 73 * 1.06**3, 73 * 1.06**3 * 1.114**5, 73 * 1.06**3 * 1.114**7]
    assert row == pytest.approx(by_hand, rel=REL)


@pytest.mark.parametrize("far", [2**63 + 1e4, 1e19, 1e300])
def test_phased_with_a_phase_that_ends_far_away(far: float) -> None:
    """A last phase that ends past any year asked for ("for good") is a phase like any other:
    73 * 1.06^3 * 1.114^5 in 2030 (a cast to a 64-bit integer used to wrap it negative)."""
    got = cmo_phased(73, 2022, [2025, far], [0.06, 0.114], 2030)
    assert got == pytest.approx(73 * 1.06**3 * 1.114**5, rel=REL)
    assert round(got, 2) == 149.16


def test_forecast_and_series_by_hand() -> None:
    assert cmo_forecast(73, 0.06, 2022, 2025) == pytest.approx(73 * 1.06**3, rel=REL)
    assert cmo_forecast(73, 0.06, 2022, 2025) == pytest.approx(86.944168, abs=5e-7)
    (series,) = cmo_series(73, 0.06, 2022, 2025)
    assert series == pytest.approx([73, 73 * 1.06, 73 * 1.06**2, 73 * 1.06**3], rel=REL)
    by_hand = [[100 * 1.1, 100 * 1.2], [100 * 1.1**2, 100 * 1.2**2]]
    grid = cmo_forecast(100, [[0.1, 0.2]], 2022, [[2023], [2024]])
    assert [v for row in grid for v in row] == pytest.approx(
        [v for row in by_hand for v in row], rel=REL
    )


def test_cagr_by_hand() -> None:
    """The issue's example: from 86.944168 in 2025 to 200 in 2032."""
    assert cmo_cagr(86.944168, 200, 7) == pytest.approx((200 / 86.944168) ** (1 / 7) - 1, rel=REL)
    assert cmo_cagr(100, 121, 2) == pytest.approx(0.1, rel=REL)
    assert cmo_cagr(100, 50, 1) == pytest.approx(-0.5, rel=REL)


def test_mix_and_split_by_hand() -> None:
    # 25% growing 30% a year and 75% growing 5%, after 3 years: 0.25*1.3^3 : 0.75*1.05^3
    a, b = 0.25 * 1.3**3, 0.75 * 1.05**3
    shares = cmo_mix([[0.25], [0.75]], [[0.3], [0.05]], 3)
    assert [s for [s] in shares] == pytest.approx([a / (a + b), b / (a + b)], rel=REL)
    split = cmo_split(87.12, [[0.25], [0.75]], [[0.3], [0.05]], 3)
    assert [v for [v] in split] == pytest.approx(
        [87.12 * a / (a + b), 87.12 * b / (a + b)], rel=REL
    )
    assert cmo_mix([[0.5, 0.5]], 0.1, 5) == [[0.5, 0.5]]  # one CAGR for all: no shift


def test_table_by_hand() -> None:
    table = cmo_table([["A"], ["B"]], [[29.2], [18.25]], 0.06, 2022, 2025)
    assert isinstance(table, pd.DataFrame)
    assert table.index.name == "Name" and list(table.columns) == [2022, 2023, 2024, 2025]
    assert list(table.index) == ["A", "B"]
    expected = [[v * 1.06**t for t in range(4)] for v in (29.2, 18.25)]
    assert table.to_numpy().tolist() == [pytest.approx(row, rel=REL) for row in expected]


BAD: dict[str, tuple[Any, tuple[Any, ...], str]] = {
    "blank cell": (
        cmo_forecast,
        (73, None, 2022, 2025),
        "cagr: got a blank cell or an error value; need a number",
    ),
    "text": (
        cmo_forecast,
        ("lots", 0.06, 2022, 2025),
        "base_value: got text 'lots'; need a number",
    ),
    "NaN": (cmo_cagr, (100, math.nan, 2), "end_value: got NaN; need a finite number"),
    "boolean": (cmo_cagr, (True, 121, 2), "start_value: got TRUE; need a number"),
    "error in a range": (
        cmo_mix,
        ([[0.5], [None]], 0.1, 2),
        "base_shares (row 2, column 1 of the range): got a blank cell or an "
        "error value; need a number",
    ),
    "mismatched ranges": (
        cmo_forecast,
        ([[1, 2, 3]], [[0.1, 0.2]], 2022, 2025),
        "ranges do not fit together (base_value is 1 x 3, cagr is 1 x 2",
    ),
    "mix sizes differ": (
        cmo_mix,
        ([[0.5], [0.5]], [[0.1], [0.1], [0.1]], 2),
        "base_shares has 2 cells but cagrs has 3",
    ),
    "a block, not a row": (
        cmo_phased,
        (73, 2022, [[2025, 2028], [2030, 2032]], [0.1, 0.1, 0.1, 0.1], 2032),
        "phase_end_years: got a 2 x 2 range; need one row or one column",
    ),
    "phases and rates differ": (
        cmo_phased,
        (73, 2022, [2025, 2032], [0.06], 2032),
        "phase_end_years has 2 years but phase_cagrs has 1 rates",
    ),
    "negative periods": (cmo_cagr, (100, 121, -2), "periods: got -2; need more than 0 periods"),
    "year before base year": (
        cmo_forecast,
        (73, 0.06, 2022, 2020),
        "year: got 2020; it is before base_year; periods must not be negative",
    ),
    "negative years elapsed": (
        cmo_split,
        (100, [0.5, 0.5], 0.1, -1),
        "years_elapsed: got -1; periods must not be negative",
    ),
    "CAGR of -100%": (
        cmo_forecast,
        (73, -1, 2022, 2025),
        "cagr: got -1; a CAGR must be above -100%",
    ),
    "CAGR below -100%": (
        cmo_series,
        (73, -1.5, 2022, 2025),
        "cagr: got -1.5; a CAGR must be above -100%",
    ),
    "year after the phases": (
        cmo_phased,
        (73, 2022, [2025, 2032], [0.06, 0.114], 2040),
        "year: got 2040; it is after the last phase end 2032",
    ),
    "phases out of order": (
        cmo_phased,
        (73, 2022, [2032, 2025], [0.06, 0.114], 2030),
        "phase_end_years: got 2025; each phase must end after the one before",
    ),
    "fractional year": (
        cmo_series,
        (73, 0.06, 2022.5, 2025),
        "base_year: got 2022.5; need a whole year",
    ),
    "range for one cell": (
        cmo_series,
        ([73, 74], 0.06, 2022, 2025),
        "base_value: got a range of 2 cells; need one cell",
    ),
    "zero start value": (cmo_cagr, (0, 5, 2), "start_value: got 0; need a value above 0"),
    "shares all zero": (cmo_mix, ([0, 0], 0.1, 1), "base_shares: they sum to 0"),
    "negative share": (
        cmo_mix,
        ([-0.5, 1.5], 0.1, 1),
        "base_shares: got -0.5; shares must not be negative",
    ),
    "blank name": (
        cmo_table,
        ([["A"], [None]], [[1], [2]], 0.1, 2022, 2023),
        "names (item 2): got a blank cell or an error value; need a name",
    ),
    "table sizes differ": (
        cmo_table,
        (["A", "B"], [1, 2, 3], 0.1, 2022, 2023),
        "names has 2 cells, base_values 3 and cagrs 1",
    ),
    "wrong number of arguments": (cmo_cagr, (1, 2), "unexpected TypeError"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gives_a_message_not_an_exception(case: str) -> None:
    function, args, message = BAD[case]
    got = function(*args)
    assert isinstance(got, str), got
    assert got.startswith(f"#VALUE! {function.__name__}: "), got
    assert message in got, got
    assert "Traceback" not in got


def test_every_function_is_listed() -> None:
    assert sorted(UDFS) == [
        "cmo_cagr",
        "cmo_forecast",
        "cmo_mix",
        "cmo_phased",
        "cmo_series",
        "cmo_split",
        "cmo_table",
    ]
    for name, function in UDFS.items():
        assert function.__name__ == name and function.__doc__


HOSTILE: dict[str, tuple[Any, tuple[Any, ...], str]] = {
    "an integer beyond the float range": (
        cmo_forecast,
        (10**400, 0.1, 2000, 2001),
        "base_value: got a 401-digit number; need a finite number (at most about 1.8e308)",
    ),
    "a result beyond the float range": (
        cmo_forecast,
        (1e308, 1.0, 2000, 3000),
        "the result is too large for a number (above about 1.8e308); check base_value, cagr",
    ),
    "an implied CAGR beyond the float range": (
        cmo_cagr,
        (1e-300, 1e300, 1),
        "the result is too large for a number (above about 1.8e308); check start_value",
    ),
    "a mix index that underflows to 0": (
        cmo_mix,
        ([0.5, 0.5], [-0.5, -0.5], 1100),
        "years_elapsed: after 1100 years at these cagrs the mix index leaves the range",
    ),
    "a mix index that overflows": (
        cmo_mix,
        ([[0.5, 0.5]], 1.0, 1024.5),
        "years_elapsed: after 1024.5 years at these cagrs the mix index leaves the range",
    ),
    "shares that sum to 0": (
        cmo_mix,
        ([[0.0, 0.0]], 1.0, 3),
        "base_shares: they sum to 0; they must sum to 1 (within 1e-09)",
    ),
    "shares that sum to 0.9": (
        cmo_split,
        (100, [0.5, 0.4], 0.1, 1),
        "base_shares: they sum to 0.9; they must sum to 1 (within 1e-09), or the split would",
    ),
    "an empty range": (
        cmo_forecast,
        (100, 0.1, 2020, [[]]),
        "year: got an empty range; need at least one cell",
    ),
    "empty phases": (
        cmo_phased,
        (73, 2022, [[]], [[]], 2023),
        "phase_end_years: got an empty range; need at least one cell",
    ),
    "a complex number": (
        cmo_cagr,
        (complex(100, 5), 121, 2),
        "start_value: got the complex number (100+5j); need a number",
    ),
    "a numpy complex number": (
        cmo_forecast,
        (73, np.complex128(0.1 + 0.2j), 2022, 2025),
        "cagr: got the complex number (0.1+0.2j); need a number",
    ),
    "a ragged range": (
        cmo_mix,
        ([[0.5], [0.2, 0.3]], 0.1, 1),
        "base_shares: the range is ragged; give a rectangular range",
    ),
    "a year beyond the calendar": (
        cmo_series,
        (100, 0, 2020, 10**9),
        "end_year: got 1e+09; a year is a whole number from 1 to 9999",
    ),
    "a year before it": (
        cmo_phased,
        (73, 0, [2030], [0.01], 2025),
        "base_year: got 0; a year is a whole number from 1 to 9999",
    ),
    "a date where a year belongs (xlwings Lite sends its serial number)": (
        cmo_forecast,
        (73, 0.06, 2022, 45658),
        "year: got 45658; a year is a whole number from 1 to 9999 (that is the date "
        "2025-01-01 as a number: type the year, e.g. 2025)",
    ),
    "a date where a number of years belongs": (
        cmo_cagr,
        (73, 124, 45658),
        "periods: got 45658; a number of years is at most 9,999 (that is the date 2025-01-01",
    ),
    "a date as years elapsed": (
        cmo_mix,
        ([0.5, 0.5], 0.1, 46023),
        "years_elapsed: got 46023; a number of years is at most 9,999 (that is the date 2026-01-01",
    ),
    "a date from the classic add-in": (
        cmo_series,
        (100, 0.1, 2020, dt.datetime(2025, 1, 1)),
        "end_year: got the date 2025-01-01T00:00:00; need a number",
    ),
    "ranges that make a table beyond the limit": (
        cmo_forecast,
        (100, [list(range(2000))], 2020, [[y] for y in range(2020, 2620)]),
        "the result would be 600 x 2,000 cells; at most 1,000,000 cells",
    ),
    "a table with a typo in its end year": (
        cmo_table,
        (["a"] * 10_000, [1.0] * 10_000, 0.1, 2020, 9999),
        "the result would be 10,001 x 7,981 cells",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_gives_a_message(case: str) -> None:
    function, args, message = HOSTILE[case]
    got = function(*args)
    assert isinstance(got, str), got
    assert got.startswith(f"#VALUE! {function.__name__}: "), got
    assert message in got, got
    assert "\n" not in got and len(got) < 300


def test_a_pandas_argument_is_read_as_its_values_and_never_printed() -> None:
    (row,) = cmo_forecast(pd.Series([100.0, 200.0]), 0.1, 2020, 2021)
    assert row == pytest.approx([110.0, 220.0], rel=REL)
    got = cmo_forecast(pd.Series(["a\nb", "c"]), 0.1, 2020, 2021)
    assert got == (
        "#VALUE! cmo_forecast: base_value (row 1, column 1 of the range): got text 'a\\nb'; "
        "need a number"
    )


def test_only_the_years_asked_for_are_computed() -> None:
    """A far phase end costs nothing: 73 for two years at 0% is 73, at once."""
    assert cmo_phased(73, 2022, [9999], [0.0], 2024) == 73.0
    assert cmo_phased(100, 2022, [2023, 9999], [0.1, 0.2], 2024) == pytest.approx(
        100 * 1.1 * 1.2, rel=REL
    )


def test_unexpected_errors_are_one_short_line() -> None:
    got = cmo_cagr(1, 2)
    assert isinstance(got, str) and got.startswith("#VALUE! cmo_cagr: unexpected TypeError: ")
    assert "\n" not in got and len(got) < 200


def test_huge_requests_stay_within_10_s_and_500_mb(tmp_path: Path) -> None:
    code = (
        "from cmo_xl.udfs import cmo_forecast, cmo_phased, cmo_series, cmo_table\n"
        "assert cmo_phased(73, 2022, [9999], [0.0], 2023) == 73.0\n"
        "for got in (cmo_series(100, 0, 0, 10**9), cmo_phased(73, 0, [10**8], [0.01], 10**7),\n"
        "            cmo_table(['a'] * 100_000, [1.0] * 100_000, 0.1, 2020, 20300),\n"
        "            cmo_forecast(1, [list(range(16_000))], 0, [[y] for y in range(16_000)])):\n"
        "    assert got.startswith('#VALUE! '), got\n"
    )
    run = run_python(["-c", code], tmp_path)
    assert run.code == 0, run.err
    assert run.seconds <= 10 and run.peak_mb <= 500, (run.seconds, run.peak_mb)
