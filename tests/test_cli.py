"""The command line: exit codes 0 ok, 1 input or file problem, 2 usage; nothing half-written."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from cmo_xl import __version__
from cmo_xl.cli import main

from helpers import resolve
from spec_samples import small_spec_data

DEFAULT_NAME = "contract_manufacturing_organization_cmo_services.xlsx"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmo_xl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_build_default_from_any_folder(tmp_path: Path) -> None:
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / DEFAULT_NAME
    assert result.stdout.strip() == f"wrote {out}"
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb["Cover"]["B10"].value == "OK"
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_NAME]  # no temporary left behind


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cmo_xl", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"cmo-xl {__version__}")


def test_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model.xlsx"
    out.write_bytes(b"the user's own work")
    assert main(["build", "-o", str(out)]) == 1
    assert "already exists; use --force" in capsys.readouterr().err
    assert out.read_bytes() == b"the user's own work"
    assert main(["build", "-o", str(out), "--force"]) == 0
    wb = openpyxl.load_workbook(out)
    sheet, address = resolve(wb, "base_value")
    assert wb[sheet][address].value == 73
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.xlsx"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("model.xls", "must end in .xlsx"), ("missing/model.xlsx", "does not exist")],
)
def test_bad_output_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    assert main(["build", "-o", str(tmp_path / name)]) == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


BAD_SPECS = {
    "missing field": ("market:\n  name: X\n", "market.unit: missing; this field is required"),
    "wrong type": ("market: 7\n", "market: got 7; input should be a valid dictionary"),
    "not yaml": ("market: [unclosed\n", "line 3, column 1: not valid YAML"),
    "duplicate key": (
        "market:\n  name: X\n  name: Y\n",
        "line 4, column 3: not valid YAML (key 'name' given twice; the first is on line 3)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SPECS))
def test_bad_spec_exits_1_without_traceback_or_file(tmp_path: Path, case: str) -> None:
    body, message = BAD_SPECS[case]
    spec = tmp_path / "bad.yaml"
    spec.write_text("schema_version: 1\n" + body, encoding="utf-8")
    result = run("build", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            (
                "value: 0.40, provenance: source, source: S5",
                "value: 1.40, provenance: source, source: S5",
            ),
            "regions[0].share.value: got 1.4; input should be less than or equal to 1",
        ),
        (
            ("  end_year: 2032\n  base_value", "  end_year: 2020\n  base_value"),
            "market.end_year: got 2020; must be after market.base_year (2022)",
        ),
    ],
)
def test_bad_edits_of_the_template(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    from cmo_xl.model.templates import template_path

    text = template_path("cmo_services").read_text(encoding="utf-8")
    assert edit[0] in text
    spec = tmp_path / "edited.yaml"
    spec.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    result = run("build", str(spec), cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.yaml"]


def test_validate_reports_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "cmo_services"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "cmo_services (bundled template): valid (schema_version 1)"
    assert "warning: placeholder: regions[3].share" in out
    # the report's "around 7%" conflicts in every scenario but the one built on it, each
    # with its own implied CAGR
    conflicts = [line for line in out if line.startswith("warning: Conflicting figure")]
    assert [line.rsplit("(", 1)[1] for line in conflicts] == [
        "scenario Base)",
        "scenario Upside)",
        "scenario Downside)",
    ]
    assert "implies 9.34%" in conflicts[0] and "implies 10.57%" in conflicts[1]
    unquantified = [line for line in out if "Not quantified: Latin America" in line]
    assert len(unquantified) == 1 and "(scenario" not in unquantified[0]  # in every scenario


def test_validate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no_such.yaml"]) == 1
    assert "no_such.yaml: 1 problem(s)" in capsys.readouterr().err


def test_templates_lists_the_bundled_specs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    name, path = capsys.readouterr().out.splitlines()[0].split("\t")
    assert name == "cmo_services" and Path(path).is_file()


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["build", "--nope"], ["validate"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["build", "--help"])
    assert info.value.code == 0
    assert "--force" in capsys.readouterr().out


def test_unknown_region_in_an_override_exits_1(tmp_path: Path) -> None:
    data = small_spec_data()
    data["dimensions"][0]["overrides"][0]["region"] = "Atlantis"
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run("build", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "dimensions[0].overrides[0].region: got 'Atlantis'; must be one of ['East', 'West']"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_same_spec_same_workbook(tmp_path: Path) -> None:
    """Deterministic output: every part but the save timestamp in docProps/core.xml agrees."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["build", "-o", str(first)]) == 0
    assert main(["build", "-o", str(second)]) == 0
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        differ = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert differ in ([], ["docProps/core.xml"])


def test_no_protect_leaves_every_sheet_open(tmp_path: Path) -> None:
    result = run("build", "-o", "open.xlsx", "--no-protect", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / "open.xlsx")
    assert not any(ws.protection.sheet for ws in wb.worksheets)
