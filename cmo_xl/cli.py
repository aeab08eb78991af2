"""The ``cmo-xl`` command: a thin shell over the library.

Exit codes: 0 ok, 1 a problem with the input or a file, 2 usage, 128 + N when signal N
(SIGINT, SIGTERM, SIGHUP) stopped it. Every line it prints has control characters escaped, so
a name in a spec cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from cmo_xl import stopping
from cmo_xl.errors import CmoXlError, Interrupted, OutputError, SpecError
from cmo_xl.model.load import load_spec
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import DEFAULT_TEMPLATE, load_template, template_dir, template_names
from cmo_xl.round_trip_cli import ROUND_TRIP, add_round_trip_commands, add_timeout
from cmo_xl.say import EXIT_OK, EXIT_PROBLEM, say, warn
from cmo_xl.text import cell_text_problem, excerpt
from cmo_xl.version import __version__


def _output_path(text: str) -> Path:
    """``-o``: refused here, as a usage error, when it cannot name a file at all."""
    if not text:
        raise argparse.ArgumentTypeError("got an empty path; give a file name ending in .xlsx")
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(
            f"got {excerpt(text)}, which names a folder; give a file name ending in .xlsx"
        )
    return Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmo-xl", description="Build a live-formula Excel market forecast from a YAML spec."
    )
    parser.add_argument("--version", action="version", version=f"cmo-xl {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the workbook for a spec")
    build.add_argument(
        "spec",
        nargs="?",
        default=DEFAULT_TEMPLATE,
        help=f"a spec file, or the name of a bundled template (default: {DEFAULT_TEMPLATE})",
    )
    build.add_argument(
        "-o",
        "--output",
        type=_output_path,
        default=None,
        help="the .xlsx to write (default: named after the market, in the current folder)",
    )
    build.add_argument("--force", action="store_true", help="overwrite OUTPUT if it exists")
    build.add_argument(
        "--udfs",
        action="store_true",
        help="add a Functions sheet that calls the cmo_xl xlwings UDFs, and an xlwings.conf "
        "sheet (needs the xlwings add-in in Excel)",
    )
    build.add_argument(
        "--no-protect",
        action="store_true",
        help="leave every sheet unprotected (by default every sheet is protected without a "
        "password, and only input cells can be typed in)",
    )
    build.add_argument(
        "--scenario",
        metavar="NAME",
        default=None,
        help="the scenario the workbook opens with (default: the spec's first); every "
        "scenario stays one pick away on the Inputs sheet",
    )

    validate = commands.add_parser(
        "validate", help="check a spec as build would; print errors, then warnings"
    )
    validate.add_argument("spec", help="a spec file, or the name of a bundled template")

    render = commands.add_parser(
        "render", help="print a workbook to PDF and PNGs through headless LibreOffice"
    )
    render.add_argument("book", help="the .xlsx to render")
    render.add_argument(
        "--pdf", metavar="OUT", default=None, help="the PDF to write (default: BOOK, as .pdf)"
    )
    render.add_argument(
        "--png",
        metavar="DIR",
        default=None,
        help="write each page as a PNG into DIR (then a PDF only with --pdf)",
    )
    render.add_argument("--force", action="store_true", help="overwrite what exists")
    add_timeout(render)

    build.add_argument(
        "--inputs-from",
        metavar="EDITED",
        default=None,
        help="carry every input typed in the workbook EDITED (built by cmo_xl) into the new "
        "one, by defined name; inputs that no longer have a home are listed",
    )

    add_round_trip_commands(commands)

    commands.add_parser("templates", help="list the bundled specs")
    return parser


def _load(spec_arg: str) -> tuple[Spec, str, Path | None]:
    """The spec, the label the Cover shows for it, and its file (None for a template)."""
    path = Path(spec_arg)
    try:
        is_file = path.exists()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise SpecError(
            [f"cannot read the file: {exc.strerror or exc}"], excerpt(spec_arg)
        ) from None
    if not is_file and spec_arg in template_names():
        return load_template(spec_arg), f"{spec_arg} (bundled template)", None
    spec = load_spec(path)
    problem = cell_text_problem(path.name)
    if problem:  # the Cover shows the file's name
        raise SpecError([f"the spec's file name: {problem}"], excerpt(path.name))
    return spec, path.name, path


def _build(args: argparse.Namespace) -> int:
    from cmo_xl.workbook.publish import build_workbook, check_output, default_output_name

    spec, label, spec_path = _load(args.spec)
    if args.output is not None:
        out = args.output
    else:
        try:
            out = Path.cwd() / default_output_name(spec)
        except FileNotFoundError:
            raise OutputError(
                "the current folder no longer exists; give -o with a path to write to"
            ) from None
    sources: list[tuple[Path, str]] = []
    if spec_path is not None:
        sources.append((spec_path, "the spec being built"))
    if args.inputs_from is not None:
        sources.append((Path(args.inputs_from), "the workbook the inputs come from"))
    check_output(out, force=args.force, sources=sources)  # before any work
    notes: list[str] = []
    scenario = args.scenario
    if args.inputs_from is not None:
        from cmo_xl.roundtrip.carry import inputs_from

        carried = inputs_from(spec, Path(args.inputs_from))
        spec, notes = carried.spec, carried.lines
        if args.scenario is None:  # the scenario it was left in, unless one is asked for
            scenario = carried.scenario
    written = build_workbook(
        spec,
        out,
        force=args.force,
        spec_label=label,
        udfs=args.udfs,
        scenario=scenario,
        protect=not args.no_protect,
    )
    if not say([*notes, f"wrote {written}"]):
        warn(f"wrote {written}, but could not print to standard output")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from cmo_xl.model.compute.engine import forecast
    from cmo_xl.model.compute.flags import flags, placeholders
    from cmo_xl.model.resolution.resolve import resolve
    from cmo_xl.workbook.plan import plan_workbook

    spec, label, _ = _load(args.spec)
    plan_workbook(spec, label)  # what build would refuse while planning, validate refuses too
    count = len(spec.scenarios or []) or 1
    results = [forecast(resolve(spec, k)) for k in range(1, count + 1)]
    lines = [f"{label}: valid (schema_version {spec.schema_version})"]
    # A flag every scenario raises is said once; one only some raise names them.
    said: dict[str, list[str]] = {}
    for result in results:
        scenario = result.model.scenarios[result.model.scenario - 1].name
        for flag in flags(result):
            said.setdefault(f"{flag.title}. {flag.text}", []).append(scenario)
    for text, scenarios in said.items():
        where = "" if len(scenarios) == len(results) else f" (scenario {', '.join(scenarios)})"
        lines.append(f"warning: {text}{where}")
    lines += [f"warning: placeholder: {path}" for path in placeholders(results[0].model)]
    if not say(lines):
        warn("could not print the report to standard output")
        return EXIT_PROBLEM
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    import tempfile

    from cmo_xl import outgoing
    from cmo_xl.incoming import check_workbook_file
    from cmo_xl.workbook.pages import check_tools, page_images, print_pdf

    book = Path(args.book)
    check_workbook_file(book)  # what every reader of a stranger's file checks first
    pdf = Path(args.pdf) if args.pdf else (None if args.png else book.with_suffix(".pdf"))
    folder = Path(args.png) if args.png else None
    sources: list[outgoing.Source] = [(book, "the workbook being rendered")]
    if pdf is not None:  # every output is checked before LibreOffice starts
        outgoing.check_output(pdf, suffixes=(".pdf",), force=args.force, sources=sources)
        sources.append((pdf, "the PDF being written"))
    if folder is not None:
        outgoing.check_output(folder, suffixes=(), force=args.force, sources=sources, folder=True)
    check_tools(pages=folder is not None)
    lines = []
    with tempfile.TemporaryDirectory(prefix="cmo_xl_render_") as work:
        made = print_pdf(book, Path(work), args.timeout)
        if pdf is not None:
            outgoing.write_file(pdf, lambda staged: shutil.copyfile(made, staged), force=args.force)
            lines.append(f"wrote {pdf}")
        if folder is not None:
            names: list[str] = []

            def pages(staged: Path) -> list[str]:
                names.extend(page_images(made, staged, args.timeout))
                return names

            outgoing.write_folder(folder, pages, force=args.force)
            lines.append(f"wrote {len(names)} pages into {folder}")
    return EXIT_OK if say(lines) else EXIT_PROBLEM


def _templates(_: argparse.Namespace) -> int:
    lines = [f"{name}\t{template_dir() / (name + '.yaml')}" for name in template_names()]
    return EXIT_OK if say(lines) else EXIT_PROBLEM


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {
        "build": _build,
        "validate": _validate,
        "render": _render,
        "templates": _templates,
        **ROUND_TRIP,
    }[args.command]
    try:
        with stopping.signals_stop_cleanly():
            code = handler(args)
            stopping.check()  # a signal a library swallowed still stops the command
            return code
    except CmoXlError as exc:
        if stopping.received():  # a signal that a reader's catch-all turned into this error
            return _stopped(stopping.received())
        warn(f"error: {exc}")
        return EXIT_PROBLEM
    except Interrupted as exc:
        return _stopped(exc.signum)
    except KeyboardInterrupt:
        warn("interrupted; no file was written")
        return 128 + signal.SIGINT
    except Exception:
        if not stopping.received():
            raise
        return _stopped(stopping.received())  # the signal's exception came back as another


def _stopped(signum: int | None) -> int:
    number = signum or signal.SIGTERM
    warn(f"stopped by {signal.Signals(number).name}; no file was written")
    return 128 + number


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
