"""Documentation examples run as tests, so they cannot rot."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import textwrap
from pathlib import Path
from typing import Any

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


#: Each full spec of the README by its market's name: its end-year world, by hand.
README_WORLDS = {
    "Food ingredients": 264.1,  # the value stated for 2027, the end year
    "Widgets": 120 * 1.05**6,  # EUR 120 m in 2024 at 5% a year to 2030
}
#: Each ``regions`` fragment of the README, in order, in the smallest spec (Widgets): figures
#: by hand, (level, member, year) -> value.
README_FRAGMENTS: list[dict[tuple[str, str, int], float]] = [
    {  # North America stated as 110 in 2030, the U.S. as 30 in 2024
        ("region", "North America", 2030): 110.0,
        ("country", "U.S.", 2024): 30.0,
        ("market", "World", 2030): 120 * 1.05**6,
    },
    {  # shares of the EUR 120 m base: 45%, 30% and what is left
        ("region", "North America", 2024): 0.45 * 120,
        ("region", "Europe", 2024): 0.30 * 120,
        ("region", "Rest of world", 2024): 0.25 * 120,
    },
]


def _figure(frame: Any, level: str, member: str, year: int) -> float:
    rows = frame[(frame.level == level) & (frame.member == member) & (frame.year == year)]
    return float(rows.value.item())


def test_readme_spec_examples_compute_the_numbers_worked_by_hand() -> None:
    specs = [yaml.safe_load(b) for b in blocks("yaml")]
    full = [s for s in specs if "schema_version" in s]
    assert sorted(s["market"]["name"] for s in full) == sorted(README_WORLDS)
    for data in full:
        spec = parse_spec(data)
        end = spec.market.end_year
        world = _figure(forecast(spec).frame, "market", "World", end)
        assert world == pytest.approx(README_WORLDS[spec.market.name], rel=1e-12)
        for udfs in (False, True):
            assert plan_workbook(spec, udfs=udfs).formula_cells()


def test_readme_spec_fragments_compute_the_numbers_worked_by_hand() -> None:
    """A fragment (a ``regions`` list) replaces the smallest spec's."""
    specs = [yaml.safe_load(b) for b in blocks("yaml")]
    smallest = min((s for s in specs if "schema_version" in s), key=lambda s: len(str(s)))
    assert smallest["market"]["name"] == "Widgets"
    fragments = [s for s in specs if isinstance(s, dict) and set(s) == {"regions"}]
    assert len(fragments) == len(README_FRAGMENTS)
    for fragment, figures in zip(fragments, README_FRAGMENTS, strict=True):
        data = {**smallest, **fragment, "sources": [{"id": "S1", "quote": "a quote"}]}
        spec = parse_spec(data)
        frame = forecast(spec).frame
        for (level, member, year), value in figures.items():
            assert _figure(frame, level, member, year) == pytest.approx(value, rel=1e-12)
        assert plan_workbook(spec).formula_cells()


def test_readme_commands_match_ci() -> None:
    commands = [b.strip() for b in blocks("sh")]
    assert commands[0] == "pip install . && cmo-xl build"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


@pytest.mark.parametrize("name", template_names())
def test_every_template_plans_with_its_master_check_ok(name: str) -> None:
    """A bundled template is a report typed as written: its workbook's master check (Checks!E4,
    as the engine caches it) says OK, and every formula cell caches a value."""
    plan = plan_workbook(load_template(name), name)
    master = next(c for c in plan.sheet("Checks").cells if (c.row, c.col) == (4, 5))
    assert master.is_formula and master.value == "OK"
    assert all(cell.value is not None for _, cell in plan.formula_cells())


MODULES = sorted(
    m.name for m in pkgutil.walk_packages(cmo_xl.__path__, "cmo_xl.") if m.name != "cmo_xl.__main__"
)


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
