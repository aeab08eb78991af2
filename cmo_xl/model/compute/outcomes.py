"""The Scenarios sheet's numbers: every scenario's world and regions, side by side.

Each scenario is resolved on its own, so its numbers do not depend on the scenario in force.
A region starts at the base value times its share and grows through each phase in closed form,
``v * (1 + g) ** years``, as the sheet's formulas do; the world is the regions' sum.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.growth import grow, implied_cagr, spreadsheet_sub
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import Model, Scenario


@dataclass(frozen=True)
class Outcome:
    """One scenario's results at the base year and each phase end (or their expected value)."""

    scenario: Scenario | None  # None: the probability-weighted expected value
    inputs: dict[str, float]  # every input's value in the scenario, by defined name
    regions: list[list[float]]  # each region, at each of the years
    world: list[float]
    phase_cagrs: list[float]  # the world's CAGR over each phase
    cagr: float  # over the whole timeline


@dataclass(frozen=True)
class Outcomes:
    years: list[int]  # the base year, then each phase's end
    scenarios: list[Outcome]
    expected: Outcome | None  # when the scenarios carry probabilities


def outcomes(model: Model) -> Outcomes:
    """Every scenario of ``model``'s spec, each resolved with it in force."""
    years = [model.years[0], *(p.end_year for p in model.phases)]
    each = [
        _outcome(model if s.number == model.scenario else resolve(model.spec, s.number), s, years)
        for s in model.scenarios
    ]
    expected = None
    probabilities = [p.value for p in model.probabilities]
    if probabilities:

        def weighted(rows: list[list[float]]) -> list[float]:
            """SUMPRODUCT of the probabilities and one row across the scenarios."""
            return [
                sum(p * v for p, v in zip(probabilities, column, strict=True))
                for column in zip(*rows, strict=True)
            ]

        regions = [weighted([o.regions[r] for o in each]) for r in range(len(model.regions))]
        expected = _summary(None, {}, regions, weighted([o.world for o in each]), years)
    return Outcomes(years, each, expected)


def _outcome(model: Model, scenario: Scenario, years: list[int]) -> Outcome:
    def grown(start: float, rates: list[float]) -> list[float]:
        values = [start]
        for a, b, rate in zip(years[:-1], years[1:], rates, strict=True):
            values.append(grow(values[-1], rate, b - a))
        return values

    regions = [
        grown(model.base_value.value * r.share.value, r.rates) if not r.residual else []
        for r in model.regions
    ]
    if model.anchored:  # the world at the market's CAGRs; the residual region takes the rest
        world = grown(model.base_value.value, [p.cagr.value for p in model.phases])
        others = [sum(column) for column in zip(*(v for v in regions if v), strict=True)]
        residual = [
            spreadsheet_sub(w, o) for w, o in zip(world, others or [0.0] * len(world), strict=True)
        ]
        regions = [v if v else residual for v in regions]
    else:
        world = [sum(column) for column in zip(*regions, strict=True)]
    inputs = {i.name: i.value for i in model.inputs()}
    return _summary(scenario, inputs, regions, world, years)


def _summary(
    scenario: Scenario | None,
    inputs: dict[str, float],
    regions: list[list[float]],
    world: list[float],
    years: list[int],
) -> Outcome:
    spans = zip(world, world[1:], years, years[1:], strict=False)
    return Outcome(
        scenario,
        inputs,
        regions,
        world,
        [implied_cagr(a, b, end - start) for a, b, start, end in spans],
        implied_cagr(world[0], world[-1], years[-1] - years[0]),
    )
