"""The round-trip commands of ``cmo-xl``: read, diff and verify a workbook cmo_xl built."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from cmo_xl.errors import OutputError
from cmo_xl.outgoing import check_output, write_file
from cmo_xl.say import EXIT_OK, EXIT_PROBLEM, say, warn
from cmo_xl.text import excerpt


def add_timeout(command: argparse.ArgumentParser) -> None:
    from cmo_xl.processes import DEFAULT_TIMEOUT

    command.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        help=f"stop LibreOffice after this long (default: {DEFAULT_TIMEOUT:g})",
    )


#: The longest ``--timeout``: a day.
MAX_TIMEOUT = 86_400.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_TIMEOUT:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"got {excerpt(text)}; give a number of seconds above 0 and at most {MAX_TIMEOUT:g}"
        )
    return value


def add_round_trip_commands(commands: Any) -> None:
    read = commands.add_parser(
        "read", help="read a workbook back into a spec: its structure and every input's value"
    )
    read.add_argument("book", help="an .xlsx (or .xlsm) that cmo_xl built")
    read.add_argument("-o", "--output", default=None, help="the spec to write (default: print it)")
    read.add_argument(
        "--values",
        metavar="TABLE",
        default=None,
        help="also write every series' values as a tidy table: .csv, or .parquet (needs pyarrow)",
    )
    read.add_argument("--force", action="store_true", help="overwrite what exists")
    read.add_argument(
        "--keep-invalid",
        action="store_true",
        help="when the typed values break the spec's rules, write the spec they make anyway, "
        "for you to fix (exit 1 all the same)",
    )

    diff = commands.add_parser(
        "diff", help="the assumptions two workbooks (or specs) differ in, and their effect"
    )
    diff.add_argument("a", help="a workbook, a spec file or a bundled template")
    diff.add_argument("b", help="a workbook, a spec file or a bundled template")
    diff.add_argument("--json", action="store_true", help="print JSON instead of a table")

    verify = commands.add_parser(
        "verify",
        help="recalculate a workbook with LibreOffice and find cells that are not the engine's: "
        "exit 0 when clean, 1 with findings",
    )
    verify.add_argument("book", help="an .xlsx (or .xlsm) that cmo_xl built")
    add_timeout(verify)


def _read(args: argparse.Namespace) -> int:
    from cmo_xl.model.spec.spec_text import spec_yaml
    from cmo_xl.roundtrip.read import read_book
    from cmo_xl.roundtrip.report import edit_lines
    from cmo_xl.roundtrip.values import values_table

    out = Path(args.output) if args.output else None
    table = Path(args.values) if args.values else None
    sources = [(Path(args.book), "the workbook being read")]
    for path, suffixes in ((out, (".yaml", ".yml")), (table, (".csv", ".parquet"))):
        if path is not None:  # before anything is read
            check_output(path, suffixes=suffixes, force=args.force, sources=sources)
            sources.append((path, "another output of this command"))
    found = read_book(args.book)
    if found.broken:
        return _read_invalid(args, found, out)
    frame = values_table(found) if table is not None else None
    text = spec_yaml(found.spec)
    report = edit_lines(found)
    if frame is not None and table is not None:
        suffix = table.suffix.lower()
        write_file(table, lambda staged: _write_table(frame, staged, suffix), force=args.force)
        report.append(f"wrote {table} ({len(frame):,} rows)")
    if out is None:
        for line in report:
            warn(line)
        return EXIT_OK if say([text.rstrip("\n")]) else EXIT_PROBLEM
    write_file(out, lambda staged: staged.write_text(text, encoding="utf-8"), force=args.force)
    return EXIT_OK if say([*report, f"wrote {out}"]) else EXIT_PROBLEM


def _read_invalid(args: argparse.Namespace, found: Any, out: Path | None) -> int:
    """A workbook whose typed values break the spec's rules: name the cells and the rules;
    write nothing, unless asked to keep the invalid values (then only the spec, to fix)."""
    from cmo_xl.model.spec.spec_text import data_yaml

    lines = [f"{found.path}: the values typed in it break the spec's rules:"]
    lines += [f"  - {b.line()}" for b in found.broken]
    if not args.keep_invalid:
        lines.append("no spec written; fix those cells, or use --keep-invalid to write it anyway")
        for line in lines:
            warn(line)
        return EXIT_PROBLEM
    text = data_yaml(found.data)
    if out is None:
        for line in lines:
            warn(line)
        say([text.rstrip("\n")])
        return EXIT_PROBLEM
    write_file(out, lambda staged: staged.write_text(text, encoding="utf-8"), force=args.force)
    for line in [*lines, f"wrote {out}, which breaks those rules: fix it before building"]:
        warn(line)
    return EXIT_PROBLEM


def _write_table(frame: object, path: Path, suffix: str) -> None:
    import pandas as pd

    from cmo_xl.text import csv_cell

    assert isinstance(frame, pd.DataFrame)
    if suffix == ".csv":  # no text a spreadsheet would run as a formula
        text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        frame.assign(**{c: frame[c].map(csv_cell) for c in text}).to_csv(path, index=False)
        return
    try:
        frame.to_parquet(path, index=False)
    except ImportError:
        raise OutputError(
            f"{path}: writing Parquet needs pyarrow (pip install pyarrow); or write .csv"
        ) from None


def _diff(args: argparse.Namespace) -> int:
    import json

    from cmo_xl.roundtrip.diff import diff, diff_lines, side

    found = diff(side(args.a), side(args.b))
    if args.json:
        lines = [json.dumps(found.to_json(), indent=2, ensure_ascii=False)]
    else:
        lines = diff_lines(found)
    return EXIT_OK if say(lines) else EXIT_PROBLEM


def _verify(args: argparse.Namespace) -> int:
    from cmo_xl.roundtrip.verify import verdict_lines, verify

    verdict = verify(args.book, args.timeout)
    if not say(verdict_lines(args.book, verdict)):
        return EXIT_PROBLEM
    return EXIT_OK if verdict.clean else EXIT_PROBLEM


ROUND_TRIP = {"read": _read, "diff": _diff, "verify": _verify}
