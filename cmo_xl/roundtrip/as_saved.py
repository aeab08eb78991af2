"""A workbook's formula cells as the file holds them, before anything recalculates.

Every cell where cmo_xl wrote a formula is compared with what the file holds there: a number
typed over it, the formula deleted, a reference broken (``#REF!``) or the formula changed; and a
number typed on a calculation sheet where cmo_xl wrote nothing. ``verify`` lists them all,
``diff`` and ``build --inputs-from`` the formulas typed over or cleared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.roundtrip.read import WorkbookRead
from cmo_xl.roundtrip.values import replan, scenario_in_force
from cmo_xl.text import excerpt
from cmo_xl.workbook import a1
from cmo_xl.workbook.plan import calculation_titles
from cmo_xl.workbook.records import WorkbookPlan

TYPED_OVER, DELETED = "typed over", "deleted"


@dataclass(frozen=True)
class Finding:
    sheet: str
    address: str
    kind: str  # typed over, deleted, broken reference, formula changed, error, differs, ...
    text: str
    held: Any = None  # what a typed-over or cleared formula cell holds now
    shown: Any = None  # what cmo_xl's formula there showed, as built
    place: str = ""  # where, when it is more than one cell (a broken rule's inputs)

    def line(self) -> str:
        where = self.place or a1.ref(self.sheet, self.address)
        return f"{where}: {self.kind}: {self.text}"

    @property
    def overwritten(self) -> bool:
        """A formula cmo_xl wrote, typed over or cleared."""
        return self.kind in (TYPED_OVER, DELETED)


def as_saved(found: WorkbookRead, plan: WorkbookPlan) -> Iterator[Finding]:
    """Formula cells as the file holds them, before anything recalculates; and numbers typed
    on a calculation sheet where cmo_xl wrote nothing."""
    calculation = set(calculation_titles(plan))
    for sheet in plan.sheets:
        held_cells = found.book.formulas.get(sheet.title)
        if held_cells is None:
            yield Finding(sheet.title, "A1", "sheet missing", "the sheet was deleted or renamed")
            continue
        if sheet.title in calculation:
            planned = {(c.row, c.col) for c in sheet.cells}
            for (row, col), held in sorted(held_cells.items()):
                if (row, col) not in planned and isinstance(held, int | float):
                    yield Finding(
                        sheet.title,
                        a1.cell(row, col),
                        "typed number",
                        f"holds {excerpt(held)} where cmo_xl wrote nothing (no typed numbers on "
                        "a calculation sheet)",
                    )
        for cell in sheet.cells:
            if not cell.is_formula or cell.style == "link":  # a link is an input to type over
                continue
            held = held_cells.get((cell.row, cell.col))
            wrote = f"={cell.formula}"
            if held is None:
                yield Finding(
                    sheet.title,
                    cell.address,
                    DELETED,
                    f"empty where cmo_xl wrote {_short(wrote)}",
                    None,
                    cell.value,
                )
            elif not (isinstance(held, str) and held.startswith("=")):
                yield Finding(
                    sheet.title,
                    cell.address,
                    TYPED_OVER,
                    f"holds {excerpt(held)} where cmo_xl wrote {_short(wrote)}",
                    held,
                    cell.value,
                )
            elif "#REF!" in held.upper():
                yield Finding(sheet.title, cell.address, "broken reference", _short(held))
            elif _plain(held) != _plain(wrote):
                yield Finding(
                    sheet.title,
                    cell.address,
                    "formula changed",
                    f"{_short(held)} where cmo_xl wrote {_short(wrote)}",
                )


def _short(formula: str) -> str:
    return excerpt(formula, 80).strip("'\"")


STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_PREFIXES = re.compile(r"_xlfn\.|_xlws\.|_xludf\.", re.IGNORECASE)


def _plain(formula: str) -> str:
    """A formula as two programs that save it alike would both write it: no spaces outside
    strings, no ``$``, no future-function prefixes, one case."""
    out, last = [], 0
    for match in STRING_LITERAL.finditer(formula):
        out.append(_bare(formula[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_bare(formula[last:]))
    return "".join(out)


def _bare(part: str) -> str:
    return name_key(_PREFIXES.sub("", part).replace("$", "").replace(" ", ""))


def overwritten(found: WorkbookRead) -> list[Finding]:
    """Every formula cmo_xl wrote in ``found`` that is typed over or cleared, with what the
    cell holds and what the formula showed when built."""
    plan = replan(found, scenario_in_force(found) or 1, as_built=True)
    return [f for f in as_saved(found, plan) if f.overwritten]
