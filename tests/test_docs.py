"""Documentation examples run as tests, so they cannot rot."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import cmo_xl
from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.load import parse_spec
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.workbook.plan import plan_workbook

README = Path(__file__).resolve().parent.parent / "README.md"


def blocks(language: str) -> list[str]:
    found = re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [textwrap.dedent(block) for block in found]


def test_readme_python_examples_run() -> None:
    examples = blocks("python")
    assert examples
    for code in examples:
        exec(compile(code, str(README), "exec"), {})


def test_readme_spec_examples_are_valid() -> None:
    specs = [yaml.safe_load(b) for b in blocks("yaml")]
    full = [s for s in specs if "schema_version" in s]
    assert full
    for data in full:
        spec = parse_spec(data)
        assert len(forecast(spec).frame) > 0
        for udfs in (False, True):
            assert plan_workbook(spec, udfs=udfs).formula_cells()


def test_readme_spec_fragments_are_valid_in_the_smallest_spec() -> None:
    """A fragment (a ``regions`` list) replaces the smallest spec's, and must build."""
    specs = [yaml.safe_load(b) for b in blocks("yaml")]
    smallest = min((s for s in specs if "schema_version" in s), key=lambda s: len(str(s)))
    fragments = [s for s in specs if isinstance(s, dict) and set(s) == {"regions"}]
    assert fragments
    for fragment in fragments:
        data = {**smallest, **fragment, "sources": [{"id": "S1", "quote": "a quote"}]}
        assert plan_workbook(parse_spec(data)).formula_cells()


def test_readme_commands_match_ci() -> None:
    commands = [b.strip() for b in blocks("sh")]
    assert commands[0] == "pip install . && cmo-xl build"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


@pytest.mark.parametrize("name", template_names())
def test_every_template_plans(name: str) -> None:
    plan = plan_workbook(load_template(name), name)
    assert plan.formula_cells()


MODULES = sorted(
    m.name for m in pkgutil.walk_packages(cmo_xl.__path__, "cmo_xl.") if m.name != "cmo_xl.__main__"
)


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
