"""Chart and print details as Excel writes them, compared with what XlsxWriter writes for the
same features (its tests compare its files with files Excel made): text categories as
``strRef``, where each axis sits, the paragraph of turned axis labels, and print titles with
columns before rows. XlsxWriter is a test dependency only, as a reference."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

NS = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _parts(path: Path, prefix: str) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            archive.read(n).decode("utf-8")
            for n in sorted(archive.namelist())
            if n.startswith(prefix)
        ]


def _strip(xml: str) -> str:
    return re.sub(r"<(/?)c:", r"<\1", xml)  # XlsxWriter prefixes the chart namespace, openpyxl not


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """XlsxWriter's file: a pie over names, a bar chart over names, a column chart over years
    with turned labels, and a sheet repeating rows and columns on every page."""
    path = tmp_path_factory.mktemp("xlsxwriter") / "reference.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write_column("A1", ["North", "South"])
    sheet.write_column("B1", [1, 2])
    sheet.write_row("D1", [2022, 2023])
    sheet.write_row("D2", [1, 2])
    for kind in ("pie", "bar", "column"):
        chart = book.add_chart({"type": kind})
        if kind == "column":
            chart.add_series({"categories": "=Data!$D$1:$E$1", "values": "=Data!$D$2:$E$2"})
            chart.set_x_axis({"num_font": {"rotation": -45}})
        else:
            chart.add_series({"categories": "=Data!$A$1:$A$2", "values": "=Data!$B$1:$B$2"})
        sheet.insert_chart("G1", chart)
    sheet.repeat_rows(0, 4)
    sheet.repeat_columns(0, 1)
    book.close()
    return path


def _cat_kinds(xml: str) -> list[str]:
    return re.findall(r"<cat><(\w+)>", _strip(xml))


def _ax_positions(xml: str) -> dict[str, str]:
    text = _strip(xml)
    return {
        kind: re.search(rf"<{kind}>.*?<axPos val=\"(\w)\"", text, re.S)[1]  # type: ignore[index]
        for kind in ("catAx", "valAx")
        if f"<{kind}>" in text
    }


def test_text_categories_are_strref_as_excel_writes_them(reference: Path, built: Path) -> None:
    theirs = _parts(reference, "xl/charts/chart")
    assert _cat_kinds(theirs[0]) == ["strRef"] and _cat_kinds(theirs[1]) == ["strRef"]
    ours = _parts(built, "xl/charts/chart")
    text = [x for x in ours if "<pieChart>" in x or 'barDir val="bar"' in x]
    text += [x for x in ours if 'grouping val="clustered"' in x]  # the players' names
    assert len(text) >= 3
    for xml in text:
        assert set(_cat_kinds(xml)) == {"strRef"}, _cat_kinds(xml)
    timelines = [x for x in ours if re.search(r'grouping val="(stacked|percentStacked)"', x)]
    for xml in timelines:
        if 'barDir val="col"' in xml:
            assert set(_cat_kinds(xml)) == {"numRef"}  # years are numbers


def test_each_axis_sits_where_excel_puts_it(reference: Path, built: Path) -> None:
    theirs = _parts(reference, "xl/charts/chart")
    bar, column = _ax_positions(theirs[1]), _ax_positions(theirs[2])
    assert bar == {"catAx": "l", "valAx": "b"} and column == {"catAx": "b", "valAx": "l"}
    for xml in _parts(built, "xl/charts/chart"):
        if "<pieChart>" in xml:
            continue
        want = bar if 'barDir val="bar"' in xml else column
        assert _ax_positions(xml) == want


def test_turned_labels_have_no_empty_run(reference: Path, built: Path) -> None:
    def paragraphs(xml: str) -> list[str]:
        found = re.findall(r"<catAx>.*?<txPr>(.*?)</txPr>", _strip(xml), re.S)
        return [re.sub(r"\s", "", p) for p in found]

    (theirs,) = paragraphs(_parts(reference, "xl/charts/chart")[2])
    assert "<a:r>" not in theirs and "<a:endParaRPr" in theirs
    turned = [p for xml in _parts(built, "xl/charts/chart") for p in paragraphs(xml)]
    assert turned
    for paragraph in turned:
        assert "<a:r>" not in paragraph and "<a:endParaRPr" in paragraph


def test_print_titles_name_columns_before_rows(reference: Path, built: Path) -> None:
    (theirs,) = _parts(reference, "xl/workbook.xml")
    (ours,) = _parts(built, "xl/workbook.xml")
    pattern = r'<definedName name="_xlnm.Print_Titles"[^>]*>([^<]+)</definedName>'
    assert re.findall(pattern, theirs) == ["Data!$A:$B,Data!$1:$5"]
    both = [t for t in re.findall(pattern, ours) if "," in t]
    assert both
    for titles in both:
        cols, rows = titles.split(",")
        assert re.fullmatch(r".+!\$[A-Z]+:\$[A-Z]+", cols), titles
        assert re.fullmatch(r".+!\$\d+:\$\d+", rows), titles
