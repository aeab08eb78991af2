"""Pictures of a workbook: its pages as LibreOffice prints them, as a PDF and as PNGs.

LibreOffice recalculates a checked copy of the workbook and prints it to PDF (see
:mod:`.recalc`); poppler's ``pdftoppm`` turns each page into a PNG, and ``pdftotext`` reads the
sheet's name that every page carries in its header, so each PNG is named for its sheet
(``02-Dashboard.png``). Every program runs through :mod:`cmo_xl.processes`, within one
timeout; what it makes stays in a private folder until :mod:`cmo_xl.outgoing` publishes it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from cmo_xl import processes
from cmo_xl.errors import RecalcError
from cmo_xl.incoming import copy_checked
from cmo_xl.workbook.recalc import INSTALL, convert_many, soffice

POPPLER = "install it with: apt-get install -y --no-install-recommends poppler-utils"
RESOLUTION = 110  # dots per inch of the PNGs: a landscape A4 page is about 1,290 pixels wide
POPPLER_TOOLS = ("pdftoppm", "pdftotext")


def check_tools(*, pages: bool) -> None:
    """Refuse before anything runs when LibreOffice (or, for ``pages``, poppler) is missing."""
    if soffice() is None:
        raise RecalcError(f"LibreOffice (soffice) is not installed; {INSTALL}")
    missing = [name for name in POPPLER_TOOLS if shutil.which(name) is None] if pages else []
    if missing:
        raise RecalcError(f"{' and '.join(missing)} (poppler-utils) not found; {POPPLER}")


def print_pdf(book: Path, work: Path, timeout: float) -> Path:
    """``book`` printed to a PDF in the private folder ``work``: LibreOffice opens a checked
    copy, so it never writes beside the user's file."""
    (work / "in").mkdir()
    copy = copy_checked(book, work / "in" / "book.xlsx")
    (made,) = convert_many([copy], work / "out", "pdf:calc_pdf_Export", ".pdf", timeout)
    return made


def page_images(pdf: Path, folder: Path, timeout: float) -> list[str]:
    """Every page of ``pdf`` as a PNG in ``folder``, named by number and sheet; their names."""
    with tempfile.TemporaryDirectory(prefix="cmo_xl_pages_") as work:
        prefix = Path(work) / "page"
        _run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(prefix)], timeout)
        out = []
        for number, page in enumerate(sorted(Path(work).glob("page-*.png")), start=1):
            text = _run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], timeout)
            name = f"{number:02d}-{_file_name(_sheet_of(text))}.png"
            shutil.move(page, folder / name)
            out.append(name)
    return out


def _run(command: list[str], timeout: float) -> str:
    binary = shutil.which(command[0])
    if binary is None:
        raise RecalcError(f"{command[0]} (poppler-utils) not found; {POPPLER}")
    run = processes.run([binary, *command[1:]], timeout=timeout, what=command[0])
    if run.returncode != 0:
        raise RecalcError(f"{command[0]} failed: {run.stderr.strip()[:500]}")
    return run.stdout


def _sheet_of(text: str) -> str:
    """The page's header line: the sheet's name."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "page")


def _file_name(sheet: str) -> str:
    """A sheet's name as a file name: letters, digits and single hyphens.

    >>> _file_name("Client type"), _file_name("xlwings.conf")
    ('Client-type', 'xlwings-conf')
    """
    return re.sub(r"[^A-Za-z0-9]+", "-", sheet).strip("-")[:40] or "page"
