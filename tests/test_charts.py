"""Charts: every series of every chart reads ranges that hold numbers once LibreOffice has
recalculated the workbook, is named by a cell (no legend reads "Series1"), and every chart has
a title, and axis titles and number formats where it has axes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from cmo_xl.workbook.recalc import recalculate

from helpers import need_libreoffice, values_of

pytestmark = pytest.mark.libreoffice
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def charts_of(path: Path) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(path) as z:
        return {
            n: ElementTree.fromstring(z.read(n))
            for n in z.namelist()
            if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        }


def cells(reference: str, values: dict[str, dict[str, Any]]) -> list[Any]:
    """The recalculated values of the cells ``reference`` covers."""
    sheet, _, area = reference.rpartition("!")
    sheet = sheet.strip("'").replace("''", "'")
    return [
        values[sheet].get(f"{get_column_letter(c)}{r}")
        for r, c in CellRange(area.replace("$", "")).cells
    ]


@pytest.fixture(scope="module")
def recalculated(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    need_libreoffice()
    return values_of(recalculate(built, tmp_path_factory.mktemp("charts")))


def test_every_chart_reads_live_numbers(built: Path, recalculated: dict[str, Any]) -> None:
    charts = charts_of(built)
    assert len(charts) == 6  # regions, two segment mixes, region shares, players, tornado
    for part, chart in charts.items():
        title = "".join(t.text or "" for t in chart.iter(f"{A}t"))
        assert title.strip(), f"{part} has no title"
        for series in chart.iter(f"{C}ser"):
            name = series.find(f"{C}tx/{C}strRef/{C}f")
            assert name is not None, f"{part}: a series without a name cell"
            (label,) = cells(name.text or "", recalculated)
            assert isinstance(label, str) and label and not label.startswith("Series"), label
            values = series.find(f"{C}val/{C}numRef/{C}f")
            assert values is not None, part
            numbers = cells(values.text or "", recalculated)
            assert numbers and all(isinstance(v, int | float) for v in numbers), (
                part,
                values.text,
                numbers,
            )
            categories = series.find(f"{C}cat/{C}numRef/{C}f")
            if categories is None:
                categories = series.find(f"{C}cat/{C}strRef/{C}f")
            assert categories is not None, part
            assert all(v is not None for v in cells(categories.text or "", recalculated))
        for axis in (*chart.iter(f"{C}valAx"),):
            assert axis.find(f"{C}title") is not None, f"{part}: a value axis without a title"
            fmt = axis.find(f"{C}numFmt")
            assert fmt is not None and "E" not in fmt.get("formatCode", "E"), part
            assert axis.find(f"{C}delete").get("val") in ("0", "false"), part  # type: ignore[union-attr]


def _corners(reference: str) -> tuple[str, tuple[int, int], tuple[int, int]]:
    sheet, _, area = reference.rpartition("!")
    box = CellRange(area.replace("$", ""))
    return (
        sheet.strip("'").replace("''", "'"),
        (box.min_row, box.min_col),
        (box.max_row, box.max_col),
    )


def test_every_series_reads_the_row_or_column_it_is_named_for(built: Path, cmo_spec: Any) -> None:
    """A row of numbers is named by the label at its left, a column by the header above it:
    a series pointing one row or column away from its name fails here, not only in a picture.
    The region chart's series are the spec's regions, in its order."""
    by_title: dict[str, list[str]] = {}
    for part, chart in charts_of(built).items():
        heading = chart.find(f"{C}chart/{C}title")
        assert heading is not None, part
        title = "".join(t.text or "" for t in heading.iter(f"{A}t")).strip()
        names = []
        for series in chart.iter(f"{C}ser"):
            name = series.find(f"{C}tx/{C}strRef/{C}f")
            values = series.find(f"{C}val/{C}numRef/{C}f")
            assert name is not None and values is not None, part
            name_sheet, (name_row, name_col), _ = _corners(name.text or "")
            sheet, (top, left), (bottom, right) = _corners(values.text or "")
            assert name_sheet == sheet, (part, name.text, values.text)
            if top == bottom and right > left:  # a row: its label, on the same row, left of it
                assert name_row == top and name_col < left, (part, name.text, values.text)
            else:  # a column: its header, above it, in the same column
                assert left == right and name_col == left and name_row < top, (
                    part,
                    name.text,
                    values.text,
                )
            names.append(name.text or "")
        by_title[title] = names
    regions = by_title["World value by region"]
    wb = openpyxl.load_workbook(built)
    shown = []
    for reference in regions:
        sheet, (row, col), _ = _corners(reference)
        shown.append(wb[sheet].cell(row, col).value)
    assert shown == [r.name for r in cmo_spec.regions]
