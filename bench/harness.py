"""The benchmark harness: cmo_xl at growing sizes, against baselines measured in the same run.

Run from the repository's top folder::

    python bench/harness.py            # every size, medians of 3 runs; writes bench/RESULTS.md
    python bench/harness.py --smoke    # one small spec, once; proves the harness works

For each synthetic spec (:mod:`specs`) it measures the formula cells and the file size; the
``cmo-xl build`` process's time and peak memory (imports included, read with ``os.wait4``);
LibreOffice's full recalculation (load, recalculate, save; less its start-up, measured on an
empty workbook); reading the workbook back (``cmo_xl.read_workbook``); and two baselines,
each a process of its own: (a) ``pandas.DataFrame.to_excel`` of the same forecast numbers
without formulas, (b) a bare openpyxl write-only dump of the same formula strings without
styles. It also times one ``cmo_table`` UDF call over 10,000 rows. Speed goals live here, as
ratios to the baselines, never in unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from specs import SIZES, SMOKE, Size, synthetic_spec  # noqa: E402

from cmo_xl.model.compute.engine import forecast  # noqa: E402
from cmo_xl.model.load import parse_spec  # noqa: E402
from cmo_xl.model.templates import load_template  # noqa: E402
from cmo_xl.workbook.plan import plan_workbook  # noqa: E402
from cmo_xl.workbook.records import WorkbookPlan  # noqa: E402

START, END = "<!-- harness: start -->", "<!-- harness: end -->"
#: Targets, as the issue sets them (ratios, because machines are noisy).
DEFAULT_VS_PANDAS = 1.2
LARGE_VS_DUMP = 1.5
LARGE_CELLS = 250_000
SCALING = 2.1
PEAK_MB = 400
RECALC_SECONDS = 5.0
UDF_SECONDS = 0.050


@dataclass
class Row:
    label: str
    describe: str
    cells: int
    size_mb: float
    build: float
    peak_mb: float
    pandas: float
    dump: float
    recalc: float | None
    read: float

    @property
    def vs_dump(self) -> float:
        return self.build / self.dump


#: Runs a command and reports its seconds and its own peak memory. A child's peak counts the
#: process it was forked from (Linux keeps the high-water mark across exec), so the harness,
#: which holds a large plan, starts each measured command through this small process.
_LAUNCHER = (
    "import os, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "seconds = time.perf_counter() - start\n"
    "if os.waitstatus_to_exitcode(status):\n"
    "    sys.exit(proc.stderr.read().decode())\n"
    "print(seconds, usage.ru_maxrss / 1024)\n"
)


def run(args: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of the process ``python ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed: {done.stderr}")
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


def median_of(repeat: int, task: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    results = [task() for _ in range(repeat)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def baseline_inputs(plan: WorkbookPlan, data: object, folder: Path) -> tuple[Path, Path]:
    """The forecast's numbers (for baseline a) and the plan's formula strings (for b)."""
    frame = forecast(parse_spec(data)).frame
    table = frame.pivot_table(
        index=["level", "dimension", "region", "member"], columns="year", values="value"
    )
    numbers = folder / "numbers.npy"
    np.save(numbers, table.to_numpy())
    formulas = {
        s.title: [(c.row, c.col, "=" + str(c.formula)) for c in s.cells if c.is_formula]
        for s in plan.sheets
    }
    dump = folder / "formulas.pickle"
    dump.write_bytes(pickle.dumps(formulas))
    return numbers, dump


def measure(size: Size | None, repeat: int, folder: Path, recalc: bool) -> Row:
    from cmo_xl.roundtrip.values import read_workbook
    from cmo_xl.workbook.recalc import recalculate

    if size is None:
        spec = load_template("cmo_services")
        data: object = spec.model_dump(mode="json")
        label, describe = "default CMO", "the bundled cmo_services template"
        spec_arg = "cmo_services"
    else:
        data = synthetic_spec(size)
        spec = parse_spec(data)
        label, describe = size.label, size.describe()
        spec_arg = str(folder / f"{label.replace('/', '_')}.yaml")
        Path(spec_arg).write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = plan_workbook(spec)
    cells = len(plan.formula_cells())
    numbers, formulas = baseline_inputs(plan, data, folder)
    out = folder / "built" / "book.xlsx"
    out.parent.mkdir(exist_ok=True)
    cli = ["-m", "cmo_xl", "build", spec_arg, "-o", str(out), "--force"]
    build, peak = median_of(repeat, lambda: run(cli, folder))
    pandas, _ = median_of(
        repeat, lambda: run([str(HERE / "baseline_pandas.py"), str(numbers), "a.xlsx"], folder)
    )
    dump, _ = median_of(
        repeat, lambda: run([str(HERE / "baseline_dump.py"), str(formulas), "b.xlsx"], folder)
    )
    recalc_seconds = None
    if recalc:
        start = time.perf_counter()
        recalculate(out, folder / "recalculated")
        recalc_seconds = time.perf_counter() - start - lo_startup(folder)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read_workbook(out)
        times.append(time.perf_counter() - start)
    return Row(
        label,
        describe,
        cells,
        out.stat().st_size / 1e6,
        build,
        peak,
        pandas,
        dump,
        recalc_seconds,
        statistics.median(times),
    )


_startup: list[float] = []


def lo_startup(folder: Path) -> float:
    """LibreOffice's start-up and shut-down: converting an empty workbook (measured once)."""
    if not _startup:
        import openpyxl

        from cmo_xl.workbook.recalc import recalculate

        empty = folder / "empty" / "empty.xlsx"
        empty.parent.mkdir(exist_ok=True)
        openpyxl.Workbook().save(empty)
        start = time.perf_counter()
        recalculate(empty, folder / "empty_out")
        _startup.append(time.perf_counter() - start)
    return _startup[0]


def udf_seconds(repeat: int) -> float:
    from cmo_xl.udfs import cmo_table

    rows = 10_000
    names = [[f"row {k}"] for k in range(rows)]
    values = [[100.0 + k] for k in range(rows)]
    cagrs = [[0.01 + (k % 50) / 1000] for k in range(rows)]
    times = []
    for _ in range(max(repeat, 5)):
        start = time.perf_counter()
        cmo_table(names, values, cagrs, 2024, 2034)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {memory}"


def versions() -> str:
    import openpyxl
    import pandas

    from cmo_xl.version import __version__
    from cmo_xl.workbook.recalc import soffice

    office = "not installed"
    binary = soffice()
    if binary:
        office = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    lxml = "not installed"
    try:
        import lxml

        lxml = lxml.__version__
    except ImportError:
        pass
    return (
        f"cmo_xl {__version__}, Python {platform.python_version()}, openpyxl "
        f"{openpyxl.__version__}, lxml {lxml}, pandas {pandas.__version__}, {office}"
    )


def report(rows: list[Row], udf: float, repeat: int) -> list[str]:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {today}: {machine()}",
        "",
        f"{versions()}. Medians of {repeat} run(s); each baseline is a process of its own, "
        "run in the same session.",
        "",
        "| spec | formula cells | file | build (`cmo-xl build` process) | peak RSS | (a) pandas "
        "`to_excel` | (b) openpyxl dump | build / (b) | LibreOffice recalculation | read back |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        recalc = f"{r.recalc:.2f} s" if r.recalc is not None else "not run"
        lines.append(
            f"| {r.label}: {r.describe} | {r.cells:,} | {r.size_mb:.1f} MB | {r.build:.2f} s | "
            f"{r.peak_mb:.0f} MB | {r.pandas:.2f} s | {r.dump:.2f} s | {r.vs_dump:.2f}x | "
            f"{recalc} | {r.read:.2f} s |"
        )
    lines += ["", f"One `cmo_table` UDF call over 10,000 rows: {udf * 1000:.1f} ms.", ""]
    lines += targets(rows, udf)
    return lines


def targets(rows: list[Row], udf: float) -> list[str]:
    out = ["| target | measured | met |", "|---|---|---|"]

    def add(text: str, measured: str, met: bool) -> None:
        out.append(f"| {text} | {measured} | {'yes' if met else '**no**'} |")

    default = next((r for r in rows if r.label == "default CMO"), None)
    if default:
        ratio = default.build / default.pandas
        met = ratio <= DEFAULT_VS_PANDAS
        add(f"default build <= {DEFAULT_VS_PANDAS}x (a)", f"{ratio:.2f}x", met)
    large = [r for r in rows if r.cells >= LARGE_CELLS]
    for r in large:
        met = r.vs_dump <= LARGE_VS_DUMP
        add(f"{r.label}: build <= {LARGE_VS_DUMP}x (b)", f"{r.vs_dump:.2f}x", met)
        add(f"{r.label}: peak < {PEAK_MB} MB", f"{r.peak_mb:.0f} MB", r.peak_mb < PEAK_MB)
        if r.recalc is not None:
            add(f"{r.label}: recalculation < {RECALC_SECONDS:.0f} s", f"{r.recalc:.2f} s",
                r.recalc < RECALC_SECONDS)  # fmt: skip
    pairs = [(a, b) for a in rows for b in rows if 1.8 <= b.cells / a.cells <= 2.4]
    for a, b in pairs:
        growth = b.build / a.build
        add(
            f"{a.label} -> {b.label} ({b.cells / a.cells:.2f}x the cells): time <= {SCALING}x",
            f"{growth:.2f}x",
            growth <= SCALING,
        )
    add(f"`cmo_table`, 10,000 rows <= {UDF_SECONDS * 1000:.0f} ms", f"{udf * 1000:.1f} ms",
        udf <= UDF_SECONDS)  # fmt: skip
    return out


def write_results(path: Path, lines: list[str]) -> None:
    """Put the fresh section between the harness markers, keeping what is around them."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"{START}\n{END}\n"
    if START not in text:
        text = f"{START}\n{END}\n\n{text}"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n" + "\n".join(lines) + f"\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one small spec, once")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-recalc", action="store_true", help="skip LibreOffice")
    args = parser.parse_args()
    repeat = 1 if args.smoke else args.repeat
    sizes: Sequence[Size | None] = SMOKE if args.smoke else (None, *SIZES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cmo_xl_bench_") as tmp:
        for size in sizes:
            folder = Path(tmp) / (size.label.replace("/", "_") if size else "default")
            folder.mkdir()
            rows.append(measure(size, repeat, folder, recalc=not args.no_recalc))
            print(f"measured {rows[-1].label}: {rows[-1].cells:,} formula cells", flush=True)
    lines = report(rows, udf_seconds(repeat), repeat)
    print("\n".join(lines))
    write_results(args.out, lines)


if __name__ == "__main__":
    main()
