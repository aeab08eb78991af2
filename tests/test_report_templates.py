"""The bundled templates typed from real public reports, each figure as written: built,
recalculated by LibreOffice, and every quoted figure found in the workbook, reproduced within
the precision of its quote or flagged on Reconciliation as the report's own conflict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cmo_xl.model.templates import load_template
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import mismatches, recalculated_values, without_cached_values

pytestmark = pytest.mark.libreoffice

#: Per template: each figure the report quotes, where the recalculated workbook shows it, and
#: the number it quotes. ("reconciled", label): its row on Reconciliation, whose status must be
#: matched or within rounding; ("cagr", label): the whole-period implied CAGR on Summary;
#: ("share", label): the base-year value on Summary over the world's.
QUOTED: dict[str, list[tuple[str, str, float]]] = {
    "healthy_food": [
        ("reconciled", "Market value in 2030 (as reported)", 1600.0),
        ("cagr", "World", 0.079),
        ("reconciled", "United States: value in 2022 (as reported)", 262.4),
        ("reconciled", "China: value in 2030 (as reported)", 211.8),
        ("cagr", "China", 0.107),
        ("reconciled", "Asia-Pacific: value in 2030 (as reported)", 145.5),
    ],
    "heart_attack_diagnostics": [
        ("reconciled", "Market value in 2025 (as reported)", 12.66),
        ("reconciled", "Market value in 2030 (as reported)", 19.05),
        ("reconciled", "Source: 8.52% CAGR, 2025-2030", 0.0852),
        ("share", "North America", 0.3545),
        ("share", "Blood tests", 0.4156),
        ("cagr", "Wearable and AI-driven ECG", 0.1327),
        ("share", "Hospitals", 0.5567),
        ("cagr", "Home-based and tele-cardiology", 0.1685),
    ],
}


def _rows(sheet: dict[str, Any], label: str, col: str = "C") -> list[int]:
    """Rows labelled ``label`` that hold a number in ``col`` (not a heading), top down."""
    rows = [int(a[1:]) for a, v in sheet.items() if a[:1] == "A" and a[1:].isdigit() and v == label]
    return sorted(r for r in rows if isinstance(sheet.get(f"{col}{r}"), float | int))


def _last_number(sheet: dict[str, Any], row: int) -> float:
    """The rightmost number in ``row`` (columns A to Z)."""
    cells = [f"{col}{row}" for col in "BCDEFGHIJKLMNOPQRSTUVWXYZ"]
    return float([sheet[a] for a in cells if isinstance(sheet.get(a), float | int)][-1])


@pytest.mark.parametrize("name", sorted(QUOTED))
def test_a_real_report_template_reproduces_every_quoted_figure(name: str, tmp_path: Path) -> None:
    plan = plan_workbook(load_template(name), name)
    built = write_workbook(plan, tmp_path / f"{name}.xlsx")
    copy = without_cached_values(built, tmp_path / "copy.xlsx")
    values = recalculated_values(copy, tmp_path / "recalculated")
    assert mismatches(plan, values) == []
    assert values["Checks"]["E4"] == "OK"
    reconciliation, summary = values["Reconciliation"], values["Summary"]
    statuses = {reconciliation[f"A{r}"]: reconciliation[f"I{r}"] for r in range(5, 60)
                if f"I{r}" in reconciliation}  # fmt: skip
    assert statuses and set(statuses.values()) <= {"matched", "within rounding"}, statuses
    for where, label, quoted in QUOTED[name]:
        if where == "reconciled":
            (row,) = _rows(reconciliation, label, "E")
            assert reconciliation[f"E{row}"] == pytest.approx(quoted, rel=1e-12)
            assert statuses[label] in ("matched", "within rounding")
        elif where == "cagr":
            row = _rows(summary, label)[0]  # the first table that lists it
            assert abs(_last_number(summary, row) - quoted) <= 1e-9, label
        else:
            row = _rows(summary, label)[0]
            world = _rows(summary, "World")[0]
            share = summary[f"C{row}"] / summary[f"C{world}"]
            assert share == pytest.approx(quoted, rel=1e-9), label
