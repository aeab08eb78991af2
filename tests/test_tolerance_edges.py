"""A check's tolerance, on both sides of its edge, as the spreadsheet computes it: region shares
that miss 100% by 0.9 times the tolerance pass, by 1.1 times fail, and the master check follows.
The tolerance, 1e-9, is the README's, stated here; nothing is read from the code under test."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cmo_xl.workbook.recalc import recalculate_many

from helpers import need_libreoffice, values_of

TOLERANCE = 1e-9  # README, "Checks": check_tolerance for shares and counts
EUROPE = 0.25  # the default template's share for Europe
LABEL = "Region shares sum to 100%"


@pytest.mark.libreoffice
def test_a_share_check_passes_within_its_tolerance_and_fails_past_it(
    built: Path, tmp_path: Path
) -> None:
    need_libreoffice()
    copies = []
    for factor in (0.9, 1.1):
        wb = openpyxl.load_workbook(built)
        sheet, cell = wb.defined_names["share_Europe"].attr_text.split("!")
        target = wb[sheet][cell.replace("$", "")]
        assert target.value == EUROPE
        target.value = EUROPE + factor * TOLERANCE
        path = tmp_path / "in" / f"edge_{str(factor).replace('.', '_')}.xlsx"
        path.parent.mkdir(exist_ok=True)
        wb.save(path)
        copies.append(path)
    statuses = []
    for recalculated in recalculate_many(copies, tmp_path / "out"):
        checks = values_of(recalculated)["Checks"]
        row = next(k[1:] for k, v in checks.items() if k.startswith("A") and v == LABEL)
        master = next(k[1:] for k, v in checks.items() if k.startswith("A") and v == "Master check")
        statuses.append((checks[f"E{row}"], checks[f"E{master}"]))
    assert statuses == [("OK", "OK"), ("ERROR", "ERROR")]
