"""Recalculate a workbook with headless LibreOffice, the spreadsheet engine available off Windows.

Used by the tests and the benchmark to prove formulas by computing them. Two LibreOffice habits
are worked around here:

* On load it keeps the cached values it finds in an .xlsx instead of recalculating, unless the
  profile's ``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`` is 0 ("always"; the
  setting is declared in LibreOffice's officecfg/registry/schema/org/openoffice/Office/Calc.xcs).
  Each call therefore gets a private, throw-away profile that sets it.
* ``soffice --convert-to`` exits 0 even when it wrote nothing, so success is judged by the
  output file, never by the exit code.

It runs through :mod:`cmo_xl.processes`, so a LibreOffice that hangs or a signal to cmo_xl
leaves no LibreOffice running, and the throw-away profile is removed after it has ended.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cmo_xl import processes
from cmo_xl.errors import RecalcError

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""  # noqa: E501


#: How to install what is missing, said in every message about it.
INSTALL = "install it with: apt-get install -y --no-install-recommends libreoffice-calc-nogui"


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(
    source: str | Path, out_dir: str | Path, timeout: float = processes.DEFAULT_TIMEOUT
) -> Path:
    """Open ``source`` in LibreOffice, recalculate every formula, and save an .xlsx in ``out_dir``.

    ``out_dir`` must differ from the source's folder, so the source is never overwritten.
    Returns the recalculated file's path.
    """
    (target,) = recalculate_many([source], out_dir, timeout)
    return target


def recalculate_many(
    sources: Sequence[str | Path], out_dir: str | Path, timeout: float = processes.DEFAULT_TIMEOUT
) -> list[Path]:
    """:func:`recalculate` for several workbooks in one LibreOffice run (it starts once).

    Their file names must differ; the results come back in the order of ``sources``.
    """
    return convert_many(sources, out_dir, "xlsx:Calc MS Excel 2007 XML", ".xlsx", timeout)


def convert_many(
    sources: Sequence[str | Path],
    out_dir: str | Path,
    target: str,
    suffix: str,
    timeout: float,
) -> list[Path]:
    """Open each of ``sources`` in LibreOffice, recalculate it, and save it through the export
    filter ``target`` (e.g. ``pdf:calc_pdf_Export``) as ``<stem><suffix>`` in ``out_dir``."""
    paths = [Path(s).resolve() for s in sources]
    out_dir = Path(out_dir).resolve()
    if any(out_dir == p.parent for p in paths):
        raise RecalcError(f"{out_dir}: convert into another folder than the sources'")
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise RecalcError("workbooks converted together need different file names")
    binary = soffice()
    if binary is None:
        raise RecalcError(f"LibreOffice (soffice) is not installed; {INSTALL}")
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{stem}{suffix}" for stem in stems]
    for path in targets:
        path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="cmo_xl_lo_") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            *(str(p) for p in paths),
        ]
        # its own process group, ended with everything it started however the call ends; its
        # own temporary files (lu*.tmp) go into the profile's folder, removed with it
        scratch = Path(profile) / "tmp"
        scratch.mkdir()
        env = dict(os.environ, TMPDIR=str(scratch), TMP=str(scratch), TEMP=str(scratch))
        run = processes.run(command, timeout=timeout, what="LibreOffice", env=env)
    missing = [t.name for t in targets if not t.is_file()]
    if missing:
        raise RecalcError(
            f"LibreOffice wrote no {', '.join(missing)} (exit {run.returncode}): "
            f"{run.stderr.strip() or run.stdout.strip()}"
        )
    return targets
