"""Inputs typed in a workbook, carried into a spec by their defined names.

An edit names an input by its defined name (``share_Europe``), as the Inputs sheet shows it.
The spec's field for it comes from the resolved model (:attr:`Input.path`), so the same edit
lands in the spec the workbook was built from (``cmo-xl read``) or in a newer one with another
structure (``cmo-xl build --inputs-from``). An edit the spec cannot hold is returned with the
reason, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cmo_xl.errors import SpecError
from cmo_xl.model.load import parse_spec, path_tokens
from cmo_xl.model.resolution.input_kinds import KINDS
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import DEFAULT, Input, Model
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import Spec

_PHASE_END = re.compile(r"^phases\[(\d+)\]\.end_year$")


@dataclass(frozen=True)
class Edit:
    """An input whose value in a workbook differs from the spec's."""

    name: str  # its defined name
    label: str
    kind: str
    was: float  # as the spec gives it, or the default it follows
    now: float  # as typed in the workbook
    cell: str  # where it was typed, e.g. Inputs!C34
    formula: str | None = None  # a formula the cell holds instead of a number, not read


@dataclass(frozen=True)
class Unplaced:
    """An edit that no field of the spec can hold, and why."""

    edit: Edit
    reason: str


def not_editable(item: Input) -> str | None:
    """Why an edit to ``item`` cannot go into a spec, or None when it can."""
    if item.given is not None:
        return (
            "it is set by the scenario switch; type in the scenario's own row or in the row "
            "'as the spec gives it'"
        )
    if item.derived is not None:
        of = ", ".join(i.name for i in item.derived.of[:3])
        return f"it is derived from other inputs ({of}); change those instead"
    if item.kind == "fixed_year":
        return "it is fixed when the workbook is built; change it in the spec and rebuild"
    if not item.path:
        return "it is cmo_xl's own setting, not part of a spec"
    return None


def editable_inputs(model: Model) -> dict[str, Input]:
    """Every input of ``model`` by its defined name, compared ignoring case as Excel does."""
    return {name_key(i.name): i for i in model.inputs()}


@dataclass(frozen=True)
class Carried:
    """A spec with a workbook's edits carried into it."""

    spec: Spec  # with the edits; the spec as it was, when they break its rules
    unplaced: list[Unplaced]  # edits no field of the spec can hold, each with its reason
    problems: list[str]  # the rules the edits break, as validation words them
    data: dict[str, Any]  # the spec's data with every edit placed, valid or not

    @property
    def valid(self) -> bool:
        return not self.problems


def carry(spec: Spec, edits: Sequence[Edit], workbook: str) -> Carried:
    """``spec`` with every edit that has a home in it; the others, each with its reason; and
    the rules the edits break, if they do (the spec is then returned as it was).

    An edited input's provenance becomes ``analyst`` and it records the edit (``edited``:
    the workbook, the cell, the value before and its provenance).
    """
    model = resolve(spec)
    inputs = editable_inputs(model)
    data = spec.model_dump(mode="json")
    unplaced: list[Unplaced] = []
    placed = 0
    for edit in edits:
        item = inputs.get(name_key(edit.name))
        if item is None:
            unplaced.append(Unplaced(edit, "the spec has no input of that name"))
            continue
        reason = not_editable(item)
        if reason is not None:
            unplaced.append(Unplaced(edit, reason))
            continue
        problem = _place(data, model, item, edit, workbook)
        if problem:
            unplaced.append(Unplaced(edit, problem))
        else:
            placed += 1
    if not placed:
        return Carried(spec, unplaced, [], data)
    try:
        return Carried(parse_spec(data, workbook), unplaced, [], data)
    except SpecError as exc:
        return Carried(spec, unplaced, list(exc.problems), data)


def _place(data: dict[str, Any], model: Model, item: Input, edit: Edit, workbook: str) -> str:
    """Put ``edit`` into the spec data at ``item``'s field; returns a problem or ""."""
    tokens = path_tokens(item.path)
    node: Any = data
    for depth, token in enumerate(tokens[:-1]):
        nxt = node[token]
        if nxt is None:
            nxt = node[token] = _materialize(tokens[: depth + 1], data, model)
        node = nxt
    key = tokens[-1]
    form = KINDS[item.kind].spec_form
    if form == "year":
        if edit.now != int(edit.now):
            return f"a year must be a whole number; got {edit.now!r}"
        node[key] = int(edit.now)
        phase = _PHASE_END.match(item.path)
        if phase and int(phase[1]) + 1 < len(data["phases"]):
            data["phases"][int(phase[1]) + 1]["start_year"] = int(edit.now)  # phases chain
        return ""
    if form == "number":
        node[key] = edit.now
        return ""
    record = {
        "workbook": workbook,
        "cell": edit.cell,
        "previous": edit.was,
        "previous_provenance": "default" if item.provenance == DEFAULT else item.provenance,
    }
    current = node[key]
    if isinstance(current, dict):
        current.update(value=edit.now, provenance="analyst", edited=record)
    else:
        node[key] = {"value": edit.now, "provenance": "analyst", "edited": record}
    return ""


def _materialize(prefix: list[str | int], data: dict[str, Any], model: Model) -> list[Any]:
    """A list the spec leaves out, made whole so that one of its entries can be typed."""
    if len(prefix) == 3 and prefix[0] == "regions" and prefix[2] == "cagr":
        return [None] * len(data["phases"])  # each phase follows the market until typed
    if prefix == ["analysis", "cagr_steps"] or prefix == ["analysis", "base_value_steps"]:
        steps = (
            model.analysis.cagr_steps if prefix[1] == "cagr_steps" else model.analysis.value_steps
        )
        return [{"value": s.value, "provenance": "analyst", "note": s.note} for s in steps]
    raise AssertionError(f"no list to make at {prefix}")
