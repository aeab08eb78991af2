"""A workbook file that came from someone else, checked before anything parses it.

``cmo-xl read``, ``diff``, ``verify``, ``build --inputs-from`` and ``render`` take files that
came by email. Every one of them opens such a file here (:func:`open_regular`), and before
openpyxl or LibreOffice sees it, :func:`check_workbook_file` looks at its bytes and its zip
directory:

* what the path is, before it is read: only a regular file is opened, and it is opened without
  waiting (``O_NONBLOCK``), so a named pipe or a device called ``book.xlsx`` is refused at once
  instead of blocking the command forever;
* the file's size, and what it is: an empty file, an Excel 97-2003 ``.xls``, a
  password-protected workbook (an OLE file holding an ``EncryptedPackage`` stream, as
  MS-OFFCRYPTO 2.3.4.4 lays out) or no zip archive at all is refused, each with its own message;
* the zip directory: how many entries, their declared sizes and their compression ratios, so a
  zip bomb is refused before a byte is inflated. The declared size is what counts: Python's
  ``zipfile`` never returns more than it (``ZipExtFile._read1`` cuts each chunk to ``_left``)
  and fails on a checksum that does not match. Only stored and deflated entries are read;
  xlsx writers use nothing else, and deflate is inflated in bounded chunks;
* every XML part, whole: xlsx parts never declare a DTD, so one that does (the start of an
  entity-expansion bomb) is refused. openpyxl parses through defusedxml besides, which refuses
  entities wherever they are.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from pathlib import Path
from typing import BinaryIO, NoReturn

from cmo_xl.errors import WorkbookError

#: The largest workbook cmo_xl builds (about 500,000 formula cells) is about 30 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Its parts, inflated, are about 300 MB; anything declaring more is not one of ours.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_ENTRIES = 10_000
#: Worksheet XML deflates about 10 to 20 times; 200 times is a bomb (Apache POI's ZipSecureFile
#: refuses beyond 100 by default). Entries under :data:`RATIO_FLOOR` bytes are too small to
#: matter, whatever their ratio.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
#: Parts openpyxl parses whole into objects before any sheet is read, by content type, and the
#: most each may inflate to: the largest workbook cmo_xl builds has a workbook part of 63 KB
#: (865 defined names) and a styles part of 12 KB, and writes no shared strings; one saved by
#: Excel has them. At openpyxl's pace (100,000 defined names take 7 s) these keep each to a
#: second or two.
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml."
PART_LIMITS = {
    f"{_TYPE}sheet.main+xml": 2 * 1024 * 1024,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": 2 * 1024 * 1024,
    f"{_TYPE}styles+xml": 4 * 1024 * 1024,
    f"{_TYPE}sharedStrings+xml": 64 * 1024 * 1024,
}
CONTENT_TYPES_BYTES = 1024 * 1024
#: XML parts are searched for a DTD in chunks of this size.
CHUNK_BYTES = 1024 * 1024

_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check_workbook_file(path: Path) -> None:
    """Refuse ``path`` unless it looks like an xlsx workbook that is safe to parse."""
    head = _head(path)
    if head.startswith(_OLE):
        if _ENCRYPTED in _bounded_bytes(path):
            _refuse(
                path,
                "is protected with a password (encrypted); open it in Excel, remove the "
                "password and save it again",
            )
        _refuse(
            path,
            "is an Excel 97-2003 workbook (.xls) or another OLE file, not .xlsx; open it in "
            "Excel or LibreOffice and save it as .xlsx",
        )
    if not head.startswith(_ZIP):
        _refuse(path, f"is not an xlsx workbook (not a zip archive; it starts with {head[:8]!r})")
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            _check_archive(path, archive)
    except zipfile.BadZipFile as exc:
        _refuse(path, f"is damaged or truncated: not a complete zip archive ({exc})")
    except (OSError, EOFError, ValueError) as exc:
        _refuse(path, f"cannot be read as a zip archive ({exc})")


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, once it is known to be a regular file of a size cmo_xl
    reads; anything else is a :class:`WorkbookError` that names it."""
    try:
        before = os.stat(path)  # follows links, and never blocks
    except OSError as exc:
        _refuse(path, f"cannot be read ({exc.strerror or exc})")
    _check_kind(path, before)
    try:
        # O_NONBLOCK: if the path became a pipe since, opening it does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        _refuse(path, f"cannot be read ({exc.strerror or exc})")
    handle = os.fdopen(fd, "rb")
    try:
        _check_kind(path, os.fstat(fd))
    except BaseException:
        handle.close()
        raise
    return handle


def _check_kind(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        _refuse(path, "is a folder; give an .xlsx file")
    if not stat.S_ISREG(info.st_mode):
        _refuse(path, "is not a regular file (a pipe or a device?); give an .xlsx file")
    if info.st_size == 0:
        _refuse(path, "is empty (0 bytes)")
    if info.st_size > MAX_FILE_BYTES:
        _refuse(
            path,
            f"has {info.st_size:,} bytes; cmo_xl reads workbooks of at most "
            f"{MAX_FILE_BYTES:,} bytes",
        )


def _head(path: Path) -> bytes:
    with open_regular(path) as handle:
        try:
            return handle.read(8)
        except OSError as exc:
            _refuse(path, f"cannot be read ({exc.strerror or exc})")


def _bounded_bytes(path: Path) -> bytes:
    with open_regular(path) as handle:
        return handle.read(MAX_FILE_BYTES)


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        _refuse(path, f"holds {len(entries):,} files; an xlsx holds at most {MAX_ENTRIES:,} here")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(path, "is a zip archive but not an xlsx workbook (it has no xl/workbook.xml)")
    _check_parts(path, archive)
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            _refuse(path, f"{entry.filename} inside it is encrypted")
        if entry.compress_type not in _METHODS:
            _refuse(
                path,
                f"{entry.filename} inside it uses compression method {entry.compress_type}; "
                "xlsx files are stored or deflated",
            )
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            _refuse(
                path,
                f"{entry.filename} inside it would inflate {ratio:,.0f} times "
                f"({entry.compress_size:,} to {entry.file_size:,} bytes); more than "
                f"{MAX_RATIO} times is a zip bomb",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        _refuse(
            path,
            f"would inflate to {total:,} bytes; cmo_xl reads workbooks of at most "
            f"{MAX_UNCOMPRESSED_BYTES:,} bytes inflated (a zip bomb?)",
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, entry):
            _refuse(
                path,
                f"{entry.filename} inside it declares a DTD, which xlsx files never do "
                "(XML entities can expand without bound); refused",
            )


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a part of a kind openpyxl parses whole that is larger than :data:`PART_LIMITS`
    allows; the kinds come from ``[Content_Types].xml``, so a renamed part is still found."""
    from defusedxml import ElementTree  # refuses entities and DTDs

    types = archive.getinfo("[Content_Types].xml")
    if types.file_size > CONTENT_TYPES_BYTES or _declares_dtd(archive, types):
        _refuse(path, "[Content_Types].xml inside it is not the short list an xlsx holds")
    try:
        root = ElementTree.fromstring(archive.read(types))
    except Exception as exc:  # whatever malformed XML makes the parser raise
        _refuse(path, f"[Content_Types].xml inside it cannot be read ({type(exc).__name__})")
    kinds, defaults = {}, {}
    for item in root:  # an Override names a part; a Default, every part with an extension
        if item.get("PartName") is not None:
            kinds[item.get("PartName", "").lstrip("/")] = item.get("ContentType", "")
        elif item.get("Extension") is not None:
            defaults[item.get("Extension", "").lower()] = item.get("ContentType", "")
    sizes = {e.filename: e.file_size for e in archive.infolist()}
    for name, size in sizes.items():
        kind = kinds.get(name, defaults.get(name.rpartition(".")[2].lower(), ""))
        limit = PART_LIMITS.get(kind)
        if limit is not None and size > limit:
            _refuse(
                path,
                f"{name} inside it inflates to {size:,} bytes; cmo_xl reads such a "
                f"part of at most {limit:,} bytes",
            )


def _declares_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether the part holds ``<!DOCTYPE`` or ``<!ENTITY`` anywhere: a comment of any length
    may come before a DTD, and openpyxl parses some parts with lxml when it is installed,
    which reads a DTD without refusing it (it only leaves the entities unexpanded)."""
    tail = b""
    with archive.open(entry) as part:
        while chunk := part.read(CHUNK_BYTES):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = window[-16:]
    return False


def _refuse(path: Path, problem: str) -> NoReturn:
    raise WorkbookError(f"{path}: {problem}")


def copy_checked(path: Path, dest: Path) -> Path:
    """A copy of the checked file ``path`` at ``dest``, for a program that must not open the
    user's own file (LibreOffice writes lock files beside what it opens)."""
    check_workbook_file(path)
    try:
        with open_regular(path) as source, dest.open("xb") as target:
            shutil.copyfileobj(source, target)
    except OSError as exc:
        _refuse(path, f"cannot be copied ({exc.strerror or exc})")
    return dest


#: A start or end tag of an element of the sheet's XML, namespace prefix or not; attribute
#: values are matched whole, so a ``>`` inside one does not end the tag.
_ATTRS = rb"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""
_ROW = re.compile(rb"<(?:[\w.-]+:)?row(" + _ATTRS + rb")(/?)>")
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row\s*>")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(" + _ATTRS + rb")(/?)>")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData(" + _ATTRS + rb")(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension" + _ATTRS + rb"/>")
_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)(\d+)["']""")


def trimmed_copy(path: Path, dest: Path, extents: dict[str, tuple[int, int]]) -> Path:
    """A copy of the checked workbook ``path`` at ``dest`` holding only the cells within
    ``extents`` (sheet title -> last row, last column): the rows and cells past them are left
    out, and a sheet not named keeps no cells at all. For LibreOffice, which would otherwise
    spend a minute and gigabytes on a million rows someone added, none of which a formula of
    cmo_xl's reads. Everything else (names, styles, charts, the sheets themselves) is copied
    as it is."""
    check_workbook_file(path)
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as source:
            parts = _sheet_parts(source)
            with zipfile.ZipFile(dest, "x", zipfile.ZIP_DEFLATED) as target:
                for entry in source.infolist():
                    data = source.read(entry)
                    if entry.filename in parts:
                        data = _trim_sheet(data, extents.get(parts[entry.filename], (0, 0)))
                    target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        _refuse(path, f"cannot be copied for LibreOffice ({exc})")
    return dest


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's name in the archive -> its sheet's title."""
    from defusedxml import ElementTree  # refuses entities and DTDs, as openpyxl's reading does

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel_ns}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[part] = sheet.get("name", "")
    return out


def _trim_sheet(data: bytes, extent: tuple[int, int]) -> bytes:
    last_row, last_col = extent
    start, end = _SHEET_DATA.search(data), None
    if start is None or start[2]:
        return data  # no cells, or an empty <sheetData/>
    end = _SHEET_DATA_END.search(data, start.end())
    if end is None:
        raise ValueError("a worksheet's sheetData is not closed")
    head = _DIMENSION.sub(b"", data[: start.end()])  # the size it claims is the old one
    kept = [head]
    if last_row and last_col:
        kept += _rows_within(data, start.end(), end.start(), last_row, last_col)
    kept.append(data[end.start() :])
    return b"".join(kept)


def _rows_within(data: bytes, at: int, stop: int, last_row: int, last_col: int) -> list[bytes]:
    out: list[bytes] = []
    number = 0
    while (row := _ROW.search(data, at, stop)) is not None:
        given = _R.search(row[1])
        number = int(given[2]) if given else number + 1  # a row may leave r out
        if number > last_row:
            break
        if row[2]:  # <row .../>
            out.append(row[0])
            at = row.end()
            continue
        close = _ROW_END.search(data, row.end(), stop)
        if close is None:
            raise ValueError("a row of a worksheet is not closed")
        out += [row[0], *_cells_within(data[row.end() : close.start()], last_col), close[0]]
        at = close.end()
    return out


def _cells_within(body: bytes, last_col: int) -> list[bytes]:
    out: list[bytes] = []
    at = column = 0
    while True:
        cell = _CELL.search(body, at)
        if cell is None:
            return out
        if cell[2]:
            finish = cell.end()
        else:
            close = _CELL_END.search(body, cell.end())
            finish = close.end() if close else len(body)
        given = _R.search(cell[1])
        column = _column(given[1]) if given and given[1] else column + 1
        if column <= last_col:
            out.append(body[cell.start() : finish])
        at = finish


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number
