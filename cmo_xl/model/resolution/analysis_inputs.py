"""Resolving the Analysis sheet's what-if inputs: a target and the steps sensitivities use."""

from __future__ import annotations

from collections.abc import Sequence

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import DEFAULT, AnalysisInputs, Input, InputKind, given
from cmo_xl.model.spec.schema import Spec, StepInput

#: cmo_xl's steps when the spec gives none: two points either way, and 10% of the base value.
DEFAULT_CAGR_STEPS = (-0.02, -0.01, 0.01, 0.02)
DEFAULT_VALUE_STEPS = (-0.1, 0.1)
STEP_NOTE = "cmo_xl's default step for the Analysis sheet; type your own."


def resolve_analysis(spec: Spec) -> AnalysisInputs:
    a, unit = spec.analysis, spec.market.unit
    target = None
    if a.target_end_value is not None:
        target = given(
            "analysis.target_end_value",
            names.TARGET_END_VALUE,
            f"Target value in {spec.market.end_year}",
            unit,
            "value",
            a.target_end_value,
        )

    def steps(
        typed: Sequence[StepInput] | None, defaults: tuple[float, ...], kind: InputKind, field: str
    ) -> tuple[Input, ...]:
        name = names.cagr_step if kind == "cagr_step" else names.value_step
        what = "Forecast-phase CAGR step" if kind == "cagr_step" else "Base value step"
        if typed is None:
            return tuple(
                Input(
                    f"analysis.{field}[{k - 1}]",
                    name(k),
                    f"{what} {k}",
                    "%",
                    kind,
                    v,
                    DEFAULT,
                    note=STEP_NOTE,
                )
                for k, v in enumerate(defaults, start=1)
            )
        return tuple(
            given(f"analysis.{field}[{k - 1}]", name(k), f"{what} {k}", "%", kind, item)
            for k, item in enumerate(typed, start=1)
        )

    return AnalysisInputs(
        target,
        steps(a.cagr_steps, DEFAULT_CAGR_STEPS, "cagr_step", "cagr_steps"),
        steps(a.base_value_steps, DEFAULT_VALUE_STEPS, "value_step", "base_value_steps"),
    )
