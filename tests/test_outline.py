"""Grouped rows declare their outline level: Excel reads ``outlineLevelRow`` on
``<sheetFormatPr>`` to draw the outline bar and its + (ECMA-376 Part 1, 18.3.1.81), and
openpyxl leaves it out unless told. Read from the saved XML of every sheet."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def test_every_grouped_sheet_declares_its_outline_level(built: Path) -> None:
    grouped = 0
    with zipfile.ZipFile(built) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            xml = archive.read(name).decode("utf-8")
            levels = [int(n) for n in re.findall(r'<row [^>]*outlineLevel="(\d+)"', xml)]
            declared = re.search(r'<sheetFormatPr [^>]*outlineLevelRow="(\d+)"', xml)
            if not levels:
                assert declared is None or declared[1] == "0", name
                continue
            grouped += 1
            assert declared is not None, f"{name}: grouped rows, no outlineLevelRow"
            assert int(declared[1]) >= max(levels), name
    assert grouped >= 3  # Countries, the dimension sheets, Checks
