"""The ``cmo-xl`` command: a thin shell over the library. Exit codes: 0 ok, 1 input or file
problem, 2 usage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cmo_xl import __version__
from cmo_xl.bundled import DEFAULT_TEMPLATE, load_template, template_dir, template_names
from cmo_xl.errors import CmoXlError
from cmo_xl.spec import Spec, load_spec

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


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
        type=Path,
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

    validate = commands.add_parser("validate", help="check a spec; print errors, then warnings")
    validate.add_argument("spec", help="a spec file, or the name of a bundled template")

    commands.add_parser("templates", help="list the bundled specs")
    return parser


def _load(spec_arg: str) -> tuple[Spec, str]:
    path = Path(spec_arg)
    if not path.exists() and spec_arg in template_names():
        return load_template(spec_arg), f"{spec_arg} (bundled template)"
    return load_spec(path), path.name


def _build(args: argparse.Namespace) -> int:
    from cmo_xl.build import build_workbook, default_output_name

    spec, label = _load(args.spec)
    out = args.output or Path.cwd() / default_output_name(spec)
    written = build_workbook(spec, out, force=args.force, spec_label=label, udfs=args.udfs)
    print(f"wrote {written}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from cmo_xl.review import flags, placeholders

    spec, label = _load(args.spec)
    print(f"{label}: valid (schema_version {spec.schema_version})")
    for flag, action in flags(spec):
        print(f"warning: {flag}. {action}")
    for path in placeholders(spec):
        print(f"warning: placeholder: {path}")
    return EXIT_OK


def _templates(_: argparse.Namespace) -> int:
    for name in template_names():
        print(f"{name}\t{template_dir() / (name + '.yaml')}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"build": _build, "validate": _validate, "templates": _templates}[args.command]
    try:
        return handler(args)
    except CmoXlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEM


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
