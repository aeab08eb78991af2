"""A read workbook's numbers: the plan it would be built as now, and its values as a table;
and :func:`read_workbook`, the Python API of ``cmo-xl read``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.scenarios import scenario_number
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.roundtrip.read import WorkbookRead, read_book
from cmo_xl.workbook import a1
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.records import WorkbookPlan


def scenario_in_force(found: WorkbookRead) -> int | None:
    """The number of the scenario the switch holds; None when it holds no scenario's name."""
    listed = [name_key(s.name) for s in found.spec.scenarios or []] or ["base"]
    if name_key(found.scenario) not in listed:
        return None
    return scenario_number(found.spec, found.scenario)


def replan(found: WorkbookRead, scenario: int, *, as_built: bool = False) -> WorkbookPlan:
    """The workbook cmo_xl would build from the read spec (``as_built``: from the spec it was
    built from, whose formulas the file holds), with ``scenario`` in force."""
    spec = found.built if as_built else found.spec
    name = resolve(spec, scenario).scenarios[scenario - 1].name
    o = found.options
    return plan_workbook(spec, o.label, udfs=o.udfs, scenario=name, protect=o.protect)


def values_table(found: WorkbookRead) -> pd.DataFrame:
    """One row per series and year: level, dimension, region, member, year, the engine's value
    and share, and the value the file caches for that cell (NaN where it caches none), with
    the sheet and cell."""
    scenario = scenario_in_force(found) or 1
    plan = replan(found, scenario)
    frame = forecast(resolve(found.spec, scenario)).frame.copy()
    first_year = int(frame["year"].min())
    places: dict[tuple[str, str, str, str], tuple[str, int, int]] = {}
    for key, ref in plan.series.items():
        sheet, (row, col), _ = a1.split_ref(plan.names.get(ref, ref))
        places[key] = (sheet, row, col)
    sheets, cells, cached = [], [], []
    for level, dimension, region, member, year in zip(
        frame["level"],
        frame["dimension"],
        frame["region"],
        frame["member"],
        frame["year"],
        strict=True,
    ):
        sheet, row, col = places[(level, dimension, region, member)]
        col += int(year) - first_year
        value = found.book.values.get(sheet, {}).get((row, col))
        sheets.append(sheet)
        cells.append(a1.cell(row, col))
        number = isinstance(value, int | float) and not isinstance(value, bool)
        cached.append(float(value) if number and value is not None else math.nan)
    frame["workbook"] = cached
    frame["sheet"] = sheets
    frame["cell"] = cells
    return frame


def read_workbook(path: str | Path) -> tuple[Spec, pd.DataFrame]:
    """The spec a cmo_xl workbook holds, its edits included, and its values as a tidy table.

    Every input is read through its defined name; the structure, sources, notes and scenarios
    come from the Spec sheet. The table has a row per series and year: the engine's value on
    these inputs, with the scenario the workbook's switch picks, beside the value the file
    caches for that cell (NaN where it caches none).
    """
    found = read_book(path)
    found.require_valid()
    return found.spec, values_table(found)
