"""Files from strangers, a LibreOffice that hangs, signals and output paths.

Every case is run as a user runs it, through ``python -m cmo_xl`` in a folder of its own with a
private temporary folder (``TMPDIR``), and each asserts: the one line it says (naming the file
or the option), the exit code, the bounds (10 s, 500 MB, the command's own process), that no
process it started still runs (LibreOffice is found by the private temporary folder in its
command line), that nothing is left in the temporary folder, and that every file that was
there before is byte-identical. The crafted workbooks are made here, from the default one.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import yaml

from cmo_xl import outgoing
from cmo_xl.errors import OutputError
from cmo_xl.incoming import trimmed_copy
from cmo_xl.udf_args import UdfInputError, grid
from cmo_xl.workbook.records import WorkbookPlan

from helpers import Run, need_libreoffice, run_cli, zip_bomb
from spec_samples import small_spec_data

#: bounds, not speed goals: far above a normal run on a loaded 2-core machine, far below an
#: unbounded one (minutes and gigabytes)
SECONDS, PEAK_MB = 20.0, 500.0


# -- a workspace, and what must hold after every command ------------------------------------


class Space:
    """A folder to run in, a private temporary folder, and a snapshot of both."""

    def __init__(self, root: Path) -> None:
        self.work = root / "work"
        self.tmp = root / "tmp"
        self.work.mkdir()
        self.tmp.mkdir()
        self.before: dict[str, bytes | None] = {}  # None: not a regular file

    def add(self, name: str, data: bytes) -> Path:
        path = self.work / name
        path.write_bytes(data)
        return path

    def snapshot(self) -> None:
        self.before = {
            p.name: p.read_bytes() if p.is_file() and not p.is_symlink() else None
            for p in self.work.iterdir()
        }

    def env(self, path: str | None = None) -> dict[str, str]:
        env = dict(os.environ, TMPDIR=str(self.tmp))
        if path is not None:
            env["PATH"] = path
        return env

    def run(self, *args: str, path: str | None = None, timeout: float = 60) -> Run:
        self.snapshot()
        return run_cli(list(args), self.work, env=self.env(path), timeout=timeout)

    def clean(self, *new: str) -> None:
        """Nothing running, nothing left in the temporary folder, the files as they were (and
        only ``new`` added)."""
        assert ours(self.tmp) == [], "a process the command started still runs"
        assert list(self.tmp.iterdir()) == []
        now = {p.name: p for p in self.work.iterdir()}
        assert sorted(now) == sorted([*self.before, *new]), sorted(now)
        for name, data in self.before.items():
            if data is not None:
                assert now[name].read_bytes() == data, f"{name} changed"


def ours(marker: Path) -> list[int]:
    """Processes whose command line names ``marker`` (a LibreOffice started with a profile in
    it, or a fake program in it)."""
    found = []
    needle = str(marker).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "cmdline").read_bytes():
                stat_text = (entry / "stat").read_text()
                if stat_text[stat_text.rfind(")") + 2] not in "ZX":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def one_line(run: Run, *says: str, code: int = 1) -> None:
    assert run.code == code, (run.code, run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    for text in says:
        assert text in lines[0], lines[0]
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)


@pytest.fixture
def space(tmp_path: Path) -> Space:
    return Space(tmp_path)


# -- crafted workbooks ------------------------------------------------------------------------


def rewrite(
    built: Path,
    out: Path,
    changes: dict[str, Callable[[bytes], bytes]],
    extra: tuple[tuple[str, bytes], ...] = (),
) -> Path:
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, changes.get(item.filename, lambda d: d)(data))
        for name, data in extra:
            dst.writestr(name, data)
    return out


def sheet_part(built: Path, title: str) -> str:
    with zipfile.ZipFile(built) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    match = re.search(rf'<sheet name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', book)
    assert match is not None
    target = re.search(rf'<Relationship[^>]*Id="{match[1]}"[^>]*/>', rels)
    assert target is not None
    found = re.search(r'Target="/?(?:xl/)?([^"]+)"', target[0])
    assert found is not None
    return "xl/" + found[1]


def rows_xml(rows: Iterator[tuple[int, str]]) -> bytes:
    return "".join(f'<row r="{r}"><c r="{col}{r}"><v>1</v></c></row>' for r, col in rows).encode()


def with_rows(built: Path, out: Path, title: str, rows: Iterator[tuple[int, str]]) -> Path:
    """``built`` with rows appended to the sheet ``title``."""
    add = rows_xml(rows)
    part = sheet_part(built, title)
    return rewrite(built, out, {part: lambda d: d.replace(b"</sheetData>", add + b"</sheetData>")})


def with_extra_sheet(built: Path, out: Path, rows: int) -> Path:
    """``built`` with a sheet of ``rows`` one-number rows and no <dimension>."""
    ns = "http://schemas.openxmlformats.org/"
    body = (
        f'<worksheet xmlns="{ns}spreadsheetml/2006/main"><sheetData>'.encode()
        + rows_xml((r, "A") for r in range(1, rows + 1))
        + b"</sheetData></worksheet>"
    )
    sheet = b'<sheet name="Extra" sheetId="99" r:id="rId99"/></sheets>'
    rel = (
        f'<Relationship Id="rId99" Type="{ns}officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/extra.xml"/></Relationships>'
    ).encode()
    kind = (
        b'<Override PartName="/xl/worksheets/extra.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    return rewrite(
        built,
        out,
        {
            "xl/workbook.xml": lambda d: d.replace(b"</sheets>", sheet),
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(b"</Relationships>", rel),
            "[Content_Types].xml": lambda d: d.replace(b"</Types>", kind),
        },
        (("xl/worksheets/extra.xml", body),),
    )


def with_name(built: Path, out: Path, name: str, ref: str) -> Path:
    pattern = re.compile(rf'(<definedName name="{name}"[^>]*>)[^<]*(</definedName>)'.encode())
    return rewrite(
        built,
        out,
        {"xl/workbook.xml": lambda d: pattern.sub(lambda m: m[1] + ref.encode() + m[2], d)},
    )


def with_options(built: Path, out: Path, text: str) -> Path:
    """``built`` with the Spec sheet's build-options cell (outside the checksum) set."""
    wb = openpyxl.load_workbook(built)
    wb["Spec"]["B7"] = text
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def crafted(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crafted")
    return {
        "lines everywhere": with_name(
            built, folder / "a.xlsx", "spec_lines", "Spec!$A$11:$XFD$1048576"
        ),
        "record a whole sheet": with_name(
            built, folder / "b.xlsx", "spec_record", "Spec!$A$1:$XFD$1048576"
        ),
        "record in another workbook": with_name(
            built, folder / "c.xlsx", "spec_record", "[1]Spec!$B$5:$B$9"
        ),
        "lines on a missing sheet": with_name(
            built, folder / "d.xlsx", "spec_lines", "Nowhere!$A$11:$A$381"
        ),
        "options nested 50,000 deep": with_options(
            built, folder / "e.xlsx", "[" * 50_000 + "]" * 50_000
        ),
        "options nested 5,000 deep": with_options(
            built, folder / "f.xlsx", "[" * 5_000 + "]" * 5_000
        ),
        "a million rows on an extra sheet": with_extra_sheet(built, folder / "g.xlsx", 1_000_000),
        "20,000 rows at column XFD": with_rows(
            built, folder / "h.xlsx", "Regions", ((r, "XFD") for r in range(1000, 21_000))
        ),
        "a number at XFD1048576": with_rows(
            built, folder / "i.xlsx", "Regions", iter([(1_048_576, "XFD")])
        ),
        "zip bomb": zip_bomb(folder / "j.xlsx", 1024),
        "100,000 defined names": rewrite(
            built,
            folder / "k.xlsx",
            {
                "xl/workbook.xml": lambda d: d.replace(
                    b"<definedNames>",
                    b"<definedNames>"
                    + b"".join(
                        b'<definedName name="n%d">Inputs!$A$1</definedName>' % k
                        for k in range(100_000)
                    ),
                )
            },
        ),
    }


REFUSED = {
    "lines everywhere": "its defined name spec_lines points at 'Spec!A11:XFD1048576'",
    "record a whole sheet": "its defined name spec_record points at 'Spec!A1:XFD1048576'",
    "record in another workbook": "spec_record points at a sheet it does not have, '[1]Spec'",
    "lines on a missing sheet": "spec_lines points at a sheet it does not have, 'Nowhere'",
    "options nested 50,000 deep": "its build options are not the short JSON object",
    "options nested 5,000 deep": "its build options cannot be read",
    "zip bomb": "is a zip bomb",
    "100,000 defined names": "xl/workbook.xml inside it inflates to 5,",
}
READERS = {
    "read": lambda book: ["read", book],
    "verify": lambda book: ["verify", book],
    "diff": lambda book: ["diff", "cmo_services", book],
    "build": lambda book: ["build", "--inputs-from", book, "-o", "out.xlsx"],
    "render": lambda book: ["render", book, "--pdf", "out.pdf"],
}


#: render prints any workbook (it reads no Spec sheet), so it meets only the archive checks
REFUSED_BY = [
    (case, command)
    for case in sorted(REFUSED)
    for command in sorted(READERS)
    if command != "render" or case == "zip bomb"
]


@pytest.mark.parametrize(("case", "command"), REFUSED_BY)
def test_a_crafted_workbook_is_refused_in_one_line(
    crafted: dict[str, Path], case: str, command: str, space: Space
) -> None:
    book = space.add("book.xlsx", crafted[case].read_bytes())
    run = space.run(*READERS[command](str(book.name)))
    one_line(run, f"error: {book.name}: ", REFUSED[case])
    space.clean()


@pytest.mark.parametrize("command", sorted(READERS))
def test_a_named_pipe_is_refused_without_waiting(command: str, space: Space) -> None:
    os.mkfifo(space.work / "book.xlsx")
    run = space.run(*READERS[command]("book.xlsx"), timeout=30)
    one_line(run, "error: book.xlsx: is not a regular file")
    space.clean()


SPEC_COMMANDS = {"validate": ["validate"], "build": ["build"], "diff": ["diff", "cmo_services"]}


@pytest.mark.parametrize("command", sorted(SPEC_COMMANDS))
def test_a_spec_that_is_a_pipe_no_one_writes_to_reads_as_empty(command: str, space: Space) -> None:
    os.mkfifo(space.work / "spec.yaml")
    run = space.run(*SPEC_COMMANDS[command], "spec.yaml", timeout=30)
    assert run.code == 1 and "expected a mapping of the spec's fields" in run.err, run.err
    assert "Traceback" not in run.err and run.seconds < SECONDS
    space.clean()


def test_a_spec_that_is_a_pipe_that_never_ends_is_refused_after_5_s(space: Space) -> None:
    """Every command reads a spec through one reader: validate stands for them."""
    os.mkfifo(space.work / "spec.yaml")
    writer = subprocess.Popen(
        [sys.executable, "-c", "import time; f = open('spec.yaml', 'w'); time.sleep(30)"],
        cwd=space.work,
    )
    try:
        run = space.run("validate", "spec.yaml", timeout=30)
    finally:
        writer.kill()
        writer.wait()
    assert run.code == 1 and "gave no end of file within 5 s; give a spec file" in run.err
    assert "Traceback" not in run.err and run.seconds < SECONDS, (run.seconds, run.err)
    space.clean()


@pytest.mark.parametrize(
    "case",
    ["a million rows on an extra sheet", "20,000 rows at column XFD", "a number at XFD1048576"],
)
def test_cells_cmo_xl_did_not_write_cost_nothing_to_read(
    crafted: dict[str, Path], case: str, space: Space
) -> None:
    space.add("book.xlsx", crafted[case].read_bytes())
    run = space.run("read", "book.xlsx", "-o", "spec.yaml")
    assert run.code == 0, run.err
    assert "0 edited input(s)" in run.out
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)
    space.clean("spec.yaml")


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", ["a million rows on an extra sheet", "a number at XFD1048576"])
def test_verify_gives_libreoffice_only_what_cmo_xl_wrote(
    crafted: dict[str, Path], case: str, space: Space
) -> None:
    need_libreoffice()
    space.add("book.xlsx", crafted[case].read_bytes())
    run = space.run("verify", "book.xlsx")
    assert run.code == 0, run.err
    assert "clean: all" in run.out
    # not timed: how long LibreOffice takes depends on the machine's load; what it is given
    # is checked cell by cell in the next test
    assert run.peak_mb < PEAK_MB, run.peak_mb
    space.clean()


def _cells_by_part(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        return {
            n: archive.read(n).count(b"<c ")
            for n in archive.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml") and "/_rels/" not in n
        }


@pytest.mark.parametrize("case", ["a million rows on an extra sheet", "a number at XFD1048576"])
def test_the_copy_for_libreoffice_holds_only_the_cells_cmo_xl_wrote(
    crafted: dict[str, Path], built: Path, cmo_plan: WorkbookPlan, case: str, tmp_path: Path
) -> None:
    """The copy verify recalculates, of a workbook with cells added far past cmo_xl's, holds
    as many cells on every sheet as the same copy of the workbook as built; an added sheet
    holds none."""
    extents = {
        s.title: (max(c.row for c in s.cells), max(c.col for c in s.cells)) for s in cmo_plan.sheets
    }
    pristine = _cells_by_part(trimmed_copy(built, tmp_path / "pristine.xlsx", extents))
    tampered = _cells_by_part(trimmed_copy(crafted[case], tmp_path / "tampered.xlsx", extents))
    assert sum(_cells_by_part(crafted[case]).values()) > sum(pristine.values())  # cells were added
    assert {n: k for n, k in tampered.items() if n in pristine} == pristine
    assert all(k == 0 for n, k in tampered.items() if n not in pristine)


def test_a_udf_argument_is_sized_before_it_is_converted() -> None:
    column = [[1.0] * 16 for _ in range(1_048_576)]
    start = time.monotonic()
    with pytest.raises(UdfInputError, match=r"got a range of 1,048,576 x 16 cells; at most"):
        grid(column, "base_shares")
    with pytest.raises(UdfInputError, match=r"got a range of 5,000 x 5,000 cells"):
        grid(np.zeros((5000, 5000)), "base_shares")
    assert time.monotonic() - start < 1.0


# -- LibreOffice that hangs, and signals while it runs ----------------------------------------


def on_path(folder: Path, script: str, *, alone: bool = False) -> str:
    """A PATH whose first folder, ``folder``, holds an executable ``soffice`` of ``script``
    (``alone``: the only folder)."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(script, encoding="utf-8")
    program.chmod(0o755)
    return str(folder) if alone else f"{folder}{os.pathsep}{os.environ['PATH']}"


def fake_soffice(folder: Path) -> str:
    """A PATH whose ``soffice`` never returns and whose child ignores SIGTERM, so only a
    SIGKILL to the whole group ends them."""
    child = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    script = f"#!/bin/sh\ntrap '' TERM\n'{sys.executable}' -c '{child}' \"$0\" &\nwait\n"
    return on_path(folder, script)


@pytest.mark.parametrize("command", ["verify", "render"])
def test_a_libreoffice_that_never_returns_is_stopped_at_the_timeout(
    built: Path, command: str, space: Space, tmp_path: Path
) -> None:
    path = fake_soffice(tmp_path / "fake")
    space.add("book.xlsx", built.read_bytes())
    run = space.run(command, "book.xlsx", "--timeout", "2", path=path, timeout=60)
    assert run.seconds < 2 + 3 + 3 + 3  # the timeout, SIGTERM's grace, SIGKILL's, start-up
    one_line(
        run,
        "error: LibreOffice did not finish within 2 s and was stopped; give it longer with "
        "--timeout SECONDS",
    )
    assert ours(tmp_path / "fake") == []
    space.clean()


def test_a_libreoffice_that_cannot_start_is_one_line(
    built: Path, space: Space, tmp_path: Path
) -> None:
    path = on_path(tmp_path / "broken", "#!/no/such/interpreter\n")
    space.add("book.xlsx", built.read_bytes())
    run = space.run("verify", "book.xlsx", path=path)
    one_line(run, "error: LibreOffice could not be started (soffice: No such file or directory)")
    space.clean()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "soon", "1e9"])
def test_a_bad_timeout_is_a_usage_error(value: str, space: Space) -> None:
    run = space.run("verify", "book.xlsx", "--timeout", value)
    assert run.code == 2
    assert "--timeout: got" in run.err and "give a number of seconds above 0" in run.err


@pytest.mark.libreoffice
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize("command", ["verify", "render"])
def test_a_signal_while_libreoffice_runs_leaves_nothing(
    built: Path, command: str, signum: int, space: Space
) -> None:
    need_libreoffice()
    space.add("book.xlsx", built.read_bytes())
    space.snapshot()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmo_xl", command, "book.xlsx"],
        cwd=space.work,
        env=space.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(b"soffice" in _cmdline(pid) for pid in ours(space.tmp)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "LibreOffice never started"
        time.sleep(0.05)
    time.sleep(0.5)  # well into its work
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum, err
    assert b"no file was written" in err and b"Traceback" not in err
    space.clean()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_stop_while_a_program_starts_still_ends_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SIGTERM lands while the program is being started: it is held until the program is
    recorded, then raised where the program's group is still ended."""
    from cmo_xl import processes, stopping
    from cmo_xl.errors import Interrupted

    real = subprocess.Popen

    def popen(*args: Any, **options: Any) -> Any:
        process = real(*args, **options)
        os.kill(os.getpid(), signal.SIGTERM)
        return process

    monkeypatch.setattr(processes.subprocess, "Popen", popen)
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)", str(tmp_path)]
    with stopping.signals_stop_cleanly(), pytest.raises(Interrupted):
        processes.run(sleeper, timeout=30, what="a sleeper")
    assert ours(tmp_path) == []


def test_a_stop_raised_inside_a_finaliser_still_stops_the_command(tmp_path: Path) -> None:
    """Python drops an exception raised in ``__del__`` ("Exception ignored"); a SIGTERM that
    lands there (``ZipFile.__del__`` while a reader closes) is raised again just after."""
    code = (
        "import os, signal, time\n"
        "from cmo_xl.errors import Interrupted\n"
        "from cmo_xl.stopping import signals_stop_cleanly\n"
        "class Closing:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        for _ in range(1000): pass\n"
        "with signals_stop_cleanly():\n"
        "    try:\n"
        "        Closing()\n"
        "        time.sleep(20)\n"
        "        print('kept running')\n"
        "    except Interrupted as exc:\n"
        "        print('stopped', exc.signum)\n"
    )
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == f"stopped {int(signal.SIGTERM)}", result
    assert "Exception ignored" not in result.stderr
    assert time.monotonic() - start < 10


# -- output paths -----------------------------------------------------------------------------


def test_render_never_writes_over_the_workbook(built: Path, space: Space) -> None:
    space.add("book.pdf", built.read_bytes())  # a workbook with a PDF's name
    run = space.run("render", "book.pdf", "--force")
    one_line(run, "error: book.pdf: is the workbook being rendered; choose another output file")
    space.clean()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("book.yaml", ["-o", "book.yaml"]),
        ("t.csv", ["--values", "t.csv"]),
        ("t.csv", ["--values", "link.csv"]),
    ],
)
def test_read_never_writes_over_the_workbook(
    built: Path, name: str, args: list[str], space: Space
) -> None:
    space.add(name, built.read_bytes())
    (space.work / "link.csv").symlink_to(name)
    run = space.run("read", name, *args, "--force")
    one_line(run, "is the workbook being read; choose another output file")
    space.clean()


def test_read_outputs_are_not_each_other(built: Path, space: Space) -> None:
    space.add("book.xlsx", built.read_bytes())
    (space.work / "t.csv").symlink_to("s.yaml")
    space.add("s.yaml", b"old")
    run = space.run("read", "book.xlsx", "-o", "s.yaml", "--values", "t.csv", "--force")
    one_line(run, "t.csv: is another output of this command")
    space.clean()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--pdf", "nowhere/out.pdf"], "out.pdf: the folder nowhere does not exist"),
        (["--pdf", "/proc/out.pdf"], "/proc/out.pdf: cannot write"),
        (["--pdf", "out.png"], "out.png: the name must end in .pdf"),
        (["--pdf", "old.pdf"], "old.pdf: already exists; use --force to overwrite it"),
        (["--pdf", "fifo.pdf", "--force"], "fifo.pdf: is not a regular file"),
        (["--png", "afile"], "afile: is a file, not a folder"),
        (["--png", "pages"], "pages: is not empty; use --force to write into it"),
        (["--png", "book.xlsx", "--force"], "book.xlsx: is the workbook being rendered"),
    ],
)
def test_render_checks_its_outputs_before_anything_runs(
    built: Path, args: list[str], says: str, space: Space, tmp_path: Path
) -> None:
    """With a fake LibreOffice that never returns, a check that came after it would time out."""
    space.add("book.xlsx", built.read_bytes())
    space.add("old.pdf", b"an old PDF")
    space.add("afile", b"a file")
    os.mkfifo(space.work / "fifo.pdf")
    (space.work / "pages").mkdir()
    (space.work / "pages" / "notes.txt").write_bytes(b"mine")
    run = space.run("render", "book.xlsx", *args, path=fake_soffice(tmp_path / "fake"))
    one_line(run, says)
    assert (space.work / "pages" / "notes.txt").read_bytes() == b"mine"
    space.clean()


def test_render_pngs_without_poppler_says_so_first(
    built: Path, space: Space, tmp_path: Path
) -> None:
    path = on_path(tmp_path / "bin", "#!/bin/sh\nsleep 600\n", alone=True)  # never run
    space.add("book.xlsx", built.read_bytes())
    run = space.run("render", "book.xlsx", "--png", "pages", path=path)
    one_line(run, "pdftoppm and pdftotext (poppler-utils) not found; install it with")
    space.clean()


def _full_disk(staged: Path) -> None:
    staged.write_bytes(b"x" * 4096)
    raise OSError(28, "No space left on device")


def test_a_full_disk_leaves_the_old_file_whole(tmp_path: Path) -> None:
    old = tmp_path / "out.pdf"
    old.write_bytes(b"the PDF from yesterday")
    old.chmod(0o600)
    with pytest.raises(OutputError, match=r"out.pdf: cannot write \(No space left on device\)"):
        outgoing.write_file(old, _full_disk, force=True)
    assert old.read_bytes() == b"the PDF from yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_a_full_disk_leaves_the_old_pages_whole(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "01-Cover.png").write_bytes(b"yesterday's cover")

    def write(staged: Path) -> list[str]:
        (staged / "01-Cover.png").write_bytes(b"half a")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"pages: cannot write \(No space left on device\)"):
        outgoing.write_folder(pages, write, force=True)
    assert (pages / "01-Cover.png").read_bytes() == b"yesterday's cover"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages"]


def test_force_replaces_the_pages_of_an_earlier_render_only(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("01-Cover.png", "40-Spec.png", "notes.txt"):
        (pages / name).write_bytes(b"old")

    def write(staged: Path) -> list[str]:
        (staged / "01-Cover.png").write_bytes(b"new")
        return ["01-Cover.png"]

    outgoing.write_folder(pages, write, force=True)
    assert {p.name: p.read_bytes() for p in pages.iterdir()} == {
        "01-Cover.png": b"new",
        "notes.txt": b"old",
    }


def test_a_link_is_followed_and_the_mode_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    outgoing.write_file(link, lambda staged: staged.write_bytes(b"new"), force=True)
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# -- what is written: CSV cells, and inputs that hold formulas -----------------------------------


def test_no_csv_cell_runs_as_a_formula(space: Space) -> None:
    data = small_spec_data()
    names = {
        data["regions"][0]["name"]: "+cmd|' /C calc'!A0",
        data["regions"][1]["name"]: "@SUM(1+1)",
    }
    data = _renamed(data, names)
    space.add("spec.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    assert space.run("build", "spec.yaml", "-o", "book.xlsx").code == 0
    run = space.run("read", "book.xlsx", "--values", "t.csv", "-o", "s.yaml")
    assert run.code == 0, run.err
    with (space.work / "t.csv").open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'+cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells, sorted(set(cells))[:40]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    numbers = [c for c in cells if c.startswith("-")]
    assert all(re.fullmatch(r"-[\d.e+-]+", c) for c in numbers), numbers  # numbers stay numbers


def _renamed(node: object, names: dict[str, str]) -> Any:
    """``node`` with every text that is a key of ``names`` replaced (a region's name, wherever
    the spec names it)."""
    if isinstance(node, dict):
        return {k: _renamed(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return names.get(node, node) if isinstance(node, str) else node


def test_an_input_that_holds_a_formula_is_not_carried(built: Path, space: Space) -> None:
    wb = openpyxl.load_workbook(built)
    sheet, cell = wb.defined_names["market_cagr_p1"].attr_text.split("!")
    wb[sheet][cell.replace("$", "")] = '=DDE("server","topic","rate")'
    wb.save(space.work / "edited.xlsx")
    run = space.run("build", "--inputs-from", "edited.xlsx", "-o", "new.xlsx")
    assert run.code == 0, run.err
    assert "warning: not carried: market_cagr_p1 = '=DDE(" in run.out
    assert "it holds a formula, not a typed number" in run.out
    assert "carried market_cagr_p1" not in run.out
    again = space.run("read", "new.xlsx")
    assert "0 edited input(s)" in again.err, again.err
