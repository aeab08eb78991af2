"""Round-trip properties on random specs (drawn as :mod:`test_properties` draws them):

* ``read(build(spec)) == spec``, with nothing read as an edit;
* every CAGR a user may type, typed in the workbook through its defined name, comes back as
  that number with provenance ``analyst``, and every other input keeps its value;
* a workbook built from what was read reads back as that.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, assume, given, settings
from test_properties import specs

from cmo_xl.errors import SpecError
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.model.spec.schema import Spec
from cmo_xl.roundtrip.read import read_book
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import resolve as address_of

LONG_RUN = os.environ.get("CMO_XL_PROPERTY_EXAMPLES")
EXAMPLES = int(LONG_RUN or 15)  # more with the variable, as in test_properties


def _typeable_cagrs(inputs: list[Input]) -> list[Input]:
    """CAGRs a user types: typed, or following a default; not one a scenario switches (its
    rows are typed instead), not one derived from values."""
    return [
        i
        for i in inputs
        if i.kind == "cagr" and i.given is None and i.derived is None and "." in i.path
    ]


def _half_a_last_digit(rate: float) -> float:
    """The README's default precision of a rate: half a unit of its last digit in percent,
    whole percents at the coarsest (0.0015 -> 0.00005, 0.07 -> 0.005)."""
    places = -int(Decimal(repr(rate)).normalize().as_tuple().exponent)
    return float(f"5e-{max(2, places) + 1}")


def _qualifier(spec: Spec, figure_name: str) -> str | None:
    """The qualifier of the benchmark whose figure is ``benchmark_cagr_<k>`` (k from 1)."""
    return spec.benchmarks[int(figure_name.rpartition("_")[2]) - 1].qualifier


def test_random_specs_read_back_and_keep_typed_inputs(tmp_path: Path) -> None:
    runs: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=LONG_RUN is None,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(specs())
    def round_trip(data: dict[str, Any]) -> None:
        try:
            spec = parse_spec(data)
        except SpecError:
            assume(False)
        k = len(runs)
        runs.append(k)
        built = write_workbook(plan_workbook(spec), tmp_path / f"spec_{k}.xlsx")
        found = read_book(built)
        assert found.spec == spec
        assert found.edits == ()

        before = list(resolve(spec).inputs())
        typed = {i.name: round(i.value / 2 + 0.001, 6) for i in _typeable_cagrs(before)}
        assume(typed)
        wb = openpyxl.load_workbook(built)
        for name, value in typed.items():
            sheet, address = address_of(wb, name)
            wb[sheet][address] = value
        edited = tmp_path / f"edited_{k}.xlsx"
        wb.save(edited)
        read = read_book(edited)
        if read.broken:  # halved CAGRs moved a share derived from a value
            assert read.spec == spec  # nothing carried into a spec that breaks its rules
            assert all(b.cells for b in read.broken), read.broken  # each named by its cells
            assume(False)
        assert {e.name: e.now for e in read.edits} == typed
        after = {i.name: i for i in resolve(read.spec).inputs()}
        # a reported CAGR typed anew: the default precision of its quote follows its digits
        # (a whole unit after "around", the one hedge the specs draw)
        requoted = {
            name.replace("benchmark_cagr_", "benchmark_precision_"): _half_a_last_digit(value)
            * (2 if _qualifier(spec, name) == "around" else 1)
            for name, value in typed.items()
            if name.startswith("benchmark_cagr_")
        }
        for item in before:
            now = after[item.name]
            if item.name in typed:
                assert (now.value, now.provenance) == (typed[item.name], "analyst")
            elif item.name in requoted and item.provenance == "default":
                assert now.value == requoted[item.name], item.name
            elif item.given is None and item.derived is None and item.follows is None:
                assert now.value == item.value, item.name

        again = write_workbook(plan_workbook(read.spec), tmp_path / f"again_{k}.xlsx")
        assert read_book(again).spec == read.spec

    round_trip()
    assert len(runs) >= EXAMPLES // 2
