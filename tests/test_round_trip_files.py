"""Workbooks from strangers: every command that reads one refuses a hostile or malformed file
with one line that names it, exit code 1, in bounded time and memory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from cmo_xl import incoming as files
from cmo_xl.errors import WorkbookError
from cmo_xl.model.templates import load_template
from cmo_xl.roundtrip.read import read_book

from helpers import resolve, run_cli, zip_bomb

#: What refusing a file may cost, whatever it holds: the process, Python and imports included
#: (the bounds test_hostile.py holds refused specs to; a child's peak counts what it was
#: forked from, so the bound must leave room for the test process).
#: bounds, not speed goals: far above a normal run on a loaded 2-core machine, far below an
#: unbounded one (minutes and gigabytes)
SECONDS, PEAK_MB = 20.0, 500.0
#: Entity expansion that would take gigabytes if a parser expanded it.
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + "".join(
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
        for k in range(1, 10)
    )
    + "]>"
)


def _rewrite(built: Path, out: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of ``built`` with one part changed."""
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            data = source.read(item)
            dest.writestr(item, change(data) if item.filename == part else data)
    return out


def _with_dtd(data: bytes, padding: int) -> bytes:
    """``data`` with a billion-laughs DTD in its prolog, after ``padding`` bytes of comment."""
    head, rest = b"", data
    if data.startswith(b"<?xml"):
        head, _, rest = data.partition(b"?>")
        head += b"?>"
    comment = f"<!--{'x' * padding}-->".encode() if padding else b""
    return head + comment + LAUGHS.encode() + rest


def _ole(out: Path, encrypted: bool) -> Path:
    """The header of a compound (OLE) file: what an .xls is, and what Excel wraps an encrypted
    workbook in, with its EncryptedPackage stream named in the directory."""
    body = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
    name = ("EncryptedPackage" if encrypted else "Workbook").encode("utf-16-le")
    out.write_bytes(body + name + b"\0" * 1024)
    return out


def _not_ours(out: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 42
    wb.save(out)
    return out


def _cases(built: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile or malformed file, and what its one-line error must say."""
    text = folder / "notes.xlsx"
    text.write_text("region,share\nEurope,0.3\n", encoding="utf-8")
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    truncated = folder / "truncated.xlsx"
    truncated.write_bytes(built.read_bytes()[: built.stat().st_size // 2])
    strings = "xl/workbook.xml"
    return {
        "xml bomb": (
            _rewrite(built, folder / "bomb.xlsx", strings, lambda d: _with_dtd(d, 0)),
            "declares a DTD",
        ),
        "xml bomb past the prolog": (
            _rewrite(built, folder / "deep.xlsx", strings, lambda d: _with_dtd(d, 8000)),
            "declares a DTD",
        ),
        "zip bomb": (zip_bomb(folder / "zipbomb.xlsx", 100), "is a zip bomb"),
        "not xlsx": (text, "is not an xlsx workbook"),
        "encrypted": (_ole(folder / "secret.xlsx", True), "is protected with a password"),
        "xls": (_ole(folder / "old.xls", False), "is an Excel 97-2003 workbook (.xls)"),
        "empty": (empty, "is empty"),
        "truncated": (truncated, "is damaged or truncated"),
        "not built by cmo_xl": (_not_ours(folder / "plain.xlsx"), "was not built by cmo_xl"),
    }


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    from cmo_xl.workbook.publish import build_workbook

    folder = tmp_path_factory.mktemp("hostile")
    built = build_workbook(load_template(), folder / "built.xlsx")
    return _cases(built, folder)


CASES = [
    "xml bomb",
    "xml bomb past the prolog",
    "zip bomb",
    "not xlsx",
    "encrypted",
    "xls",
    "empty",
    "truncated",
    "not built by cmo_xl",
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["read", "diff", "verify", "build"])
def test_hostile_files_are_refused_in_one_line(
    cases: dict[str, tuple[Path, str]], case: str, command: str, tmp_path: Path
) -> None:
    path, says = cases[case]
    args = {
        "read": ["read", str(path)],
        "diff": ["diff", "cmo_services", str(path)],
        "verify": ["verify", str(path)],
        "build": ["build", "--inputs-from", str(path), "-o", "out.xlsx"],
    }[command]
    run = run_cli(args, tmp_path, timeout=60)
    assert run.code == 1, (run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert says in lines[0]
    assert run.out == ""
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)
    assert not (tmp_path / "out.xlsx").exists()


def test_a_bomb_past_every_check_is_refused_by_defusedxml(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the DTD check switched off, openpyxl itself meets the bomb in a sheet, which it
    parses through defusedxml (lxml or not), and the reader says so in one line."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    sheet = "xl/worksheets/sheet3.xml"
    path = _rewrite(built, tmp_path / "sheet_bomb.xlsx", sheet, lambda d: _with_dtd(d, 0))
    with pytest.raises(WorkbookError, match="declares a DTD"):
        files.check_workbook_file(path)
    monkeypatch.setattr(files, "_declares_dtd", lambda archive, entry: False)
    with pytest.raises(WorkbookError) as refused:
        read_book(path)
    assert str(refused.value) == (
        f"{path}: declares XML entities or a DTD, which xlsx files never do; refused"
    )


def test_an_archive_declaring_too_much_is_refused_unread(
    cases: dict[str, tuple[Path, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = cases["not built by cmo_xl"]
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(WorkbookError, match=r"would inflate to [\d,]+ bytes"):
        files.check_workbook_file(path)


def test_an_xlsm_is_read_without_running_anything(built: Path, tmp_path: Path) -> None:
    """A macro-enabled copy: its VBA project is neither run nor kept, and it reads as the
    workbook it is."""
    out = tmp_path / "with_macros.xlsm"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dest.writestr(item, data)
        dest.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nSub Auto_Open()\n')
    assert read_book(out).spec == load_template()
    run = run_cli(["read", str(out)], tmp_path)
    assert run.code == 0, run.err


def test_a_spec_sheet_changed_by_hand_is_refused(built: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(built)
    wb["Spec"]["A12"] = "  name: Something else"
    wb.save(tmp_path / "changed.xlsx")
    run = run_cli(["read", str(tmp_path / "changed.xlsx")], tmp_path)
    assert run.code == 1
    assert "its Spec sheet was changed by hand" in run.err


def test_an_input_that_holds_text_is_named(built: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(built)
    sheet, address = resolve(wb, "share_Europe")
    wb[sheet][address] = "about a quarter"
    wb.save(tmp_path / "text.xlsx")
    run = run_cli(["read", str(tmp_path / "text.xlsx")], tmp_path)
    assert run.code == 1
    assert f"{sheet}!{address} (share_Europe): got 'about a quarter'; type a number" in run.err


def test_verify_without_libreoffice_says_how_to_install_it(built: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH with nothing on it; Python is run by its own path, which
    bare.mkdir()  # keeps a virtual environment's (a link to it elsewhere would lose it)
    run = subprocess.run(
        [sys.executable, "-m", "cmo_xl", "verify", str(built)],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bare)},
        check=False,
        timeout=60,
    )
    assert run.returncode == 1
    assert "LibreOffice, which is not installed" in run.stderr
    assert "apt-get install -y --no-install-recommends libreoffice-calc-nogui" in run.stderr
    assert "clean" not in run.stdout + run.stderr
