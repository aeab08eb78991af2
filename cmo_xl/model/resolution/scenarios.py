"""Resolving scenarios: the switch that gives each input it changes its value in force.

A scenario names the inputs it changes by their defined names (``market_cagr_p2``, as the
Inputs sheet shows them), and sets or shifts each one. :class:`Switch` is applied to every input
of the forecast as :func:`cmo_xl.model.resolution.resolve.resolve` makes it, in the order the
inputs follow
one another, so an input that follows a default follows that default's value in the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cmo_xl.errors import SpecError
from cmo_xl.model.growth import spreadsheet_sub
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.input_kinds import KINDS
from cmo_xl.model.resolution.resolved import SCENARIO, Change, Input, Scenario
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Change as SpecChange
from cmo_xl.model.spec.schema import Spec
from cmo_xl.text import excerpt

GIVEN_SUFFIX = ", as the spec gives it"


def scenario_number(spec: Spec, scenario: str | None) -> int:
    """The number (from 1) of the scenario called ``scenario``, compared ignoring case as the
    switch's MATCH compares; None is the first."""
    listed = [s.name for s in spec.scenarios or []] or [names.BASE_SCENARIO]
    if scenario is None:
        return 1
    for k, name in enumerate(listed, start=1):
        if name_key(name) == name_key(scenario):
            return k
    raise SpecError(
        [
            f"the scenario asked for (--scenario): got {excerpt(scenario)}; must be one of "
            f"the spec's scenarios: {', '.join(excerpt(n) for n in listed)}"
        ],
        "scenario",
    )


@dataclass
class Switch:
    """Applies every scenario's changes to the inputs, with ``active`` in force."""

    spec: Spec
    active: int
    #: The changes made so far: (scenario index, change index) -> Change.
    made: dict[tuple[int, int], Change] = field(default_factory=dict)
    #: Every change by the name of the input it changes, ignoring case.
    by_target: dict[str, list[tuple[int, int, SpecChange]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, s in enumerate(self.spec.scenarios or []):
            for j, c in enumerate(s.changes):
                self.by_target.setdefault(name_key(c.input), []).append((i, j, c))

    def live(self, item: Input) -> Input:
        """``item`` as the workbook holds it: unchanged, or switched by the scenario in force."""
        found = self.by_target.get(name_key(item.name), [])
        if not found:
            return item
        label, parts = relabel(item, GIVEN_SUFFIX)
        given = replace(
            item, name=names.given(item.name), label=label, label_parts=parts, implies=None
        )
        changes = tuple(self._change(i, j, c, item) for i, j, c in found)
        switched = Input(
            item.path,
            item.name,
            item.label,
            item.unit,
            item.kind,
            0.0,
            SCENARIO,
            note="Set by the scenario in force: each scenario's value is a row of the "
            "Scenarios section, and the spec's own value is the row marked 'as the spec "
            "gives it'.",
            implies=item.implies,
            label_parts=item.label_parts,
            given=given,
            changes=changes,
        )
        return replace(switched, value=case_value(switched, self.active))

    def _change(self, i: int, j: int, change: SpecChange, target: Input) -> Change:
        scenario = (self.spec.scenarios or [])[i]
        shift = change.shift is not None
        typed = change.shift if change.shift is not None else change.set
        assert typed is not None, "rules refuse a change that neither sets nor shifts"
        suffix = ", shift" if shift else ", set to"
        label, parts = relabel(target, suffix, prefix=f"{scenario.name}: ")
        kind = KINDS[target.kind].shift if shift else target.kind
        assert kind is not None, f"rules refuse a shift of a {target.kind}"
        unit = "% points" if kind == "rate_shift" else target.unit
        item = Input(
            f"scenarios[{i}].changes[{j}].{'shift' if shift else 'set'}",
            names.scenario_change(target.name, scenario.name),
            label,
            unit,
            kind,
            typed.value,
            typed.provenance,
            typed.source or "",
            typed.note,
            label_parts=parts,
        )
        made = Change(i + 1, shift, item, target.name)
        self.made[(i, j)] = made
        return made

    def scenarios(self) -> tuple[Scenario, ...]:
        """Every scenario with its probability and the changes made, in spec order."""
        if self.spec.scenarios is None:
            note = "The spec's own inputs; the spec defines no other scenario."
            return (Scenario(1, names.BASE_SCENARIO, note, None, ()),)
        made: dict[int, list[Change]] = {}
        for (i, _), change in sorted(self.made.items(), key=lambda item: item[0]):
            made.setdefault(i, []).append(change)
        out = []
        for i, s in enumerate(self.spec.scenarios):
            probability = None
            if s.probability is not None:
                p = s.probability
                probability = Input(
                    f"scenarios[{i}].probability",
                    names.scenario_probability(s.name),
                    s.name,
                    "%",
                    "share",
                    p.value,
                    p.provenance,
                    p.source or "",
                    p.note,
                )
            out.append(Scenario(i + 1, s.name, s.note, probability, tuple(made.get(i, []))))
        return tuple(out)


def case_value(item: Input, scenario: int) -> float:
    """A switched input's value in ``scenario``: its :meth:`Input.case` parts added up, as
    the workbook adds them."""
    base, change = item.case(scenario)
    if change is None:
        assert base is not None
        return base.value
    if base is None:
        return change.value
    return spreadsheet_sub(base.value, -change.value)  # a + b is LibreOffice's approxAdd


def relabel(item: Input, suffix: str, prefix: str = "") -> tuple[str, tuple[str | Input, ...]]:
    """``item``'s label, and its live parts if it has any, with ``prefix`` and ``suffix``."""
    parts: tuple[str | Input, ...] = ()
    if item.label_parts:
        parts = (prefix, *item.label_parts, suffix) if prefix else (*item.label_parts, suffix)
    return f"{prefix}{item.label}{suffix}", parts
