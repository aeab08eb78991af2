"""Two workbooks or specs side by side: what assumptions changed, and what that did to the
end-year world and each region. Every number comes from the engine, run on each side's inputs
with the scenario its switch picks (a spec: its first scenario)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.load import load_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Model, region_key, world_key
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.roundtrip import as_saved
from cmo_xl.roundtrip.read import SAME_NUMBER, read_book
from cmo_xl.roundtrip.report import shown
from cmo_xl.roundtrip.values import replan, scenario_in_force
from cmo_xl.workbook import a1

SCENARIO_ROW = "scenario"


@dataclass(frozen=True)
class Overwritten:
    """A formula cmo_xl wrote, typed over or cleared in a workbook: a difference of its own,
    since no input explains the number it shows."""

    cell: str  # e.g. Regions!H16
    held: float | str | None  # what it holds now; None when cleared
    formula: float | str | None  # what the formula gives on the workbook's inputs


@dataclass(frozen=True)
class Side:
    label: str
    spec: Spec  # a workbook's typed values that break the spec's rules are not in it:
    scenario: int  # in force, from 1
    broken: tuple[str, ...] = ()  # the rules they break, with their cells
    typed: dict[str, float] = field(default_factory=dict)  # then: name key -> value typed
    overwritten: tuple[Overwritten, ...] = ()


@dataclass(frozen=True)
class Change:
    name: str  # the defined name; "scenario" for the switch
    label: str
    kind: str
    old: float | str | None  # None: the input is new
    new: float | str | None  # None: the input is gone


@dataclass(frozen=True)
class Effect:
    output: str  # "World" or a region's name
    old_year: int | None
    old: float | None
    new_year: int | None
    new: float | None

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class Diff:
    a: str
    b: str
    unit: str
    changes: list[Change]
    effects: list[Effect]  # none when a side breaks the spec's rules
    broken: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "A"/"B" -> rules
    overwritten: dict[str, tuple[Overwritten, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "unit": self.unit,
            "changes": [asdict(c) for c in self.changes],
            "effects": [{**asdict(e), "change": e.change} for e in self.effects],
            "broken_rules": {k: list(v) for k, v in self.broken.items()},
            "formulas_typed_over": {k: [asdict(o) for o in v] for k, v in self.overwritten.items()},
        }


def side(arg: str) -> Side:
    """A spec file (.yaml, .yml), a bundled template's name, or else a workbook."""
    path = Path(arg)
    if path.suffix.lower() in (".yaml", ".yml"):
        return Side(str(path), load_spec(path), 1)
    if not path.exists() and arg in template_names():
        return Side(arg, load_template(arg), 1)
    found = read_book(path)
    number = scenario_in_force(found) or 1
    typed = {name_key(e.name): e.now for e in found.edits} if found.broken else {}
    overwritten = []
    found_over = as_saved.overwritten(found)
    # what each formula gives on the workbook's inputs; as built, when they break the rules
    now = {}
    if found_over and not found.broken:
        plan = replan(found, number)
        now = {(s.title, c.address): c.value for s in plan.sheets for c in s.cells}
    for f in found_over:
        formula = now.get((f.sheet, f.address), f.shown)
        overwritten.append(Overwritten(a1.ref(f.sheet, f.address), f.held, formula))
    broken = tuple(b.line() for b in found.broken)
    return Side(str(path), found.spec, number, broken, typed, tuple(overwritten))


def diff(a: Side, b: Side) -> Diff:
    ma, mb = resolve(a.spec, a.scenario), resolve(b.spec, b.scenario)
    changes = _changes(ma, mb, a.typed, b.typed)
    effects = [] if a.broken or b.broken else _effects(ma, mb)
    broken = {k: s.broken for k, s in (("A", a), ("B", b)) if s.broken}
    overwritten = {k: s.overwritten for k, s in (("A", a), ("B", b)) if s.overwritten}
    return Diff(a.label, b.label, mb.unit, changes, effects, broken, overwritten)


def _changes(
    ma: Model, mb: Model, typed_a: dict[str, float], typed_b: dict[str, float]
) -> list[Change]:
    """The typed inputs that differ: typed on either side (a default link typed over is an
    assumption of its own), compared with what the other side holds there. ``typed_a`` and
    ``typed_b`` hold a side's typed values its model leaves out (they break the rules)."""
    out = []
    sa, sb = ma.scenarios[ma.scenario - 1].name, mb.scenarios[mb.scenario - 1].name
    if sa != sb:
        out.append(Change(SCENARIO_ROW, "Scenario in force", "text", sa, sb))
    old = {name_key(i.name): i for i in ma.inputs()}
    new = {name_key(i.name): i for i in mb.inputs()}
    typed = [k for k, i in old.items() if i.typed or k in typed_a]
    typed += [
        k
        for k, i in new.items()
        if (i.typed or k in typed_b) and not (k in old and (old[k].typed or k in typed_a))
    ]
    for key in typed:
        a, b = old.get(key), new.get(key)
        shown = b or a
        assert shown is not None
        va = None if a is None else typed_a.get(key, a.value)
        vb = None if b is None else typed_b.get(key, b.value)
        if va is None or vb is None or not math.isclose(va, vb, rel_tol=SAME_NUMBER, abs_tol=0.0):
            out.append(Change(shown.name, shown.label, shown.kind, va, vb))
    return out


def _effects(ma: Model, mb: Model) -> list[Effect]:
    fa, fb = forecast(ma), forecast(mb)
    ya, yb = ma.years[-1], mb.years[-1]
    out = [Effect("World", ya, fa.at(world_key(), ya), yb, fb.at(world_key(), yb))]
    names = [r.name for r in ma.regions]
    names += [r.name for r in mb.regions if r.name not in names]
    in_a, in_b = {r.name for r in ma.regions}, {r.name for r in mb.regions}
    for name in names:
        old = fa.at(region_key(name), ya) if name in in_a else None
        new = fb.at(region_key(name), yb) if name in in_b else None
        out.append(
            Effect(name, ya if name in in_a else None, old, yb if name in in_b else None, new)
        )
    return out


def diff_lines(d: Diff) -> list[str]:
    """The readable report: the changed assumptions, then their effect."""
    lines = [f"A: {d.a}", f"B: {d.b}", ""]
    if not d.changes:
        lines.append("No assumption differs.")
    else:
        lines.append(f"Assumptions that differ ({len(d.changes)}):")
        listed: list[tuple[str, ...]] = [("defined name", "assumption", "A", "B")]
        listed += [(c.name, c.label, shown(c.kind, c.old), shown(c.kind, c.new)) for c in d.changes]
        lines += _table(listed, right=(2, 3))
    for side, rules in d.broken.items():
        lines += ["", f"{side} breaks the spec's rules with the values typed in it:"]
        lines += [f"  - {rule}" for rule in rules]
    for side, cells in d.overwritten.items():
        lines += ["", f"Formulas typed over or cleared in {side} ({len(cells)}):"]
        listed = [("cell", "holds", "its formula gives")]
        listed += [(o.cell, _held(o.held), _held(o.formula)) for o in cells]
        lines += _table(listed, right=(1, 2))
    if d.broken:
        sides = " and ".join(d.broken)
        verb = "breaks" if len(d.broken) == 1 else "break"
        lines += ["", f"Effect on the end-year values: not computed: {sides} {verb} the rules"]
        return lines
    lines += ["", f"Effect on the end-year values ({d.unit}):"]
    if d.overwritten:
        sides = " and ".join(d.overwritten)
        lines.append(
            f"  (the engine's, on each side's inputs: the formulas typed over in {sides} make "
            "the file show other numbers downstream of them)"
        )
    rows: list[tuple[str, ...]] = [("output", "A", "B", "change", "change %")]
    for e in d.effects:
        change = e.change
        pct = "" if change is None or not e.old else f"{change / e.old:+.2%}"
        rows.append(
            (
                e.output,
                _year_value(e.old_year, e.old),
                _year_value(e.new_year, e.new),
                "" if change is None else f"{change:+,.2f}",
                pct,
            )
        )
    lines += _table(rows, right=(1, 2, 3, 4))
    return lines


def _held(value: float | str | None) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.2f}"
    return str(value)


def _year_value(year: int | None, value: float | None) -> str:
    return "(none)" if year is None or value is None else f"{value:,.2f} in {year}"


def _table(rows: list[tuple[str, ...]], right: tuple[int, ...]) -> list[str]:
    widths = [min(max(len(r[i]) for r in rows), 48) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            (text[:47] + "…" if len(text) > 48 else text).rjust(w)
            if i in right
            else (text[:47] + "…" if len(text) > 48 else text).ljust(w)
            for i, (text, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out
