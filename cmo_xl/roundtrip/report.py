"""What ``cmo-xl read`` and ``build --inputs-from`` say about a workbook's edits."""

from __future__ import annotations

from cmo_xl.model.resolution import input_kinds
from cmo_xl.roundtrip.edits import Edit
from cmo_xl.roundtrip.read import WorkbookRead
from cmo_xl.text import excerpt


def shown(kind: str, value: float | str | None) -> str:
    """An input's value as a person reads it: 11.40%, 2032, 73.00."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return input_kinds.shown(kind, value)


def now_shown(edit: Edit) -> str:
    """What an edited input's cell holds: the number, or the formula that was not read."""
    return excerpt(edit.formula) if edit.formula is not None else shown(edit.kind, edit.now)


def edit_lines(found: WorkbookRead) -> list[str]:
    typed = {e.name for e in found.edits}
    formulas = [u.edit for u in found.unplaced if u.edit.name not in typed]
    lines = [f"{found.path}: {len(found.edits) + len(formulas)} edited input(s)"]
    left = {u.edit.name: u.reason for u in found.unplaced}
    for e in [*found.edits, *formulas]:
        change = f"{e.name} ({e.cell}): {shown(e.kind, e.was)} -> {now_shown(e)}"
        reason = left.get(e.name)
        lines.append(f"  {change}" if reason is None else f"  not read: {change}: {reason}")
    return lines
