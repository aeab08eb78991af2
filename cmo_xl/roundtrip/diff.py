"""Two workbooks or specs side by side: what assumptions changed, and what that did to the
end-year world and each region. Every number comes from the engine, run on each side's inputs
with the scenario its switch picks (a spec: its first scenario)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

from cmo_xl.model.engine import forecast
from cmo_xl.model.excel_names import name_key
from cmo_xl.model.load import load_spec
from cmo_xl.model.resolve import resolve
from cmo_xl.model.resolved import Model, region_key, world_key
from cmo_xl.model.schema import Spec
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.roundtrip.read import SAME_NUMBER, read_book
from cmo_xl.roundtrip.report import shown
from cmo_xl.roundtrip.values import scenario_in_force

SCENARIO_ROW = "scenario"


@dataclass(frozen=True)
class Side:
    label: str
    spec: Spec
    scenario: int  # in force, from 1


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
    effects: list[Effect]

    def to_json(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "unit": self.unit,
            "changes": [asdict(c) for c in self.changes],
            "effects": [{**asdict(e), "change": e.change} for e in self.effects],
        }


def side(arg: str) -> Side:
    """A spec file (.yaml, .yml), a bundled template's name, or else a workbook."""
    path = Path(arg)
    if path.suffix.lower() in (".yaml", ".yml"):
        return Side(str(path), load_spec(path), 1)
    if not path.exists() and arg in template_names():
        return Side(arg, load_template(arg), 1)
    found = read_book(path)
    return Side(str(path), found.spec, scenario_in_force(found) or 1)


def diff(a: Side, b: Side) -> Diff:
    ma, mb = resolve(a.spec, a.scenario), resolve(b.spec, b.scenario)
    changes = _changes(ma, mb)
    return Diff(a.label, b.label, mb.unit, changes, _effects(ma, mb))


def _changes(ma: Model, mb: Model) -> list[Change]:
    """The typed inputs that differ: typed on either side (a default link typed over is an
    assumption of its own), compared with what the other side holds there."""
    out = []
    sa, sb = ma.scenarios[ma.scenario - 1].name, mb.scenarios[mb.scenario - 1].name
    if sa != sb:
        out.append(Change(SCENARIO_ROW, "Scenario in force", "text", sa, sb))
    old = {name_key(i.name): i for i in ma.inputs()}
    new = {name_key(i.name): i for i in mb.inputs()}
    typed = [k for k, i in old.items() if i.typed]
    typed += [k for k, i in new.items() if i.typed and not (k in old and old[k].typed)]
    for key in typed:
        a, b = old.get(key), new.get(key)
        shown = b or a
        assert shown is not None
        if (
            a is None
            or b is None
            or not math.isclose(a.value, b.value, rel_tol=SAME_NUMBER, abs_tol=0.0)
        ):
            out.append(
                Change(
                    shown.name,
                    shown.label,
                    shown.kind,
                    None if a is None else a.value,
                    None if b is None else b.value,
                )
            )
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
    lines += ["", f"Effect on the end-year values ({d.unit}):"]
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
