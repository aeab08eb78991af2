"""The house style, enforced: one-way data flow, small modules, clean lint and types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cmo_xl

PACKAGE = Path(cmo_xl.__file__).parent
ROOT = Path(__file__).resolve().parent.parent


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
    # through the interpreter, not PATH: a virtual environment's bin need not be on it
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "cmo_xl", "tests", "bench"],
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
