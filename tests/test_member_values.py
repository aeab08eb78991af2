"""Members stated by value: every combination the rules accept reproduces the stated value in
its stated year, in every scenario, once LibreOffice recalculates the workbook; the
combinations no weight or share can reproduce are refused, naming the field.

The stated value is found on the recalculated sheet by its row's label and its year's column,
not through the plan, and compared with the number the spec states (the scenarios here move
growth rates and the base value, which must not move a stated value).
"""

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
from cmo_xl.workbook.recalc import recalculate_many

from helpers import mismatches, series_value, values_of, without_cached_values

UNIT = "USD bn"


def a(value: float) -> dict[str, Any]:
    return {"value": value, "provenance": "analyst"}


def stated(value: float, year: int) -> dict[str, Any]:
    return {"value": value, "year": year, "provenance": "analyst"}


def market(regions: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    """200 in 2024, 4% to 2026 and 6% to 2030."""
    return {
        "schema_version": 1,
        "market": {
            "name": "Widgets",
            "currency": "USD",
            "unit": UNIT,
            "base_year": 2024,
            "end_year": 2030,
            "base_value": a(200),
        },
        "phases": [
            {"start_year": 2024, "end_year": 2026, "cagr": a(0.04)},
            {"start_year": 2026, "end_year": 2030, "cagr": a(0.06)},
        ],
        "regions": regions,
        **more,
    }


def moved(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Base, and a scenario that moves both market CAGRs and whatever ``extra`` changes."""
    changes = [
        {"input": "market_cagr_p1", "set": a(0.08)},
        {"input": "market_cagr_p2", "shift": a(-0.01)},
        *extra,
    ]
    return [{"name": "Base"}, {"name": "Moved", "changes": changes}]


BASE_VALUE_UP = {"input": "base_value", "shift": a(20)}

#: (spec, [(sheet, row label, year, stated value)]): every accepted kind of parent and year.
ACCEPTED: dict[str, tuple[dict[str, Any], list[tuple[str, str, int, float]]]] = {
    # a region at a phase end with CAGRs of its own beside a residual region, which holds
    # a country at its own CAGR in a year that is no phase end; a segment at its own CAGR
    # beside a residual segment, in such a year
    "phase end, own CAGRs, residual parents": (
        market(
            [
                {
                    "name": "Europe",
                    "value": stated(80, 2026),
                    "cagr": [a(0.02), a(0.09)],
                },
                {
                    "name": "America",
                    "residual": True,
                    "countries": [
                        {"name": "US", "value": stated(30, 2027), "cagr": a(0.08)},
                        {"name": "Canada", "residual": True},
                    ],
                },
            ],
            dimensions=[
                {
                    "name": "Type",
                    "segments": [
                        {"name": "A", "value": stated(50, 2027), "cagr": a(0.08)},
                        {"name": "B", "residual": True},
                    ],
                }
            ],
            scenarios=moved({"input": "cagr_Europe_p2", "set": a(0.1)}, BASE_VALUE_UP),
        ),
        [("Regions", "Europe", 2026, 80), ("Countries", "US", 2027, 30), ("Type", "A", 2027, 50)],
    ),
    # a region at the base year beside a residual; its countries keep their shares, one
    # stated at a phase end; a segment at the base year split by mix shift, with a CAGR of
    # its own in one region
    "base year, kept shares, mix shift": (
        market(
            [
                {
                    "name": "Europe",
                    "value": stated(80, 2024),
                    "countries": [
                        {"name": "France", "value": stated(20, 2026)},
                        {"name": "Spain", "residual": True},
                    ],
                },
                {"name": "America", "residual": True},
            ],
            dimensions=[
                {
                    "name": "Type",
                    "segments": [
                        {"name": "A", "value": stated(50, 2024)},
                        {"name": "B", "share": a(0.75)},
                    ],
                    "overrides": [{"region": "Europe", "segment": "A", "cagr": a(0.01)}],
                }
            ],
            # no move of the base value: beside no residual segment, A's share would change
            scenarios=moved({"input": "cagr_Europe_p1", "set": a(0.12)}),
        ),
        [
            ("Regions", "Europe", 2024, 80),
            ("Countries", "France", 2026, 20),
            ("Type", "A", 2024, 50),
        ],
    ),
    # no residual region: one region by its base-year value, the rest by share; its
    # countries split by mix shift, one by its base-year value; a segment at the base year
    # beside a residual segment, keeping its share
    "no residual region": (
        market(
            [
                {"name": "Europe", "share": a(0.4)},
                {
                    "name": "America",
                    "value": stated(120, 2024),
                    "cagr": [a(0.03), a(0.07)],
                    "countries": [
                        {"name": "US", "value": stated(30, 2024), "cagr": a(0.09)},
                        {"name": "Canada", "weight": a(0.75)},
                    ],
                },
            ],
            dimensions=[
                {
                    "name": "Type",
                    "segments": [
                        {"name": "A", "value": stated(50, 2024)},
                        {"name": "B", "residual": True},
                    ],
                }
            ],
            scenarios=moved({"input": "cagr_America_p2", "set": a(0.15)}),
        ),
        [("Regions", "America", 2024, 120), ("Countries", "US", 2024, 30), ("Type", "A", 2024, 50)],
    ),
    # a region at the end year; a country keeping its share of a region stated by value at
    # the end year; a country of the residual region at the base year
    "end year, region stated by value": (
        market(
            [
                {
                    "name": "Europe",
                    "value": stated(90, 2030),
                    "countries": [
                        {"name": "France", "value": stated(25, 2030)},
                        {"name": "Spain", "residual": True},
                    ],
                },
                {
                    "name": "America",
                    "residual": True,
                    "countries": [
                        {"name": "US", "value": stated(60, 2024)},
                        {"name": "Canada", "residual": True},
                    ],
                },
            ],
            scenarios=moved(BASE_VALUE_UP),
        ),
        [
            ("Regions", "Europe", 2030, 90),
            ("Countries", "France", 2030, 25),
            ("Countries", "US", 2024, 60),
        ],
    ),
    # market values stated instead of a base value and a CAGR, members stated against them
    "market stated by values": (
        {
            **market(
                [
                    {"name": "Europe", "value": stated(100, 2030)},
                    {
                        "name": "America",
                        "residual": True,
                        "countries": [
                            {"name": "US", "value": stated(40, 2027), "cagr": a(0.02)},
                            {"name": "Canada", "residual": True},
                        ],
                    },
                ],
                scenarios=[
                    {"name": "Base"},
                    {"name": "Moved", "changes": [{"input": "market_value_2030", "shift": a(30)}]},
                ],
            ),
            "market": {
                "name": "Widgets",
                "currency": "USD",
                "unit": UNIT,
                "base_year": 2024,
                "end_year": 2030,
                "values": [stated(180, 2024), stated(260, 2030)],
            },
            "phases": [{"start_year": 2024, "end_year": 2030}],
        },
        [("Regions", "Europe", 2030, 100), ("Countries", "US", 2027, 40)],
    ),
}


@pytest.mark.libreoffice
def test_every_accepted_member_value_is_reproduced_in_every_scenario(tmp_path: Path) -> None:
    built = []
    (tmp_path / "built").mkdir()
    for name, (data, figures) in ACCEPTED.items():
        spec = parse_spec(copy.deepcopy(data))
        for scenario in ("Base", "Moved"):
            plan = plan_workbook(spec, scenario=scenario)
            path = write_workbook(plan, tmp_path / "built" / f"{len(built)}.xlsx")
            bare = without_cached_values(path, tmp_path / f"{len(built)}.xlsx")
            built.append((f"{name} ({scenario})", plan, figures, bare))
    outputs = recalculate_many([b[3] for b in built], tmp_path / "recalculated")
    for (name, plan, figures, _), output in zip(built, outputs, strict=True):
        assert mismatches(plan, values_of(output)) == [], name
        book = openpyxl.load_workbook(output, data_only=True)
        assert book["Checks"]["E4"].value == "OK", name
        for sheet, label, year, value in figures:
            got = series_value(book, sheet, label, year, UNIT)
            assert got == pytest.approx(value, rel=1e-9), (name, sheet, label, year, got)


def test_the_cases_are_the_accepted_kinds() -> None:
    """Each accepted case validates, and the scenario in it moves something: the master
    check and the stated figures are then proven above in both."""
    for data, _ in ACCEPTED.values():
        spec = parse_spec(copy.deepcopy(data))
        assert spec.scenarios is not None and spec.scenarios[1].changes


def _country_case(year: int, own: bool, residual_region: bool) -> dict[str, Any]:
    us: dict[str, Any] = {"name": "US", "value": stated(30, year)}
    if own:
        us["cagr"] = a(0.08)
    america: dict[str, Any] = {
        "name": "America",
        "countries": [us, {"name": "Canada", "residual": True}],
    }
    europe: dict[str, Any] = {"name": "Europe", "share": a(0.5)}
    if residual_region:
        america["residual"] = True
    else:
        america["share"] = a(0.5)
    return market([europe, america])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _country_case(2026, own=False, residual_region=True),
            "regions[1].countries[0].value.year: got 2026; it keeps its share of America, the "
            "residual region",
        ),
        (
            _country_case(2027, own=False, residual_region=False),
            "regions[1].countries[0].value.year: got 2027; it keeps its share of its region, so "
            "the year must be a phase end",
        ),
        (
            market(
                [{"name": "Europe", "share": a(0.5)}, {"name": "America", "share": a(0.5)}],
                dimensions=[
                    {
                        "name": "Type",
                        "segments": [
                            {"name": "A", "value": stated(50, 2027), "cagr": a(0.08)},
                            {"name": "B", "residual": True},
                        ],
                        "overrides": [{"region": "Europe", "segment": "A", "cagr": a(0.01)}],
                    }
                ],
            ),
            "dimensions[0].overrides[0].cagr: 'A' is stated by value "
            "(dimensions[0].segments[0].value) for 2027",
        ),
    ],
)
def test_a_member_value_no_share_can_reproduce_is_refused(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems
