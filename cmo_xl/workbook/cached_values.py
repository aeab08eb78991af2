"""Write the engine's value into every formula cell of a saved .xlsx, as its cached value.

openpyxl writes each formula cell as ``<c><f>...</f><v/></c>`` with an empty cached value
(openpyxl/cell/_writer.py, ``etree_write_cell``/``lxml_write_cell``) and has no API to set one,
so previews, Protected View and ``pandas.read_excel`` see blanks until a recalculation. Under
ECMA-376 Part 1, 18.3.1.4 (``c``) and 18.3.1.96 (``v``), ``<v>`` holds the formula's last result
and ``t`` its type (``str`` for a formula's text result, ``b`` for a boolean). This module fills
those in, part by part, in one pass over each part's bytes, and leaves everything else in the
package untouched. Excel still
recalculates on open because the workbook sets ``fullCalcOnLoad``.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> zip part name, read from the workbook and its relationships."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{REL}}}id")]
        parts[sheet.get("name", "")] = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
    return parts


def _encode(value: Any) -> tuple[str | None, str]:
    """The ``t`` attribute and ``<v>`` text for a cached value."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot cache {value!r}: not a finite number")
        return None, repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return "str", value
    raise TypeError(f"cannot cache a {type(value).__name__}")


#: A formula cell as openpyxl writes it (openpyxl/cell/_writer.py): the address, the other
#: attributes (a style; a type only where a value was cached before), the formula, and an
#: empty value, or one cached before, which is replaced.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*)>(<f(?: [^>]*)?>[^<]*</f>|<f [^>]*/>)'
    rb"(?:<v ?/>|<v>[^<]*</v>)</c>"
)
_TYPE = re.compile(rb' t="[^"]*"')


def _fill_part(xml: bytes, values: Mapping[str, Any]) -> bytes:
    """One pass over the part's bytes, filling each formula cell's value: no parse, no tree."""
    missing = set(values)

    def fill(match: re.Match[bytes]) -> bytes:
        address = match[1].decode("ascii")
        if address not in values:
            return match[0]
        missing.discard(address)
        kind, text = _encode(values[address])
        typed = f' t="{kind}"'.encode() if kind else b""
        value = escape(text).encode("utf-8")
        attributes = _TYPE.sub(b"", match[2])
        return b'<c r="%s"%s%s>%s<v>%s</v></c>' % (match[1], attributes, typed, match[3], value)

    written = _FORMULA_CELL.sub(fill, xml)
    if missing:
        raise ValueError(f"no formula cell at {sorted(missing)[:5]} to hold a cached value")
    return written


def write_cached_values(
    source: Path | BinaryIO, target: Path, values: Mapping[str, Mapping[str, Any]]
) -> None:
    """Copy ``source`` to ``target`` with ``values[sheet][address]`` cached in formula cells."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = sheet_parts(src)
        unknown = set(values) - set(parts)
        if unknown:
            raise ValueError(f"no sheet named {sorted(unknown)}")
        by_part = {parts[title]: cells for title, cells in values.items()}
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in by_part:
                data = _fill_part(data, by_part[info.filename])
            dst.writestr(info, data)
