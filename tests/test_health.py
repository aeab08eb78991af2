"""What the workbook says about itself, live, after LibreOffice recalculates an edited copy:
a typed-over input that the scenarios move warns on Checks, Scenarios and the Dashboard; the
Dashboard's Health block counts what the other sheets count; and every page names the
scenario in force.

Expected counts are read from the recalculated sheets themselves (the Reconciliation's status
column, the Inputs' provenance column), never from cmo_xl's plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.model.templates import load_template
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate_many

pytestmark = pytest.mark.libreoffice

#: The template's scenarios that change market_cagr_p2, which Asia-Pacific's phase-2 CAGR
#: follows by default (templates/cmo_services.yaml).
MOVING = "Report's 7% to 2030, Upside, Downside"
HEALTH = {
    "master": "Master check (checks failing)",
    "integrity": "Formulas typed over or cleared (rows)",
    "growth": "World growth vs market CAGR (warnings)",
    "conflicts": "Reported figures in conflict",
    "placeholders": "Placeholder inputs",
    "scenarios": "Inputs typed over that scenarios move",
}


def _address(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return sheet, ref.replace("$", "")


def _copy(built: Path, out: Path, names: dict[str, Any], cells: dict[tuple[str, str], Any]) -> Path:
    wb = openpyxl.load_workbook(built)
    for name, value in names.items():
        sheet, address = _address(wb, name)
        wb[sheet][address] = value
    for (sheet, address), value in cells.items():
        wb[sheet][address] = value
    wb.save(out)
    return out


def _health(ws: Any) -> dict[str, tuple[Any, Any]]:
    """Health rows of the Dashboard by label: (count, status)."""
    rows = {ws.cell(r, 1).value: r for r in range(1, 30)}
    return {
        key: (ws.cell(rows[label], 3).value, ws.cell(rows[label], 4).value)
        for key, label in HEALTH.items()
    }


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    folder = tmp_path_factory.mktemp("health")
    built = write_workbook(plan_workbook(load_template("cmo_services")), folder / "built.xlsx")
    copies = {
        "unedited": _copy(built, folder / "unedited.xlsx", {}, {}),
        # a default link typed over: Asia-Pacific stops following the scenarios' market CAGR
        "link": _copy(built, folder / "link.xlsx", {"cagr_AsiaPacific_p2": 0.14}, {}),
        # the switched cell itself, typed over (a user who unprotected the sheet)
        "switched": _copy(built, folder / "switched.xlsx", {"market_cagr_p2": 0.114}, {}),
        # left in Downside with a number typed over a formula
        "downside": _copy(
            built, folder / "downside.xlsx", {"scenario": "Downside"}, {("Regions", "H16"): 50}
        ),
    }
    outs = recalculate_many(list(copies.values()), folder / "out")
    return {k: openpyxl.load_workbook(o, data_only=True) for k, o in zip(copies, outs, strict=True)}


def _at(wb: openpyxl.Workbook, name: str) -> Any:
    sheet, address = _address(wb, name)
    return wb[sheet][address].value


@pytest.mark.parametrize(
    ("book", "name"), [("link", "cagr_AsiaPacific_p2"), ("switched", "market_cagr_p2")]
)
def test_a_typed_over_input_the_scenarios_move_warns_in_three_places(
    books: dict[str, openpyxl.Workbook], book: str, name: str
) -> None:
    wb = books[book]
    assert _at(wb, "master_check") == "OK"  # a warning, not a failure
    assert _at(wb, "scenario_warnings") == 1
    texts = [v for row in wb["Checks"].iter_rows(values_only=True) for v in row if v]
    said = f"{name} is typed over: it no longer follows {MOVING}"
    assert any(isinstance(t, str) and said in t for t in texts), said
    assert said in wb["Scenarios"]["A4"].value
    health = _health(wb["Dashboard"])
    assert health["scenarios"] == (1, "WARN")
    dashboard_texts = [v for row in wb["Dashboard"].iter_rows(values_only=True) for v in row if v]
    assert any(isinstance(t, str) and said in t for t in dashboard_texts)


def test_an_unedited_workbook_has_no_scenario_warning(books: dict[str, openpyxl.Workbook]) -> None:
    wb = books["unedited"]
    assert _at(wb, "scenario_warnings") == 0
    assert wb["Scenarios"]["A4"].value.startswith("Inputs typed over: None")
    health = _health(wb["Dashboard"])
    assert health["master"] == (0, "OK") and health["integrity"] == (0, "OK")
    assert health["scenarios"] == (0, "OK")


@pytest.mark.parametrize("book", ["unedited", "downside"])
def test_health_counts_what_the_sheets_count(
    books: dict[str, openpyxl.Workbook], book: str
) -> None:
    wb = books[book]
    health = _health(wb["Dashboard"])
    conflicts = sum(
        1
        for (v,) in wb["Reconciliation"].iter_rows(min_col=9, max_col=9, values_only=True)
        if v == "conflict"
    )
    placeholders = sum(
        1
        for (v,) in wb["Inputs"].iter_rows(min_col=5, max_col=5, values_only=True)
        if v == "placeholder"
    )
    assert health["conflicts"] == (conflicts, "WARN" if conflicts else "OK")
    assert health["placeholders"] == (placeholders, "WARN" if placeholders else "OK")
    assert placeholders > 0  # the template has placeholder inputs, so the count is seen
    assert health["growth"][0] == _at(wb, "growth_warnings")
    if book == "downside":  # Regions!H16 typed over: one row of formulas broken
        assert health["integrity"] == (1, "ERROR")
        assert health["master"][1] == "ERROR" and health["master"][0] >= 1
    else:
        assert health["master"] == (0, "OK")


def test_every_page_names_the_scenario_in_force(books: dict[str, openpyxl.Workbook]) -> None:
    wb = books["downside"]
    for ws in wb.worksheets:
        if ws.title in ("Dashboard", "Scenarios"):  # on a row of their own, printed on top
            assert "Downside" in str(ws["A3"].value), ws.title
            continue
        assert str(ws["A1"].value).endswith("(scenario Downside)"), (ws.title, ws["A1"].value)
        titles = ws.print_title_rows
        assert titles is not None and titles.replace("$", "").startswith("1:"), (ws.title, titles)
