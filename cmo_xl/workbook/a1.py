"""A1 references, ranges and sheet-name quoting: the only place that glues them together."""

from __future__ import annotations

import functools
import re

MAX_ROW = 1_048_576
MAX_COL = 16_384
_BARE_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Names Excel would read as a reference unless quoted, after XlsxWriter's rules, which were
#: worked out against Excel (xlsxwriter/utility.py, ``quote_sheetname``, rules 3 and 4): an A1
#: reference (``A1``, ``XFD1``), anything that *starts* with an R1C1 reference (``R2R``,
#: ``C2C``, ``RC1x``: Excel ignores what follows), and ``R``, ``C`` and ``RC`` themselves. This
#: quotes a little more than Excel needs (an A1 form or a row or column number past Excel's
#: limits), which Excel accepts: a quoted name is always read as a name.
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][Cc]?|[Cc]|(?:[Rr][0-9]|[Rr]?[Cc][0-9]).*")


@functools.lru_cache(maxsize=MAX_COL)  # a large plan asks for the same few columns a million times
def col_letter(col: int) -> str:
    """Column number (1-based) to letters.

    >>> col_letter(1), col_letter(26), col_letter(27), col_letter(16384)
    ('A', 'Z', 'AA', 'XFD')
    """
    if not 1 <= col <= MAX_COL:
        raise ValueError(f"column {col} is outside 1..{MAX_COL}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(row: int, col: int, *, abs_row: bool = False, abs_col: bool = False) -> str:
    """A1 address of a cell.

    >>> cell(1048576, 16384), cell(5, 3, abs_row=True), cell(5, 3, abs_row=True, abs_col=True)
    ('XFD1048576', 'C$5', '$C$5')
    """
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row {row} is outside 1..{MAX_ROW}")
    return f"{'$' if abs_col else ''}{col_letter(col)}{'$' if abs_row else ''}{row}"


def area(row1: int, col1: int, row2: int, col2: int, *, absolute: bool = False) -> str:
    """A1 address of a rectangle; a single cell when both corners are the same.

    >>> area(5, 3, 5, 13), area(2, 2, 2, 2, absolute=True)
    ('C5:M5', '$B$2')
    """
    first = cell(row1, col1, abs_row=absolute, abs_col=absolute)
    if (row1, col1) == (row2, col2):
        return first
    return f"{first}:{cell(row2, col2, abs_row=absolute, abs_col=absolute)}"


def column_span(col: int, row1: int, row2: int) -> str:
    """Rows ``row1..row2`` of one column, rows absolute so the text copies across unchanged.

    >>> column_span(4, 9, 13)
    'D$9:D$13'
    """
    return f"{cell(row1, col, abs_row=True)}:{cell(row2, col, abs_row=True)}"


@functools.lru_cache(maxsize=1024)  # every reference to another sheet quotes its name
def quote_sheet(name: str) -> str:
    """Sheet name as it must appear in a formula, a defined name, a chart or a hyperlink: bare
    only when it is ASCII letters, digits and underscores, starts with a letter or an
    underscore, and cannot be read as a reference (:data:`_CELL_LIKE`).

    >>> quote_sheet("Regions"), quote_sheet("Client type"), quote_sheet("O'Brien")
    ('Regions', "'Client type'", "'O''Brien'")
    >>> quote_sheet("C2C"), quote_sheet("RC"), quote_sheet("Rates")
    ("'C2C'", "'RC'", 'Rates')
    """
    if _BARE_SHEET_NAME.fullmatch(name) and not _CELL_LIKE.fullmatch(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def ref(sheet: str, address: str) -> str:
    """A reference to ``address`` on ``sheet``.

    >>> ref("Client type", "$C$5:$M$5")
    "'Client type'!$C$5:$M$5"
    """
    return f"{quote_sheet(sheet)}!{address}"


def parse(address: str) -> tuple[int, int]:
    """Row and column of a relative A1 address.

    >>> parse("J4"), parse("XFD1048576")
    ((4, 10), (1048576, 16384))
    """
    letters = address.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - ord("A") + 1
    return int(address[len(letters) :]), col


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first, last) runs of consecutive rows: the areas a SUM over them
    takes when a row in between is left out.

    >>> runs([4, 5, 6, 8, 9]), runs([7]), runs([])
    ([(4, 6), (8, 9)], [(7, 7)], [])
    """
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


def split_ref(reference: str) -> tuple[str, tuple[int, int], tuple[int, int]]:
    """Sheet, first cell and last cell of a reference :func:`ref` made.

    >>> split_ref("'Client type'!$C$5:$M$5")
    ('Client type', (5, 3), (5, 13))
    >>> split_ref("Inputs!$C$9")
    ('Inputs', (9, 3), (9, 3))
    """
    sheet, _, address = reference.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    first, _, last = address.replace("$", "").partition(":")
    return sheet, parse(first), parse(last or first)
