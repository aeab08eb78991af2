"""Build a workbook file from a spec: plan, render, cache values, then publish atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from cmo_xl.errors import OutputError
from cmo_xl.model.schema import Spec
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


#: Staged files are named ``.cmo_xl-<pid>-<random>.tmp``: a fixed length whatever OUT's name,
#: and recognisable, so a build killed by SIGKILL leaves a file that the next build into the
#: same folder removes once the process that made it is gone.
STAGED_PREFIX = ".cmo_xl-"
STAGED_SUFFIX = ".tmp"


def check_output(out: Path, *, force: bool) -> None:
    """Fail before any work if ``out`` cannot or must not be written."""
    if out.suffix.lower() != ".xlsx":
        raise OutputError(
            f"{out}: the output must end in .xlsx (got {out.suffix or 'no suffix'!r})"
        )
    limit = _name_max(out.parent)
    if len(os.fsencode(out.name)) > limit:
        raise OutputError(
            f"{out}: the file name has {len(os.fsencode(out.name))} bytes; this file system "
            f"allows {limit}"
        )
    try:
        if out.is_dir():
            raise OutputError(f"{out}: is a folder; give a file name ending in .xlsx")
        if not out.parent.is_dir():
            problem = "is a file, not a folder" if out.parent.exists() else "does not exist"
            raise OutputError(f"{out}: the folder {out.parent} {problem}")
        if out.exists() and not force:
            raise OutputError(f"{out}: already exists; use --force to overwrite it")
    except OSError as exc:
        raise OutputError(f"{out}: cannot use this path ({exc.strerror or exc})") from None


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def write_workbook(plan: WorkbookPlan, out: str | Path, *, force: bool = False) -> Path:
    """Render ``plan`` into ``out``. The file appears whole or not at all.

    The staged file gets the mode a new file would get, or, with ``force``, the mode of the
    file it replaces, so a private workbook stays private.
    """
    from cmo_xl.workbook.render import render  # openpyxl is needed only from here on

    out = Path(out)
    check_output(out, force=force)
    cached = {s.title: {c.address: c.value for c in s.cells if c.is_formula} for s in plan.sheets}
    remove_stale_staged_files(out.parent)
    staged: Path | None = None
    try:
        staged = _stage(out.parent)
        raw = BytesIO()  # in memory: nothing goes to a temporary folder
        render(plan).save(raw)
        write_cached_values(raw, staged, cached)
        if force and out.exists():
            staged.chmod(stat.S_IMODE(out.stat().st_mode))
        _publish(staged, out, force=force)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink()
    return out


def write_file(out: Path, write: Callable[[Path], object], *, force: bool = False) -> Path:
    """``write`` a file (a spec, a table) into a staged file beside ``out``, then publish it
    as :func:`write_workbook` does: whole or not at all, never over a file without ``force``."""
    if out.exists() and not force:
        raise OutputError(f"{out}: already exists; use --force to overwrite it")
    if not out.parent.is_dir():
        raise OutputError(f"{out}: the folder {out.parent} does not exist")
    staged: Path | None = None
    try:
        staged = _stage(out.parent)
        write(staged)
        _publish(staged, out, force=force)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink()
    return out


def _stage(folder: Path) -> Path:
    """A new empty file beside OUT; ``os.open`` applies the umask to its mode as for any file."""
    path = folder / f"{STAGED_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{STAGED_SUFFIX}"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return path


def remove_stale_staged_files(folder: Path) -> list[Path]:
    """Remove staged files that a killed build left in ``folder``; returns what was removed.

    A staged file is stale when the process named in it no longer runs.
    """
    removed: list[Path] = []
    try:
        candidates = sorted(folder.glob(f"{STAGED_PREFIX}*{STAGED_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        pid_text = path.name[len(STAGED_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a pid at all: leave it alone
    return True


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
