"""The growth math, in plain Python: shared by the pandas engine and the Excel UDFs.

Each function computes what the generated formulas compute, in the same order of operations,
so the engine, the workbook and the UDFs agree to the last few bits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Shares and weights must sum to 1 this closely: in a spec, and in the UDFs' base_shares.
SUM_TOLERANCE = 1e-9


def spreadsheet_sub(a: float, b: float) -> float:
    """``a - b`` as a spreadsheet subtracts: exactly 0 when two numbers of one sign agree to
    within 2^-48 of the smaller, so that rounding noise does not show as a difference.

    LibreOffice's ``rtl::math::approxSub`` (include/rtl/math.hxx, with ``approxEqual``) does
    this; its second threshold, half a unit in the 15th significant digit, is the same order.

    >>> spreadsheet_sub(0.1 + 0.2, 0.3), spreadsheet_sub(1.0, 0.5)
    (0.0, 0.5)
    """
    same_sign = (a > 0.0 and b > 0.0) or (a < 0.0 and b < 0.0)
    if same_sign and abs(a - b) < min(abs(a), abs(b)) * 2.0**-48:
        return 0.0
    return a - b


def growth_factor(cagr: float, years: float) -> float:
    """``(1 + cagr) ** years``, infinite where it overflows and NaN where it is no real number:
    the model resolves every scenario's values before the rules judge them, so a scenario that
    sets a CAGR to 1e18 must come out as a number the rules can refuse, not as an exception.

    >>> growth_factor(0.1, 2), growth_factor(1e18, 100), growth_factor(-2.0, 0.5)
    (1.2100000000000002, inf, nan)
    """
    try:
        factor = (1.0 + cagr) ** years
    except OverflowError:
        return math.inf
    return factor if isinstance(factor, float) else math.nan


def grow(value: float, cagr: float, years: float) -> float:
    """``value`` after ``years`` of growth at ``cagr``.

    >>> round(grow(73.0, 0.06, 3), 6)
    86.944168
    """
    return float(value * (1.0 + cagr) ** years)


def implied_cagr(start_value: float, end_value: float, years: float) -> float:
    """Constant growth rate that takes ``start_value`` to ``end_value``; NaN where undefined.

    >>> round(implied_cagr(100.0, 121.0, 2), 12)
    0.1
    """
    if years <= 0 or start_value <= 0 or end_value < 0:
        return math.nan
    return float((end_value / start_value) ** (1.0 / years)) - 1.0


def phase_number(year: int, phase_end_years: Sequence[float]) -> int:
    """1-based phase of the growth step that ends in ``year`` (the step from year-1 to year).

    Mirrors the workbook's ``COUNTIF(phase_ends,"<"&year)+1``.

    >>> [phase_number(y, [2025, 2032]) for y in (2023, 2025, 2026, 2032)]
    [1, 1, 2, 2]
    """
    return sum(1 for end in phase_end_years if end < year) + 1


def phased_series(
    base_value: float,
    base_year: int,
    end_year: int,
    phase_end_years: Sequence[float],
    phase_cagrs: Sequence[float],
) -> list[float]:
    """Values for ``base_year..end_year``, compounding each year at its phase's CAGR."""
    values = [base_value]
    for year in range(base_year + 1, end_year + 1):
        rate = phase_cagrs[phase_number(year, phase_end_years) - 1]
        values.append(values[-1] * (1.0 + rate))
    return values


def mix_index(weight: float, cagr: float, years: float) -> float:
    """Unnormalised mix-shift weight ``w (1+g)^t``, as the workbook's mix index rows."""
    return float(weight * (1.0 + cagr) ** years)


def mix_shares(weights: Sequence[float], cagrs: Sequence[float], years: float) -> list[float]:
    """Mix-shifted shares ``w_k (1+g_k)^t / sum_j w_j (1+g_j)^t``; they sum to 1.

    >>> mix_shares([0.5, 0.5], [0.1, 0.1], 7)
    [0.5, 0.5]
    """
    index = [mix_index(w, g, years) for w, g in zip(weights, cagrs, strict=True)]
    total = sum(index)
    return [i / total if total else math.nan for i in index]
