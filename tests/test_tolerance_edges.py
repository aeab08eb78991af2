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


@pytest.mark.parametrize(
    ("scale", "gap", "fails"),
    [
        (None, 0.9 * TOLERANCE, 0),  # a share: the tolerance itself
        (None, -1.1 * TOLERANCE, 1),
        (250.0, 0.9 * TOLERANCE * 250.0, 0),  # a sum of values: the tolerance times the values
        (250.0, 1.1 * TOLERANCE * 250.0, 1),
    ],
)
def test_the_engine_judges_a_check_at_the_same_edge(
    scale: float | None, gap: float, fails: int
) -> None:
    from cmo_xl.model.compute.checks import Check

    check = Check("region_shares", gap=gap, scale=scale)
    assert (check.fails, check.status) == (fails, "ERROR" if fails else "OK")


@pytest.mark.parametrize(("relative", "edited"), [(1e-11, True), (1e-15, False)])
def test_read_sees_an_edit_to_13_digits_and_no_further(
    built: Path, tmp_path: Path, relative: float, edited: bool
) -> None:
    """The README: numbers are compared to 13 significant digits, as a program that saves the
    file may write 15 of the 17. An edit at the 11th digit is read; one at the 15th is not."""
    from cmo_xl.roundtrip.read import read_book

    wb = openpyxl.load_workbook(built)
    sheet, cell = wb.defined_names["share_Europe"].attr_text.split("!")
    wb[sheet][cell.replace("$", "")] = EUROPE * (1 + relative)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    assert [e.name for e in read_book(path).edits] == (["share_Europe"] if edited else [])


#: A market of 264.15 in 2024 growing 5% a year, with two figures on the reconciliation's edges,
#: each judged by hand: "264.2" covers 264.15 to 264.25, so the model's 264.15 lies on its edge,
#: within rounding (in floating point 264.2 - 264.15 is 0.05 and 1e-14 more, which only the
#: checks' tolerance margin, 1e-9 of the figure, keeps inside); and 264.15 * 1.05^2 = 291.225375
#: exactly, so a quote of 291.225375 is matched (compounded in floating point the two part at
#: about 6e-14, again inside only by the margin).
EDGE_SPEC = {
    "schema_version": 1,
    "market": {
        "name": "Edges",
        "currency": "EUR",
        "unit": "EUR m",
        "base_year": 2024,
        "end_year": 2026,
        "base_value": {"value": 264.15, "provenance": "analyst"},
    },
    "phases": [
        {"start_year": 2024, "end_year": 2026, "cagr": {"value": 0.05, "provenance": "analyst"}}
    ],
    "regions": [{"name": "World", "share": {"value": 1.0, "provenance": "analyst"}}],
    "benchmarks": [
        {"label": "Edge of rounding", "value": {"value": 264.2, "provenance": "analyst"},
         "year": 2024},
        {"label": "Matched", "value": {"value": 291.225375, "provenance": "analyst"}, "year": 2026},
        {"label": "Edge of a stated precision", "value": {"value": 264.3, "provenance": "analyst"},
         "year": 2024, "precision": 0.15},
        {"label": "Edge of a bound", "value": {"value": 264.3, "provenance": "analyst"},
         "year": 2024, "precision": 0.15, "qualifier": "more than"},
        # the margin's own edge: the quote's interval stops short of the model's 264.15 by 0.1
        # of the margin (1e-9 * 264.3) inside it, then by 0.1 of it outside
        {"label": "Inside the margin", "value": {"value": 264.3, "provenance": "analyst"},
         "year": 2024, "precision": 0.15 - 0.9 * TOLERANCE * 264.3},
        {"label": "Past the margin", "value": {"value": 264.3, "provenance": "analyst"},
         "year": 2024, "precision": 0.15 - 1.1 * TOLERANCE * 264.3},
    ],
}  # fmt: skip
#: 264.3 +- 0.15 reaches down to 264.15 exactly, but in floating point 264.3 - 0.15 is
#: 264.15000000000003: only the margin keeps the model's 264.15 inside, as a point and as a bound.
EDGE_STATUSES = [
    "within rounding", "matched", "within rounding", "within bound", "within rounding", "conflict",
]  # fmt: skip
EDGE_LABELS = [
    "Edge of rounding", "Matched", "Edge of a stated precision", "Edge of a bound",
    "Inside the margin", "Past the margin",
]  # fmt: skip


def test_the_engine_reconciles_figures_on_their_edges() -> None:
    from cmo_xl.model.compute.engine import forecast
    from cmo_xl.model.load import parse_spec

    assert 264.2 - 264.15 > 0.05 and 264.15 * 1.05 * 1.05 != 291.225375  # the edges are real
    assert 264.3 - 0.15 > 264.15
    result = forecast(parse_spec(EDGE_SPEC))
    assert [b.status for b in result.benchmarks] == EDGE_STATUSES


@pytest.mark.libreoffice
def test_the_workbook_reconciles_figures_on_their_edges(tmp_path: Path) -> None:
    from cmo_xl.model.load import parse_spec
    from cmo_xl.workbook.plan import plan_workbook
    from cmo_xl.workbook.publish import write_workbook

    need_libreoffice()
    (tmp_path / "in").mkdir()
    path = write_workbook(plan_workbook(parse_spec(EDGE_SPEC)), tmp_path / "in" / "edges.xlsx")
    (recalculated,) = recalculate_many([path], tmp_path / "out")
    sheet = values_of(recalculated)["Reconciliation"]
    labels = {k[1:]: v for k, v in sheet.items() if k.startswith("A")}
    rows = [next(r for r, v in labels.items() if v == label) for label in EDGE_LABELS]
    status = next(k[:-1] for k, v in sheet.items() if v == "Status" and k[-1] == "4")
    assert [sheet[f"{status}{r}"] for r in rows] == EDGE_STATUSES
