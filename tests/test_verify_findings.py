"""Every kind of finding ``verify`` reports, each on a copy of the default workbook tampered
for it, one kind per copy: the finding must name that cell and that kind, and nothing else may
be listed (cells downstream are counted, not listed). The kinds and cells are the test's own,
not read from the code under test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from cmo_xl.roundtrip.verify import verify

from helpers import need_libreoffice

Tamper = Callable[[openpyxl.Workbook], None]


def _set(sheet: str, cell: str, value: object) -> Tamper:
    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][cell] = value

    return tamper


def _input(name: str, value: object) -> Tamper:
    def tamper(wb: openpyxl.Workbook) -> None:
        sheet, cell = wb.defined_names[name].attr_text.split("!")
        wb[sheet.strip("'")][cell.replace("$", "")] = value

    return tamper


#: kind -> (how the copy is tampered, the cell the finding must name)
CASES: dict[str, tuple[Tamper, str]] = {
    "typed over": (_set("Regions", "H16", 50), "Regions!H16"),
    "deleted": (_set("Regions", "H16", None), "Regions!H16"),
    "formula changed": (_set("Regions", "H16", "=G16*2"), "Regions!H16"),
    "broken reference": (_set("Regions", "H16", "=#REF!*2"), "Regions!H16"),
    "typed number": (_set("Regions", "P30", 42), "Regions!P30"),
    "input not read": (_input("market_cagr_p1", "=0.05+0.01"), "Inputs!C30"),
    "scenario switch": (_input("scenario", "Nowhere"), "Inputs!"),
}


@pytest.fixture(scope="module")
def verdicts(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    need_libreoffice()
    folder = tmp_path_factory.mktemp("tampered")
    out: dict[str, list[str]] = {}
    for kind, (tamper, _) in CASES.items():
        wb = openpyxl.load_workbook(built)
        tamper(wb)
        path = folder / f"{kind.replace(' ', '_')}.xlsx"
        wb.save(path)
        out[kind] = [f.line() for f in verify(path).findings]
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", sorted(CASES))
def test_verify_reports_each_kind_of_finding(verdicts: dict[str, list[str]], kind: str) -> None:
    _, cell = CASES[kind]
    found = verdicts[kind]
    assert len(found) == 1, found
    assert found[0].startswith(cell) and f": {kind}: " in found[0], found
