"""Scenarios: the switch on Inputs, the Scenarios sheet, and the rules a scenario must keep.

Every scenario of the CMO template and of a test spec is switched on in a copy of the built
workbook and recalculated by LibreOffice; every formula cell must then hold the engine's number
for that scenario. The Scenarios sheet must not move with the switch, and its numbers are
computed by hand here.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.compute.flags import flags
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.spec.schema import Spec
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate_many

from helpers import mismatches, need_libreoffice, run_cli, values_of, without_cached_values
from helpers import resolve as address_of
from spec_samples import small_spec_data


def inp(value: float, **kw: Any) -> dict[str, Any]:
    return {"value": value, "provenance": "analyst", **kw}


def scenario_spec_data() -> dict[str, Any]:
    """The small spec with three scenarios: one leaves everything, one shifts an input that
    follows a default and sets a market CAGR that another region follows, one moves shares,
    weights, the base value, a segment's mix rate and an override."""
    data = small_spec_data()
    data["scenarios"] = [
        {"name": "Central", "note": "The spec as given."},
        {
            "name": "Fast East",
            "changes": [
                {"input": "cagr_East_p1", "shift": inp(0.03)},  # follows market_cagr_p1
                {"input": "MARKET_CAGR_P2", "set": inp(0.08)},  # names ignore case, as Excel's
            ],
        },
        {
            "name": "Shares move",
            "changes": [
                {"input": "share_East", "set": inp(0.5)},
                {"input": "share_West", "shift": inp(0.1)},
                {"input": "base_value", "shift": inp(-20)},
                {"input": "weight_East_Ruritania", "set": inp(0.5)},
                {"input": "weight_East_OLand", "set": inp(0.5)},
                {"input": "cagr_Product_A_East", "shift": inp(-0.1)},
                {"input": "cagr_Product_B", "set": inp(0.12)},
            ],
        },
    ]
    return data


@pytest.fixture(scope="module")
def test_spec() -> Spec:
    return parse_spec(scenario_spec_data())


@pytest.fixture(scope="module")
def switched(
    cmo_spec: Spec, test_spec: Spec, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """(spec, scenario) -> the values LibreOffice computes with that scenario switched on, in
    one LibreOffice run; ("cmo", "Upside, base edited") also edits the spec's own CAGR."""
    need_libreoffice()
    work = tmp_path_factory.mktemp("scenarios")
    copies, keys = [], []
    for label, spec in (("cmo", cmo_spec), ("test", test_spec)):
        built = write_workbook(plan_workbook(spec, label), work / f"{label}.xlsx")
        for k, s in enumerate(spec.scenarios or []):
            copies.append(
                without_cached_values(built, work / f"{label}{k}.xlsx", {"scenario": s.name})
            )
            keys.append((label, s.name))
        if label == "cmo":
            edits: dict[str, Any] = {"scenario": "Upside", "market_cagr_p2_given": 0.12}
            copies.append(without_cached_values(built, work / "edited.xlsx", edits))
            keys.append((label, "Upside, base edited"))
        else:  # a number typed over the link of an input that follows a default
            edits = {"scenario": "Fast East", "cagr_East_p1_given": 0.2}
            copies.append(without_cached_values(built, work / "typed.xlsx", edits))
            keys.append((label, "Fast East, East typed"))
    outputs = recalculate_many(copies, work / "recalculated")
    return {key: values_of(out) for key, out in zip(keys, outputs, strict=True)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("label", ["cmo", "test"])
def test_every_scenario_switched_on_matches_the_engine(
    label: str, switched: dict[tuple[str, str], Any], cmo_spec: Spec, test_spec: Spec
) -> None:
    spec = cmo_spec if label == "cmo" else test_spec
    names = [s.name for s in spec.scenarios or []]
    assert len(names) >= 3
    for name in names:
        plan = plan_workbook(spec, label, scenario=name)
        values = switched[(label, name)]
        assert mismatches(plan, values) == [], name
        assert values["Cover"]["B11"] == name  # the Cover says which scenario is in force


@pytest.mark.libreoffice
@pytest.mark.parametrize("label", ["cmo", "test"])
def test_the_scenarios_sheet_does_not_follow_the_switch(
    label: str, switched: dict[tuple[str, str], Any]
) -> None:
    sheets = [v["Scenarios"] for (spec, name), v in switched.items() if spec == label]
    sheets = [{a: v for a, v in s.items() if a != "A3"} for s in sheets]  # A3 names the switch
    assert all(s == sheets[0] for s in sheets[1:-1])  # the last copy also edits an input


def row_of(values: dict[str, Any], label: str) -> int:
    (row,) = [int(a[1:]) for a, v in values.items() if a.startswith("A") and v == label]
    return row


@pytest.mark.libreoffice
def test_the_cmo_scenarios_by_hand(switched: dict[tuple[str, str], Any]) -> None:
    sheet = switched[("cmo", "Base")]["Scenarios"]
    rates = {"C": 0.114, "D": 0.076, "E": 0.134, "F": 0.094}  # Base, ~7%, Upside, Downside
    world = row_of(sheet, "World in 2032")
    for col, g in rates.items():
        assert sheet[f"{col}{world}"] == pytest.approx(73 * 1.06**3 * (1 + g) ** 7, rel=1e-12)
        europe = sheet[f"{col}{row_of(sheet, 'Europe in 2032')}"]
        assert europe == pytest.approx(73 * 0.25 * 1.06**3 * (1 + g) ** 7, rel=1e-12)
        cagr = sheet[f"{col}{row_of(sheet, 'World CAGR, phase 2 (2025-2032)')}"]
        assert cagr == pytest.approx(g, rel=1e-12)
    # the report's ~7% a year for 2022-2030: 6% for three years, then 7.6% for five
    assert pytest.approx(0.07, abs=5e-5) == ((1.06**3 * 1.076**5) ** (1 / 8) - 1)
    probabilities = {"C": 0.4, "D": 0.2, "E": 0.2, "F": 0.2}
    expected = sum(p * 73 * 1.06**3 * (1 + rates[c]) ** 7 for c, p in probabilities.items())
    assert sheet[f"G{world}"] == pytest.approx(expected, rel=1e-12)
    assert sheet["G5"] == "Probability-weighted"


@pytest.mark.libreoffice
def test_a_shift_follows_an_edit_of_the_value_it_shifts(
    switched: dict[tuple[str, str], Any], built: Path
) -> None:
    values = switched[("cmo", "Upside, base edited")]
    _, live = address_of(openpyxl.load_workbook(built), "market_cagr_p2")
    assert values["Inputs"][live] == pytest.approx(0.14, rel=1e-12)
    sheet = values["Scenarios"]
    world = row_of(sheet, "World in 2032")
    assert sheet[f"C{world}"] == pytest.approx(73 * 1.06**3 * 1.12**7, rel=1e-12)  # Base
    assert sheet[f"D{world}"] == pytest.approx(73 * 1.06**3 * 1.076**7, rel=1e-12)  # set
    assert sheet[f"E{world}"] == pytest.approx(73 * 1.06**3 * 1.14**7, rel=1e-12)  # shifted


@pytest.mark.libreoffice
def test_typing_over_a_default_reaches_every_scenario(
    switched: dict[tuple[str, str], Any],
) -> None:
    """The given value of East's phase-1 CAGR follows the market's; typed over with 20% in
    the workbook, it is what every scenario starts from: the same workbook as a spec that
    types it."""
    data = scenario_spec_data()
    data["regions"][0]["cagr"][0] = inp(0.2)
    spec = parse_spec(data)
    values = switched[("test", "Fast East, East typed")]
    wrong = mismatches(plan_workbook(spec, "test", scenario="Fast East"), values)
    # Scenarios keeps the row for the given value, which a spec that types it does not need,
    # and so the integrity checks of Scenarios' rows stand one row apart
    moved = [w for w in wrong if w.startswith("Scenarios!") or "_xlfn.ISFORMULA" in w]
    moved += [w for w in wrong if w.startswith("Checks!A") and "formula" in w]
    assert [w for w in wrong if w not in moved] == []
    assert values["Checks"]["E4"] == "OK"
    sheet = values["Scenarios"]
    world = row_of(sheet, "World in 2023")
    assert sheet[f"C{world}"] == pytest.approx(60 * 1.2**2 * 1.2 + 40 * 1.1**2 * 1.05, rel=1e-12)
    assert sheet[f"D{world}"] == pytest.approx(60 * 1.23**2 * 1.2 + 40 * 1.1**2 * 1.08, rel=1e-12)


@pytest.mark.libreoffice
def test_the_test_scenarios_by_hand(switched: dict[tuple[str, str], Any]) -> None:
    sheet = switched[("test", "Central")]["Scenarios"]
    world = row_of(sheet, "World in 2023")
    # Central: East 10% then its own 20%, West follows the market: 10% then 5%
    assert sheet[f"C{world}"] == pytest.approx(60 * 1.1**2 * 1.2 + 40 * 1.1**2 * 1.05, rel=1e-12)
    # Fast East: East's following rate shifted to 13%; market phase 2 set to 8%, which West
    # follows and East (typed 20%) does not
    fast = 60 * 1.13**2 * 1.2 + 40 * 1.1**2 * 1.08
    assert sheet[f"D{world}"] == pytest.approx(fast, rel=1e-12)
    # Shares move: the base value 80, split 50/50
    assert sheet[f"E{world}"] == pytest.approx(40 * 1.1**2 * 1.2 + 40 * 1.1**2 * 1.05, rel=1e-12)
    assert "F5" not in sheet  # no probabilities, no weighted column


def test_inputs_that_follow_a_default_follow_it_in_every_scenario(test_spec: Spec) -> None:
    fast = resolve(test_spec, "fast east")  # the switch's MATCH ignores case
    east, west = fast.regions
    assert [c.value for c in east.cagrs] == pytest.approx([0.13, 0.2])
    assert [c.value for c in west.cagrs] == pytest.approx([0.1, 0.08])
    assert east.cagrs[0].given is not None and east.cagrs[0].given.follows is not None
    assert fast.regions[0].countries[1].cagr.value == pytest.approx(0.08)  # the headline's
    moved = resolve(test_spec, 3)
    assert moved.base_value.value == 80
    product = moved.dimension("Product")
    a_east, b_east = product.by_region["East"]
    assert (a_east.cagr.value, b_east.cagr.value) == pytest.approx((0.2, 0.12))


def test_a_spec_without_scenarios_has_one_called_base(cmo_spec: Spec) -> None:
    data = small_spec_data()
    model = resolve(parse_spec(data))
    assert [(s.number, s.name, s.changes) for s in model.scenarios] == [(1, "Base", ())]
    plan = plan_workbook(parse_spec(data))
    names = [c.value for c in plan.sheet("Scenarios").cells if c.row == 5 and c.col > 2]
    assert names == ["Base"]


def problems_of(edit: dict[str, Any]) -> list[str]:
    data = scenario_spec_data()
    data["scenarios"] = [*data["scenarios"], edit]
    with pytest.raises(SpecError) as info:
        parse_spec(copy.deepcopy(data))
    return info.value.problems


@pytest.mark.parametrize(
    ("scenario", "pattern"),
    [
        (
            {"name": "Typo", "changes": [{"input": "market_cagr_p3", "set": inp(0.1)}]},
            r"^scenarios\[3\]\.changes\[0\]\.input: got 'market_cagr_p3'; no input of the "
            r"forecast has that defined name .*did you mean market_cagr_p\d or market_cagr_p\d\?$",
        ),
        (
            {"name": "Years", "changes": [{"input": "phase_end_p1", "set": inp(2021)}]},
            r"^scenarios\[3\]\.changes\[0\]\.input: got 'phase_end_p1'; a scenario changes the "
            r"forecast's inputs \(the base value, CAGRs, shares and weights\)",
        ),
        (
            {"name": "Both", "changes": [{"input": "base_value", "set": inp(1), "shift": inp(1)}]},
            r"^scenarios\[3\]\.changes\[0\]: gives both set and shift; give one",
        ),
        (
            {
                "name": "Twice",
                "changes": [
                    {"input": "base_value", "set": inp(1)},
                    {"input": "Base_Value", "shift": inp(1)},
                ],
            },
            r"^scenarios\[3\]\.changes\[1\]\.input: got 'Base_Value'; scenarios\[3\]\.changes\[0\] "
            r"already changes it",
        ),
        (
            {"name": "Up*", "changes": []},
            r"^scenarios\[3\]\.name: got 'Up\*'; it may not hold \*",
        ),
        (
            {"name": "fast east"},
            r"^scenarios\[3\]\.name: got 'fast east'; it clashes with scenarios\[1\]\.name",
        ),
        (
            {"name": "Boom", "changes": [{"input": "market_cagr_p1", "shift": inp(0.95)}]},
            r"^scenarios\[3\]\.changes\[0\]\.shift: in scenario 'Boom', market_cagr_p1 would be "
            r"1\.05; it must be from -50% to 100%$",
        ),
        (
            {"name": "Lopsided", "changes": [{"input": "share_East", "set": inp(0.7)}]},
            r"^scenarios\[3\]: region shares in scenario 'Lopsided' sum to 1\.1; they must sum "
            r"to 1",
        ),
        (
            {
                "name": "Sourced",
                "changes": [
                    {
                        "input": "base_value",
                        "set": {"value": 1, "provenance": "source", "source": "S9"},
                    }
                ],
            },
            r"^scenarios\[3\]\.changes\[0\]\.set\.source: got 'S9'; must be one of the sources",
        ),
    ],
)
def test_a_bad_scenario_names_its_field(scenario: dict[str, Any], pattern: str) -> None:
    problems = problems_of(scenario)
    assert len(problems) == 1, problems
    assert re.search(pattern, problems[0]), problems[0]


def test_probabilities_are_given_for_all_or_none_and_sum_to_one() -> None:
    data = scenario_spec_data()
    data["scenarios"][0]["probability"] = inp(0.5)
    with pytest.raises(SpecError, match=r"scenarios\[1\], scenarios\[2\]\.probability: missing"):
        parse_spec(data)
    data["scenarios"][1]["probability"] = inp(0.3)
    data["scenarios"][2]["probability"] = inp(0.3)
    with pytest.raises(SpecError, match=r"scenarios\[\*\]\.probability: probabilities sum to 1\.1"):
        parse_spec(data)


def test_the_cli_opens_the_workbook_at_a_scenario(tmp_path: Path) -> None:
    run = run_cli(["build", "-o", "up.xlsx", "--scenario", "upside"], tmp_path)
    assert run.code == 0, run.err
    wb = openpyxl.load_workbook(tmp_path / "up.xlsx", data_only=True)
    sheet, cell = address_of(openpyxl.load_workbook(tmp_path / "up.xlsx"), "scenario")
    assert wb[sheet][cell].value == "Upside"
    sheet, cell = address_of(openpyxl.load_workbook(tmp_path / "up.xlsx"), "market_cagr_p2")
    assert wb[sheet][cell].value == pytest.approx(0.134)
    run = run_cli(["build", "-o", "no.xlsx", "--scenario", "Boom"], tmp_path)
    assert run.code == 1
    assert "got 'Boom'; must be one of the spec's scenarios: 'Base'" in run.err
    assert not (tmp_path / "no.xlsx").exists()


def test_a_reported_figure_within_its_rounding_is_no_conflict(cmo_spec: Spec) -> None:
    """The report's "around 7%" for 2022-2030: a conflict with the headline figures (9.34%),
    but within its rounding (6.5% to 7.5%) in the scenario built on it, so not flagged there."""
    base = plan_workbook(cmo_spec, scenario="Base").sheet("Reconciliation")
    seven = plan_workbook(cmo_spec, scenario="Report's 7% to 2030").sheet("Reconciliation")
    status = {c.row: c.value for c in base.cells if c.col == 9 and c.row > 4}
    assert status == {5: "conflict"}
    assert [c.value for c in seven.cells if c.col == 9 and c.row > 4] == ["within rounding"]
    precision = [c.value for c in base.cells if c.col == 6 and c.row == 5]
    assert precision == [0.005]  # "7%": half a point
    flags_base = [f.title for f in flags(forecast(resolve(cmo_spec, "Base")))]
    flags_seven = [f.title for f in flags(forecast(resolve(cmo_spec, "Report's 7% to 2030")))]
    assert any(t.startswith("Conflicting figure") for t in flags_base)
    assert not any(t.startswith("Conflicting figure") for t in flags_seven)


def test_a_stated_precision_widens_what_counts_as_rounding() -> None:
    data = small_spec_data()
    data["benchmarks"][0]["precision"] = 0.05  # "9%", read as anything from 4% to 14%
    plan = plan_workbook(parse_spec(data))
    statuses = [c.value for c in plan.sheet("Reconciliation").cells if c.col == 9 and c.row > 4]
    assert statuses == ["within rounding"]
