"""Reading a workbook back into a spec: the structure from its Spec sheet, every input's value
through its defined name.

The Spec sheet records the spec the workbook was built from (checked against its SHA-256).
Each input of that spec is then read from the cell its defined name points at, wherever a
user moved it. A value that differs from the spec's is an edit: it goes into the spec with
provenance ``analyst`` and a record of where it was typed (:mod:`.edits`). Numbers are compared
to 13 significant digits, because a program that saves the file may write 15 of the 17.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmo_xl.errors import CmoXlError, SpecError, WorkbookError
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.spec.spec_file import MAX_FILE_BYTES, parse_yaml
from cmo_xl.roundtrip.book import Area, Book, Extents, Source, area_cells
from cmo_xl.roundtrip.broken import Broken, broken_rules
from cmo_xl.roundtrip.edits import Edit, Unplaced, carry, not_editable
from cmo_xl.text import excerpt
from cmo_xl.workbook import a1
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.sheets.spec_sheet import FORMAT, BuildOptions, checksum

#: Two numbers closer than this (relative) are the same number written by two programs.
SAME_NUMBER = 1e-13


@dataclass(frozen=True)
class WorkbookRead:
    path: Path
    built: Spec  # the spec the workbook was built from
    spec: Spec  # with the workbook's edits
    options: BuildOptions
    edits: tuple[Edit, ...]
    unplaced: tuple[Unplaced, ...]  # edits no field of the spec can hold
    scenario: str  # what the scenario switch holds
    book: Book
    #: Rules of the spec that the typed values break; ``spec`` is then ``built``, and
    #: ``data`` holds the spec with every edit, for the user to fix.
    broken: tuple[Broken, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def require_valid(self) -> None:
        """Raise, naming each broken rule by its cells, unless the typed values make a spec."""
        if self.broken:
            raise WorkbookError(
                f"{self.path}: the values typed in it break the spec's rules:\n"
                + "\n".join(f"  - {b.line()}" for b in self.broken)
            )


#: How far past the cells cmo_xl wrote a sheet is read: room for rows and columns a user
#: inserted. Anything further out is not cmo_xl's, and costs nothing to ignore.
ROW_SLACK, COLUMN_SLACK = 10_000, 100
#: Lines the Spec sheet may record: a spec of 2 MiB dumps to far fewer.
MAX_SPEC_LINES = 200_000
#: The build options are a short JSON object.
MAX_OPTIONS_CHARS = 10_000


def read_book(path: str | Path) -> WorkbookRead:
    """Everything :func:`cmo_xl.read_workbook` reads, with the edits and the cells.

    The Spec sheet's record is read first, within the areas its defined names give (refused
    when they are not the shape cmo_xl wrote); then the sheets the recorded spec plans, each as
    far as it plans cells, plus :data:`ROW_SLACK` rows and :data:`COLUMN_SLACK` columns."""
    with Source(Path(path)) as source:
        built, options = _record(source)
        book = source.book(extents(built, options))
    edits, formulas, untyped = _edits(book, built)
    if untyped:
        raise WorkbookError(
            f"{book.path}: {len(untyped)} input(s) hold no number:\n"
            + "\n".join(f"  - {p}" for p in untyped[:20])
        )
    carried = carry(built, edits, book.path.name)
    places = {}
    for item in resolve(built).inputs():
        with contextlib.suppress(KeyError):
            places[item.name] = book.place(item.name)
    broken = broken_rules(carried.problems, resolve(built), places)
    # an edit to an input cmo_xl does not carry is still reported, beside those it cannot
    return WorkbookRead(
        book.path,
        built,
        carried.spec,
        options,
        tuple(edits),
        tuple(formulas + carried.unplaced),
        _switch(book),
        book,
        tuple(broken),
        carried.data,
    )


def extents(spec: Spec, options: BuildOptions) -> Extents:
    """What to read of each sheet of the workbook cmo_xl builds from ``spec``."""
    try:
        plan = plan_workbook(spec, options.label, udfs=options.udfs, protect=options.protect)
    except CmoXlError as exc:
        raise WorkbookError(f"its recorded spec cannot be planned ({exc})") from None
    out: Extents = {}
    for sheet in plan.sheets:
        rows = max((c.row for c in sheet.cells), default=1)
        cols = max((c.col for c in sheet.cells), default=1)
        out[sheet.title] = (rows + ROW_SLACK, cols + COLUMN_SLACK)
    return out


def _record_area(source: Source, name: str, rows: range) -> Area:
    """The area the defined name ``name`` gives: one column whose number of rows is in
    ``rows``, else the record is not the one cmo_xl wrote."""
    area = source.names.get(name)
    if area is None:
        raise WorkbookError(
            f"{source.path}: was not built by cmo_xl, or by a version before 0.2: it has no "
            f"record of its spec (defined names {names.SPEC_RECORD} and {names.SPEC_LINES})"
        )
    sheet, row1, col1, row2, col2 = area
    if sheet not in source.titles:
        raise WorkbookError(
            f"{source.path}: its defined name {name} points at a sheet it does not have, "
            f"{excerpt(sheet)}; rebuild from the spec"
        )
    if col1 != col2 or row2 - row1 + 1 not in rows:
        ref = a1.ref(sheet, a1.area(row1, col1, row2, col2))
        raise WorkbookError(
            f"{source.path}: its defined name {name} points at {excerpt(ref)}, not at the "
            f"column of {rows.start if len(rows) == 1 else f'at most {rows.stop - 1:,}'} "
            "cells cmo_xl wrote; rebuild from the spec"
        )
    return area


def _record(source: Source) -> tuple[Spec, BuildOptions]:
    where = f"{source.path}"
    record_area = _record_area(source, names.SPEC_RECORD, range(5, 6))
    lines_area = _record_area(source, names.SPEC_LINES, range(1, MAX_SPEC_LINES + 1))
    reach: Extents = {}
    for sheet, _, _, row2, col2 in (record_area, lines_area):
        row, col = reach.get(sheet, (0, 0))
        reach[sheet] = (max(row, row2), max(col, col2))
    cells = source.cells(reach)
    record = [cells[s].get((r, c)) for s, r, c in area_cells(record_area)]
    if record[0] != FORMAT:
        raise WorkbookError(
            f"{where}: its Spec sheet records format {excerpt(record[:1])}; this cmo_xl reads "
            f"format {FORMAT}"
        )
    _, built_by, options_text, count, digest = record
    area = list(area_cells(lines_area))
    if count != len(area):
        raise WorkbookError(f"{where}: its Spec sheet lost lines (rows were deleted)")
    lines = [cells[s].get((r, c)) or "" for s, r, c in area]
    if sum(len(str(line)) + 1 for line in lines) > MAX_FILE_BYTES or any(
        not isinstance(line, str) for line in lines
    ):
        raise WorkbookError(f"{where}: its Spec sheet holds something other than a spec")
    if checksum(lines) != digest:
        raise WorkbookError(
            f"{where}: its Spec sheet was changed by hand (the lines no longer match their "
            "checksum), so the structure it records cannot be trusted; rebuild from the spec"
        )
    source_label = f"{where} (Spec sheet, built by {excerpt(built_by)})"
    try:
        spec = parse_spec(parse_yaml("\n".join(lines) + "\n", source_label), source_label)
    except SpecError as exc:
        raise WorkbookError(str(exc)) from None
    return spec, _options(where, options_text)


def _options(where: str, text: Any) -> BuildOptions:
    """The build options, a short JSON object outside the checksum: bounded before parsing."""
    if not isinstance(text, str) or len(text) > MAX_OPTIONS_CHARS:
        raise WorkbookError(
            f"{where}: its build options are not the short JSON object cmo_xl writes "
            f"(got {excerpt(text)})"
        )
    try:
        return BuildOptions(**json.loads(text))
    except (ValueError, TypeError, RecursionError) as exc:
        raise WorkbookError(
            f"{where}: its build options cannot be read ({excerpt(str(exc))})"
        ) from None


def _switch(book: Book) -> str:
    try:
        sheet, row, col = book.place(names.SCENARIO)
    except KeyError:
        return ""
    value = book.formulas.get(sheet, {}).get((row, col))
    return value if isinstance(value, str) else str(value or "")


def _edits(book: Book, spec: Spec) -> tuple[list[Edit], list[Unplaced], list[str]]:
    """Every input whose cell holds another number than the spec's; every input whose cell
    holds a formula cmo_xl did not write (not carried: its value came from elsewhere, a link
    to another file or a DDE server, and is not what a user typed); and the cells that hold
    no number at all."""
    edits, formulas, untyped = [], [], []
    for item in resolve(spec).inputs():
        try:
            sheet, row, col = book.place(item.name)
        except KeyError:
            untyped.append(
                f"{item.name}: the defined name is missing, no longer one cell, or points "
                "outside the cells cmo_xl wrote"
            )
            continue
        cell = a1.ref(sheet, a1.cell(row, col))
        held = book.formulas.get(sheet, {}).get((row, col))
        now = _number(held, book.values.get(sheet, {}).get((row, col)))
        if isinstance(held, str) and held.startswith("="):
            if _same_formula(held, item) or not_editable(item):
                continue  # the formula cmo_xl wrote (a link, a derived input, the switch)
            edit = Edit(item.name, item.label, item.kind, item.value, math.nan, cell, held)
            formulas.append(Unplaced(edit, FOREIGN_FORMULA))
            continue
        if now is None:
            untyped.append(f"{cell} ({item.name}): got {excerpt(held)}; type a number")
            continue
        if item.typed and _same(now, item.value):
            continue
        edits.append(Edit(item.name, item.label, item.kind, item.value, now, cell))
    return edits, formulas, untyped


#: Why an input that holds a formula is not read.
FOREIGN_FORMULA = (
    "it holds a formula, not a typed number, so its value may come from anywhere (another "
    "file, a DDE link); cmo_xl carries only typed numbers: type the number"
)


def _number(held: Any, cached: Any) -> float | None:
    """The number a cell holds: typed, or a formula's cached value."""
    value = cached if isinstance(held, str) and held.startswith("=") else held
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=SAME_NUMBER, abs_tol=0.0)


def _same_formula(held: str, item: Input) -> bool:
    """Whether ``held`` is the link cmo_xl wrote for ``item`` (or any formula, for an input
    cmo_xl writes as a formula: those are checked by ``cmo-xl verify``)."""
    if item.follows is None:
        return item.given is not None or item.derived is not None
    return _plain(held) == _plain("=" + item.follows.name)


def _plain(formula: str) -> str:
    return name_key(formula.replace("$", "").replace(" ", ""))
