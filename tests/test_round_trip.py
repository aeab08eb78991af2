"""The round trip: a workbook edited the way a user edits one is read back, compared, verified
and rebuilt, and every number these report is checked against the engine run on a spec built
here by hand from the same edits."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from test_report_figures import by_value_spec, every_kind_spec, history_spec

from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import region_key, world_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.spec.spec_text import spec_yaml
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.roundtrip.read import read_book
from cmo_xl.roundtrip.values import read_workbook
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate
from cmo_xl.workbook.records import WorkbookPlan

from helpers import mismatches, need_libreoffice, run_cli, values_of
from helpers import resolve as address_of

#: The user's edits on the default workbook, by defined name. Two shares move together (they
#: must still add up to 1) and a CAGR that followed the market's gets a number of its own.
EDITS = {"share_Europe": 0.27, "share_NorthAmerica": 0.38, "cagr_Europe_p2": 0.09}
TYPED_OVER = ("Regions", "E16")  # a region's value in a year, typed over with a number


def specs() -> list[tuple[str, Spec]]:
    made = [(name, load_template(name)) for name in template_names()]
    made += [(f.__name__, parse_spec(f())) for f in (every_kind_spec, history_spec, by_value_spec)]
    return made


@pytest.mark.parametrize(("name", "spec"), specs(), ids=[n for n, _ in specs()])
def test_a_built_workbook_reads_back_as_its_spec(name: str, spec: Spec, tmp_path: Path) -> None:
    path = write_workbook(plan_workbook(spec, name), tmp_path / f"{name}.xlsx")
    read, table = read_workbook(path)
    assert read == spec
    assert read_book(path).edits == ()
    # the table's values are the engine's, and the file caches the same numbers in its cells
    result = forecast(resolve(spec))
    assert len(table) == len(result.frame)
    assert (table["value"] == result.frame["value"]).all()
    assert ((table["workbook"] - table["value"]).abs() <= 1e-12 * table["value"].abs()).all()


def _edited(built: Path, out: Path) -> tuple[str, str]:
    """The default workbook with :data:`EDITS` typed in, a number typed over a formula and
    a reference deleted, saved by openpyxl; returns the typed-over and the broken cell."""
    wb = openpyxl.load_workbook(built)
    for name, value in EDITS.items():
        sheet, address = address_of(wb, name)
        wb[sheet][address] = value
    wb[TYPED_OVER[0]][TYPED_OVER[1]] = 12.5
    summary = wb["Summary"]
    broken = next(
        c.coordinate
        for row in summary.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=") and "Regions!" in c.value
    )
    formula = summary[broken].value
    ref = formula[formula.index("Regions!") :].split(")")[0].split(",")[0].split("*")[0]
    summary[broken] = formula.replace(ref, "#REF!", 1)  # the row it pointed at is gone
    wb.save(out)
    return f"{TYPED_OVER[0]}!{TYPED_OVER[1]}", f"Summary!{broken}"


def _by_hand(spec: Spec) -> Spec:
    """The default spec with :data:`EDITS` written into its fields by hand."""
    data = yaml.safe_load(spec_yaml(spec))
    names = [r["name"] for r in data["regions"]]
    europe, america = names.index("Europe"), names.index("North America")
    data["regions"][europe]["share"]["value"] = EDITS["share_Europe"]
    data["regions"][america]["share"]["value"] = EDITS["share_NorthAmerica"]
    cagrs = data["regions"][europe].get("cagr") or [None] * len(data["phases"])
    cagrs[1] = {"value": EDITS["cagr_Europe_p2"], "provenance": "analyst"}
    data["regions"][europe]["cagr"] = cagrs
    return parse_spec(data)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    folder = tmp_path_factory.mktemp("edited")
    built = write_workbook(plan_workbook(load_template(), "cmo_services"), folder / "built.xlsx")
    path = folder / "edited.xlsx"
    typed, broken = _edited(built, path)
    return built, path, typed, broken


def test_read_picks_up_the_edits(edited: tuple[Path, Path, str, str], tmp_path: Path) -> None:
    _, path, _, _ = edited
    found = read_book(path)
    assert {e.name: e.now for e in found.edits} == EDITS
    assert found.unplaced == ()
    model = resolve(found.spec)
    by_name = {i.name: i for i in model.inputs()}
    for name, value in EDITS.items():
        item = by_name[name]
        assert item.value == value
        assert item.provenance == "analyst"
        assert f"Typed in {path.name}" in item.note
    # the spec records each edit: where, and what it was
    europe = next(r for r in found.spec.regions if r.name == "Europe")
    assert europe.share is not None and europe.share.edited is not None
    assert europe.share.edited.cell == next(e.cell for e in found.edits if e.name == "share_Europe")
    assert europe.share.edited.previous == 0.25
    assert europe.cagr is not None and europe.cagr[1] is not None
    assert europe.cagr[1].edited is not None
    assert europe.cagr[1].edited.previous_provenance == "default"
    # everything else is the spec's: the same inputs as the spec edited by hand
    hand = {i.name: i.value for i in resolve(_by_hand(load_template())).inputs()}
    assert {i.name: i.value for i in model.inputs()} == hand
    # and the command line writes the spec and the table
    run = run_cli(
        ["read", str(path), "-o", str(tmp_path / "s.yaml"), "--values", str(tmp_path / "v.csv")],
        tmp_path,
    )
    assert run.code == 0, run.err
    assert "3 edited input(s)" in run.out
    again = parse_spec(yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8")))
    assert again == found.spec
    table = (tmp_path / "v.csv").read_text(encoding="utf-8").splitlines()
    assert table[0] == "level,dimension,region,member,year,value,share,workbook,sheet,cell"


def test_diff_lists_exactly_the_edits_and_their_effect(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    built, path, _, _ = edited
    run = run_cli(["diff", str(built), str(path), "--json"], tmp_path)
    assert run.code == 0, run.err
    found = json.loads(run.out)
    assert {c["name"]: (c["old"], c["new"]) for c in found["changes"]} == {
        "share_Europe": (0.25, 0.27),
        "share_NorthAmerica": (0.4, 0.38),
        "cagr_Europe_p2": (0.114, 0.09),
    }
    before, after = forecast(load_template()), forecast(_by_hand(load_template()))
    effects = {e["output"]: e for e in found["effects"]}
    keys = {"World": world_key(), **{r.name: region_key(r.name) for r in before.model.regions}}
    assert set(effects) == set(keys)
    for output, key in keys.items():
        e = effects[output]
        assert e["old_year"] == e["new_year"] == 2032
        assert math.isclose(e["old"], before.at(key, 2032), rel_tol=1e-12)
        assert math.isclose(e["new"], after.at(key, 2032), rel_tol=1e-12)
    table = run_cli(["diff", str(built), str(path)], tmp_path)
    assert "Assumptions that differ (3):" in table.out
    row = next(line for line in table.out.splitlines() if "share_Europe" in line)
    assert row.split()[-2:] == ["25.00%", "27.00%"]


@pytest.mark.libreoffice
def test_verify_reports_exactly_the_tampered_and_broken_cells(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    need_libreoffice()
    built, path, typed, broken = edited
    run = run_cli(["verify", str(path)], tmp_path, timeout=300)
    assert run.code == 1, run.err
    findings = [line.strip() for line in run.out.splitlines()[1:] if "!" in line.split(":")[0]]
    assert [f.split(":")[0] for f in findings] == [typed, broken]
    assert "typed over: holds 12.5" in findings[0]
    assert "broken reference" in findings[1]
    assert "more cell(s) differ from the engine only because they depend on those" in run.out
    clean = run_cli(["verify", str(built)], tmp_path, timeout=300)
    assert clean.code == 0, clean.out + clean.err
    assert "clean" in clean.out


@pytest.mark.libreoffice
def test_a_rebuild_carries_the_edits_and_recalculates_to_the_engine(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    need_libreoffice()
    _, path, _, _ = edited
    out = tmp_path / "rebuilt.xlsx"
    run = run_cli(["build", "--inputs-from", str(path), "-o", str(out)], tmp_path)
    assert run.code == 0, run.err
    assert sum(line.startswith("carried ") for line in run.out.splitlines()) == 3
    spec = read_book(out).spec
    assert {i.name: i.value for i in resolve(spec).inputs()} == {
        i.name: i.value for i in resolve(_by_hand(load_template())).inputs()
    }
    plan = plan_workbook(spec, "cmo_services")
    assert mismatches(plan, values_of(recalculate(out, tmp_path / "lo"))) == []


def _newer(tmp_path: Path, change: str) -> Path:
    """The default spec with a new structure: Europe residual, or renamed."""
    data = yaml.safe_load(spec_yaml(load_template()))
    europe = next(r for r in data["regions"] if r["name"] == "Europe")
    if change == "residual":
        europe.pop("share")
        europe.pop("cagr", None)
        europe["residual"] = True
    else:
        europe["name"] = "European Union"
    path = tmp_path / f"{change}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_rebuild_into_a_new_structure_lists_the_edits_without_a_home(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    _, path, _, _ = edited
    newer = _newer(tmp_path, "residual")
    run = run_cli(["build", str(newer), "--inputs-from", str(path), "-o", "x.xlsx"], tmp_path)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    carried = [line.split(" = ")[0] for line in lines if line.startswith("carried ")]
    assert carried == ["carried share_NorthAmerica"]
    missing = {
        line.split(": ")[2].split(" = ")[0]: line.rsplit("): ", 1)[1]
        for line in lines
        if line.startswith("warning: not carried: ")
    }
    assert missing == {
        "share_Europe": "it is derived from other inputs (share_NorthAmerica, "
        "share_AsiaPacific, share_LatinAmerica); change those instead",
        "cagr_Europe_p2": "the spec has no input of that name",
        # a number typed over a formula is listed, never carried: the formula comes back
        "Regions!E16": "the new workbook has cmo_xl's formula there",
    }
    assert "warning: not carried: Regions!E16 = 12.5 (typed over a formula)" in run.out
    america = next(
        r for r in read_book(tmp_path / "x.xlsx").spec.regions if r.name == "North America"
    )
    assert america.share is not None and america.share.value == EDITS["share_NorthAmerica"]


def test_edits_that_break_a_new_spec_are_refused_with_the_rule(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    _, path, _, _ = edited
    newer = _newer(tmp_path, "renamed")
    run = run_cli(["build", str(newer), "--inputs-from", str(path), "-o", "x.xlsx"], tmp_path)
    assert run.code == 1
    assert "edited.xlsx: the values typed in it break the rules of the spec to build" in run.err
    assert "region shares sum to 0.98" in run.err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_reads_back(
    edited: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    """Real users' files pass through other programs: LibreOffice rewrites every part."""
    need_libreoffice()
    built, _, _, _ = edited
    source = tmp_path / "in"
    source.mkdir()
    shutil.copyfile(built, source / "built.xlsx")
    wb = openpyxl.load_workbook(built)
    for name, value in EDITS.items():
        sheet, address = address_of(wb, name)
        wb[sheet][address] = value
    wb.save(source / "typed.xlsx")
    saved = [recalculate(source / f, tmp_path / "lo") for f in ("built.xlsx", "typed.xlsx")]
    assert read_book(saved[0]).spec == load_template()
    assert read_book(saved[0]).edits == ()
    found = read_book(saved[1])
    assert {e.name: e.now for e in found.edits} == EDITS
    run = run_cli(["verify", str(saved[1])], tmp_path, timeout=300)
    assert run.code == 0, run.out + run.err


def test_the_python_api(built: Path, cmo_spec: Spec) -> None:
    import cmo_xl

    spec, table = cmo_xl.read_workbook(built)
    assert spec == cmo_spec
    world = table[(table["level"] == "market") & (table["year"] == 2032)]
    assert math.isclose(float(world["value"].iloc[0]), forecast(cmo_spec).world[-1])


def test_diff_of_a_spec_and_a_workbook_in_another_scenario(tmp_path: Path) -> None:
    """Only the switch differs: that is the one assumption listed, and the effect is the
    engine's with each side's scenario in force."""
    spec = load_template()
    book = write_workbook(plan_workbook(spec, scenario="Downside"), tmp_path / "down.xlsx")
    run = run_cli(["diff", "cmo_services", str(book), "--json"], tmp_path)
    assert run.code == 0, run.err
    found = json.loads(run.out)
    assert found["changes"] == [
        {
            "name": "scenario",
            "label": "Scenario in force",
            "kind": "text",
            "old": "Base",
            "new": "Downside",
        }
    ]
    world = next(e for e in found["effects"] if e["output"] == "World")
    downside = 1 + next(i for i, s in enumerate(spec.scenarios or []) if s.name == "Downside")
    assert world["new"] == forecast(resolve(spec, downside)).world[-1]
    assert world["old"] == forecast(spec).world[-1]


@pytest.mark.libreoffice
def test_verify_says_which_cells_only_excel_computes(
    built_udfs: Path, cmo_plan_udfs: WorkbookPlan, tmp_path: Path
) -> None:
    need_libreoffice()
    run = run_cli(["verify", str(built_udfs)], tmp_path, timeout=300)
    assert run.code == 0, run.out + run.err
    udfs = sum(1 for _, c in cmo_plan_udfs.formula_cells() if c.udf)
    assert udfs > 0
    assert f"({udfs} of them call the cmo_xl UDFs" in run.out


@pytest.mark.libreoffice
def test_verify_after_rows_were_inserted_says_so_once(built: Path, tmp_path: Path) -> None:
    """A row inserted on Inputs moves every input below it, as Excel moves their names: read
    still follows the names, and verify says why it cannot compare by address instead of
    listing every cell."""
    need_libreoffice()
    wb = openpyxl.load_workbook(built)
    inputs = wb["Inputs"]
    first = 20
    inputs.move_range(f"A{first}:H{inputs.max_row}", rows=1, translate=True)
    for defined in list(wb.defined_names.values()):
        sheet, ref = next(iter(defined.destinations))
        if sheet != "Inputs":
            continue
        cells = ref.replace("$", "").split(":")
        rows = [int("".join(ch for ch in c if ch.isdigit())) for c in cells]
        if rows[0] >= first:
            shifted = [
                f"${''.join(ch for ch in c if ch.isalpha())}${r + 1}"
                for c, r in zip(cells, rows, strict=True)
            ]
            defined.attr_text = "Inputs!" + ":".join(shifted)
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    assert read_book(moved).edits == ()
    run = run_cli(["verify", str(moved)], tmp_path, timeout=300)
    assert run.code == 1, run.out + run.err
    findings = run.out.splitlines()[1:]
    assert len(findings) == 1
    assert ": moved: " in findings[0]
    assert "rows or columns were inserted or deleted" in findings[0]
    assert "cmo-xl build --inputs-from" in findings[0]


def test_precisions_typed_in_a_workbook_come_back(tmp_path: Path) -> None:
    """A reported figure's precision is an input: typed wider, for a quote that says
    "around", it comes back into the spec's field for it, for a benchmark, a stated market
    value and a member stated by value alike."""
    spec = parse_spec(every_kind_spec())
    built = write_workbook(plan_workbook(spec), tmp_path / "every_kind.xlsx")
    before = {i.name: i for i in resolve(spec).inputs() if i.kind.endswith("precision")}
    wider = {name: item.value * 4 for name, item in before.items()}
    wb = openpyxl.load_workbook(built)
    for name, value in wider.items():
        sheet, address = address_of(wb, name)
        wb[sheet][address] = value
    wb.save(tmp_path / "wider.xlsx")
    found = read_book(tmp_path / "wider.xlsx")
    assert found.unplaced == ()
    assert {e.name: e.now for e in found.edits} == wider
    after = {i.name: i.value for i in resolve(found.spec).inputs() if i.name in wider}
    assert after == wider
    stated = [v.precision for v in found.spec.market.values if v.year >= 2019]
    assert stated == [wider["market_value_precision_2019"], wider["market_value_precision_2030"]]
    assert read_book(write_workbook(plan_workbook(found.spec), tmp_path / "again.xlsx")).spec == (
        found.spec
    )
