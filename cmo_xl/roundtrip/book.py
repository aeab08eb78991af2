"""Reading a workbook's cells and defined names, once it has passed :mod:`cmo_xl.incoming`.

Only what cmo_xl wrote is read, and only as far as it wrote it: a stranger's file may hold
an extra sheet of a million rows, or one number in cell XFD1048576, and neither may cost more
than the workbook itself. So a workbook is opened (:class:`Source`: its defined names and sheet
titles, nothing parsed yet), the caller says which sheets to read and how far (``Extents``,
from the spec the Spec sheet records), and :meth:`Source.book` reads just those rows and
columns, stopping at each sheet's last one. The dimension a sheet declares is ignored.

openpyxl reads it in read-only mode, twice: once for what each cell holds (a formula's text, a
typed value) and once for the values the file caches. Its XML goes through defusedxml, which
openpyxl uses whenever it is installed (openpyxl/xml/functions.py), so no entity expands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from cmo_xl.errors import WorkbookError
from cmo_xl.incoming import check_workbook_file, open_regular
from cmo_xl.text import excerpt

#: Excel's last row and column.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
#: How many cells with something in them a workbook may hold: twice what the largest cmo_xl
#: builds holds.
MAX_CELLS = 4_000_000

Address = tuple[int, int]  # (row, column), from 1
Area = tuple[str, int, int, int, int]  # sheet, first row, first column, last row, last column
#: What to read of each sheet: its title -> (last row, last column).
Extents = dict[str, tuple[int, int]]


@dataclass
class Book:
    path: Path
    #: Every single-area defined name on a sheet of the workbook: name -> (sheet, first row,
    #: first column, last row, last column). A name Excel would compare ignoring case is keyed
    #: as written.
    names: dict[str, Area]
    #: What each cell holds, by sheet: a formula as its text ("=A1+1"), else its value.
    formulas: dict[str, dict[Address, Any]]
    #: The values the file caches, by sheet (none for formulas a program saved uncalculated).
    values: dict[str, dict[Address, Any]]
    sheet_titles: list[str] = field(default_factory=list)
    #: What was read of each sheet; a cell outside was not.
    extents: Extents = field(default_factory=dict)

    def place(self, name: str) -> tuple[str, int, int]:
        """Sheet, row and column of the single-cell defined name ``name``; KeyError when there
        is none, or when it points outside what was read."""
        found = self.names.get(name)
        if found is None:
            raise KeyError(name)
        sheet, row, col, row2, col2 = found
        if (row, col) != (row2, col2) or not self.holds(sheet, row, col):
            raise KeyError(name)
        return sheet, row, col

    def holds(self, sheet: str, row: int, col: int) -> bool:
        last_row, last_col = self.extents.get(sheet, (0, 0))
        return row <= last_row and col <= last_col


class Source:
    """A workbook opened for reading: its names and sheet titles known, no sheet parsed yet."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_workbook_file(path)
        self._handles: list[BinaryIO] = []
        self._formulas: Any = None
        self._values: Any = None
        try:
            self._formulas = self._load(data_only=False)
            self.titles: list[str] = list(self._formulas.sheetnames)
            self.names: dict[str, Area] = self._guard(lambda: _names(self._formulas))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        for wb in (self._formulas, self._values):
            if wb is not None:
                with contextlib.suppress(Exception):
                    wb.close()
        for handle in self._handles:
            handle.close()

    def cells(self, extents: Extents, *, cached: bool = False) -> dict[str, dict[Address, Any]]:
        """What the cells within ``extents`` hold (``cached``: the values the file caches)."""
        if cached and self._values is None:
            self._values = self._load(data_only=True)
        wb = self._values if cached else self._formulas
        out: dict[str, dict[Address, Any]] = {}
        counted = [0]
        for title, (last_row, last_col) in extents.items():
            if title in self.titles:
                out[title] = self._guard(
                    lambda t=title, r=last_row, c=last_col: self._sheet(wb[t], r, c, counted)
                )
        return out

    def book(self, extents: Extents) -> Book:
        """The cells within ``extents``, as the file holds them and as it caches them."""
        return Book(
            self.path,
            self.names,
            self.cells(extents),
            self.cells(extents, cached=True),
            self.titles,
            {t: e for t, e in extents.items() if t in self.titles},
        )

    def _load(self, *, data_only: bool) -> Any:
        # A file object, so openpyxl does not judge the file by its name's extension: an .xlsm
        # is read as the workbook it is, and its macros are neither kept nor run.
        handle = open_regular(self.path)
        self._handles.append(handle)
        with _sizes_unread():
            return self._guard(
                lambda: openpyxl.load_workbook(
                    handle, read_only=True, data_only=data_only, keep_links=False
                )
            )

    def _sheet(
        self, ws: Any, last_row: int, last_col: int, counted: list[int]
    ) -> dict[Address, Any]:
        out: dict[Address, Any] = {}
        last_row, last_col = min(last_row, MAX_ROWS), min(last_col, MAX_COLUMNS)
        if last_row < 1 or last_col < 1:
            return out
        # openpyxl stops parsing at max_row, and makes each row max_col cells wide
        for row in ws.iter_rows(max_row=last_row, max_col=last_col):
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                text = getattr(value, "text", None)  # an array formula
                out[(cell.row, cell.column)] = text if isinstance(text, str) else value
                counted[0] += 1
            if counted[0] > MAX_CELLS:
                raise WorkbookError(
                    f"{self.path}: holds more than {MAX_CELLS:,} cells where cmo_xl wrote its "
                    "own; cmo_xl reads workbooks of its own size"
                )
        return out

    def _guard(self, read: Any) -> Any:
        try:
            return read()
        except WorkbookError:
            raise
        except Exception as exc:  # whatever a malformed file makes openpyxl raise
            if _defused(exc):
                raise WorkbookError(
                    f"{self.path}: declares XML entities or a DTD, which xlsx files never do; "
                    "refused"
                ) from None
            raise WorkbookError(
                f"{self.path}: cannot be read as an xlsx workbook "
                f"({type(exc).__name__}: {excerpt(str(exc))})"
            ) from None


@contextlib.contextmanager
def _sizes_unread() -> Iterator[None]:
    """Open a workbook without sizing its sheets. openpyxl's read-only sheet reads its size on
    creation, for every sheet (``ReadOnlyWorksheet.__init__`` calls ``_get_size``, which
    parses the sheet's XML up to its ``<dimension>``, openpyxl/worksheet/_read_only.py), so a
    sheet without one is parsed whole, read or not: a million rows cost 20 s. cmo_xl never
    uses that size (every read gives its own last row and column), so it is left unread."""
    original = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = _unsized
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def _unsized(ws: Any) -> None:
    ws._max_row = ws._max_column = None


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


def _names(wb: Any) -> dict[str, Area]:
    """Single-area names; one that points nowhere (#REF!) is left out. One that points into
    another workbook (``[1]Spec!A1``) or at a sheet that is not there is kept: no read reaches
    it (:meth:`Book.place` and :meth:`Source.cells` read only this workbook's sheets)."""
    out: dict[str, Area] = {}
    for name, defined in wb.defined_names.items():
        with contextlib.suppress(Exception):
            destinations = list(defined.destinations)
            if len(destinations) != 1:
                continue
            sheet, ref = destinations[0]
            col1, row1, col2, row2 = range_boundaries(ref.replace("$", ""))
            if None in (col1, row1, col2, row2):
                continue  # a whole row or column
            out[name] = (sheet, row1, col1, row2, col2)
    return out


def area_cells(area: Area) -> Iterator[tuple[str, int, int]]:
    sheet, row1, col1, row2, col2 = area
    for row in range(row1, row2 + 1):
        for col in range(col1, col2 + 1):
            yield sheet, row, col


def open_book(path: str | Path, extents: Extents) -> Book:
    """The cells within ``extents`` and the names of the workbook at ``path``; any problem is a
    one-line :class:`WorkbookError` that names the file."""
    with Source(Path(path)) as source:
        return source.book(extents)
