"""Sheet names Excel would read as references: every reference to them, in every part of the
file, is quoted as Excel requires, and the workbook recalculates to the engine.

No Excel here: the oracle is XlsxWriter's ``quote_sheetname``, whose rules were worked out
against Excel (its tests compare with files Excel made), not cmo_xl's own quoting. LibreOffice,
Gnumeric and the ``formulas`` package read an unquoted ``C2C!A1`` without complaint, which is
why only reading the XML can catch it.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from xlsxwriter.utility import quote_sheetname

from cmo_xl.model.load import parse_spec
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook

from helpers import mismatches, need_libreoffice, recalculated_values, without_cached_values
from spec_samples import small_spec_data

#: Dimension names (each names a sheet) that look like references, or need quotes for
#: another reason, and one that needs none.
NAMES = ["R", "C", "RC", "C2C", "R2R", "RC1x", "A1B", "Q1 2025", "O'Brien's", "Rates"]


def spec_data() -> dict[str, Any]:
    data = small_spec_data()
    data["dimensions"] = [
        {
            "name": name,
            "segments": [
                {"name": "First", "share": {"value": 0.4, "provenance": "analyst"}},
                {"name": "Second", "share": {"value": 0.6, "provenance": "analyst"}},
            ],
        }
        for name in NAMES
    ]
    return data


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    plan = plan_workbook(parse_spec(spec_data(), "names"), "names")
    path = write_workbook(plan, tmp_path_factory.mktemp("names") / "names.xlsx")
    return path, plan


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            n: html.unescape(archive.read(n).decode("utf-8"))
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        }


def test_the_oracle_quotes_what_excel_reads_as_a_reference() -> None:
    assert [quote_sheetname(n) for n in NAMES] == [
        "'R'",
        "'C'",
        "'RC'",
        "'C2C'",
        "'R2R'",
        "'RC1x'",
        "A1B",
        "'Q1 2025'",
        "'O''Brien''s'",
        "Rates",
    ]


def test_every_reference_to_such_a_sheet_is_quoted(book: tuple[Path, Any]) -> None:
    path, plan = book
    titles = [s.title for s in plan.sheets]
    assert set(NAMES) <= set(titles)
    found = parts(path)
    quoted_uses = dict.fromkeys(NAMES, 0)
    for name in NAMES:
        required = quote_sheetname(name)
        escaped = name.replace("'", "''")
        bare = re.compile(r"(?<![\w.'])" + re.escape(escaped) + "!")
        quoted = re.compile(re.escape("'" + escaped + "'") + "!")
        for part, text in found.items():
            quoted_uses[name] += len(quoted.findall(text))
            if required.startswith("'"):
                assert not bare.search(text), f"{part}: {name}! unquoted"
    # each sheet is referred to from formulas, defined names and charts or links
    assert all(count > 0 for count in quoted_uses.values()), quoted_uses


def test_the_hyperlinks_and_defined_names_quote_them(book: tuple[Path, Any]) -> None:
    path, _ = book
    found = parts(path)
    locations = re.findall(r'location="([^"]+)"', "".join(found.values()))
    names = re.findall(r"<definedName [^>]*>([^<]+)</definedName>", found["xl/workbook.xml"])
    for name in NAMES:
        want = quote_sheetname(name) + "!"
        if want.startswith("'"):
            assert any(loc.startswith(want) for loc in locations) or not any(
                name in loc for loc in locations
            )
            assert any(target.startswith(want) for target in names), name


@pytest.mark.libreoffice
def test_such_a_workbook_recalculates_to_the_engine(book: tuple[Path, Any], tmp_path: Path) -> None:
    need_libreoffice()
    path, plan = book
    stripped = without_cached_values(path, tmp_path / "stripped.xlsx")
    assert mismatches(plan, recalculated_values(stripped, tmp_path / "out")) == []
