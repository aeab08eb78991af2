"""The comparator verify and the tests share, on both sides of each edge it allows for text
that TEXT() wrote: one unit of the last digit shown, or of the 15th significant digit (past it
a spreadsheet writes zeros)."""

from __future__ import annotations

from typing import Any

import pytest

from cmo_xl.roundtrip.compare import same_text


@pytest.mark.parametrize(
    ("actual", "expected", "same"),
    [
        ("Reported 12.4 in 2030", "Reported 12.5 in 2030", True),  # one unit of 0.1
        ("Reported 12.3 in 2030", "Reported 12.5 in 2030", False),  # two
        ("Reported 12.4 in 2032", "Reported 12.4 in 2030", False),  # two units of a whole number
        ("implies 7.0%", "implies 7.0 %", False),  # the words differ
        # 2.678904469151570e15 written to 15 digits against the engine's 17: the same number
        ("2,678,904,469,151,570.0", "2,678,904,469,151,568.5", True),
        # a difference at the 13th digit is a difference
        ("2,678,904,469,150,000.0", "2,678,904,469,151,568.5", False),
    ],
)
def test_numbers_in_text_are_the_same_within_what_a_spreadsheet_writes(
    actual: str, expected: str, same: bool
) -> None:
    assert same_text(actual, expected) is same


def _shown(value: float, places: int) -> str:
    return f"{value:,.{places}f}"


@pytest.mark.parametrize("magnitude", [1e-3, 1e6, 1e12, 1e15, 1e18])
def test_a_label_written_to_15_significant_digits_is_the_same_number(magnitude: float) -> None:
    """A spreadsheet writes at most 15 significant digits, then zeros: at any magnitude the
    label it writes is the engine's number; a difference at the 13th digit is not."""
    value = 1.234567890123456789 * magnitude
    places = 9 if magnitude < 1 else 1
    engine = _shown(value, places)
    spreadsheet = _shown(float(f"{value:.14e}"), places)  # 15 significant digits
    assert same_text(f"is {spreadsheet} in 2030", f"is {engine} in 2030")
    if magnitude >= 1e15:  # past 15 digits the two texts really differ, and still agree
        assert spreadsheet != engine
    thirteenth = 10.0 ** (int(f"{value:e}".split("e")[1]) - 12)
    off = _shown(value + 3 * max(thirteenth, 10.0**-places), places)
    assert not same_text(f"is {off} in 2030", f"is {engine} in 2030")


def test_verify_holds_a_number_to_1e_9_relative(cmo_plan: Any) -> None:
    """The comparator ``verify`` uses, on the default plan's own numbers with one cell moved:
    by 1e-10 of itself it is the same number, by 1e-8 it is a finding (the README's 1e-9)."""
    from cmo_xl.roundtrip.compare import mismatches

    values = {s.title: {c.address: c.value for c in s.cells} for s in cmo_plan.sheets}
    sheet, cell = next(
        (s, c)
        for s, c in cmo_plan.formula_cells()
        if s == "Regions" and isinstance(c.value, float) and c.value > 1
    )
    assert mismatches(cmo_plan, values) == []
    for relative, found in ((1e-10, []), (1e-8, [f"{sheet}!{cell.address}"])):
        moved = {k: dict(v) for k, v in values.items()}
        moved[sheet][cell.address] = cell.value * (1 + relative)
        assert [f"{m.sheet}!{m.cell.address}" for m in mismatches(cmo_plan, moved)] == found
