"""Benchmark: how long planning, writing and recalculating the default workbook take.

Run: python bench/build_bench.py [--repeat N]. Prints one line per stage (best of N, seconds).
Speed goals live here, never in unit tests; record results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.templates import load_template
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate


def best_of(repeat: int, task: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = load_template("cmo_services")
    plan = plan_workbook(spec)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cmo.xlsx"
        stages = {
            "load + validate spec": lambda: load_template("cmo_services"),
            "engine forecast": lambda: forecast(spec),
            "plan workbook": lambda: plan_workbook(spec),
            "plan workbook --udfs": lambda: plan_workbook(spec, udfs=True),
            "render + cache + write": lambda: write_workbook(plan, out, force=True),
            "LibreOffice recalculation": lambda: recalculate(out, Path(tmp) / "recalc"),
        }
        print(
            f"# {platform.node()} {platform.machine()} Python {platform.python_version()}, "
            f"best of {args.repeat}"
        )
        for name, task in stages.items():
            repeat = 1 if name.startswith("LibreOffice") else args.repeat
            print(f"{name:28s} {best_of(repeat, task):8.3f} s")
        print(f"{'formula cells':28s} {len(plan.formula_cells()):8d}")
        print(f"{'file size':28s} {out.stat().st_size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
