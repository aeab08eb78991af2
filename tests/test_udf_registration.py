"""What Excel registers for cmo_xl.udfs, read with xlwings' own code.

On Linux ``xlwings.func`` does nothing, so these tests stub the Windows-only modules
(pythoncom, pywintypes, win32com) to import ``xlwings.udfs``, decorate the module with its real
``xlfunc``/``xlarg``/``xlret``, and run ``generate_vba_wrapper``, the code behind the add-in's
Import Functions button. A child process keeps the stubs out of the test session.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cmo_xl import udfs

from helpers import run_python

MODULE = Path(udfs.__file__)
#: The arguments that take a range (xlwings passes them as 2-D lists).
RANGE_ARGS = {
    "cmo_forecast": {"base_value", "cagr", "base_year", "year"},
    "cmo_cagr": {"start_value", "end_value", "periods"},
    "cmo_series": set(),
    "cmo_phased": {"phase_end_years", "phase_cagrs", "year"},
    "cmo_mix": {"base_shares", "cagrs"},
    "cmo_split": {"base_shares", "cagrs"},
    "cmo_table": {"names", "base_values", "cagrs"},
}
PROBE = r"""
import importlib.util, io, json, sys, types

for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["win32com.client"].Dispatch = object
sys.modules["pythoncom"].CoInitialize = lambda: None

import xlwings
import xlwings.udfs as xu

xlwings.func, xlwings.arg, xlwings.ret = xu.xlfunc, xu.xlarg, xu.xlret


class Book:
    Name = "model.xlsm"


def plain(options):
    return {k: v for k, v in options.items() if k != "convert"}


out = []
for k, path in enumerate(sys.argv[1:]):
    spec = importlib.util.spec_from_file_location(f"udfs_copy_{k}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    functions = {}
    for name in sorted(dir(module)):
        info = getattr(getattr(module, name), "__xlfunc__", None)
        if info is None:
            continue
        functions[name] = {
            "category": info["category"],
            "args": [[a["name"], plain(a["options"]), a["doc"]] for a in info["args"]],
            "ret": [plain(info["ret"]["options"]), info["ret"]["doc"]],
        }
    vba = io.StringIO()
    xu.generate_vba_wrapper("cmo_xl.udfs", module, vba, Book())
    out.append({"functions": functions, "vba": vba.getvalue()})
print(json.dumps(out))
"""


def registrations(tmp_path: Path, modules: list[Path]) -> list[dict[str, Any]]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    run = run_python([str(script), *map(str, modules)], tmp_path)
    assert run.code == 0, run.err
    result: list[dict[str, Any]] = json.loads(run.out)
    return result


def plain_text(text: str) -> bool:
    """What Excel's function wizard shows well: at most 255 characters, no markup."""
    return len(text) <= 255 and not re.search(r"``|>>>|:func:|:class:|\.\. ", text)


def problems(registration: dict[str, Any]) -> list[str]:
    found = []
    functions, vba = registration["functions"], registration["vba"]
    if sorted(functions) != sorted(udfs.UDFS):
        found.append(f"registered {sorted(functions)}, not {sorted(udfs.UDFS)}")
    for name, function in udfs.UDFS.items():
        info = functions.get(name)
        if info is None:
            continue
        params = list(inspect.signature(function).parameters)
        if [a[0] for a in info["args"]] != params:
            found.append(f"{name}: arguments {[a[0] for a in info['args']]}, not {params}")
        if info["category"] != udfs.CATEGORY:
            found.append(f"{name}: category {info['category']!r}")
        for arg_name, options, doc in info["args"]:
            wanted = {"ndim": 2} if arg_name in RANGE_ARGS[name] else {}
            if options != wanted:
                found.append(f"{name}({arg_name}): options {options}, not {wanted}")
            if doc.startswith("Positional argument") or not plain_text(doc):
                found.append(f"{name}({arg_name}): help {doc!r}")
        ret_options, ret_doc = info["ret"]
        wanted_ret = {"index": True, "header": True} if name == "cmo_table" else {}
        if ret_options != wanted_ret:
            found.append(f"{name}: return options {ret_options}, not {wanted_ret}")
        if not plain_text(ret_doc or ""):
            found.append(f"{name}: description {ret_doc!r}")
        args = ", ".join(params)
        if f"Function {name}({args})" not in vba:
            found.append(f"{name}: no VBA wrapper Function {name}({args})")
        call = f'{name} = XLPy.CallUDF("cmo_xl.udfs", "{name}", Array({args}), ThisWorkbook, '
        if call not in vba:
            found.append(f"{name}: the VBA wrapper does not call cmo_xl.udfs.{name}")
    return found


def test_excel_registers_every_function_with_its_arguments(tmp_path: Path) -> None:
    (registration,) = registrations(tmp_path, [MODULE])
    assert problems(registration) == []
    assert registration["vba"].count("End Function") == 7


def decorator_lines() -> list[int]:
    lines = MODULE.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines) if re.match(r"@(func|arg|ret)\b", line)]


def test_every_decorator_counts(tmp_path: Path) -> None:
    """Remove any one xlwings decorator from a copy of the module: the check above fails."""
    lines = MODULE.read_text(encoding="utf-8").splitlines(keepends=True)
    indices = decorator_lines()
    assert len(indices) == 7 + 28 + 1  # a @func per function, an @arg per argument, one @ret
    copies = []
    for i in indices:
        copy = tmp_path / f"udfs_without_line_{i + 1}.py"
        copy.write_text("".join(lines[:i] + lines[i + 1 :]), encoding="utf-8")
        copies.append(copy)
    for i, registration in zip(indices, registrations(tmp_path, copies), strict=True):
        assert problems(registration), f"removing line {i + 1} ({lines[i].strip()}) went unseen"


@pytest.mark.parametrize("name", sorted(udfs.UDFS))
def test_descriptions_are_plain_and_short(name: str) -> None:
    doc = inspect.getdoc(udfs.UDFS[name]) or ""
    assert doc and plain_text(doc), doc
