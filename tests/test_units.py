"""Figures written with their own scale, and volume markets: converted exactly, built, and
recalculated by LibreOffice to the engine's numbers, with the figure as quoted on Inputs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.resolve import resolve as resolve_model
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import mismatches, recalculated_values, resolve, without_cached_values
from spec_samples import small_spec_data


def volume_spec() -> dict[str, Any]:
    """A market in million square metres, with no currency, its figures in three scales."""
    data = small_spec_data()
    data["market"] = {
        "name": "Printed textiles",
        "unit": "million m²",
        "base_year": 2020,
        "end_year": 2023,
        "base_value": {"value": "1,250 thousand", "provenance": "analyst"},
    }
    data["players"][0]["revenue"] = {"value": 0.35, "scale": "billion", "provenance": "analyst"}
    data["analysis"] = {"target_end_value": {"value": "2 billion", "provenance": "analyst"}}
    return data


@pytest.mark.parametrize(
    ("written", "unit", "expected"),
    [
        ("1.6 trillion", "USD bn", 1600.0),
        ("262.4 billion", "USD bn", 262.4),
        ("4,200 million", "USD bn", 4.2),
        ("176.1 bn", "USD m", 176100.0),
        ("73", "USD bn", 73.0),
        ("0.5 million", "EUR", 500000.0),
    ],
)
def test_a_figure_is_converted_exactly(written: str, unit: str, expected: float) -> None:
    data = small_spec_data()
    data["market"]["unit"] = unit
    data["market"]["base_value"] = {"value": written, "provenance": "analyst"}
    spec = parse_spec(data)
    assert spec.market.base_value.value == expected  # exactly: decimal places are shifted
    if written != "73":
        assert spec.market.base_value.quoted.startswith(f"{written} (= ")


@pytest.mark.parametrize(
    ("value", "scale", "message"),
    [
        ("1.6 trilion", None, "market.base_value.value: got '1.6 trilion'; must be a number, or"),
        ("1.6 trillion", "billion", "given the scale once"),
        (1.6, "zillion", "market.base_value.scale: got 'zillion'; must be one of thousand,"),
    ],
)
def test_a_figure_that_cannot_be_read_is_refused(
    value: object, scale: str | None, message: str
) -> None:
    data = small_spec_data()
    data["market"]["base_value"] = {"value": value, "provenance": "analyst"}
    if scale is not None:
        data["market"]["base_value"]["scale"] = scale
    with pytest.raises(SpecError) as info:
        parse_spec(copy.deepcopy(data))
    assert any(message.replace("given the", "give the") in p for p in info.value.problems), (
        info.value.problems
    )


@pytest.mark.libreoffice
def test_a_volume_market_builds_and_recalculates(tmp_path: Path) -> None:
    spec = parse_spec(volume_spec())
    assert spec.market.currency is None
    assert spec.market.base_value.value == 1.25
    plan = plan_workbook(spec)
    built = write_workbook(plan, tmp_path / "volume.xlsx")
    values = recalculated_values(
        without_cached_values(built, tmp_path / "copy.xlsx"), tmp_path / "out"
    )
    assert mismatches(plan, values) == []
    assert values["Checks"]["E4"] == "OK"
    wb = openpyxl.load_workbook(built)
    sheet, cell = resolve(wb, "base_value")
    row = int(cell[1:])
    assert wb[sheet][cell].value == 1.25
    assert wb[sheet].cell(row, 2).value == "million m²"
    assert wb[sheet].cell(row, 8).value.startswith("As quoted: 1,250 thousand (= 1.25 million m²).")
    assert values["Cover"]["B5"] == "million m²"
    sources = [v for v in values["Sources"].values() if isinstance(v, str)]
    assert "players[0].revenue" in sources
    assert "0.35 billion (= 350 million m²)" in sources


#: Figures as reports write them: (text, the spec's decimal mark, unit, the number in the
#: model's unit, or the start of the message that refuses it). Expected numbers are the
#: figures read by hand.
NOTATIONS = [
    # thousands groups: exactly three digits after the first group of one to three
    ("4,200 million", ".", "USD bn", 4.2),
    ("1,234,567", ".", "USD bn", 1234567.0),
    ("1,600.5 million", ".", "USD bn", 1.6005),
    ("1,5 billion", ".", "USD bn", "',' separates thousands, but its groups have 1-1 digits"),
    ("4,2 million", ".", "USD bn", "',' separates thousands, but its groups have 1-1 digits"),
    ("1,,,,6 billion", ".", "USD bn", "its groups have 1-0-0-0-1 digits"),
    ("16, billion", ".", "USD bn", "must be a number, or a number and a scale word"),
    ("1,60,000", ".", "USD", "its groups have 1-2-3 digits"),
    ("1,6000", ".", "USD", "its groups have 1-4 digits"),
    ("1234,567", ".", "USD", "its groups have 4-3 digits"),
    # a decimal comma, where the spec says so
    ("1,5 billion", ",", "USD bn", 1.5),
    ("4,2 million", ",", "USD bn", 0.0042),
    ("1.234.567,8", ",", "USD", 1234567.8),
    ("1.6 trillion", ",", "USD bn", "'.' separates thousands, but its groups have 1-1 digits"),
    ("1.600 million", ",", "USD bn", 1.6),
    ("1,2,3", ",", "USD", "it has more than one decimal mark ','"),
    ("1.234,5.6", ".", "USD", "it has more than one decimal mark '.'"),
    # spaces that separate thousands
    ("1 600 million", ".", "USD bn", 1.6),
    ("1\u00a0600,5 million", ",", "USD bn", 1.6005),
    ("1\u202f600 million", ".", "USD bn", 1.6),
    ("16 00 million", ".", "USD bn", "a space separates thousands, but its groups have 2-2 digits"),
    ("1 600,5", ".", "USD", "it separates thousands in more than one way"),
    # signs (a negative value is then refused by its range)
    ("+1.5 billion", ".", "USD bn", 1.5),
    ("-1.5 billion", ".", "USD bn", "greater than or equal to 0"),
    ("\u22121.5 billion", ".", "USD bn", "greater than or equal to 0"),
    ("(1.5) billion", ".", "USD bn", "must be a number, or a number and a scale word"),
    ("- 1.5", ".", "USD", "must be a number, or a number and a scale word"),
    # decimals alone, and what is not a number
    (".5 billion", ".", "USD bn", 0.5),
    ("5.", ".", "USD", "must be a number"),
    ("1.6e3", ".", "USD", "must be a number"),
    ("12%", ".", "USD", "must be a number"),
    ("USD 1.6 trillion", ".", "USD bn", "must be a number"),
    # scale words: long, plural, short, any case
    ("1.6 Trillion", ".", "USD bn", 1600.0),
    ("2 billions", ".", "USD m", 2000.0),
    ("3 bn", ".", "USD m", 3000.0),
    ("3 BN", ".", "USD m", 3000.0),
    ("4.2m", ".", "USD bn", 0.0042),
    ("4.2 mln", ".", "USD bn", 0.0042),
    ("4.2 MM", ".", "USD bn", 0.0042),
    ("250k", ".", "USD m", 0.25),
    ("1.6 B", ".", "USD m", 1600.0),
    ("1.6 tn", ".", "USD bn", 1600.0),
    ("1.6 t", ".", "USD bn", "must be a number, or a number and a scale word"),
    ("4.2 mm", ".", "USD bn", "must be a number, or a number and a scale word"),
    ("1.6 trilion", ".", "USD bn", "'trilion' is none of them"),
]

#: Units as reports spell them: (unit, a figure, the number, or the start of the refusal).
UNITS = [
    ("USD billions", "1.6 trillion", 1600.0),
    ("USD (bn)", "1.6 trillion", 1600.0),
    ("USD bn", "1.6 trillion", 1600.0),
    ("USD Bn", "1.6 trillion", 1600.0),
    ("USD bil", "1.6 trillion", 1600.0),
    ("USD/bn", "1.6 trillion", 1600.0),
    ("bn USD", "1.6 trillion", 1600.0),
    ("$bn", "1.6 trillion", 1600.0),
    ("US$ billion", "1.6 trillion", 1600.0),
    ("USD in billions", "1.6 trillion", 1600.0),
    ("USD millions", "4,200 million", 4200.0),
    ("USD mln", "4,200 million", 4200.0),
    ("USD mn", "4,200 million", 4200.0),
    ("USD MM", "4,200 million", 4200.0),
    ("Mio. EUR", "4,200 million", 4200.0),
    ("EUR m", "1.6 billion", 1600.0),
    ("€m", "1.6 billion", 1600.0),
    ("USD '000", "4.2 million", 4200.0),
    ("USD thousand", "4.2 million", 4200.0),
    ("USD", "1.6 trillion", 1.6e12),
    ("million m²", "1.6 billion", 1600.0),
    ("tonnes", "1.6 million", 1.6e6),
    ("units", "2 thousand", 2000.0),
    ("m", "1.6 trillion", "the unit 'm' does not say its scale: 'm' may be metres or a scale"),
    ("t", "1.6 million", "the unit 't' does not say its scale: 't' may be tonnes or a scale"),
    ("mm", "1.6 million", "the unit 'mm' does not say its scale"),
    ("Mt", "1.6 million", "the unit 'Mt' does not say its scale: 'Mt' carries a prefix"),
    ("kt", "1.6 million", "the unit 'kt' does not say its scale"),
    ("MWh", "1.6 million", "the unit 'MWh' does not say its scale"),
    ("USD bn million", "1.6 trillion", "the unit 'USD bn million' names more than one scale"),
]


def _base_value_of(written: str, mark: str, unit: str) -> float:
    data = small_spec_data()
    data["market"]["unit"] = unit
    if mark != ".":
        data["market"]["decimal_mark"] = mark
    data["market"]["base_value"] = {"value": written, "provenance": "analyst"}
    return parse_spec(data).market.base_value.value


@pytest.mark.parametrize(("written", "mark", "unit", "expected"), NOTATIONS)
def test_figure_notations(written: str, mark: str, unit: str, expected: float | str) -> None:
    if isinstance(expected, float):
        assert _base_value_of(written, mark, unit) == pytest.approx(expected, rel=1e-15)
        return
    with pytest.raises(SpecError) as info:
        _base_value_of(written, mark, unit)
    (problem,) = info.value.problems
    assert problem.startswith("market.base_value.value: got "), problem
    assert expected in problem, problem


@pytest.mark.parametrize(("unit", "written", "expected"), UNITS)
def test_unit_spellings(unit: str, written: str, expected: float | str) -> None:
    if isinstance(expected, float):
        assert _base_value_of(written, ".", unit) == pytest.approx(expected, rel=1e-15)
        return
    with pytest.raises(SpecError) as info:
        _base_value_of(written, ".", unit)
    (problem,) = info.value.problems
    assert problem.startswith(f"market.base_value.value: got {written!r}; {expected}"), problem
    assert "(market.unit)" in problem


def test_a_unit_that_cannot_say_its_scale_takes_plain_numbers() -> None:
    """Only a scale word needs the unit's scale: 1.6 in metres is 1.6."""
    assert _base_value_of("1.6", ".", "m") == 1.6
    assert _base_value_of("1,600", ".", "Mt") == 1600.0


def test_a_decimal_mark_other_than_a_point_or_comma_is_refused() -> None:
    data = small_spec_data()
    data["market"]["decimal_mark"] = ";"
    with pytest.raises(SpecError, match=r"market.decimal_mark: got ';'; must be '.' or ','"):
        parse_spec(data)


def test_a_quote_with_a_decimal_comma_keeps_its_precision() -> None:
    """A quote of 1,5 billion in EUR m is 1,500 give or take half of 0.1 billion: 50."""
    data = small_spec_data()
    data["market"].update(unit="EUR m", decimal_mark=",")
    data["market"]["values"] = [
        {"year": data["market"]["base_year"], "value": "1,5 billion", "provenance": "analyst"}
    ]
    spec = parse_spec(data)
    model = resolve_model(spec)
    (anchor,) = [b for b in model.benchmarks if b.figure.name.startswith("market_value_")]
    assert anchor.figure.value == 1500.0
    assert anchor.precision.value == 50.0
