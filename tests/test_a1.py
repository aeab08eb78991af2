import re

import pytest

from cmo_xl.model.spec.excel_names import sheet_name_problem
from cmo_xl.workbook import a1


@pytest.mark.parametrize(
    ("row", "col", "kwargs", "expected"),
    [
        (1, 1, {}, "A1"),
        (1048576, 16384, {}, "XFD1048576"),
        (10, 26, {}, "Z10"),
        (10, 27, {}, "AA10"),
        (10, 702, {}, "ZZ10"),
        (10, 703, {}, "AAA10"),
        (5, 3, {"abs_row": True}, "C$5"),
        (5, 3, {"abs_col": True}, "$C5"),
        (5, 3, {"abs_row": True, "abs_col": True}, "$C$5"),
    ],
)
def test_cell(row: int, col: int, kwargs: dict[str, bool], expected: str) -> None:
    assert a1.cell(row, col, **kwargs) == expected


@pytest.mark.parametrize(("row", "col"), [(0, 1), (1048577, 1), (1, 0), (1, 16385)])
def test_cell_outside_the_grid(row: int, col: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        a1.cell(row, col)


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("Regions", "Regions"),
        ("Client type", "'Client type'"),
        ("O'Brien", "'O''Brien'"),
        ("Asia-Pacific", "'Asia-Pacific'"),
        ("A1", "'A1'"),  # would read as a cell reference
        ("XFD1", "'XFD1'"),
        ("R1C1", "'R1C1'"),
        ("2024", "'2024'"),
        ("xlwings.conf", "'xlwings.conf'"),
        # Excel's rules as XlsxWriter states them (xlsxwriter/utility.py, quote_sheetname,
        # and its test_quote_sheetname.py): rule 3, an A1 reference
        ("a1", "'a1'"),
        ("XFD1048576", "'XFD1048576'"),
        ("A1B", "A1B"),  # not a reference: A1 followed by more
        # rule 4: starts with an R1C1 reference, whatever follows
        ("R", "'R'"),
        ("C", "'C'"),
        ("RC", "'RC'"),
        ("rc", "'rc'"),
        ("R2R", "'R2R'"),
        ("C2C", "'C2C'"),
        ("RC1x", "'RC1x'"),
        ("R1", "'R1'"),
        ("C12", "'C12'"),
        ("R1C", "'R1C'"),
        ("Rates", "Rates"),
        ("Cost", "Cost"),
        ("RCx", "RCx"),
        ("Q1 2025", "'Q1 2025'"),  # a space
        ("Q1_2025", "Q1_2025"),
        ("_x", "_x"),
        ("Überblick", "'Überblick'"),  # not ASCII: quoted, as Excel always accepts
    ],
)
def test_quote_sheet(name: str, quoted: str) -> None:
    assert a1.quote_sheet(name) == quoted


def test_ref_and_area() -> None:
    assert a1.ref("Client type", a1.area(5, 3, 5, 13, absolute=True)) == "'Client type'!$C$5:$M$5"
    assert a1.area(2, 2, 2, 2) == "B2"
    assert a1.column_span(4, 9, 13) == "D$9:D$13"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("x" * 31, None),
        ("x" * 32, "at most 31"),
        ("a/b", "must not contain /"),
        ("a[1]", "must not contain \\[ \\]"),
        ("'quoted", "apostrophe"),
        ("   ", "blank"),
    ],
)
def test_sheet_name_problem(name: str, problem: str | None) -> None:
    found = sheet_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert re.search(problem, found)
