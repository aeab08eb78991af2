"""Pictures of a workbook: its pages as LibreOffice prints them, as a PDF and as PNGs.

LibreOffice recalculates the workbook and prints it to PDF (see :mod:`.recalc`); poppler's
``pdftoppm`` turns each page into a PNG, and ``pdftotext`` reads the sheet's name that every
page carries in its header, so each PNG is named for its sheet (``02-Dashboard.png``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from cmo_xl.errors import OutputError, RecalcError
from cmo_xl.workbook.recalc import convert_many

POPPLER = "install it with: apt-get install -y --no-install-recommends poppler-utils"
#: A workbook larger than this is not one cmo_xl built (its largest is about 30 MB).
MAX_BOOK_BYTES = 100 * 1024 * 1024
RESOLUTION = 110  # dots per inch of the PNGs: a landscape A4 page is about 1,290 pixels wide
TIMEOUT = 300


def render_pdf(book: Path, pdf: Path) -> Path:
    """Print ``book`` to ``pdf`` through LibreOffice; the PDF is made in a private folder and
    moved into place, so LibreOffice never writes beside the workbook."""
    _check_book(book)
    with tempfile.TemporaryDirectory(prefix="cmo_xl_render_") as work:
        (made,) = convert_many([book], work, "pdf:calc_pdf_Export", ".pdf", TIMEOUT)
        shutil.move(made, pdf)
    return pdf


def render_png(pdf: Path, folder: Path) -> list[Path]:
    """Every page of ``pdf`` as a PNG in ``folder``, named by number and sheet."""
    tools = {name: shutil.which(name) for name in ("pdftoppm", "pdftotext")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        raise RecalcError(f"{' and '.join(missing)} (poppler-utils) not found; {POPPLER}")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cmo_xl_pages_") as work:
        prefix = Path(work) / "page"
        _run([str(tools["pdftoppm"]), "-r", str(RESOLUTION), "-png", str(pdf), str(prefix)])
        made = sorted(Path(work).glob("page-*.png"))
        out = []
        for number, page in enumerate(made, start=1):
            text = _run(
                [str(tools["pdftotext"]), "-f", str(number), "-l", str(number), str(pdf), "-"]
            )
            target = folder / f"{number:02d}-{_file_name(_sheet_of(text))}.png"
            shutil.move(page, target)
            out.append(target)
    return out


def _check_book(book: Path) -> None:
    try:
        size = book.stat().st_size
    except OSError as exc:
        raise OutputError(f"{book}: cannot read it: {exc.strerror or exc}") from None
    if not book.is_file():
        raise OutputError(f"{book}: not a file")
    if size > MAX_BOOK_BYTES:
        raise OutputError(
            f"{book}: {size:,} bytes; a workbook to render may have at most {MAX_BOOK_BYTES:,}"
        )


def _run(command: list[str]) -> str:
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RecalcError(f"{Path(command[0]).name} took over {TIMEOUT} s") from None
    if run.returncode != 0:
        raise RecalcError(f"{Path(command[0]).name} failed: {run.stderr.strip()[:500]}")
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
