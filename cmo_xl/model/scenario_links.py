"""Inputs the scenarios move through a formula, and which of them a user typed over.

The switch sets an input with ``CHOOSE`` over the scenarios' cases, and a default link follows
what it links to, so both move with the scenario in force. A number typed over either stays put
in every scenario. The workbook warns of that; the engine says the same from the spec: an input
``cmo-xl read`` took from a number typed over a default link records it (``edited`` with
``previous_provenance: default``), so its row is found by putting the default back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cmo_xl.errors import SpecError
from cmo_xl.model.load import parse_spec, path_tokens
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Input, Model
from cmo_xl.model.spec.excel_names import name_key


@dataclass(frozen=True)
class Moved:
    """An input whose cell the scenarios move through a formula."""

    input: Input
    scenarios: tuple[str, ...]  # the scenarios it follows, in spec order
    via: str  # the switched input it follows ("" for a switched input itself)
    typed_over: bool  # a number was typed over it (a default link the spec now types)


def moved_by_scenarios(model: Model) -> list[Moved]:
    """Each input the switch sets, and each default link that follows one, directly or
    through other links, in the Inputs sheet's order; with the defaults typed over put back,
    and marked."""
    if not model.scenarios_move_inputs:
        return []
    typed = _defaults_typed_over(model)
    linked = _with_defaults(model, typed) if typed else model
    switched = {name_key(i.name): i for i in linked.switched()}
    by_name = {name_key(i.name): i for i in linked.inputs()}
    out = []
    for item in linked.inputs():
        key = name_key(item.name)
        over = key in typed
        if key in switched:
            out.append(Moved(item, _names(linked, [item]), "", over))
            continue
        reached, seen = [], {key}
        nxt = item.follows
        while nxt is not None and name_key(nxt.name) not in seen:
            seen.add(name_key(nxt.name))
            found = by_name.get(name_key(nxt.name), nxt)
            if name_key(found.name) in switched:
                reached.append(found)
            nxt = found.given.follows if found.given is not None else found.follows
        if reached:
            out.append(Moved(item, _names(linked, reached), reached[0].name, over))
    return out


def _names(model: Model, switched: list[Input]) -> tuple[str, ...]:
    numbers = {c.scenario for item in switched for c in item.changes}
    return tuple(s.name for s in model.scenarios if s.number in numbers)


def _defaults_typed_over(model: Model) -> dict[str, str]:
    """Inputs typed over their default link, as ``read`` records them: name key -> path."""
    data = model.spec.model_dump(mode="json")
    out = {}
    for item in model.inputs():
        node = _at(data, item.path) if item.path else None
        if isinstance(node, dict):
            edited = node.get("edited") or {}
            if edited.get("previous_provenance") == "default":
                out[name_key(item.name)] = item.path
    return out


def _with_defaults(model: Model, typed: dict[str, str]) -> Model:
    """``model`` with each of ``typed`` following its default again; ``model`` itself when
    the spec would not be valid so (then those inputs are not warned of)."""
    data = model.spec.model_dump(mode="json")
    for path in typed.values():
        *parents, last = path_tokens(path)
        node: Any = data
        for token in parents:
            node = node[token]
        node[last] = None
    try:
        return resolve(parse_spec(data), model.scenario)
    except SpecError:
        return model


def _at(data: Any, path: str) -> Any:
    node = data
    for token in path_tokens(path):
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return None
    return node
