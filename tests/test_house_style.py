"""The house style, enforced: one-way data flow, small modules, clean lint and types."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cmo_xl

PACKAGE = Path(cmo_xl.__file__).parent
ROOT = Path(__file__).resolve().parent.parent
#: Modules that must not pull in openpyxl or xlwings: everything before the renderer.
PURE = [
    "cmo_xl.spec",
    "cmo_xl.spec_rules",
    "cmo_xl.names",
    "cmo_xl.a1",
    "cmo_xl.xlformula",
    "cmo_xl.engine",
    "cmo_xl.plan",
    "cmo_xl.workbook_plan",
    "cmo_xl.review",
    "cmo_xl.bundled",
    "cmo_xl.cli",
    "cmo_xl.build",
    "cmo_xl.cached_values",
    "cmo_xl.growth",
    "cmo_xl.udf_args",
    "cmo_xl.sheets.functions",
]


def test_pure_modules_import_neither_openpyxl_nor_xlwings() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for m in {PURE!r}: importlib.import_module(m)\n"
        "from cmo_xl.bundled import load_template\n"
        "from cmo_xl.workbook_plan import plan_workbook\n"
        "plan_workbook(load_template(), udfs=True)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openpyxl', 'xlwings'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_only_render_imports_openpyxl() -> None:
    importers = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "import openpyxl" in p.read_text() or "from openpyxl" in p.read_text()
    )
    assert importers == ["render.py"]


def test_only_udfs_imports_xlwings() -> None:
    importers = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if re.search(r"^\s*(import xlwings|from xlwings)", p.read_text(), re.M)
    )
    assert importers == ["udfs.py"]


def test_modules_are_small() -> None:
    sizes = {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text().splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert max(sizes.values()) <= 400, {k: v for k, v in sizes.items() if v > 400}


def test_no_module_named_formulas() -> None:
    assert not list(PACKAGE.rglob("formulas.py"))


def test_py_typed_ships() -> None:
    assert (PACKAGE / "py.typed").is_file()


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="needs the source tree")
def test_ruff() -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a test dependency: pip install '.[test]'"
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [ruff, *args, "cmo_xl", "tests", "bench"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="needs the source tree")
def test_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "cmo_xl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
