"""Rules for scenarios; each problem names the field path, the value and what is allowed.

The switch looks a scenario up by name with MATCH, which ignores case and reads ``*``, ``?`` and
``~`` as wildcards, so names must differ ignoring case and hold none of those. A change names
an input of the forecast by its defined name. In every scenario each input must stay within its
range, and shares and weights must still sum to 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from cmo_xl.model.resolution.resolve import SUM_TOLERANCE
from cmo_xl.model.resolution.resolved import Input, Model
from cmo_xl.model.spec.excel_names import name_key
from cmo_xl.model.spec.schema import (
    BASE_VALUE_MIN,
    CAGR_RANGE,
    MAX_CHANGES,
    SHARE_RANGE,
    VALUE_MAX,
    Spec,
)
from cmo_xl.text import excerpt

WILDCARDS = "*?~"
RANGES = {"share": SHARE_RANGE, "cagr": CAGR_RANGE, "value": (BASE_VALUE_MIN, VALUE_MAX)}
RANGE_TEXT = {"share": "from 0% to 100%", "cagr": "from -50% to 100%", "value": "at least 1e-06"}
SumsRule = Callable[[list[float], str, str], Iterator[str]]


def scenario_problems(spec: Spec) -> Iterator[str]:
    """What the spec's own fields say: names, changes that set xor shift, probabilities."""
    scenarios = spec.scenarios or []
    total = sum(len(s.changes) for s in scenarios)
    if total > MAX_CHANGES:
        yield (
            f"scenarios[*].changes: {total:,} changes in all; at most {MAX_CHANGES:,} (each is a "
            "row on Inputs); change fewer inputs, or use fewer scenarios"
        )
        return
    for i, s in enumerate(scenarios):
        bad = sorted(set(s.name) & set(WILDCARDS))
        if bad:
            yield (
                f"scenarios[{i}].name: got {excerpt(s.name)}; it may not hold {' '.join(bad)}: "
                "the scenario switch finds names with MATCH, which reads * ? ~ as wildcards"
            )
        seen: dict[str, int] = {}
        for j, c in enumerate(s.changes):
            where = f"scenarios[{i}].changes[{j}]"
            if (c.set is None) == (c.shift is None):
                what = "both set and shift" if c.set is not None else "neither set nor shift"
                yield f"{where}: gives {what}; give one (set: the value, shift: the amount)"
            key = name_key(c.input)
            if key in seen:
                yield (
                    f"{where}.input: got {excerpt(c.input)}; scenarios[{i}].changes[{seen[key]}] "
                    "already changes it; give one change per input"
                )
            seen.setdefault(key, j)
    given = [s.probability is not None for s in scenarios]
    if any(given) and not all(given):
        missing = [f"scenarios[{i}]" for i, g in enumerate(given) if not g]
        yield (
            f"{', '.join(missing)}.probability: missing; give every scenario a probability "
            "or none, so that the expected value is defined"
        )


def change_problems(model: Model, scenario_models: list[Model], sums: SumsRule) -> Iterator[str]:
    """What needs the resolved model: the inputs changes name, and every scenario's values."""
    changeable = {name_key(i.name): i.name for i in model.forecast_inputs()}
    others = {name_key(i.name): i for i in model.inputs()}
    for i, s in enumerate(model.spec.scenarios or []):
        for j, c in enumerate(s.changes):
            if name_key(c.input) in changeable:
                continue
            where = f"scenarios[{i}].changes[{j}].input: got {excerpt(c.input)}"
            derived = others.get(name_key(c.input))
            if derived is not None and derived.derived is not None:
                sources = ", ".join(i.name for i in derived.derived.of if i.kind == "value")
                yield (
                    f"{where}; it is derived from other inputs ({sources or 'its siblings'}), "
                    "so change those instead"
                )
            elif name_key(c.input) in others:
                yield (
                    f"{where}; a scenario changes the forecast's inputs (the base value, CAGRs, "
                    "shares and weights), and this is not one of them"
                )
            else:
                close = difflib.get_close_matches(c.input, sorted(changeable.values()), n=3)
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                yield (
                    f"{where}; no input of the forecast has that defined name (the Inputs sheet "
                    f"shows each input's name){hint}"
                )
    if model.probabilities:
        yield from sums(
            [p.value for p in model.probabilities], "scenarios[*].probability", "probabilities"
        )
    for scenario in scenario_models:
        yield from _sums(scenario, sums)
        yield from _residuals(scenario)


def _residuals(model: Model) -> Iterator[str]:
    """A scenario may not push a residual's share below 0 (the spec's own values are checked
    where it is read)."""
    if model.scenario == 1 and not model.spec.scenarios:
        return
    name = model.scenarios[model.scenario - 1].name
    for item in model.inputs():
        if item.derived is not None and item.value < -SUM_TOLERANCE:
            yield (
                f"scenarios[{model.scenario - 1}]: in scenario {excerpt(name)}, {item.name} "
                f"(a residual's share) would be {item.value:.6g}; the shares it is left by "
                "must sum to at most 1"
            )


def range_problems(scenario_models: list[Model]) -> Iterator[str]:
    """Every input a scenario changes stays within its range in it: checked before anything
    derived from those inputs (a CAGR between two market values, a share from a value) is
    judged, so that the change itself is named."""
    for scenario in scenario_models:
        yield from _in_range(scenario)


def _in_range(model: Model) -> Iterator[str]:
    k = model.scenario
    name = model.scenarios[k - 1].name
    for item in model.switched():
        low, high = RANGES[item.kind]
        _, change = item.case(k)
        # Inputs the scenario leaves alone (or that follow one it changes) are fine on their
        # own: the change that moves them out of range is the one to name.
        if change is None or low <= item.value <= high:
            continue
        path = change.path
        yield (
            f"{path}: in scenario {excerpt(name)}, {item.name} would be {item.value:.6g}; "
            f"it must be {RANGE_TEXT[item.kind]}"
        )


def _sums(model: Model, sums: SumsRule) -> Iterator[str]:
    """Shares and weights that a scenario changes must still sum to 1 in it."""
    changed = {item.name for item in model.switched()}
    k = model.scenario
    where = f"scenarios[{k - 1}]"
    label = f"in scenario {excerpt(model.scenarios[k - 1].name)}"

    def check(items: list[Input], what: str) -> Iterator[str]:
        if any(item.name in changed for item in items):
            yield from sums([item.value for item in items], where, f"{what} {label}")

    yield from check([r.share for r in model.regions], "region shares")
    for r in model.regions:
        yield from check([c.weight for c in r.countries], f"{r.name}'s country weights")
    for d in model.dimensions:
        yield from check(list(d.shares), f"{d.name} shares")
        for region, members in d.by_region.items():
            if d.shares_overridden_in(region):
                yield from check([m.weight for m in members], f"{d.name} shares in {region}")
