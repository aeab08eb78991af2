"""The functions under xlwings Lite, through xlwings' own Lite code path.

xlwings Lite runs Python in Pyodide with ``XLWINGS_ON_SERVER`` set, so ``xlwings.func``,
``arg`` and ``ret`` come from ``xlwings.server`` (xlwings/__init__.py). A child process sets
it (and xlwings' free ``noncommercial`` key, which that import asks for), runs the README's
``main.py`` block as the module Lite would load, registers it with ``custom_functions_meta``
and calls every function with ``custom_functions_call``, its arguments shaped as Office.js sends
them: every argument a matrix, ``None`` for a blank cell or an error, dates as serial numbers.
The expected numbers are computed here by hand (73 x 1.06^3, and so on).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import run_python

README = Path(__file__).parent.parent / "README.md"
FUNCTIONS = ["cmo_cagr", "cmo_forecast", "cmo_mix", "cmo_phased", "cmo_series", "cmo_split"]
FUNCTIONS.append("cmo_table")


def lite_block(kind: str) -> str:
    """The fenced block that follows the README's Lite bullet for ``kind``."""
    lite = README.read_text(encoding="utf-8").split("**xlwings Lite**", 1)[1]
    match = re.search(rf"- `{re.escape(kind)}`:.*?```\w*\n(.*?)```", lite, re.S)
    assert match is not None, f"no {kind} block under xlwings Lite in the README"
    return "\n".join(line.strip() for line in match[1].splitlines())


def test_the_readme_keeps_xlwings_in_requirements() -> None:
    lines = [line for line in lite_block("requirements.txt").splitlines() if line]
    assert lines[0] == "xlwings"  # Lite needs it listed, or nothing registers
    assert any(line.startswith("cmo-xl") for line in lines), lines


PROBE = r"""
import asyncio, json, sys, types
import xlwings
from xlwings.pro.udfs_officejs import custom_functions_call, custom_functions_meta

module = types.ModuleType("main")
exec(compile(open(sys.argv[1]).read(), "main.py", "exec"), module.__dict__)
meta = custom_functions_meta(module)


def call(name, *args):
    data = {"func_name": name, "args": list(args), "version": xlwings.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-US",
            "date_format": "m/d/yyyy", "caller_address": "Sheet1!A1"}
    try:
        return {"value": asyncio.run(custom_functions_call(data, module))}
    except Exception as exc:
        return {"error": type(exc).__name__, "message": str(exc)}


calls = json.loads(sys.argv[2])
print(json.dumps({"names": sorted(f["name"] for f in meta["functions"]),
                  "parameters": {f["name"]: [p["name"] for p in f["parameters"]]
                                 for f in meta["functions"]},
                  "results": [call(name, *args) for name, args in calls]}))
"""

#: (function, arguments as Office.js sends them, what comes back). Expected numbers by hand.
CALLS: list[tuple[str, list[Any], Any]] = [
    ("cmo_forecast", [[[73.0]], [[0.06]], [[2022]], [[2025]]], [[73 * 1.06**3]]),
    ("cmo_cagr", [[[73.0]], [[73 * 1.06**3]], [[3]]], [[0.06]]),
    ("cmo_series", [[[100.0]], [[0.1]], [[2020]], [[2022]]], [[100.0, 110.0, 121.0]]),
    ("cmo_phased", [[[100.0]], [[2020]], [[2021, 2023]], [[0.1, 0.2]], [[2022]]], [[132.0]]),
    ("cmo_mix", [[[0.5, 0.5]], [[0.0]], [[3]]], [[0.5, 0.5]]),
    ("cmo_split", [[[10.0]], [[0.25, 0.75]], [[0.0]], [[1]]], [[2.5, 7.5]]),
    (
        "cmo_table",
        [[["a"], ["b"]], [[1.0], [2.0]], [[0.5]], [[2020]], [[2021]]],
        [["Name", 2020, 2021], ["a", 1.0, 1.5], ["b", 2.0, 3.0]],
    ),
    # a blank cell or an error arrives as None: a real #VALUE! error, the message on hover
    (
        "cmo_forecast",
        [[[73.0]], [[None]], [[2022]], [[2025]]],
        "cmo_forecast: cagr: got a blank cell or an error value; need a number",
    ),
    # a date arrives as its serial number
    (
        "cmo_forecast",
        [[[73.0]], [[0.06]], [[2022]], [[45658]]],
        "cmo_forecast: year: got 45658; a year is a whole number from 1 to 9999 (that is the "
        "date 2025-01-01 as a number: type the year, e.g. 2025)",
    ),
    (
        "cmo_cagr",
        [[[73.0]], [[86.0]], [[45658]]],
        "cmo_cagr: periods: got 45658; a number of years is at most 9,999 (that is the date "
        "2025-01-01 as a number: type the year, e.g. 2025)",
    ),
]


@pytest.fixture(scope="module")
def lite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("lite")
    (folder / "probe.py").write_text(PROBE, encoding="utf-8")
    (folder / "main.py").write_text(lite_block("main.py"), encoding="utf-8")
    calls = json.dumps([[name, args] for name, args, _ in CALLS])
    env_run = run_python(
        ["probe.py", "main.py", calls],
        folder,
        env={
            **__import__("os").environ,
            "XLWINGS_ON_SERVER": "true",
            "XLWINGS_LICENSE_KEY": "noncommercial",
        },
    )
    assert env_run.code == 0, env_run.err
    result: dict[str, Any] = json.loads(env_run.out)
    return result


def test_lite_registers_all_seven_functions(lite: dict[str, Any]) -> None:
    assert lite["names"] == sorted(name.upper() for name in FUNCTIONS)
    assert lite["parameters"]["CMO_FORECAST"] == ["base_value", "cagr", "base_year", "year"]


@pytest.mark.parametrize("k", range(len(CALLS)), ids=[f"{c[0]}-{k}" for k, c in enumerate(CALLS)])
def test_lite_computes_or_raises_what_the_readme_says(lite: dict[str, Any], k: int) -> None:
    name, _, expected = CALLS[k]
    got = lite["results"][k]
    if isinstance(expected, str):
        assert got == {"error": "UdfError", "message": expected}
        return
    assert "value" in got, got
    rows = got["value"]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert len(row) == len(want)
        for cell, value in zip(row, want, strict=True):
            if isinstance(value, float):
                assert cell == pytest.approx(value, rel=1e-12), (name, rows)
            else:
                assert cell == value, (name, rows)


SLIM = r"""
import sys
sys.path.insert(0, sys.argv[1])
for name in ("pandas", "pydantic", "openpyxl", "yaml", "defusedxml"):
    sys.modules[name] = None  # what cmo-xl needs and cmo-xl-udfs does not ship with
import cmo_xl.udfs as u
assert u.__file__.startswith(sys.argv[1]), u.__file__
print(u.cmo_forecast(73, 0.06, 2022, 2025))
print(u.cmo_cagr(73, 86.944168, 3))
print(u.cmo_table(["a"], [1.0], 0.5, 2020, 2021))
"""


def test_the_functions_alone_install_with_numpy_alone(tmp_path: Path) -> None:
    """``lite/`` builds cmo-xl-udfs from the same source files: its one dependency is numpy,
    and the functions it holds import and compute with nothing else (cmo_table says that it
    needs pandas)."""
    import subprocess
    import sys
    import zipfile

    lite_project = Path(__file__).parent.parent / "lite"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(lite_project),
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("cmo_xl_udfs-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        archive.extractall(tmp_path / "site")
    assert [line for line in metadata.splitlines() if line.startswith("Requires-Dist")] == [
        "Requires-Dist: numpy>=1.24"
    ]
    assert "cmo_xl/udfs.py" in names and not any("roundtrip" in n for n in names)
    run = run_python(["-c", SLIM, str(tmp_path / "site")], tmp_path)
    assert run.code == 0, run.err
    forecast, cagr, table = run.out.splitlines()
    assert float(forecast) == pytest.approx(73 * 1.06**3, rel=1e-12)
    assert float(cagr) == pytest.approx(0.06, rel=1e-8)
    assert table == (
        "#VALUE! cmo_table: needs pandas, which is not installed; in xlwings Lite add the "
        "line 'pandas' to requirements.txt"
    )
