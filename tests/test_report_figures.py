"""A report typed as written: market values in stated years (anchors) from which phase CAGRs
and the base value are derived live, and reported figures of any kind (a CAGR over any span,
a value or a share in a year) for the market or any member, each reconciled within the
precision of its quote. Proven on workbooks recalculated by LibreOffice."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.benchmarks import value_precision, written_precision
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import mismatches, recalculated_values, without_cached_values
from helpers import resolve as where


def quote(v: float | str, **kw: Any) -> dict[str, Any]:
    return {"value": v, "provenance": "source", "source": "R", **kw}


def two_values_spec() -> dict[str, Any]:
    """'USD 176.1 bn in 2020, projected to reach 264.1 bn by 2027, a CAGR of 6%'; 'North
    America held 40%'; 'the U.S. is estimated at USD 61 bn in 2020'; 'Asia to grow at 9%'."""
    return {
        "schema_version": 1,
        "market": {
            "name": "Food ingredients",
            "currency": "USD",
            "unit": "USD bn",
            "base_year": 2020,
            "end_year": 2027,
            "values": [quote(176.1, year=2020), quote(264.1, year=2027)],
        },
        "phases": [{"start_year": 2020, "end_year": 2027}],
        "regions": [
            {
                "name": "North America",
                "share": quote(0.40),
                "countries": [
                    {"name": "U.S.", "weight": quote(0.85)},
                    {"name": "Canada", "residual": True},
                ],
            },
            {"name": "Asia", "share": quote(0.25), "cagr": [quote(0.09)]},
            {"name": "Rest of world", "residual": True},
        ],
        "sources": [{"id": "R", "quote": "the report's figures"}],
        "benchmarks": [
            {"label": "CAGR 2020-2027", "cagr": quote(0.06), "start_year": 2020, "end_year": 2027},
            {
                "label": "U.S. in 2020",
                "value": quote(61.0),
                "year": 2020,
                "region": "North America",
                "country": "U.S.",
            },
            {
                "label": "North America in 2020",
                "share": quote(0.40),
                "year": 2020,
                "region": "North America",
            },
            {
                "label": "Asia's CAGR",
                "cagr": quote(0.09),
                "start_year": 2020,
                "end_year": 2027,
                "region": "Asia",
            },
        ],
    }


def end_value_spec() -> dict[str, Any]:
    """'USD 1.6 trillion by 2030, growing at 7.9% a year from 2022'."""
    data = two_values_spec()
    data["market"].update(base_year=2022, end_year=2030, values=[quote("1.6 trillion", year=2030)])
    data["phases"] = [{"start_year": 2022, "end_year": 2030, "cagr": quote(0.079)}]
    data["benchmarks"] = []
    return data


def test_phase_cagrs_and_the_base_value_are_derived_from_market_values() -> None:
    model = resolve(parse_spec(two_values_spec()))
    assert model.base_value.value == 176.1
    assert model.phases[0].cagr.value == pytest.approx((264.1 / 176.1) ** (1 / 7) - 1, rel=1e-15)
    assert model.base_value.provenance == model.phases[0].cagr.provenance == "derived"
    end = resolve(parse_spec(end_value_spec()))
    assert end.base_value.value == pytest.approx(1600 / 1.079**8, rel=1e-15)
    result = forecast(end)
    assert result.world[-1] == pytest.approx(1600.0, rel=1e-12)


def test_every_quoted_figure_is_reconciled_within_its_precision() -> None:
    result = forecast(parse_spec(two_values_spec()))
    rows = {(b.label, b.kind): (b.model, b.status) for b in result.benchmarks}
    world = (264.1 / 176.1) ** (1 / 7) - 1  # 5.95%: within the rounding of "6%"
    assert rows[("Market value in 2020 (as reported)", "value")] == (176.1, "matched")
    assert rows[("Market value in 2027 (as reported)", "value")][1] == "matched"
    assert rows[("CAGR 2020-2027", "cagr")] == (pytest.approx(world), "within rounding")
    # the U.S. is 85% of 40% of 176.1 = 59.87, against 61 reported: a conflict
    assert rows[("U.S. in 2020", "value")] == (pytest.approx(0.85 * 0.4 * 176.1), "conflict")
    assert rows[("North America in 2020", "share")] == (pytest.approx(0.4), "matched")
    assert rows[("Asia's CAGR", "cagr")] == (pytest.approx(0.09), "matched")


@pytest.mark.parametrize(
    ("written", "unit", "expected"),
    [
        ("1.6 trillion (= 1,600 USD bn)", "USD bn", 50.0),
        ("4,200 million (= 4.2 USD bn)", "USD bn", 0.0005),  # half a million
        ("262.4 billion (= 262.4 USD bn)", "USD bn", 0.05),
        ("", "USD bn", None),
    ],
)
def test_a_value_quoted_in_its_own_scale_keeps_that_precision(
    written: str, unit: str, expected: float | None
) -> None:
    assert written_precision(written, unit) == expected


def test_a_typed_value_is_as_precise_as_its_last_digit() -> None:
    assert [value_precision(v) for v in (264.1, 61.0, 0.35, 1600.0)] == [0.05, 0.5, 0.005, 0.5]


@pytest.mark.libreoffice
def test_figures_as_written_recalculate_and_follow_edits(tmp_path: Path) -> None:
    for name, data in (("two", two_values_spec()), ("end", end_value_spec())):
        plan = plan_workbook(parse_spec(data))
        built = write_workbook(plan, tmp_path / f"{name}.xlsx")
        values = recalculated_values(
            without_cached_values(built, tmp_path / f"{name}_copy.xlsx"), tmp_path / name
        )
        assert mismatches(plan, values) == []
        assert values["Checks"]["E4"] == "OK"
    wb = openpyxl.load_workbook(tmp_path / "two.xlsx")
    sheet, cell = where(wb, "market_cagr_p1")
    assert wb[sheet][cell].value == (
        "=(market_value_2027/market_value_2020)^(1/(phase_end_p1-base_year))-1"
    )
    # the report's 2027 value revised: the phase CAGR and every year follow
    edited = without_cached_values(
        tmp_path / "two.xlsx", tmp_path / "edited.xlsx", {"market_value_2027": 300.0}
    )
    values = recalculated_values(edited, tmp_path / "out")
    assert values[sheet][cell] == pytest.approx((300 / 176.1) ** (1 / 7) - 1, rel=1e-12)
    reconciliation = values["Reconciliation"]
    assert reconciliation["G6"] == pytest.approx(300.0, rel=1e-12)
    assert reconciliation["I6"] == "matched"
    assert reconciliation["I7"] == "conflict"  # 6% against 7.9% now


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["market"]["values"].pop(),
            "phases[0].cagr: missing; give one, or market values (market.values) for both 2020 "
            "and 2027",
        ),
        (
            lambda d: (
                d["market"].update(values=[quote(200.0, year=2023)]),
                d["phases"][0].update(cagr=quote(0.05)),
            ),
            "market.base_value: missing; give it, or a market value (market.values) for the "
            "base year or a phase end (2020, 2027)",
        ),
        (
            lambda d: d["market"]["values"].append(quote(200.0, year=2031)),
            "market.values[2].year: got 2031; must be at most market.end_year (2027)",
        ),
        (
            lambda d: d["market"]["values"].append(quote(200.0, year=2027)),
            "market.values[2].year: got 2027, as market.values[1] has; give one",
        ),
        (
            lambda d: d["market"]["values"][1].update(value=50000.0),
            "phases[0].cagr: the market values for 2020 and 2027 imply a CAGR of 124.",
        ),
        (
            lambda d: d["benchmarks"][1].update(country="Mexico"),
            "benchmarks[1].country: got 'Mexico'; must be one of North America's countries",
        ),
        (
            lambda d: d["benchmarks"][2].pop("region"),
            "benchmarks[2]: a share needs the member it is of",
        ),
        (
            lambda d: d["benchmarks"][0].update(value=quote(3.0)),
            "benchmarks[0]: give one of cagr, value or share (got cagr and value)",
        ),
        (
            lambda d: d["benchmarks"][1].update(year=None, start_year=2020, end_year=2021),
            "benchmarks[1]: a value needs year (and no start_year or end_year)",
        ),
    ],
)
def test_figures_that_cannot_hold_are_refused(edit: Any, message: str) -> None:
    data = copy.deepcopy(two_values_spec())
    edit(data)
    for b in data["benchmarks"]:
        for key in [k for k, v in b.items() if v is None]:
            del b[key]
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any(message in p for p in info.value.problems), info.value.problems


def by_value_spec() -> dict[str, Any]:
    """'North America will reach USD 110 bn by 2027 at 5%'; 'China is forecast to reach USD 42
    bn by 2027 at 6.2%'; 'the U.S. is estimated at USD 61 bn in 2020'; 'product A, USD 30 bn by
    2027, growing 8% a year'."""
    data = two_values_spec()
    data["regions"] = [
        {
            "name": "North America",
            "value": quote(110.0, year=2027),
            "cagr": [quote(0.05)],
            "countries": [
                {"name": "U.S.", "value": quote(61.0, year=2020)},
                {"name": "Canada", "residual": True},
            ],
        },
        {"name": "China", "value": quote(42.0, year=2027), "cagr": [quote(0.062)]},
        {"name": "Rest of world", "residual": True},
    ]
    data["dimensions"] = [
        {
            "name": "Product",
            "segments": [
                {"name": "A", "value": quote(30.0, year=2027), "cagr": quote(0.08)},
                {"name": "Others", "residual": True},
            ],
        }
    ]
    data["benchmarks"] = []
    return data


def test_members_stated_by_value_reproduce_it() -> None:
    result = forecast(parse_spec(by_value_spec()))
    model = result.model
    assert model.region("North America").share.value == pytest.approx(
        110 / (176.1 * 1.05**7), rel=1e-15
    )
    assert result.at(("region", "", "North America", "North America"), 2027) == pytest.approx(110)
    assert result.at(("region", "", "China", "China"), 2027) == pytest.approx(42)
    assert result.at(("country", "", "North America", "U.S."), 2020) == pytest.approx(61)
    assert result.at(("segment", "Product", "", "A"), 2027) == pytest.approx(30)
    stated = [b for b in result.benchmarks if b.label.endswith("(as reported)") and b.kind]
    assert len(stated) == 6  # two market values, two regions, a country, a segment
    assert {b.status for b in stated} == {"matched"}


@pytest.mark.libreoffice
def test_members_stated_by_value_recalculate(tmp_path: Path) -> None:
    plan = plan_workbook(parse_spec(by_value_spec()))
    built = write_workbook(plan, tmp_path / "by_value.xlsx")
    values = recalculated_values(without_cached_values(built, tmp_path / "c.xlsx"), tmp_path / "o")
    assert mismatches(plan, values) == []
    assert values["Checks"]["E4"] == "OK"
    wb = openpyxl.load_workbook(built)
    sheet, cell = where(wb, "share_NorthAmerica")
    assert wb[sheet][cell].value == (
        "=value_NorthAmerica/(base_value*(1+cagr_NorthAmerica_p1)^(phase_end_p1-base_year))"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["regions"][1]["value"].update(year=2024),
            "regions[1].value.year: got 2024; a region's value must be for the base year or a "
            "phase end (2020, 2027)",
        ),
        (
            lambda d: d["regions"][1]["value"].update(value=400.0),
            "the shares besides the residual, those derived from values included, sum to",
        ),
        (
            lambda d: d["dimensions"][0]["segments"][0].pop("cagr"),
            "dimensions[0].segments[0].value.year: got 2027; only the base year's value",
        ),
        (
            lambda d: d["regions"][0]["countries"][0].update(weight=quote(0.5)),
            "regions[0].countries[0]: give one of weight or value",
        ),
    ],
)
def test_members_by_value_that_cannot_hold_are_refused(edit: Any, message: str) -> None:
    data = copy.deepcopy(by_value_spec())
    edit(data)
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any(message in p for p in info.value.problems), info.value.problems


def history_spec() -> dict[str, Any]:
    """'from USD 7,222.4 million in 2019 to 17,194.4 million by 2030, an 8.4% CAGR over
    2020-2030', with the two years before 2019 and the growth the report quotes over them."""
    data = two_values_spec()
    data["market"].update(
        unit="USD m",
        base_year=2019,
        end_year=2030,
        values=[
            quote(6000.0, year=2017),
            quote(6600.0, year=2018),
            quote(7222.4, year=2019),
            quote(17194.4, year=2030),
        ],
    )
    data["phases"] = [{"start_year": 2019, "end_year": 2030}]
    data["regions"] = [{"name": "World", "share": quote(1.0)}]
    data["benchmarks"] = [
        {"label": "8.4% over 2020-2030", "cagr": quote(0.084), "start_year": 2020,
         "end_year": 2030},
        {"label": "9.7% over 2017-2019", "cagr": quote(0.097), "start_year": 2017,
         "end_year": 2019},
    ]  # fmt: skip
    return data


def test_history_is_shown_as_reported_and_its_growth_reconciled() -> None:
    result = forecast(parse_spec(history_spec()))
    assert result.history.years == [2017, 2018, 2019]
    assert result.history.values == [6000.0, 6600.0, 7222.4]
    assert result.history.cagr == pytest.approx((7222.4 / 6000) ** 0.5 - 1)
    assert result.world[0] == 7222.4  # the forecast starts from the last actual
    rows = {b.label: (b.model, b.status) for b in result.benchmarks}
    # the report contradicts itself: 7,222.4 to 17,194.4 is 8.2% a year, not 8.4%
    assert rows["8.4% over 2020-2030"] == (
        pytest.approx((17194.4 / 7222.4) ** (1 / 11) - 1),
        "conflict",
    )
    assert rows["9.7% over 2017-2019"] == (pytest.approx(0.0971, abs=1e-4), "within rounding")
    assert "Market value in 2017 (as reported)" not in rows  # history is shown, not reconciled


@pytest.mark.libreoffice
def test_history_recalculates(tmp_path: Path) -> None:
    plan = plan_workbook(parse_spec(history_spec()))
    built = write_workbook(plan, tmp_path / "history.xlsx")
    values = recalculated_values(without_cached_values(built, tmp_path / "c.xlsx"), tmp_path / "o")
    assert mismatches(plan, values) == []
    history = values["History"]
    assert [history[f"{c}4"] for c in "CDE"] == [2017, 2018, 2019]
    assert [history[f"{c}5"] for c in "CDE"] == [6000, 6600, 7222.4]
    assert history["C9"] == pytest.approx((7222.4 / 6000) ** 0.5 - 1, rel=1e-12)
    statuses = [values["Reconciliation"][f"I{r}"] for r in (7, 8)]
    assert statuses == ["conflict", "within rounding"]
    assert values["Checks"]["E4"] == "OK"  # a conflict in the report is flagged, not a failure


def test_a_growth_figure_from_a_year_without_a_value_is_reconciled_against_the_model() -> None:
    """A CAGR from a year before the base year that the report gives no value for: the model
    brought back from the base year at its first step's growth, on Reconciliation."""
    data = history_spec()
    data["benchmarks"][1]["start_year"] = 2016
    result = forecast(parse_spec(data))
    world = result.world  # from 2019, the base year: 2016 is 2019 brought back three steps
    # at its first step's growth, so the CAGR from 2016 to 2019 is that growth
    assert result.benchmarks[-1].model == pytest.approx(world[1] / world[0] - 1, rel=1e-12)


def every_kind_spec() -> dict[str, Any]:
    """One spec with every way of typing a report: history, market values (one in its own
    scale) that derive a phase CAGR, members by value, residuals at every level, true CAGRs,
    and reported CAGRs, values and shares of members."""
    data = history_spec()
    data["market"]["values"][-1] = quote("17.1944 billion", year=2030)
    data["regions"] = [
        {
            "name": "North America",
            "value": quote(3000.0, year=2019),
            "cagr": [quote(0.07)],
            "countries": [
                {"name": "U.S.", "weight": quote(0.8), "cagr": quote(0.075)},
                {"name": "Canada", "residual": True},
            ],
        },
        {"name": "Europe", "share": quote(0.3)},
        {"name": "Rest of world", "residual": True},
    ]
    data["dimensions"] = [
        {
            "name": "Therapy",
            "segments": [
                {"name": "External beam", "share": quote(0.6), "cagr": quote(0.09)},
                {"name": "Proton", "value": quote(500.0, year=2025), "cagr": quote(0.15)},
                {"name": "Other", "residual": True},
            ],
        }
    ]
    data["benchmarks"] += [
        {"label": "U.S. 7.5%", "cagr": quote(0.075), "start_year": 2019, "end_year": 2030,
         "region": "North America", "country": "U.S."},
        {"label": "Europe 30% in 2019", "share": quote(0.3), "year": 2019, "region": "Europe"},
        {"label": "External beam in 2030", "value": quote(4000.0), "year": 2030,
         "dimension": "Therapy", "segment": "External beam"},
    ]  # fmt: skip
    data["scenarios"] = [
        {"name": "Base"},
        {"name": "Higher 2030", "changes": [{"input": "market_value_2030", "set": quote(20000.0)}]},
    ]
    return data


def test_every_kind_of_figure_together() -> None:
    spec = parse_spec(every_kind_spec())
    assert spec.market.values[-1].value == 17194.4  # "17.1944 billion" in USD m, exactly
    result = forecast(spec)
    statuses = {b.label: b.status for b in result.benchmarks}
    external = 0.6 * 7222.4 * 1.09**11  # 8,090: the report's "4,000" cannot be the same market
    assert result.at(("segment", "Therapy", "", "External beam"), 2030) == pytest.approx(external)
    assert statuses == {
        "Market value in 2019 (as reported)": "matched",
        "Market value in 2030 (as reported)": "matched",
        "North America: value in 2019 (as reported)": "matched",
        "Proton: value in 2025 (as reported)": "matched",
        "8.4% over 2020-2030": "conflict",
        "9.7% over 2017-2019": "within rounding",
        "U.S. 7.5%": "matched",
        "Europe 30% in 2019": "matched",
        "External beam in 2030": "conflict",
    }


@pytest.mark.libreoffice
def test_every_kind_of_figure_recalculates(tmp_path: Path) -> None:
    for scenario in ("Base", "Higher 2030"):  # a scenario moves a value others derive from
        plan = plan_workbook(parse_spec(every_kind_spec()), scenario=scenario)
        built = write_workbook(plan, tmp_path / f"{scenario}.xlsx")
        copy = without_cached_values(built, tmp_path / f"{scenario}_copy.xlsx")
        values = recalculated_values(copy, tmp_path / scenario)
        assert mismatches(plan, values) == []
        assert values["Checks"]["E4"] == "OK"
    reconciliation = values["Reconciliation"]
    shown = [reconciliation[f"I{r}"] for r in range(5, 14)]
    # "Higher 2030" sets the 2030 value itself, which the model then reproduces; the 8.4% and
    # the external-beam value still conflict
    assert shown.count("conflict") == 2 and "n/a" not in shown


def test_a_scenario_that_breaks_what_values_derive_is_named() -> None:
    """A region stated by value is a fixed amount: a scenario that grows the base value leaves
    the regions short of the market, unless a residual takes the rest."""
    data = two_values_spec()
    data["regions"] = [{"name": "All", "value": quote(176.1, year=2020)}]  # the whole market
    data["benchmarks"] = []
    data["scenarios"] = [
        {"name": "Base"},
        {"name": "Bigger", "changes": [{"input": "market_value_2020", "set": quote(200.0)}]},
    ]
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert info.value.problems == [
        "regions: the shares, those derived from values included, sum to 0.8805; they must "
        "sum to 1 (mark one member residual: true to take the rest) (in scenario 'Bigger')"
    ]


def test_a_scenario_may_not_change_a_derived_input() -> None:
    data = two_values_spec()
    data["scenarios"] = [
        {"name": "Base"},
        {"name": "Faster", "changes": [{"input": "market_cagr_p1", "shift": quote(0.01)}]},
    ]
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert info.value.problems == [
        "scenarios[1].changes[0].input: got 'market_cagr_p1'; it is derived from other inputs "
        "(market_value_2020, market_value_2027), so change those instead"
    ]
