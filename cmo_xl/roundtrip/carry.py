"""``cmo-xl build SPEC --inputs-from EDITED``: a fresh workbook that keeps a user's edits.

The edits are what :mod:`.read` finds in EDITED: inputs whose values differ from the spec it
was built from. Each is carried into SPEC by its defined name, wherever SPEC now puts it; an
edit SPEC has no home for is listed with the reason, never dropped without a word.
"""

from __future__ import annotations

from pathlib import Path

from cmo_xl.model.schema import Spec
from cmo_xl.roundtrip.edits import carry
from cmo_xl.roundtrip.read import read_book
from cmo_xl.roundtrip.report import shown


def inputs_from(spec: Spec, edited: Path) -> tuple[Spec, list[str]]:
    """``spec`` with the edits typed in ``edited``, and lines that say what was carried."""
    found = read_book(edited)
    carried, unplaced = carry(spec, found.edits, found.path.name)
    left = {u.edit.name for u in unplaced}
    lines = [
        f"carried {e.name} = {shown(e.kind, e.now)} from {e.cell} of {edited}"
        for e in found.edits
        if e.name not in left
    ]
    lines += [
        f"warning: not carried: {u.edit.name} = {shown(u.edit.kind, u.edit.now)} "
        f"({u.edit.cell}): {u.reason}"
        for u in unplaced
    ]
    if not found.edits:
        lines.append(f"{edited} holds no edited input; nothing to carry")
    return carried, lines
