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
