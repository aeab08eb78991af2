"""Hostile input: every case gets a one-line message (exit 1, or 2 for usage) with nothing
written and nothing touched, or a valid workbook whose master check is OK.

The corpus in tests/hostile/ holds one small spec per case; its header says the outcome
(``# expect: 1`` with ``# stderr:`` lines that the message must contain, or ``# expect: ok``).
Large and binary inputs are made here. Every refused case runs within 10 s and 500 MB.
"""

from __future__ import annotations

import codecs
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from cmo_xl.model.load import load_spec
from cmo_xl.workbook.plan import plan_workbook

from helpers import Run, mismatches, run_cli, series_value, values_of, without_cached_values
from spec_samples import small_spec_data

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(CORPUS.glob("*.yaml"))
OK_CASES = [c for c in CASES if "# expect: ok" in c.read_text(encoding="utf-8", errors="replace")]
#: bounds, not speed goals: far above a normal run on a loaded 2-core machine, far below an
#: unbounded one (minutes and gigabytes)
SECONDS, MEGABYTES = 20.0, 500
USER_FILE = b"the user's own workbook"


def expectation(case: Path) -> tuple[str, list[str]]:
    lines = case.read_bytes().decode("utf-8", "replace").splitlines()
    expect = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("# expect:"))
    messages = [line.split(":", 1)[1].strip() for line in lines if line.startswith("# stderr:")]
    return expect, messages


def refused(run: Run, messages: list[str], code: int = 1) -> None:
    """Exit ``code`` with one message per problem, no traceback, within the bounds."""
    assert run.code == code, (run.code, run.err)
    assert "Traceback" not in run.err + run.out
    for message in messages:
        assert message in run.err, run.err
    assert "\x1b" not in run.err + run.out  # nothing the terminal would act on
    assert run.seconds <= SECONDS, run.seconds
    assert run.peak_mb <= MEGABYTES, run.peak_mb


def untouched(folder: Path, *expected: str) -> None:
    """Only the files the test put there, the user's file byte-identical, no staged files."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    if "existing.xlsx" in expected:
        assert (folder / "existing.xlsx").read_bytes() == USER_FILE


def workspace(tmp_path: Path, spec_name: str, data: bytes) -> tuple[Path, Path]:
    work = tmp_path / "work"
    work.mkdir()
    (work / "existing.xlsx").write_bytes(USER_FILE)
    spec = work / spec_name
    spec.write_bytes(data)
    return work, spec


def master_check(path: Path) -> str:
    wb = openpyxl.load_workbook(path, data_only=True)
    sheet, address = next(iter(wb.defined_names["master_check"].destinations))
    return str(wb[sheet][address.replace("$", "")].value)


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_corpus(case: Path, command: str, tmp_path: Path) -> None:
    expect, messages = expectation(case)
    work, spec = workspace(tmp_path, case.name, case.read_bytes())
    args = [command, spec.name] + (["-o", "out.xlsx"] if command == "build" else [])
    run = run_cli(args, work)
    if expect == "ok":
        assert run.code == 0, run.err
        if command == "build":
            assert master_check(work / "out.xlsx") == "OK"
            untouched(work, case.name, "existing.xlsx", "out.xlsx")
        return
    refused(run, messages, int(expect))
    untouched(work, case.name, "existing.xlsx")


@pytest.mark.libreoffice
def test_corpus_workbooks_recalculate_to_the_engine(tmp_path: Path) -> None:
    """Every workbook the corpus builds matches the engine in every formula cell once
    LibreOffice recalculates it, and its master check says OK there too."""
    from cmo_xl.workbook.publish import write_workbook
    from cmo_xl.workbook.recalc import recalculate_many

    plans, bare = [], []
    for case in OK_CASES:
        plan = plan_workbook(load_spec(case), case.name)
        built = write_workbook(plan, tmp_path / f"{case.stem}.xlsx")
        plans.append(plan)
        bare.append(without_cached_values(built, tmp_path / f"{case.stem}_bare.xlsx"))
    outputs = recalculate_many(bare, tmp_path / "recalculated")
    for case, plan, output in zip(OK_CASES, plans, outputs, strict=True):
        assert mismatches(plan, values_of(output)) == [], case.name
        assert master_check(output) == "OK", case.name
        book = openpyxl.load_workbook(output, data_only=True)
        for sheet, label, year, unit, value in figures(case):
            got = series_value(book, sheet, label, year, unit)
            assert got == pytest.approx(value, rel=1e-12), (case.name, label, year, got)


def figures(case: Path) -> list[tuple[str, str, int, str, float]]:
    """The stated figures a case's header says the workbook reproduces, read by hand:
    ``# figure: Sheet | row label | year | unit | value``."""
    lines = case.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("# figure:"):
            sheet, label, year, unit, value = (p.strip() for p in line[9:].split("|"))
            out.append((sheet, label, int(year), unit, float(value)))
    return out


def test_every_ok_case_states_what_it_reproduces() -> None:
    """The cases added for figures and members stated by value say which figures to find."""
    for case in OK_CASES:
        if case.stem.startswith(("figure_", "unit_", "country_")):
            assert figures(case), case.name


# -- inputs made here: encodings, sizes, names -------------------------------------------------


def small_yaml() -> str:
    return yaml.safe_dump(small_spec_data(), allow_unicode=True, sort_keys=False)


def latin1() -> bytes:
    return small_yaml().replace("Ruritania", "Zürich").encode("latin-1")


def surrogate_bytes() -> bytes:
    return small_yaml().replace("Ruritania", "Ru@").encode("utf-8").replace(b"@", b"\xed\xa0\x80")


def random_bytes() -> bytes:
    return random.Random(7).randbytes(4096)


REFUSED_BYTES = {
    "latin-1": (latin1, "not UTF-8 text (invalid start byte); save the spec as UTF-8"),
    "surrogate in UTF-8": (surrogate_bytes, "not UTF-8 text"),
    "random bytes": (random_bytes, "not UTF-8 text"),
    "UTF-16 without its mark": (
        lambda: small_yaml().encode("utf-16-le"),
        "line 1, column 2: the character U+0000 is not allowed in YAML",
    ),
    "just over 2 MiB": (
        lambda: b"#" * (2 * 1024 * 1024) + b"\n",
        "the file has 2,097,153 bytes; a spec may have at most 2,097,152 bytes (2 MiB)",
    ),
    "a 1.9 MB value under an unknown key": (
        lambda: (small_yaml() + "extra: " + "k" * 1_900_000 + "\n").encode(),
        "extra: unknown field (value 'kkkk",
    ),
    "free text over 10,000 characters": (
        lambda: small_yaml().replace("a quote", "q" * 10_001).encode(),
        "sources[0].quote: got 'qqqq",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_BYTES))
def test_refused_bytes(case: str, tmp_path: Path) -> None:
    make, message = REFUSED_BYTES[case]
    work, _spec = workspace(tmp_path, "spec.yaml", make())
    for command in (["validate", "spec.yaml"], ["build", "spec.yaml", "-o", "out.xlsx"]):
        run = run_cli(command, work)
        refused(run, [message])
        assert len(run.err) < 2_000  # a huge value is quoted as a short excerpt
    untouched(work, "spec.yaml", "existing.xlsx")


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"], ids=str
)
def test_byte_order_marks_are_read(encoding: str, tmp_path: Path) -> None:
    text = small_yaml().replace("Ruritania", "Zürich")
    data = text.encode(encoding)
    if encoding.endswith("-be"):  # the plain codecs write a little-endian mark
        bom = codecs.BOM_UTF16_BE if "16" in encoding else codecs.BOM_UTF32_BE
        data = bom + data
    work, _spec = workspace(tmp_path, "spec.yaml", data)
    run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work)
    assert run.code == 0, run.err
    wb = openpyxl.load_workbook(work / "out.xlsx")
    assert any(c.value == "Zürich" for row in wb["Countries"].iter_rows() for c in row)


def test_a_3_gb_sparse_file_is_refused_unread(tmp_path: Path) -> None:
    work, spec = workspace(tmp_path, "spec.yaml", b"")
    with spec.open("wb") as handle:
        handle.truncate(3 * 1024**3)
    run = run_cli(["validate", "spec.yaml"], work)
    refused(run, ["the file has 3,221,225,472 bytes; a spec may have at most"])
    assert run.peak_mb < 200


def test_an_endless_device_is_refused_after_2_mib(tmp_path: Path) -> None:
    run = run_cli(["validate", "/dev/zero"], tmp_path)
    refused(run, ["/dev/zero: 1 problem(s)", "more than 2,097,152 bytes"])


def test_a_spec_file_name_a_cell_cannot_hold(tmp_path: Path) -> None:
    name = "spec\x01\uffff.yaml"
    work, _spec = workspace(tmp_path, name, small_yaml().encode())
    run = run_cli(["build", name, "-o", "out.xlsx"], work)
    refused(run, ["the spec's file name: it holds U+0001 at position 5", "'spec\\x01\\uffff.yaml'"])
    untouched(work, name, "existing.xlsx")


def test_a_spec_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    run = run_cli(["validate", "s" * 300 + ".yaml"], tmp_path)
    refused(run, ["cannot read the file: File name too long"])


def largest_region(data: dict[str, Any]) -> list[str]:
    """Give the first region 250 countries with 100-character names; returns the names."""
    names = [f"{k:03d}" + "c" * 97 for k in range(250)]
    data["regions"][0]["countries"] = [
        {"name": name, "weight": {"value": 0.004, "provenance": "analyst"}} for name in names
    ]
    data["dimensions"][0]["overrides"] = []
    return names


def test_a_region_of_250_countries_with_100_character_names_builds(tmp_path: Path) -> None:
    """The longest names in the largest region: every formula stays within Excel's limits."""
    data = small_spec_data()
    largest_region(data)
    data["regions"][0]["name"] = "r" * 100
    work, _spec = workspace(tmp_path, "spec.yaml", yaml.safe_dump(data).encode())
    run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work)
    assert run.code == 0, run.err
    assert master_check(work / "out.xlsx") == "OK"


def _many_scenarios(changes_each: int, targets: list[str]) -> dict[str, object]:
    data = small_spec_data()
    shift = {"value": 0.001, "provenance": "analyst"}
    data["scenarios"] = [
        {
            "name": f"S{k:02d} " + "s" * 96,
            "probability": {"value": 0.05, "provenance": "analyst"},
            "changes": [
                {"input": targets[j % len(targets)], "shift": shift} for j in range(changes_each)
            ],
        }
        for k in range(20)
    ]
    return data


def test_twenty_scenarios_of_250_changes_build(tmp_path: Path) -> None:
    """The most changes a spec may hold, on the longest names: within Excel's limits."""
    data = small_spec_data()
    targets = [f"cagr_East_{name}" for name in largest_region(data)]
    data["scenarios"] = _many_scenarios(250, targets)["scenarios"]
    work, _spec = workspace(tmp_path, "spec.yaml", yaml.safe_dump(data).encode())
    run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work)
    assert run.code == 0, run.err
    assert master_check(work / "out.xlsx") == "OK"
    assert run.peak_mb <= MEGABYTES, run.peak_mb


def test_more_than_5000_changes_are_refused(tmp_path: Path) -> None:
    data = _many_scenarios(300, ["nothing_here"])
    work, _spec = workspace(tmp_path, "spec.yaml", yaml.safe_dump(data).encode())
    run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work)
    refused(run, ["scenarios[*].changes: 6,000 changes in all; at most 5,000"])
    untouched(work, "existing.xlsx", "spec.yaml")


# -- the output file ----------------------------------------------------------------------------


def test_output_is_never_the_spec_itself(tmp_path: Path) -> None:
    work, spec = workspace(tmp_path, "spec.xlsx", small_yaml().encode())  # YAML, oddly named
    before = spec.read_bytes()
    run = run_cli(["build", "spec.xlsx", "-o", "spec.xlsx", "--force"], work)
    refused(run, ["spec.xlsx: is the spec being built; choose another output file"])
    assert spec.read_bytes() == before
    untouched(work, "spec.xlsx", "existing.xlsx")


@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        ("", 2, "argument -o/--output: got an empty path; give a file name ending in .xlsx"),
        ("x.xlsx/", 2, "got 'x.xlsx/', which names a folder"),
        ("existing.xlsx/x.xlsx", 1, "the folder existing.xlsx is a file, not a folder"),
        ("missing/x.xlsx", 1, "the folder missing does not exist"),
        ("/proc/x.xlsx", 1, "/proc/x.xlsx: cannot write"),
        ("o" * 251 + ".xlsx", 1, "the file name has 256 bytes; this file system allows 255"),
        ("existing.xlsx", 1, "existing.xlsx: already exists; use --force to overwrite it"),
    ],
    ids=["empty", "trailing slash", "under a file", "missing folder", "proc", "long", "exists"],
)
def test_bad_outputs(output: str, code: int, message: str, tmp_path: Path) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", small_yaml().encode())
    run = run_cli(["build", "spec.yaml", "-o", output], work)
    refused(run, [message], code)
    untouched(work, "spec.yaml", "existing.xlsx")


def test_longest_output_name_builds(tmp_path: Path) -> None:
    """The staged file's name has a fixed length, so OUT may use all 255 bytes."""
    work, _ = workspace(tmp_path, "spec.yaml", small_yaml().encode())
    name = "o" * 250 + ".xlsx"
    assert run_cli(["build", "spec.yaml", "-o", name], work).code == 0
    untouched(work, "spec.yaml", "existing.xlsx", name)


def test_force_keeps_a_private_file_private(tmp_path: Path) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", small_yaml().encode())
    private = work / "existing.xlsx"
    private.chmod(0o600)
    assert run_cli(["build", "spec.yaml", "-o", "existing.xlsx", "--force"], work).code == 0
    assert private.stat().st_mode & 0o777 == 0o600
    assert master_check(private) == "OK"


def test_no_temporary_folder_is_needed(tmp_path: Path) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", small_yaml().encode())
    env = {**os.environ, "TMPDIR": str(tmp_path / "no_such_folder")}
    run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work, env=env)
    assert run.code == 0, run.err


def test_a_deleted_current_folder(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
        "sys.argv = ['cmo-xl', 'build']; from cmo_xl.cli import main; sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "the current folder no longer exists; give -o with a path" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_write_error_in_the_folder_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that refuses new files (root ignores mode bits, so the refusal is simulated)."""
    from cmo_xl import outgoing
    from cmo_xl.cli import main

    def refuse(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outgoing, "_stage", refuse)
    assert main(["build", "-o", str(tmp_path / "out.xlsx")]) == 1
    assert "out.xlsx: cannot write (Permission denied)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- standard output and signals ----------------------------------------------------------------


def test_a_full_standard_output_after_a_good_build(tmp_path: Path) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", small_yaml().encode())
    with open("/dev/full", "w") as full:
        run = run_cli(["build", "spec.yaml", "-o", "out.xlsx"], work, stdout=full)
    assert run.code == 0, run.err
    assert "but could not print to standard output" in run.err
    assert "Traceback" not in run.err
    assert master_check(work / "out.xlsx") == "OK"


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        f"{sys.executable} -m cmo_xl validate cmo_services | head -1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == "cmo_services (bundled template): valid (schema_version 1)\n"
    assert result.stderr == ""


def slow_spec() -> bytes:
    """A spec that takes a few seconds to build, so a signal lands mid-write."""
    data = small_spec_data()
    data["market"]["end_year"] = 2060
    data["phases"][-1]["end_year"] = 2060
    data["regions"][0]["countries"] = [
        {"name": f"C{k}", "weight": {"value": 0.01, "provenance": "analyst"}} for k in range(100)
    ]
    return yaml.safe_dump(data).encode()


def start_build(work: Path, *extra: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cmo_xl", "build", "spec.yaml", "-o", "existing.xlsx", *extra],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(work.glob(".cmo_xl-*.tmp")):  # the staged file exists: the write is under way
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return proc


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_mid_write_leaves_everything_as_it_was(tmp_path: Path, signum: int) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", slow_spec())
    proc = start_build(work, "--force")
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert b"no file was written" in err and b"Traceback" not in err
    untouched(work, "spec.yaml", "existing.xlsx")


def test_sigkill_leaves_a_staged_file_the_next_build_removes(tmp_path: Path) -> None:
    work, _ = workspace(tmp_path, "spec.yaml", slow_spec())
    proc = start_build(work, "--force")
    proc.kill()
    proc.communicate(timeout=60)
    assert len(list(work.glob(".cmo_xl-*.tmp"))) == 1  # nothing can clean up after SIGKILL
    assert (work / "existing.xlsx").read_bytes() == USER_FILE
    run = run_cli(["build", "spec.yaml", "-o", "new.xlsx"], work)
    assert run.code == 0, run.err
    untouched(work, "spec.yaml", "existing.xlsx", "new.xlsx")


def test_a_staged_file_of_a_running_build_is_left_alone(tmp_path: Path) -> None:
    from cmo_xl.outgoing import remove_stale_staged_files

    mine = tmp_path / f".cmo_xl-{os.getpid()}-0000abcd.tmp"
    other = tmp_path / ".cmo_xl-1-0000abcd.tmp"  # pid 1 always runs
    dead = tmp_path / ".cmo_xl-999999999-0000abcd.tmp"
    unrelated = tmp_path / ".cmo_xl-notes.tmp"
    for path in (mine, other, dead, unrelated):
        path.write_bytes(b"")
    assert remove_stale_staged_files(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, other, unrelated)
    )
