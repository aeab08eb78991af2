"""A scenario may set or shift any input of the forecast to any number its field takes: the
spec is then valid or refused with a message naming the change, never an exception (values
derived from a changed input, such as a CAGR between two market values, are judged after the
change itself)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cmo_xl.errors import SpecError
from cmo_xl.model.load import load_spec, parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.spec.spec_text import spec_yaml

TEMPLATES = sorted((Path(__file__).parent.parent / "templates").glob("*.yaml"))
#: The edges: 0 and just off it, the range limits and just past them, the field's own limits.
EXTREMES = [0.0, -0.0, 1e-300, -1e-300, 1e-6, 5e-7, -0.5, -0.51, -1.0, -2.0, 1.0, 1.01,
            0.999999, 1e17, 1e18, -1e18]  # fmt: skip


def _data(template: Path) -> tuple[dict[str, Any], list[str]]:
    spec = load_spec(template)
    names = [i.name for i in resolve(spec).forecast_inputs()]
    return yaml.safe_load(spec_yaml(spec)), names


CASES = {t.stem: _data(t) for t in TEMPLATES}


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(
    st.sampled_from(sorted(CASES)),
    st.lists(
        st.tuples(
            st.integers(0, 10_000), st.sampled_from(["set", "shift"]), st.sampled_from(EXTREMES)
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_any_change_value_is_valid_or_refused_naming_a_field(
    template: str, changes: list[tuple[int, str, float]]
) -> None:
    data, names = copy.deepcopy(CASES[template][0]), CASES[template][1]
    targets = list(dict.fromkeys(names[k % len(names)] for k, _, _ in changes))
    made = [
        {"input": target, kind: {"value": value, "provenance": "analyst"}}
        for target, (_, kind, value) in zip(targets, changes, strict=False)
    ]
    data["scenarios"] = [
        *(data.get("scenarios") or [{"name": "Base"}]),
        {"name": "Edge", "changes": made},
    ]
    try:
        parse_spec(data)
    except SpecError as exc:
        assert exc.problems and all(": " in p for p in exc.problems), exc.problems


@pytest.mark.parametrize("template", sorted(CASES))
def test_the_templates_have_inputs_to_change(template: str) -> None:
    assert len(CASES[template][1]) >= 3
