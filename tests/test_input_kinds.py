"""The one table of input kinds: every kind has a row, and what reads it agrees with it."""

from __future__ import annotations

from typing import get_args

import pytest

from cmo_xl.model.resolution.input_kinds import KINDS, InputKind, allowed, shown
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.workbook.records import FORMATS


def test_every_kind_has_one_row_and_a_workbook_format() -> None:
    assert set(KINDS) == set(get_args(InputKind))
    for kind, rule in KINDS.items():
        assert rule.shown in FORMATS, kind
        assert rule.shift is None or rule.shift in KINDS, kind


def test_every_kind_a_template_holds_is_in_the_table() -> None:
    for name in template_names():
        model = resolve(load_template(name))
        for item in model.inputs():
            assert item.kind in KINDS, (name, item.name)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("cagr", 0.114, "11.40%"),
        ("share", 0.25, "25.00%"),
        ("rate_shift", 0.01, "+1.00%"),  # a difference of rates is signed
        ("rate_shift", -0.005, "-0.50%"),
        ("precision", 0.0005, "0.05%"),
        ("precision", 0.00005, "0.005%"),  # was "0.01%": a precision keeps its digits
        ("value_precision", 0.05, "0.05"),
        ("year", 2032.0, "2032"),
        ("value", 4473.04, "4,473.04"),
    ],
)
def test_shown_as_a_person_reads_it(kind: str, value: float, expected: str) -> None:
    assert shown(kind, value) == expected


def test_year_bounds_follow_the_timeline() -> None:
    year = allowed("year", 2024, 2032)
    assert (year.low, year.high, year.whole) == (2024, 2032, True)
    revenue = allowed("revenue_year", 2024, 2032)
    assert (revenue.low, revenue.high) == (1900, 2032)
    assert allowed("rate_shift", 2024, 2032).words == "a shift from -150% to +150%"
