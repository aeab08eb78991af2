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

from cmo_xl.errors import SpecError, WorkbookError
from cmo_xl.model import names
from cmo_xl.model.excel_names import name_key
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolve import resolve
from cmo_xl.model.resolved import Input
from cmo_xl.model.schema import Spec
from cmo_xl.model.spec_file import MAX_FILE_BYTES, parse_yaml
from cmo_xl.roundtrip.book import Book, open_book
from cmo_xl.roundtrip.broken import Broken, broken_rules
from cmo_xl.roundtrip.edits import Edit, Unplaced, carry, not_editable
from cmo_xl.text import excerpt
from cmo_xl.workbook import a1
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


def read_book(path: str | Path) -> WorkbookRead:
    """Everything :func:`cmo_xl.read_workbook` reads, with the edits and the cells."""
    book = open_book(path)
    built, options = _record(book)
    edits, untyped = _edits(book, built)
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
        tuple(carried.unplaced),
        _switch(book),
        book,
        tuple(broken),
        carried.data,
    )


def _record(book: Book) -> tuple[Spec, BuildOptions]:
    where = f"{book.path}"
    if names.SPEC_RECORD not in book.names or names.SPEC_LINES not in book.names:
        raise WorkbookError(
            f"{where}: was not built by cmo_xl, or by a version before 0.2: it has no record "
            f"of its spec (defined names {names.SPEC_RECORD} and {names.SPEC_LINES})"
        )
    record = [book.formulas[s].get((r, c)) for s, r, c in book.area(names.SPEC_RECORD)]
    if len(record) != 5 or record[0] != FORMAT:
        raise WorkbookError(
            f"{where}: its Spec sheet records format {excerpt(record[:1])}; this cmo_xl reads "
            f"format {FORMAT}"
        )
    _, built_by, options_text, count, digest = record
    area = list(book.area(names.SPEC_LINES))
    if count != len(area):
        raise WorkbookError(f"{where}: its Spec sheet lost lines (rows were deleted)")
    lines = [book.formulas[s].get((r, c)) or "" for s, r, c in area]
    if sum(len(str(line)) + 1 for line in lines) > MAX_FILE_BYTES or any(
        not isinstance(line, str) for line in lines
    ):
        raise WorkbookError(f"{where}: its Spec sheet holds something other than a spec")
    if checksum(lines) != digest:
        raise WorkbookError(
            f"{where}: its Spec sheet was changed by hand (the lines no longer match their "
            "checksum), so the structure it records cannot be trusted; rebuild from the spec"
        )
    source = f"{where} (Spec sheet, built by {built_by})"
    try:
        spec = parse_spec(parse_yaml("\n".join(lines) + "\n", source), source)
        options = BuildOptions(**json.loads(str(options_text)))
    except SpecError as exc:
        raise WorkbookError(str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise WorkbookError(f"{where}: its build options cannot be read ({exc})") from None
    return spec, options


def _switch(book: Book) -> str:
    try:
        sheet, row, col = book.place(names.SCENARIO)
    except KeyError:
        return ""
    value = book.formulas.get(sheet, {}).get((row, col))
    return value if isinstance(value, str) else str(value or "")


def _edits(book: Book, spec: Spec) -> tuple[list[Edit], list[str]]:
    """Every input whose cell holds another value than the spec's, and the cells that hold
    no number at all."""
    edits, untyped = [], []
    for item in resolve(spec).inputs():
        try:
            sheet, row, col = book.place(item.name)
        except KeyError:
            untyped.append(f"{item.name}: the defined name is missing or no longer one cell")
            continue
        cell = a1.ref(sheet, a1.cell(row, col))
        held = book.formulas.get(sheet, {}).get((row, col))
        now = _number(held, book.values.get(sheet, {}).get((row, col)))
        if isinstance(held, str) and held.startswith("=") and _same_formula(held, item):
            continue  # the formula cmo_xl wrote (a link, a derived input, the switch)
        if now is None:
            if isinstance(held, str) and held.startswith("=") and not_editable(item):
                continue  # a formula of cmo_xl's own that a program rewrote
            untyped.append(f"{cell} ({item.name}): got {excerpt(held)}; type a number")
            continue
        if item.typed and _same(now, item.value):
            continue
        edits.append(Edit(item.name, item.label, item.kind, item.value, now, cell))
    return edits, untyped


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
