"""The review commands on the files that need them most: typed values that break the spec's
rules (region shares summing to 105%) beside a number typed over a formula (Regions!H16).

``verify``, ``diff`` and ``read`` each name the broken rule by its cells and the typed-over
cell; ``read`` writes no spec unless asked to keep the invalid values; ``build --inputs-from``
keeps the scenario a workbook was left in and lists what it cannot carry. The cells expected
are found in the saved file by defined name, not taken from cmo_xl's messages.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from cmo_xl.model.templates import load_template
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import run_cli

TYPED_OVER = ("Regions", "H16")
REGIONS = ("NorthAmerica", "Europe", "AsiaPacific", "LatinAmerica", "MiddleEastAfrica")


def _address(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return sheet, ref.replace("$", "")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    """The built workbook, a copy with Europe's share 5 points up (shares sum to 105%) and
    Regions!H16 typed over, left in Downside; a copy with only H16 typed over, in Downside;
    and the range the region shares stand in."""
    folder = tmp_path_factory.mktemp("broken")
    built = write_workbook(plan_workbook(load_template("cmo_services")), folder / "built.xlsx")
    wb = openpyxl.load_workbook(built)
    rows = sorted(int(_address(wb, f"share_{r}")[1][1:]) for r in REGIONS)
    assert rows == list(range(rows[0], rows[0] + len(rows)))  # one block on Inputs
    shares = f"Inputs!C{rows[0]}:C{rows[-1]}"
    sheet, address = _address(wb, "scenario")
    wb[sheet][address] = "Downside"
    wb[TYPED_OVER[0]][TYPED_OVER[1]] = 50
    wb.save(folder / "typed.xlsx")
    sheet, address = _address(wb, "share_Europe")
    wb[sheet][address] = wb[sheet][address].value + 0.05
    wb.save(folder / "broken.xlsx")
    return built, folder / "broken.xlsx", folder / "typed.xlsx", shares


@pytest.mark.libreoffice
def test_verify_lists_the_broken_rule_with_its_cells_and_the_typed_over_formula(
    files: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    _, broken, _, shares = files
    run = run_cli(["verify", str(broken)], tmp_path)
    assert run.code == 1, run.err
    lines = run.out.splitlines()
    assert any(line.strip().startswith(f"{shares}: broken rule: ") for line in lines), run.out
    assert "sum to 1.05" in run.out
    assert any(line.strip().startswith("Regions!H16: typed over: holds 50") for line in lines)
    assert "not compared with the engine" in run.out  # and says why the rest is not checked


def test_diff_lists_the_edit_the_broken_rule_and_the_typed_over_formula(
    files: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    built, broken, _, shares = files
    run = run_cli(["diff", str(built), str(broken)], tmp_path)
    assert run.code == 0, run.err
    assert "share_Europe" in run.out and "30.00%" in run.out  # 25% typed up to 30%
    assert f"- {shares}: regions[*].share: region shares sum to 1.05" in run.out
    assert "Regions!H16  50.00" in run.out
    assert "not computed: B breaks the rules" in run.out
    as_json = run_cli(["diff", str(built), str(broken), "--json"], tmp_path)
    assert '"formulas_typed_over"' in as_json.out and '"Regions!H16"' in as_json.out


def test_diff_shows_a_formula_typed_over_as_a_difference_of_its_own(
    files: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    built, _, typed, _ = files
    run = run_cli(["diff", str(built), str(typed)], tmp_path)
    assert run.code == 0, run.err
    assert "Formulas typed over or cleared in B (1):" in run.out
    assert "Regions!H16  50.00" in run.out
    assert "Downside" in run.out  # the switch is an edit too


def test_read_names_the_cells_and_writes_nothing_unless_asked(
    files: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    _, broken, _, shares = files
    out = tmp_path / "spec.yaml"
    run = run_cli(["read", str(broken), "-o", str(out)], tmp_path)
    assert run.code == 1
    assert f"{shares}: regions[*].share: region shares sum to 1.05" in run.err
    assert "Traceback" not in run.err and not out.exists()
    kept = run_cli(["read", str(broken), "-o", str(out), "--keep-invalid"], tmp_path)
    assert kept.code == 1 and out.exists()
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    europe = next(r for r in data["regions"] if r["name"] == "Europe")
    assert europe["share"]["value"] == pytest.approx(0.30)  # the value typed, kept to fix
    again = run_cli(["validate", str(out)], tmp_path)
    assert again.code == 1 and "region shares sum to 1.05" in again.err


def test_inputs_from_keeps_the_scenario_and_lists_the_typed_over_formula(
    files: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    _, broken, typed, _ = files
    run = run_cli(["build", "cmo_services", "--inputs-from", str(typed), "-o", "x.xlsx"], tmp_path)
    assert run.code == 0, run.err
    assert "carried the scenario in force, 'Downside'" in run.out
    assert "warning: not carried: Regions!H16 = 50 (typed over a formula)" in run.out
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    sheet, address = _address(wb, "scenario")
    assert wb[sheet][address].value == "Downside"
    assert isinstance(wb["Regions"]["H16"].value, str) and wb["Regions"]["H16"].value[0] == "="
    # asked for another scenario, that one wins
    run = run_cli(
        [
            "build",
            "cmo_services",
            "--inputs-from",
            str(typed),
            "--scenario",
            "Upside",
            "-o",
            "y.xlsx",
        ],
        tmp_path,
    )
    assert run.code == 0, run.err
    wb = openpyxl.load_workbook(tmp_path / "y.xlsx")
    assert wb[sheet][address].value == "Upside"
    # from a file whose values break the rules: refused, naming the cells, nothing written
    run = run_cli(["build", "cmo_services", "--inputs-from", str(broken), "-o", "z.xlsx"], tmp_path)
    assert run.code == 1 and "regions[*].share" in run.err and "Inputs!C" in run.err
    assert not (tmp_path / "z.xlsx").exists()
