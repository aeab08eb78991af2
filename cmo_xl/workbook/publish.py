"""Build a workbook file from a spec: plan, render, cache values, then publish atomically."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from cmo_xl import outgoing
from cmo_xl.model.spec.schema import Spec
from cmo_xl.outgoing import Source
from cmo_xl.workbook.cached_values import write_cached_values
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.records import WorkbookPlan


def default_output_name(spec: Spec) -> str:
    """File name for a spec's workbook, from the market name.

    >>> from cmo_xl.model.templates import load_template
    >>> default_output_name(load_template("cmo_services"))
    'contract_manufacturing_organization_cmo_services.xlsx'
    """
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in spec.market.name).split()
    return "_".join(words or ["market"]) + ".xlsx"


def build_workbook(
    spec: Spec,
    out: str | Path,
    *,
    force: bool = False,
    spec_label: str = "spec",
    udfs: bool = False,
    scenario: str | None = None,
    protect: bool = True,
) -> Path:
    """Write the workbook for ``spec`` to ``out``; refuse to overwrite unless ``force``.

    ``udfs`` adds the Functions and xlwings.conf sheets (see :mod:`.sheets.functions`);
    ``scenario`` names the scenario the switch starts at (None: the spec's first);
    ``protect`` protects every sheet, input cells unlocked, without a password.
    """
    plan = plan_workbook(spec, spec_label, udfs=udfs, scenario=scenario, protect=protect)
    return write_workbook(plan, out, force=force)


def check_output(out: Path, *, force: bool, sources: Sequence[Source] = ()) -> None:
    """Fail before any work if the workbook ``out`` cannot or must not be written."""
    outgoing.check_output(out, suffixes=(".xlsx",), force=force, sources=sources)


def write_workbook(plan: WorkbookPlan, out: str | Path, *, force: bool = False) -> Path:
    """Render ``plan`` into ``out``, whole or not at all (:func:`cmo_xl.outgoing.write_file`)."""
    from cmo_xl.workbook.render import render  # openpyxl is needed only from here on

    out = Path(out)
    check_output(out, force=force)
    cached = {s.title: {c.address: c.value for c in s.cells if c.is_formula} for s in plan.sheets}

    def write(staged: Path) -> None:
        raw = BytesIO()  # in memory: nothing goes to a temporary folder
        render(plan).save(raw)
        write_cached_values(raw, staged, cached)

    return outgoing.write_file(out, write, force=force)
