"""Residual members (rest of world, others) and true CAGRs: the parts always add up to the
parent, a member's typed CAGR is the CAGR it gets, and a residual that goes negative fails
exactly its own check, naming the year. Proven on workbooks recalculated by LibreOffice."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.load import parse_spec
from cmo_xl.workbook.plan import WorkbookPlan, plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import mismatches, recalculated_values, without_cached_values
from spec_samples import small_spec_data


def inp(v: float) -> dict[str, Any]:
    return {"value": v, "provenance": "analyst"}


def residual_spec() -> dict[str, Any]:
    """Named regions, countries and segments with CAGRs of their own, others keeping their
    share, and a residual in each parent; a scenario that moves a named region."""
    data = small_spec_data()
    data["regions"] = [
        {
            "name": "East",
            "share": inp(0.5),
            "cagr": [inp(0.12), inp(0.06)],
            "countries": [
                {"name": "Ruritania", "weight": inp(0.25), "cagr": inp(0.08)},
                {"name": "O'Land", "weight": inp(0.5)},
                {"name": "Other East", "residual": True},
            ],
        },
        {"name": "West", "share": inp(0.3)},
        {"name": "Rest of world", "residual": True},
    ]
    data["dimensions"] = [
        {
            "name": "Product",
            "segments": [
                {"name": "A", "share": inp(0.4), "cagr": inp(0.06)},
                {"name": "B", "share": inp(0.35)},
                {"name": "Others", "residual": True},
            ],
            "overrides": [{"region": "East", "segment": "A", "share": inp(0.6)}],
        }
    ]
    data["scenarios"] = [
        {"name": "Base"},
        {
            "name": "Fast East",
            "changes": [{"input": "cagr_East_p2", "shift": inp(0.02)}],
        },
    ]
    return data


def _world(t: int) -> float:
    """The market by hand: 100 at 10% for two years, then 5%."""
    return 100 * 1.1 ** min(t, 2) * 1.05 ** max(t - 2, 0)


def _recalculated(plan: WorkbookPlan, tmp_path: Path) -> dict[str, dict[str, Any]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    built = write_workbook(plan, tmp_path / "book.xlsx")
    return recalculated_values(without_cached_values(built, tmp_path / "copy.xlsx"), tmp_path / "o")


def _row(values: dict[str, Any], label: str) -> int:
    """The row of the cell holding ``label`` in column A."""
    return next(
        int(a[1:]) for a, v in values.items() if a[:1] == "A" and a[1:].isdigit() and v == label
    )


def test_a_residual_takes_what_its_siblings_leave() -> None:
    result = forecast(parse_spec(residual_spec()))
    years = result.model.years
    world = result.world
    assert world == pytest.approx([_world(t) for t in range(len(years))], rel=1e-12)
    east = result.values[("region", "", "East", "East")]
    west = result.values[("region", "", "West", "West")]
    rest = result.values[("region", "", "Rest of world", "Rest of world")]
    assert east == pytest.approx([50 * 1.12 ** min(t, 2) * 1.06 ** max(t - 2, 0) for t in range(4)])
    assert west == pytest.approx([0.3 * _world(t) for t in range(4)])  # keeps its share
    assert rest == pytest.approx(
        [_world(t) - e - w for t, e, w in zip(range(4), east, west, strict=True)]
    )
    ruritania = result.values[("country", "", "East", "Ruritania")]
    assert ruritania == pytest.approx([50 * 0.25 * 1.08**t for t in range(4)])
    oland = result.values[("country", "", "East", "O'Land")]
    assert oland == pytest.approx([0.5 * e for e in east])
    other = result.values[("country", "", "East", "Other East")]
    assert other == pytest.approx(
        [e - r - o for e, r, o in zip(east, ruritania, oland, strict=True)]
    )
    a_west = result.values[("segment", "Product", "West", "A")]
    assert a_west == pytest.approx([west[0] * 0.4 * 1.06**t for t in range(4)])
    a_east = result.values[("segment", "Product", "East", "A")]
    assert a_east == pytest.approx([east[0] * 0.6 * 1.06**t for t in range(4)])


@pytest.mark.libreoffice
def test_residuals_recalculate_to_the_engine_and_true_cagrs_hold(tmp_path: Path) -> None:
    for scenario in ("Base", "Fast East"):
        plan = plan_workbook(parse_spec(residual_spec()), scenario=scenario)
        values = _recalculated(plan, tmp_path / scenario)
        assert mismatches(plan, values) == []
        assert values["Checks"]["E4"] == "OK"
        regions = values["Regions"]
        world_row = _row(regions, "World (the market at its CAGRs)")
        cols = "CDEF"
        for t, col in enumerate(cols):
            assert regions[f"{col}{world_row}"] == pytest.approx(_world(t), rel=1e-12)
    summary = values["Summary"]
    for label, cagr in (("East: Ruritania", 0.08), ("West: A", 0.06), ("East: A", 0.06)):
        row = _row(summary, label)
        implied = max(a for a in summary if a.endswith(str(row)) and a[:1] != "A")
        assert abs(summary[implied] - cagr) <= 1e-9, (label, summary[implied])


def test_a_spec_whose_residual_goes_negative_is_refused() -> None:
    """Ruritania at 60% a year outgrows East by 2022; the spec says so before a workbook
    with a failing master check is built."""
    data = residual_spec()
    data["regions"][0]["countries"][0]["cagr"] = inp(0.6)
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert info.value.problems == [
        "regions[0].countries[2]: the residual ('Other East') would be below 0 from 2022 "
        f"({0.5 * 50 * 1.12**2 - 12.5 * 1.6**2:.4g} EUR m): its siblings outgrow 'East'; lower "
        "their shares or CAGRs"
    ]


@pytest.mark.libreoffice
def test_a_negative_residual_fails_exactly_its_check(tmp_path: Path) -> None:
    """Typed in the workbook, the same 60% fails exactly the residual's check."""
    plan = plan_workbook(parse_spec(residual_spec()))
    east = [50 * 1.12 ** min(t, 2) * 1.06 ** max(t - 2, 0) for t in range(4)]
    other = [0.5 * e - 12.5 * 1.6**t for t, e in enumerate(east)]
    first = next(2020 + t for t, v in enumerate(other) if v < 0)
    built = write_workbook(plan, tmp_path / "book.xlsx")
    edited = without_cached_values(built, tmp_path / "copy.xlsx", {"cagr_East_Ruritania": 0.6})
    values = recalculated_values(edited, tmp_path / "o")
    checks = values["Checks"]
    failing = [checks[f"A{r}"] for r in range(8, 60) if checks.get(f"E{r}") == "ERROR"]
    assert failing == [f"Other East (residual of East) is never below 0: negative from {first}"]
    assert checks["E4"] == "ERROR"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["regions"][1].update(residual=True, share=None),
            "regions[2].residual: got true, but regions[1] is residual already",
        ),
        (
            lambda d: d["regions"][2].update(share=inp(0.2)),
            "regions[2].share: got 0.2; a residual's share is what the others leave",
        ),
        (
            lambda d: d["regions"][1].pop("share"),
            "regions[1]: give one of share or value (a value in a year), or mark the member "
            "residual: true",
        ),
        (
            lambda d: d["regions"][1].update(share=inp(0.6)),
            "regions[*].share: region shares besides the residual sum to 1.1; they must sum "
            "to at most 1",
        ),
        (
            lambda d: d["regions"][0]["countries"][2].update(cagr=inp(0.1)),
            "regions[0].countries[2].cagr: a residual grows as what the others leave",
        ),
        (
            lambda d: d["dimensions"][0]["overrides"].append(
                {"region": "West", "segment": "Others", "share": inp(0.1)}
            ),
            "dimensions[0].overrides[1].segment: got 'Others', the residual",
        ),
        (
            lambda d: d["dimensions"][0]["overrides"][0].update(share=inp(0.7)),
            "dimensions[0].overrides (region 'East'): the shares besides the residual "
            "('Others') sum to 1.05 after overrides",
        ),
    ],
)
def test_a_residual_spec_that_cannot_hold_is_refused(edit: Any, message: str) -> None:
    data = copy.deepcopy(residual_spec())
    edit(data)
    data["regions"] = [{k: v for k, v in r.items() if v is not None} for r in data["regions"]]
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any(message in p for p in info.value.problems), info.value.problems


def test_a_scenario_may_not_push_a_residual_below_zero() -> None:
    data = residual_spec()
    data["scenarios"][1]["changes"] = [{"input": "share_West", "set": inp(0.6)}]
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any("(a residual's share) would be -0.1" in p for p in info.value.problems)
