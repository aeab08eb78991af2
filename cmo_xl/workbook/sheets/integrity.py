"""Integrity: every formula cmo_xl writes on a calculation sheet is still a formula.

A finance team types a number over a formula, pastes values over a row or clears a cell; the
numbers look right today and are frozen tomorrow, and no check of values notices. Each row of
formulas that cmo_xl wrote gets a check on the Checks sheet that counts, with ISFORMULA, the
formulas it no longer holds, and the master check counts those checks too. The checks are
formulas of the Checks sheet, which is protected like every calculation sheet, so the guard
is no place to type.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan


@dataclass(frozen=True)
class GuardedRow:
    """One row of formulas on a sheet: the runs of columns they stand in, and how many."""

    sheet: str
    row: int
    runs: tuple[tuple[int, int], ...]  # (first column, last column) of each run of formulas

    @property
    def formulas(self) -> int:
        return sum(last - first + 1 for first, last in self.runs)

    @property
    def where(self) -> str:
        return f"{self.sheet}, row {self.row}"

    def areas(self) -> list[str]:
        return [
            a1.ref(self.sheet, a1.area(self.row, first, self.row, last, absolute=True))
            for first, last in self.runs
        ]

    def intact(self) -> str:
        """The label while every formula stands."""
        return f"{self.where}: {self.formulas} formula{'s' * (self.formulas > 1)} intact"


def guarded_rows(
    sheets: list[SheetPlan], from_row: dict[str, int] | None = None
) -> list[GuardedRow]:
    """Each row of each sheet that holds formulas cmo_xl wrote (on a sheet of ``from_row``,
    only from that row down), in sheet and row order. UDF cells are left out: their arrays
    are one formula over many cells."""
    out = []
    for sheet in sheets:
        first = (from_row or {}).get(sheet.title, 1)
        rows: dict[int, list[int]] = {}
        for cell in sheet.cells:
            if cell.is_formula and not cell.udf and cell.row >= first:
                rows.setdefault(cell.row, []).append(cell.col)
        for row in sorted(rows):
            out.append(GuardedRow(sheet.title, row, tuple(a1.runs(sorted(rows[row])))))
    return out


def label(guard: GuardedRow, gap_cell: str) -> str:
    """A label that says how many formulas are gone, once any is."""
    gone = f" of {guard.formulas} formulas typed over or cleared"
    broken = formula_text.concat(
        [formula_text.text(guard.where + ": "), gap_cell, formula_text.text(gone)]
    )
    return formula_text.unless_zero(gap_cell, guard.intact(), broken)
