"""The workbook guards its own formulas: a number typed over one (even the number it showed),
a cleared cell or a pasted value turns the master check to ERROR, and the Checks sheet names
the sheet and the row; an unedited workbook, and one with only input edits, says OK.

Edits are made with openpyxl on built workbooks, as a user's would be saved; LibreOffice
recalculates them in one batch. The cells edited are drawn at random (seeded) from every
calculation sheet's formulas.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_residuals import residual_spec

from cmo_xl.model.load import load_spec, parse_spec
from cmo_xl.workbook.plan import calculation_titles, plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate_many
from cmo_xl.workbook.records import WorkbookPlan

from helpers import values_of

pytestmark = pytest.mark.libreoffice

TEMPLATES = sorted((Path(__file__).parent.parent / "templates").glob("*.yaml"))
#: How a formula cell is typed over: with the value it showed, another number, cleared.
KINDS = ("shown", "other", "cleared")


def _specs() -> list[tuple[str, Any]]:
    return [(t.stem, load_spec(t)) for t in TEMPLATES] + [
        ("residuals", parse_spec(residual_spec()))
    ]


def edit_cells(path: Path, out: Path, edits: dict[tuple[str, str], Any]) -> Path:
    wb = openpyxl.load_workbook(path)
    for (sheet, address), value in edits.items():
        wb[sheet][address] = value
    wb.save(out)
    return out


def formula_edits(plan: WorkbookPlan, rng: random.Random, kind: str) -> dict[tuple[str, str], Any]:
    """One edit on every calculation sheet: a formula cell drawn at random, typed over as
    ``kind`` says. Each row is checked on its own, so one copy holds them all."""
    edits: dict[tuple[str, str], Any] = {}
    for title in calculation_titles(plan):
        cells = [c for c in plan.sheet(title).cells if c.is_formula and not c.udf]
        if title == "Checks":  # the integrity section itself is the guard, and unguarded
            section = next(
                c.row for c in plan.sheet(title).cells if str(c.value).startswith("Integrity: ")
            )
            cells = [c for c in cells if 8 <= c.row < section]
        cell = rng.choice(cells)
        shown = cell.value if isinstance(cell.value, float | int | str) else 0
        edits[(title, cell.address)] = {"shown": shown, "other": 12345.678, "cleared": None}[kind]
    return edits


def unnamed_edits(
    book: str, edits: dict[tuple[str, str], Any], checks: dict[str, Any]
) -> list[str]:
    """What is wrong with a recalculated Checks sheet: with no edits, anything but OK and no
    integrity row broken; with edits, a master check not ERROR or an edited row not named."""
    broken = [v for v in checks.values() if isinstance(v, str) and "formulas typed over" in v]
    if not edits:
        return [] if checks["E4"] == "OK" and not broken else [f"{book}: unedited, {broken}"]
    wrong = [] if checks["E4"] == "ERROR" else [f"{book}: master {checks['E4']}"]
    for sheet, address in edits:
        row = int("".join(ch for ch in address if ch.isdigit()))
        if not any(v.startswith(f"{sheet}, row {row}: 1 of ") for v in broken):
            wrong.append(f"{book}: {sheet}!{address} edited, not named in {broken}")
    return wrong


def test_typed_over_formulas_fail_the_master_check_and_are_named(tmp_path: Path) -> None:
    rng = random.Random(19)
    books: list[Path] = []
    expected: list[dict[tuple[str, str], Any]] = []
    for name, spec in _specs():
        plan = plan_workbook(spec)
        built = write_workbook(plan, tmp_path / f"{name}.xlsx")
        books.append(edit_cells(built, tmp_path / f"{name}_unedited.xlsx", {}))
        expected.append({})
        for kind in KINDS:
            edits = formula_edits(plan, rng, kind)
            books.append(edit_cells(built, tmp_path / f"{name}_{kind}.xlsx", edits))
            expected.append(edits)
    outputs = recalculate_many(books, tmp_path / "recalculated")
    wrong = []
    for book, edits, output in zip(books, expected, outputs, strict=True):
        wrong += unnamed_edits(book.name, edits, values_of(output)["Checks"])
    assert wrong == []
    assert sum(len(e) for e in expected) > 40


def test_input_edits_leave_the_integrity_check_at_0(tmp_path: Path) -> None:
    """Typing valid values into inputs (a share pair, a CAGR over its default link) is what
    the workbook is for: no integrity check fails, and the master check stays OK."""
    plan = plan_workbook(load_spec(TEMPLATES[[t.stem for t in TEMPLATES].index("cmo_services")]))
    built = write_workbook(plan, tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(built)
    # Europe 25% -> 26% and Asia-Pacific 35% -> 34%: the shares still sum to 1
    names = {"share_Europe": 0.26, "share_AsiaPacific": 0.34, "cagr_NorthAmerica_p2": 0.1}
    for name, value in names.items():
        ((sheet, address),) = wb.defined_names[name].destinations
        wb[sheet][address.replace("$", "")] = value
    wb.save(tmp_path / "edited.xlsx")
    (output,) = recalculate_many([tmp_path / "edited.xlsx"], tmp_path / "out")
    checks = values_of(output)["Checks"]
    assert checks["E4"] == "OK"
    integrity = openpyxl.load_workbook(output, data_only=True)
    ((sheet, address),) = integrity.defined_names["integrity_check"].destinations
    assert integrity[sheet][address.replace("$", "")].value == 0
