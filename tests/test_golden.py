"""The default workbook against a committed record of every cell: formula text and value.

The record was taken from the built file before the resolved-model refactor; a deliberate
change to the workbook regenerates it (``CMO_XL_REGENERATE_GOLDEN=1 pytest tests/test_golden.py``)
and says why in its commit.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

GOLDEN = Path(__file__).parent / "golden" / "cmo_services.json"
REL = 1e-12


def cells_of(path: Path) -> dict[str, dict[str, list[Any]]]:
    """sheet -> address -> [formula text or None, value (the cached value for a formula)]."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out: dict[str, dict[str, list[Any]]] = {}
    for ws in formulas.worksheets:
        cached = values[ws.title]
        sheet: dict[str, list[Any]] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                text = c.value.text if hasattr(c.value, "text") else c.value
                formula = text if isinstance(text, str) and text.startswith("=") else None
                sheet[c.coordinate] = [formula, cached[c.coordinate].value]
        out[ws.title] = sheet
    return out


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    found = []
    for title in sorted(set(expected) | set(actual)):
        want, got = expected.get(title, {}), actual.get(title, {})
        for address in sorted(set(want) | set(got)):
            a, b = want.get(address), got.get(address)
            if a is None or b is None:
                found.append(f"{title}!{address}: {a!r} -> {b!r}")
                continue
            if a[0] != b[0]:
                found.append(f"{title}!{address}: formula {a[0]!r} -> {b[0]!r}")
            x, y = a[1], b[1]
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y))
            if (numbers and not math.isclose(x, y, rel_tol=REL, abs_tol=1e-300)) or (
                not numbers and x != y
            ):
                found.append(f"{title}!{address}: value {x!r} -> {y!r}")
    return found


def test_default_workbook_matches_the_golden_record(built: Path) -> None:
    actual = cells_of(built)
    if os.environ.get("CMO_XL_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(actual, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        pytest.fail("golden record regenerated; run again without CMO_XL_REGENERATE_GOLDEN")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert differences(expected, actual) == []
