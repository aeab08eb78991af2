"""Market values a report states, and what is derived from them.

A report may give the market as values in years ("176.1 bn in 2020, 264.1 bn by 2027") rather
than a base value and CAGRs. A phase without a CAGR then gets the CAGR between the values at
its two ends, and a spec without a base value gets the value at the base year, or a later
phase end's value brought back through the phases before it. Each is a derived input: the
workbook writes its formula on Inputs, so it follows edits of the values it comes from.
"""

from __future__ import annotations

import math

from cmo_xl.model.growth import growth_factor, implied_cagr
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import DERIVED, Derived, Input

DERIVED_CAGR_NOTE = "Derived: the CAGR between the market values at the phase's two ends."


def derived_cagr(
    path: str, name: str, label: str, start: Input, end: Input, years: tuple[Input, Input]
) -> Input:
    """The CAGR from ``start`` to ``end`` (market values) over ``years`` (first, last)."""
    # NaN where no CAGR takes start to end (a scenario may move either to 0 or below): the
    # rules then name the change, before anything uses the number
    value = implied_cagr(start.value, end.value, years[1].value - years[0].value)
    return Input(
        path,
        name,
        label,
        "%",
        "cagr",
        value,
        DERIVED,
        end.source,
        DERIVED_CAGR_NOTE,
        derived=Derived("cagr_between", (start, end, *years)),
    )


def derived_base_value(
    label: str, unit: str, anchor: Input, steps: list[tuple[Input, Input, Input]]
) -> Input:
    """The base value from the market value ``anchor``, brought back through ``steps``
    (each phase before it: its CAGR, start year and end year); ``anchor`` itself when there
    are none (it is stated for the base year)."""
    if not steps:
        value, derived = anchor.value, Derived("equal", (anchor,))
        note = "Derived: the market value the report states for the base year."
    else:
        growth = 1.0
        for cagr, start, end in steps:
            growth *= growth_factor(cagr.value, end.value - start.value)
        value = anchor.value / growth if 0 < growth < math.inf else math.nan
        derived = Derived("discounted", (anchor, *(i for step in steps for i in step)))
        note = (
            f"Derived: the market value stated for {int(steps[-1][2].value)}, "
            "brought back through the phases before it at their CAGRs."
        )
    return Input(
        "market.base_value",
        names.BASE_VALUE,
        label,
        unit,
        "value",
        value,
        DERIVED,
        anchor.source,
        note,
        derived=derived,
    )
