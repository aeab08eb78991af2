"""Formulas proven by computing them: LibreOffice recalculates, the engine must agree."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from cmo_xl.model.load import parse_spec
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import template_path
from cmo_xl.workbook.cached_values import write_cached_values
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate
from cmo_xl.workbook.records import WorkbookPlan

from helpers import mismatches, recalculated_values, same, values_of, without_cached_values
from spec_samples import small_spec_data

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def recalculated(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The default workbook recalculated from scratch (no cached values to fall back on)."""
    work = tmp_path_factory.mktemp("recalc")
    bare = without_cached_values(built, work / "bare.xlsx")
    return recalculated_values(bare, work / "out")


def test_every_formula_cell_matches_the_engine(
    cmo_plan: WorkbookPlan, recalculated: dict[str, Any]
) -> None:
    assert len(cmo_plan.formula_cells()) > 1500
    assert mismatches(cmo_plan, recalculated) == []


def test_world_totals(recalculated: dict[str, Any]) -> None:
    summary = recalculated["Summary"]
    row = next(r for r in range(1, 60) if summary.get(f"A{r}") == "World")
    assert [summary[f"{c}{row - 1}"] for c in "CDE"] == [2022, 2025, 2032]
    assert summary[f"C{row}"] == 73
    assert summary[f"D{row}"] == pytest.approx(86.944168, abs=5e-7)
    assert float(f"{summary[f'E{row}']:.7g}") == 185.1129
    north_america = summary[f"E{row + 1}"]
    assert summary[f"A{row + 1}"] == "North America"
    assert north_america == pytest.approx(0.4 * summary[f"E{row}"], rel=1e-12)


def test_no_error_values_and_master_check_ok(recalculated: dict[str, Any]) -> None:
    errors = [
        f"{sheet}!{addr}={v}"
        for sheet, cells in recalculated.items()
        for addr, v in cells.items()
        if isinstance(v, str) and v.startswith("#")
    ]
    assert errors == []
    assert recalculated["Checks"]["E4"] == "OK"
    assert recalculated["Cover"]["B10"] == "OK"


def test_cached_values_equal_recalculated_values(built: Path, recalculated: dict[str, Any]) -> None:
    """What previews and pandas see before any recalculation is what the formulas compute."""
    cached = values_of(built)
    formulas = openpyxl.load_workbook(built)
    compared = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    expected = recalculated[ws.title].get(cell.coordinate)
                    got = cached[ws.title].get(cell.coordinate)
                    assert got is not None, f"{ws.title}!{cell.coordinate} has no cached value"
                    assert same(got, expected), f"{ws.title}!{cell.coordinate}: {got} {expected}"
                    compared += 1
    assert compared > 1500


def test_recalculation_is_forced(cmo_plan: WorkbookPlan, built: Path, tmp_path: Path) -> None:
    """With wrong cached values in the file, LibreOffice must still produce the right ones."""
    poisoned = tmp_path / "poisoned.xlsx"
    write_cached_values(
        built,
        poisoned,
        {
            s.title: {
                c.address: (-1.0 if isinstance(c.value, float | int) else "poison")
                for c in s.cells
                if c.is_formula
            }
            for s in cmo_plan.sheets
        },
    )
    assert values_of(poisoned)["Regions"]["M17"] == -1.0
    assert mismatches(cmo_plan, recalculated_values(poisoned, tmp_path / "out")) == []


def _cmo_data() -> dict[str, Any]:
    return yaml.safe_load(template_path("cmo_services").read_text(encoding="utf-8"))


def _over_default(value: float) -> dict[str, Any]:
    edited = {"workbook": "edited.xlsx", "cell": "Inputs!C9", "previous": 0.114,
              "previous_provenance": "default"}  # fmt: skip
    return {**_analyst(value), "edited": edited}


def _analyst(value: float) -> dict[str, Any]:
    return {"value": value, "provenance": "analyst"}


def _edit_and_recalculate(built: Path, edits: dict[str, float], tmp_path: Path) -> dict[str, Any]:
    edited = without_cached_values(built, tmp_path / "edited.xlsx", edits)
    return recalculated_values(edited, tmp_path / "out")


def test_edits_by_defined_name_match_the_engine(built: Path, tmp_path: Path) -> None:
    edits = {
        "cagr_Europe_p2": 0.09,
        "share_NorthAmerica": 0.45,
        "share_AsiaPacific": 0.30,
        "base_value": 80.0,
        "cagr_ClientType_BigBioPharma": 0.15,
    }
    data = _cmo_data()
    regions = {r["name"]: r for r in data["regions"]}
    # the two CAGRs followed a default link, and say so as `cmo-xl read` would write them:
    # the workbook then warns that they no longer follow the scenarios, and so does the engine
    regions["Europe"]["cagr"] = [None, _over_default(0.09)]
    regions["North America"]["share"] = _analyst(0.45)
    regions["Asia-Pacific"]["share"] = _analyst(0.30)
    data["market"]["base_value"] = _analyst(80.0)
    data["dimensions"][0]["segments"][0]["cagr"] = _over_default(0.15)
    plan = plan_workbook(parse_spec(data))

    values = _edit_and_recalculate(built, edits, tmp_path)
    assert mismatches(plan, values) == []
    assert values["Checks"]["E4"] == "OK"
    ((sheet, ref),) = openpyxl.load_workbook(built).defined_names["scenario_warnings"].destinations
    assert values[sheet][ref.replace("$", "")] == 2  # the two links typed over
    world_2032 = 80 * 1.06**3 * (0.45 * 1.114**7 + 0.30 * 1.114**7 + 0.25 * 1.09**7)
    regions = values["Regions"]
    world_row = next(r for r in range(1, 99) if regions.get(f"A{r}") == "World (sum of regions)")
    assert regions[f"M{world_row}"] == pytest.approx(world_2032, rel=1e-12)


def test_a_broken_share_flags_exactly_that_check(built: Path, tmp_path: Path) -> None:
    data = _cmo_data()
    data["regions"][0]["share"] = _analyst(0.45)  # shares now sum to 105%
    plan = plan_workbook(Spec.model_validate(data))  # the engine still runs; rules would refuse
    edited = without_cached_values(built, tmp_path / "edited.xlsx", {"share_NorthAmerica": 0.45})
    recalculated = recalculate(edited, tmp_path / "out")
    values = values_of(recalculated)
    assert mismatches(plan, values) == []
    checks = values["Checks"]
    failing = [checks[f"A{r}"] for r in range(8, 200) if checks.get(f"E{r}") == "ERROR"]
    assert failing == ["Region shares sum to 100%"]
    assert checks["B8"] == pytest.approx(0.05, rel=1e-9)
    assert checks["E4"] == "ERROR"
    assert values["Cover"]["B10"] == "ERROR"
    # the file LibreOffice wrote still paints those cells red, white on C00000
    wb = openpyxl.load_workbook(recalculated)
    for sheet, address in (("Checks", "E4"), ("Checks", "E8"), ("Cover", "B10")):
        red = [
            rule
            for cf in wb[sheet].conditional_formatting
            if address in cf.sqref
            for rule in cf.rules
            if rule.operator == "equal" and rule.formula == ['"ERROR"']
        ]
        assert len(red) == 1, (sheet, address)
        assert red[0].dxf.fill.fgColor.rgb.endswith("C00000") or red[
            0
        ].dxf.fill.bgColor.rgb.endswith("C00000")
        assert red[0].dxf.font.color.rgb.endswith("FFFFFF")


def test_small_spec_with_overrides_and_quoted_names(tmp_path: Path) -> None:
    """Three sheets whose names need quoting, overrides, and a region with its own CAGR."""
    data = small_spec_data()
    data["dimensions"][1]["name"] = "O'Brien channel"
    plan = plan_workbook(parse_spec(data))
    path = write_workbook(plan, tmp_path / "small.xlsx")
    values = recalculated_values(
        without_cached_values(path, tmp_path / "bare.xlsx"), tmp_path / "out"
    )
    assert mismatches(plan, values) == []
    assert values["Checks"]["E4"] == "OK"


def test_edit_a_phase_boundary(tmp_path: Path) -> None:
    """Phase end years are live inputs: moving one re-phases the timeline."""
    plan = plan_workbook(parse_spec(small_spec_data()))
    path = write_workbook(plan, tmp_path / "small.xlsx")
    data = copy.deepcopy(small_spec_data())
    data["phases"][0]["end_year"] = 2021
    data["phases"][1]["start_year"] = 2021
    edited_plan = plan_workbook(parse_spec(data))
    values = _edit_and_recalculate(path, {"phase_end_p1": 2021}, tmp_path)
    assert mismatches(edited_plan, values) == []
