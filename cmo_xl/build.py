"""Build a workbook file from a spec: plan, render, cache values, then publish atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cmo_xl.cached_values import write_cached_values
from cmo_xl.errors import OutputError
from cmo_xl.plan import WorkbookPlan
from cmo_xl.spec import Spec
from cmo_xl.workbook_plan import plan_workbook


def default_output_name(spec: Spec) -> str:
    """File name for a spec's workbook, from the market name.

    >>> from cmo_xl.bundled import load_template
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
) -> Path:
    """Write the workbook for ``spec`` to ``out``; refuse to overwrite unless ``force``.

    ``udfs`` adds the Functions and xlwings.conf sheets (see :mod:`cmo_xl.sheets.functions`).
    """
    return write_workbook(plan_workbook(spec, spec_label, udfs=udfs), out, force=force)


def check_output(out: Path, *, force: bool) -> None:
    """Fail before any work if ``out`` cannot or must not be written."""
    if out.suffix.lower() != ".xlsx":
        raise OutputError(
            f"{out}: the output must end in .xlsx (got {out.suffix or 'no suffix'!r})"
        )
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name ending in .xlsx")
    if not out.parent.is_dir():
        raise OutputError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and not force:
        raise OutputError(f"{out}: already exists; use --force to overwrite it")


def write_workbook(plan: WorkbookPlan, out: str | Path, *, force: bool = False) -> Path:
    """Render ``plan`` into ``out``. The file appears whole or not at all."""
    from cmo_xl.render import render  # openpyxl is needed only from here on

    out = Path(out)
    check_output(out, force=force)
    cached = {s.title: {c.address: c.cached for c in s.cells if c.is_formula} for s in plan.sheets}
    fd, staged_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    staged = Path(staged_name)
    umask = os.umask(0)
    os.umask(umask)
    staged.chmod(0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
    try:
        with tempfile.TemporaryDirectory() as scratch:
            raw = Path(scratch) / "raw.xlsx"
            render(plan).save(raw)
            write_cached_values(raw, staged, cached)
        _publish(staged, out, force=force)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    return out


def _publish(staged: Path, out: Path, *, force: bool) -> None:
    if force:
        os.replace(staged, out)
        return
    try:
        os.link(staged, out)  # atomic, and fails if a file appeared at ``out`` meanwhile
    except FileExistsError:
        raise OutputError(f"{out}: already exists; use --force to overwrite it") from None
    except OSError:  # a file system without hard links
        if out.exists():
            raise OutputError(f"{out}: already exists; use --force to overwrite it") from None
        os.replace(staged, out)
