"""A new sheet is one builder and one registry line: planted in a test, without touching any
other module, it is placed in the workbook's order, listed on the Cover, its formula rows are
guarded by the integrity checks, and verify counts it among the sheets that hold no typed
number."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmo_xl.model.resolution import names
from cmo_xl.model.spec.schema import Spec
from cmo_xl.roundtrip.verify import verify
from cmo_xl.workbook import registry
from cmo_xl.workbook.plan import calculation_titles, plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.records import SheetPlan, WorkbookPlan
from cmo_xl.workbook.registry import Built, Entry

from helpers import need_libreoffice

TITLE = "Planted"


def _planted(built: Built) -> list[SheetPlan]:
    """A sheet of one formula row: the timeline's length, which the cmo_services report makes
    2030 - 2024 = 6 years (a hand count, not the engine's)."""
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "A planted sheet", "title")
    sheet.put(3, 1, "Years in the timeline")
    sheet.formula(3, 2, f"{names.END_YEAR}-{names.BASE_YEAR}", cached=6, fmt="int")
    return [sheet]


def _with_planted() -> tuple[Entry, ...]:
    """The registry with one line more, after Analysis's."""
    entry = Entry("calculation", (TITLE,), _planted, "A sheet planted by a test ({title})")
    at = next(k for k, e in enumerate(registry.SHEETS) if e.titles == ("Analysis",)) + 1
    return (*registry.SHEETS[:at], entry, *registry.SHEETS[at:])


@pytest.fixture(scope="module")
def planted(cmo_spec: Spec) -> WorkbookPlan:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "SHEETS", _with_planted())
        return plan_workbook(cmo_spec, "cmo_services")


def test_the_planted_sheet_stands_where_its_line_does(planted: WorkbookPlan) -> None:
    titles = [s.title for s in planted.sheets]
    assert titles[titles.index("Analysis") + 1] == TITLE
    assert planted.sheet(TITLE).kind == "calculation"
    assert TITLE in calculation_titles(planted)


def test_the_cover_lists_it(planted: WorkbookPlan) -> None:
    texts = [str(c.value) for c in planted.sheet("Cover").cells]
    assert "A sheet planted by a test (planted)" in texts


def test_the_checks_guard_its_formula_row_and_scan_it_for_errors(planted: WorkbookPlan) -> None:
    texts = [str(c.value) for c in planted.sheet("Checks").cells]
    assert f"{TITLE}, row 3: 1 formula intact" in texts
    assert f"No error values on {TITLE}" in texts


def test_its_title_names_the_scenario(planted: WorkbookPlan) -> None:
    title = next(c for c in planted.sheet(TITLE).cells if (c.row, c.col) == (1, 1))
    assert title.is_formula and names.SCENARIO in str(title.formula)


@pytest.mark.libreoffice
def test_verify_finds_a_number_typed_over_it(planted: WorkbookPlan, tmp_path: Path) -> None:
    import openpyxl

    need_libreoffice()
    path = write_workbook(planted, tmp_path / "planted.xlsx")
    book = openpyxl.load_workbook(path)
    book[TITLE]["B3"] = 6
    book.save(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "SHEETS", _with_planted())
        verdict = verify(path)
    assert any(f.sheet == TITLE and f.address == "B3" for f in verdict.findings), verdict
