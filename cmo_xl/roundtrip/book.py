"""Reading a workbook's cells and defined names, once it has passed :mod:`.files`.

openpyxl reads it in read-only mode, twice: once for what each cell holds (a formula's text,
a typed value) and once for the values the file caches. Its XML goes through defusedxml,
which openpyxl uses whenever it is installed (openpyxl/xml/functions.py), so no entity
expands. Rows are counted as they come: a sheet claiming rows past Excel's last is refused
instead of walked, and the dimension a sheet declares is ignored (openpyxl would pad to it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries

from cmo_xl.errors import WorkbookError
from cmo_xl.roundtrip.files import check_workbook_file
from cmo_xl.text import excerpt

#: Excel's last row, and how many cells with something in them a workbook may hold: twice
#: what the largest cmo_xl builds holds.
MAX_ROWS = 1_048_576
MAX_CELLS = 4_000_000

Address = tuple[int, int]  # (row, column), from 1


@dataclass
class Book:
    path: Path
    #: Every single-area defined name: name -> (sheet, first row, first column, last row,
    #: last column). A name Excel would compare ignoring case is keyed as written.
    names: dict[str, tuple[str, int, int, int, int]]
    #: What each cell holds, by sheet: a formula as its text ("=A1+1"), else its value.
    formulas: dict[str, dict[Address, Any]]
    #: The values the file caches, by sheet (none for formulas a program saved uncalculated).
    values: dict[str, dict[Address, Any]]
    sheet_titles: list[str] = field(default_factory=list)

    def place(self, name: str) -> tuple[str, int, int]:
        """Sheet, row and column of the single-cell defined name ``name``."""
        found = self.names.get(name)
        if found is None:
            raise KeyError(name)
        sheet, row, col, row2, col2 = found
        if (row, col) != (row2, col2):
            raise KeyError(name)
        return sheet, row, col

    def area(self, name: str) -> Iterator[tuple[str, int, int]]:
        sheet, row1, col1, row2, col2 = self.names[name]
        for row in range(row1, row2 + 1):
            for col in range(col1, col2 + 1):
                yield sheet, row, col


def open_book(path: str | Path) -> Book:
    """The cells and names of the workbook at ``path``; any problem is a one-line
    :class:`WorkbookError` that names the file."""
    path = Path(path)
    check_workbook_file(path)
    formulas, names, titles = _load(path, data_only=False)
    values, _, _ = _load(path, data_only=True)
    return Book(path, names, formulas, values, titles)


def _load(
    path: Path, *, data_only: bool
) -> tuple[dict[str, dict[Address, Any]], dict[str, tuple[str, int, int, int, int]], list[str]]:
    try:
        # A file object, so openpyxl does not judge the file by its name's extension: an .xlsm
        # is read as the workbook it is, and its macros are neither kept nor run.
        with path.open("rb") as handle:
            wb = openpyxl.load_workbook(
                handle, read_only=True, data_only=data_only, keep_links=False
            )
            try:
                names = _names(wb)
                cells = {ws.title: _cells(path, ws) for ws in wb.worksheets}
                return cells, names, [ws.title for ws in wb.worksheets]
            finally:
                wb.close()
    except WorkbookError:
        raise
    except Exception as exc:  # whatever a malformed file makes openpyxl raise
        kind = type(exc).__name__
        if _defused(exc):
            raise WorkbookError(
                f"{path}: declares XML entities or a DTD, which xlsx files never do; refused"
            ) from None
        raise WorkbookError(
            f"{path}: cannot be read as an xlsx workbook ({kind}: {excerpt(str(exc))})"
        ) from None


def _defused(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML, though openpyxl re-raised it as another error
    (openpyxl/reader/excel.py wraps what reading the workbook part raises in a ValueError)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if type(seen).__module__.startswith("defusedxml"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _names(wb: Any) -> dict[str, tuple[str, int, int, int, int]]:
    out: dict[str, tuple[str, int, int, int, int]] = {}
    for name, defined in wb.defined_names.items():
        with contextlib.suppress(Exception):  # a name that points nowhere (#REF!) is skipped
            destinations = list(defined.destinations)
            if len(destinations) != 1:
                continue
            sheet, ref = destinations[0]
            col1, row1, col2, row2 = range_boundaries(ref.replace("$", ""))
            out[name] = (sheet, row1, col1, row2, col2)
    return out


def _cells(path: Path, ws: Any) -> dict[Address, Any]:
    ws.reset_dimensions()  # pad to the cells the sheet holds, not to the size it claims
    out: dict[Address, Any] = {}
    rows = 0
    for row in ws.iter_rows():
        rows += 1
        if rows > MAX_ROWS:
            raise WorkbookError(f"{path}: sheet {ws.title!r} has rows past Excel's last")
        for cell in row:
            value = cell.value
            if value is None:
                continue
            text = getattr(value, "text", None)  # an array formula
            out[(cell.row, cell.column)] = text if isinstance(text, str) else value
        if len(out) > MAX_CELLS:
            raise WorkbookError(
                f"{path}: sheet {ws.title!r} holds more than {MAX_CELLS:,} cells; "
                "cmo_xl reads workbooks of its own size"
            )
    return out
