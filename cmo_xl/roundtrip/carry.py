"""``cmo-xl build SPEC --inputs-from EDITED``: a fresh workbook that keeps a user's edits.

The edits are what :mod:`.read` finds in EDITED: inputs whose values differ from the spec it
was built from. Each is carried into SPEC by its defined name, wherever SPEC now puts it, and so
is the scenario in force. What cannot be carried is listed with the reason, never dropped
without a word: an edit SPEC has no home for, a scenario SPEC does not have, and every number
typed over a formula (a rebuild writes the formula again).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cmo_xl.errors import WorkbookError
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.roundtrip.as_saved import overwritten
from cmo_xl.roundtrip.broken import broken_rules
from cmo_xl.roundtrip.edits import carry
from cmo_xl.roundtrip.read import read_book
from cmo_xl.roundtrip.report import now_shown, shown
from cmo_xl.text import excerpt
from cmo_xl.workbook import a1


@dataclass(frozen=True)
class Carried:
    spec: Spec  # SPEC with EDITED's inputs
    scenario: str | None  # the scenario in force in EDITED, when SPEC has it
    lines: list[str]  # what was carried and what was not


def inputs_from(spec: Spec, edited: Path) -> Carried:
    """``spec`` with the edits typed in ``edited`` and its scenario in force, and lines that
    say what was carried and what was not."""
    found = read_book(edited)
    found.require_valid()
    result = carry(spec, found.edits, found.path.name)
    if not result.valid:
        places = {}
        for e in found.edits:
            sheet, (row, col), _ = a1.split_ref(e.cell)
            places[e.name] = (sheet, row, col)
        broken = broken_rules(result.problems, resolve(spec), places)
        raise WorkbookError(
            f"{found.path.name}: the values typed in it break the rules of the spec to build:\n"
            + "\n".join(f"  - {b.line()}" for b in broken)
        )
    left = {u.edit.name for u in result.unplaced}
    lines = [
        f"carried {e.name} = {shown(e.kind, e.now)} from {e.cell} of {edited}"
        for e in found.edits
        if e.name not in left
    ]
    typed = {e.name for e in found.edits}
    formulas = [u for u in found.unplaced if u.edit.name not in typed]  # never carried
    lines += [
        f"warning: not carried: {u.edit.name} = {now_shown(u.edit)} ({u.edit.cell}): {u.reason}"
        for u in [*formulas, *result.unplaced]
    ]
    if not found.edits and not formulas:
        lines.append(f"{edited} holds no edited input; nothing to carry")
    scenario = _scenario(result.spec, found.scenario, edited, lines)
    for f in overwritten(found):
        held = "(cleared)" if f.held is None else excerpt(f.held)
        lines.append(
            f"warning: not carried: {a1.ref(f.sheet, f.address)} = {held} (typed over a "
            "formula): the new workbook has cmo_xl's formula there"
        )
    return Carried(result.spec, scenario, lines)


def _scenario(spec: Spec, switch: str, edited: Path, lines: list[str]) -> str | None:
    """The scenario ``edited`` was left in, when ``spec`` has one of that name."""
    names = [s.name for s in spec.scenarios or []]
    match = next((n for n in names if name_key(n) == name_key(switch)), None)
    if match is not None:
        if match != names[0]:  # the first is where a build opens anyway
            lines.append(f"carried the scenario in force, {excerpt(match)}, from {edited}")
    elif switch and names:
        lines.append(
            f"warning: not carried: scenario = {excerpt(switch)} (the scenario in force): the "
            f"spec has no scenario of that name; the new workbook opens in {excerpt(names[0])}"
        )
    return match
