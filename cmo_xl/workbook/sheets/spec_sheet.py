"""Spec: the spec the workbook was built from, as YAML, one line per row, and a record of the
build. ``cmo-xl read`` takes the structure from here (regions, sources, notes, scenarios) and
every input's value through its defined name on Inputs, so edits made on Inputs win.

The lines are checked against a SHA-256 of them, so a Spec sheet edited by hand is refused
rather than read as something it is not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from cmo_xl.model.resolution import names
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.spec.spec_text import spec_yaml
from cmo_xl.version import __version__
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Spec"
#: The layout of the record; a reader refuses any other.
FORMAT = 1
RECORD_LABELS = (
    "Record format",
    "Built by",
    "Build options",
    "Lines of the spec below",
    "SHA-256 of those lines, each ended by a line feed",
)
FIRST_RECORD_ROW = 5
FIRST_LINE_ROW = FIRST_RECORD_ROW + len(RECORD_LABELS) + 1


@dataclass(frozen=True)
class BuildOptions:
    """How the workbook was built, beside the spec: a rebuild or a check plans it alike."""

    label: str  # what the Cover calls the spec
    udfs: bool
    protect: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=True)


def checksum(lines: list[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode("utf-8")).hexdigest()


def spec_lines(spec: Spec) -> list[str]:
    return spec_yaml(spec).splitlines()


def build_spec_sheet(ctx: Context, options: BuildOptions) -> SheetPlan:
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Spec: the spec this workbook was built from", "title")
    sheet.put(
        2, 1, "cmo-xl read takes the structure from here, every input from Inputs.", "subtitle"
    )
    sheet.put(
        3,
        1,
        "Change inputs on Inputs, not here. The lines below are not printed: cmo-xl read "
        "writes them to a file.",
        "subtitle",
    )
    lines = spec_lines(ctx.spec)
    record: list[str | int] = [
        FORMAT,
        f"cmo_xl {__version__}",
        options.to_json(),
        len(lines),
        checksum(lines),
    ]
    for row, (label, value) in enumerate(zip(RECORD_LABELS, record, strict=True), FIRST_RECORD_ROW):
        sheet.put(row, 1, label)
        sheet.put(row, 2, value, "unit")
    for row, line in enumerate(lines, start=FIRST_LINE_ROW):
        if line:
            sheet.put(row, 1, line, "code")
    last = FIRST_RECORD_ROW + len(RECORD_LABELS) - 1
    ctx.define(names.SPEC_RECORD, sheet, FIRST_RECORD_ROW, 2, last, 2)
    ctx.define(names.SPEC_LINES, sheet, FIRST_LINE_ROW, 1, FIRST_LINE_ROW + len(lines) - 1, 1)
    sheet.widths = {1: 48, 2: 70}  # a longer line runs on into the empty column B
    # the lines are a file's worth of YAML: a printed model shows the record, not pages of it
    sheet.print_area = sheet.area_ref(1, 1, FIRST_LINE_ROW - 1, 2).split("!")[1].replace("$", "")
    return sheet
