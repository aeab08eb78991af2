"""What-ifs on the end-year world value, for the Analysis sheet: goal seek, sensitivities and
the tornado, in closed form over the forecast (last) phase, from the engine's numbers.

Each driver grows from its value at the phase's start at its forecast-phase CAGR: every region,
or, where a residual region takes what the others leave (so their CAGRs do not move the
world), the market itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.compute.engine import Forecast, difference, region_key
from cmo_xl.model.growth import implied_cagr


@dataclass(frozen=True)
class TornadoBar:
    label: str
    low: float  # the end-year world value at the lowest step
    high: float  # at the highest step
    swing: float  # |high - low|
    low_change: float  # low - the closed-form end-year world: the tornado's left bar
    high_change: float  # high - the same: its right bar


@dataclass(frozen=True)
class Analysis:
    """What-ifs on the end-year world value, in closed form over the forecast (last) phase:
    each region grows from its value at the phase's start at its forecast-phase CAGR."""

    start_year: int  # the forecast phase's first year
    years: int  # its length
    drivers: list[str]  # what grows: each region, or the market where a region is residual
    starts: list[float]  # each driver's value at the phase's start
    rates: list[float]  # each driver's forecast-phase CAGR
    closed_end: float  # the end-year world value in closed form (equals the model's)
    world_end: float  # the model's end-year world value
    world_start: float  # the world at the forecast phase's start
    required_cagr: float | None  # the CAGR, every region alike, that reaches the target
    gap: float | None  # required_cagr - the forecast phase's market CAGR
    every_region: list[float]  # the world when every region's CAGR moves by each step
    by_region: list[list[float]]  # when one region's CAGR moves, region by region
    by_base_value: list[float]  # when the base value moves by each step
    grid: list[list[float]]  # every region's CAGR steps (rows) by base value steps (columns)
    tornado: list[TornadoBar]  # every region, each region, the base value, in that order
    ranks: list[int]  # each bar's rank by swing, 1 the widest; near-ties keep their order


def analysis(result: Forecast) -> Analysis:
    model = result.model
    last = model.phases[-1]
    first_year = model.years[0]
    n = last.end_year - last.start_year
    at_start = last.start_year - first_year
    if model.anchored:
        drivers = ["The market"]
        starts = [result.world[at_start]]
        rates = [last.cagr.value]
    else:
        drivers = [r.name for r in model.regions]
        starts = [result.values[region_key(r.name)][at_start] for r in model.regions]
        rates = [r.rates[-1] for r in model.regions]
    cagr_steps = [s.value for s in model.analysis.cagr_steps]
    value_steps = [s.value for s in model.analysis.value_steps]

    def every(step: float) -> float:
        return sum(v * (1 + g + step) ** n for v, g in zip(starts, rates, strict=True))

    closed_end = every(0.0)
    world_end = result.world[-1]
    target = model.analysis.target
    world_start = result.world[last.start_year - first_year]
    required: float | None = None
    gap: float | None = None
    if target is not None:
        required = implied_cagr(world_start, target.value, n)
        gap = difference(required, last.cagr.value)
    every_region = [every(s) for s in cagr_steps]
    by_region = [
        [closed_end + v * ((1 + g + s) ** n - (1 + g) ** n) for s in cagr_steps]
        for v, g in zip(starts, rates, strict=True)
    ]
    by_base_value = [world_end * (1 + b) for b in value_steps]
    grid = [[e * (1 + b) for b in value_steps] for e in every_region]
    rows = [("Every region's forecast-phase CAGR", every_region)]
    rows += [
        (f"{name}'s forecast-phase CAGR", row) for name, row in zip(drivers, by_region, strict=True)
    ]
    rows += [("The base value", by_base_value)]
    # |high - low| as the sheet's ABS(high-low) subtracts: 0 for a region too small to move it
    tornado = [
        TornadoBar(
            label,
            row[0],
            row[-1],
            abs(difference(row[-1], row[0])),
            difference(row[0], closed_end),
            difference(row[-1], closed_end),
        )
        for label, row in rows
    ]
    swings = [bar.swing for bar in tornado]
    margin = model.tolerance  # swings this close (relative) are a tie, in input order
    ranks = [
        sum(s - bar.swing > margin * bar.swing for s in swings)
        + sum(abs(s - bar.swing) <= margin * bar.swing for s in swings[: k + 1])
        for k, bar in enumerate(tornado)
    ]
    return Analysis(
        start_year=last.start_year,
        years=n,
        drivers=drivers,
        starts=starts,
        rates=rates,
        world_start=world_start,
        closed_end=closed_end,
        world_end=world_end,
        required_cagr=required,
        gap=gap,
        every_region=every_region,
        by_region=by_region,
        by_base_value=by_base_value,
        grid=grid,
        tornado=tornado,
        ranks=ranks,
    )
