"""Verifying a workbook: are its numbers still the ones its inputs give?

The workbook's inputs are read back (:mod:`.read`) and the engine runs on them, with the
scenario its switch picks. Then every cell where cmo_xl wrote a formula is looked at twice:

1. in the file as saved: a number typed over the formula, a formula deleted, a reference
   broken (``#REF!``) or a formula changed;
2. after headless LibreOffice recalculates a copy: a value that is an error or differs from
   the engine's, within the tolerances of :mod:`.compare`.

A cell that only differs because a cell it depends on (directly or not) was already found is
counted, not listed: one number typed over a formula is one finding, not the hundreds of cells
downstream of it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmo_xl.errors import RecalcError
from cmo_xl.incoming import trimmed_copy
from cmo_xl.model.resolution import names
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.processes import DEFAULT_TIMEOUT
from cmo_xl.roundtrip.as_saved import STRING_LITERAL, Finding, as_saved
from cmo_xl.roundtrip.book import open_book
from cmo_xl.roundtrip.broken import Broken
from cmo_xl.roundtrip.compare import mismatches
from cmo_xl.roundtrip.read import WorkbookRead, read_book
from cmo_xl.roundtrip.values import replan, scenario_in_force
from cmo_xl.text import excerpt
from cmo_xl.workbook import a1
from cmo_xl.workbook.recalc import INSTALL, recalculate, soffice
from cmo_xl.workbook.records import WorkbookPlan

Place = tuple[str, int, int]  # sheet, row, column


@dataclass(frozen=True)
class Verdict:
    findings: list[Finding]
    consequences: int  # cells that differ only because they depend on a finding
    formula_cells: int
    scenario: str
    udf_cells: int = 0  # cells that call the cmo_xl UDFs: only Excel computes them
    compared: bool = True  # whether the recalculated values were compared with the engine

    @property
    def clean(self) -> bool:
        return not self.findings


def verify(path: str | Path, timeout: float = DEFAULT_TIMEOUT) -> Verdict:
    """Every finding in the workbook at ``path``; needs LibreOffice, which may take at most
    ``timeout`` seconds."""
    found = read_book(path)
    if soffice() is None:
        raise RecalcError(
            "verify recalculates the workbook with LibreOffice, which is not installed; "
            f"{INSTALL}. Nothing was verified"
        )
    number = scenario_in_force(found)
    roots = [_broken(b) for b in found.broken]
    if number is None:
        sheet, row, col = found.book.place(names.SCENARIO)
        roots.append(
            Finding(
                sheet,
                a1.cell(row, col),
                "scenario switch",
                f"holds {excerpt(found.scenario)}, which names no scenario of the workbook",
            )
        )
    plan = replan(found, number or 1)
    # the file holds the formulas (and the Spec sheet) of the spec it was built from; an input
    # typed over a link since then changes some of them in a rebuild, not in the file
    built = replan(found, number or 1, as_built=True)
    moved = _moved(found, built)
    if moved:  # every address after the move differs: one finding says why
        return Verdict(moved, 0, len(plan.formula_cells()), found.scenario)
    roots += _unread_inputs(found, plan)
    roots += list(as_saved(found, built))
    if found.broken:  # the engine computes only what a valid spec says: the rest is listed
        cells = built.formula_cells()
        return Verdict(roots, 0, len(cells), found.scenario, compared=False)
    with tempfile.TemporaryDirectory(prefix="cmo_xl_verify_") as work:
        copy = Path(work) / "in" / "book.xlsx"
        copy.parent.mkdir()
        trimmed_copy(found.path, copy, found.book.extents)  # only what cmo_xl wrote
        recalculated = open_book(recalculate(copy, Path(work) / "out", timeout), found.book.extents)
    values = {
        title: {a1.cell(r, c): v for (r, c), v in cells.items()}
        for title, cells in recalculated.values.items()
    }
    rooted = {(f.sheet, *a1.parse(f.address)) for f in roots}
    differing = mismatches(plan, values)
    # a difference downstream of a finding or of another difference is their consequence
    tainted = _downstream(plan, rooted | {(m.sheet, m.cell.row, m.cell.col) for m in differing})
    findings, consequences = list(roots), 0
    for m in differing:
        place = (m.sheet, m.cell.row, m.cell.col)
        if place in rooted:
            continue
        if place in tainted:
            consequences += 1
            continue
        engine = excerpt(m.cell.value)
        kind = "error" if m.error else "differs from the engine"
        findings.append(
            Finding(m.sheet, m.cell.address, kind, f"got {excerpt(m.actual)}, engine {engine}")
        )
    scenario = found.spec.scenarios[number - 1].name if number and found.spec.scenarios else ""
    cells = plan.formula_cells()
    udfs = sum(1 for _, c in cells if c.udf)
    return Verdict(findings, consequences, len(cells), scenario or found.scenario, udfs)


def _broken(broken: Broken) -> Finding:
    sheet, _, address = (broken.cells or ("!",))[0].rpartition("!")
    return Finding(
        sheet.strip("'").replace("''", "'"),
        address,
        "broken rule",
        broken.problem,
        place=broken.where or "the inputs",
    )


#: Names listed when rows or columns moved; the rest are counted.
MOVED_LISTED = 3


def _moved(found: WorkbookRead, plan: WorkbookPlan) -> list[Finding]:
    """Defined names that no longer point where cmo_xl put them: rows or columns were
    inserted or deleted, so cells can no longer be compared by address."""
    moved = []
    for name, ref in plan.names.items():
        sheet, (row, col), (row2, col2) = a1.split_ref(ref)
        held = found.book.names.get(name)
        if held is not None and held != (sheet, row, col, row2, col2):
            now = a1.ref(held[0], a1.cell(held[1], held[2]))
            moved.append(Finding(sheet, a1.cell(row, col), "moved", f"{name} now at {now}"))
    if not moved:
        return []
    shown = moved[:MOVED_LISTED]
    more = f" and {len(moved) - len(shown)} more" if len(moved) > len(shown) else ""
    why = (
        f"{len(moved)} defined names moved ({', '.join(f.text for f in shown)}{more}): rows "
        "or columns were inserted or deleted, so cells cannot be compared by address. "
        "cmo-xl build --inputs-from this file makes a fresh workbook with its inputs, which "
        "verify can check"
    )
    first = moved[0]
    return [Finding(first.sheet, first.address, "moved", why)]


def _unread_inputs(found: WorkbookRead, plan: WorkbookPlan) -> list[Finding]:
    """Inputs typed in the workbook that the spec cannot hold: the engine does not use them,
    so every cell that does differs from it."""
    out = []
    for u in found.unplaced:
        sheet, _, address = u.edit.cell.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        if any(c.is_formula for c in _cells_at(plan, sheet, address)):
            continue  # a formula typed over: found as such below
        out.append(Finding(sheet, address, "input not read", f"{u.edit.name}: {u.reason}"))
    return out


def _cells_at(plan: WorkbookPlan, sheet: str, address: str) -> Iterator[Any]:
    for s in plan.sheets:
        if s.title == sheet:
            yield from (c for c in s.cells if c.address == address)


_QUALIFIED = re.compile(
    r"(?:'((?:[^']|'')+)'|([A-Za-z_][\w.]*))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"
)
_LOCAL = re.compile(r"(?<![\w.!$])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])")
_NAME = re.compile(r"(?<![\w.!$])([A-Za-z_][\w.]*)(?![\w(!])")


def precedents(sheet: str, formula: str, defined: dict[str, str]) -> Iterator[Place]:
    """Every cell a formula on ``sheet`` reads: through references and defined names."""
    text = STRING_LITERAL.sub('""', formula)
    for match in _QUALIFIED.finditer(text):
        where = (match[1] or "").replace("''", "'") or match[2]
        yield from _area(where, match[3] + match[4], (match[5] or "") + (match[6] or ""))
    text = _QUALIFIED.sub("", text)
    for match in _LOCAL.finditer(text):
        yield from _area(sheet, match[1] + match[2], (match[3] or "") + (match[4] or ""))
    for match in _NAME.finditer(_LOCAL.sub("", text)):
        target = defined.get(name_key(match[1]))
        if target is not None:
            where, first, last = a1.split_ref(target)
            yield from _area(where, a1.cell(*first), a1.cell(*last))


def _area(sheet: str, first: str, last: str) -> Iterator[Place]:
    row1, col1 = a1.parse(first)
    row2, col2 = a1.parse(last or first)
    for row in range(row1, row2 + 1):
        for col in range(col1, col2 + 1):
            yield sheet, row, col


def _downstream(plan: WorkbookPlan, roots: set[Place]) -> set[Place]:
    """Every formula cell that depends, directly or not, on one of ``roots``."""
    defined = {name_key(name): ref for name, ref in plan.names.items()}
    dependents: dict[Place, list[Place]] = {}
    for sheet, cell in plan.formula_cells():
        here = (sheet, cell.row, cell.col)
        for source in set(precedents(sheet, str(cell.formula), defined)):
            dependents.setdefault(source, []).append(here)
    seen: set[Place] = set()
    todo = list(roots)
    while todo:
        for nxt in dependents.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def verdict_lines(path: str | Path, verdict: Verdict) -> list[str]:
    if verdict.clean:
        lines = [
            f"{path}: clean: all {verdict.formula_cells:,} formula cells hold cmo_xl's formulas "
            f"and, recalculated, the engine's values (scenario {verdict.scenario})"
        ]
        if verdict.udf_cells:
            lines.append(
                f"  ({verdict.udf_cells:,} of them call the cmo_xl UDFs, which only Excel with "
                "xlwings computes: those were checked as saved, not recalculated)"
            )
        return lines
    lines = [f"{path}: {len(verdict.findings)} finding(s) (scenario {verdict.scenario})"]
    lines += [f"  {f.line()}" for f in verdict.findings]
    if not verdict.compared:
        lines.append(
            "  values were not compared with the engine: the typed values break the spec's "
            "rules, and the engine computes only a valid spec; fix them and verify again "
            "(cmo-xl read --keep-invalid writes the spec they make)"
        )
    if verdict.consequences:
        lines.append(
            f"  and {verdict.consequences:,} more cell(s) differ from the engine only because "
            "they depend on those"
        )
    return lines
