"""The engine: every number the workbook shows or caches, computed from the resolved model.

Each number is computed the way the generated formulas compute it (year-by-year compounding for
regions, ``w*(1+g)^(t-t0)`` mix shift for countries and segments, subtraction as a spreadsheet
subtracts), so a recalculated workbook can be compared cell by cell with :func:`forecast`.
Sheet builders place formulas and look these numbers up; they compute nothing themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from cmo_xl.model.growth import (
    grow,
    implied_cagr,
    mix_index,
    mix_shares,
    phase_number,
    phased_series,
    spreadsheet_sub,
)
from cmo_xl.model.resolve import resolve
from cmo_xl.model.resolved import COUNTRY as COUNTRY
from cmo_xl.model.resolved import MARKET as MARKET
from cmo_xl.model.resolved import REGION as REGION
from cmo_xl.model.resolved import SEGMENT as SEGMENT
from cmo_xl.model.resolved import WORLD as WORLD
from cmo_xl.model.resolved import Key as Key
from cmo_xl.model.resolved import Member, Model
from cmo_xl.model.resolved import country_key as country_key
from cmo_xl.model.resolved import region_key as region_key
from cmo_xl.model.resolved import segment_key as segment_key
from cmo_xl.model.resolved import world_key as world_key
from cmo_xl.model.schema import Spec
from cmo_xl.model.verdicts import CONFLICT, MATCHED, ROUNDED

COLUMNS = ["level", "dimension", "region", "member", "year", "value", "share"]


@dataclass(frozen=True)
class BenchmarkComparison:
    label: str
    start_year: int
    end_year: int
    reported_cagr: float
    #: What the modelled world implies: the sum of the regions, region CAGRs included.
    model_cagr: float
    precision: float  # how far the truth may lie from the reported figure
    tolerance: float  # the checks' relative tolerance

    @property
    def difference(self) -> float:
        """Model minus reported, as the sheet subtracts."""
        return spreadsheet_sub(self.model_cagr, self.reported_cagr)

    @property
    def status(self) -> str:
        """Matched, within the quote's rounding, or a conflict; as the sheet's CHOOSE says."""
        gap = abs(self.difference)
        index = (gap > self.tolerance * abs(self.reported_cagr)) + (gap > self.precision)
        return (MATCHED, ROUNDED, CONFLICT)[index]


@dataclass(frozen=True)
class PlayerShare:
    name: str
    revenue: float
    revenue_year: int
    #: The year of the market the revenue is set against: its own, or the base year for
    #: revenue reported before the model starts.
    market_year: int
    market: float
    share: float


@dataclass(frozen=True)
class Forecast:
    """Everything the engine computes for one model."""

    model: Model
    frame: pd.DataFrame  # tidy: one row per level, dimension, region, member and year
    values: dict[Key, list[float]]
    shares: dict[Key, list[float]]
    mix_index: dict[Key, list[float]]  # countries and segments in a region
    phase_of_year: list[int]  # the phase of the growth step that ends in each year
    region_rates: dict[str, list[float]]  # each region's growth rate in each year
    world_growth: list[float]  # on the year before, from the second year
    players: list[PlayerShare]
    benchmarks: list[BenchmarkComparison]

    @property
    def world(self) -> list[float]:
        return self.values[world_key()]

    def at(self, key: Key, year: int) -> float:
        return self.values[key][year - self.model.years[0]]

    def implied(self, key: Key, start_year: int, end_year: int) -> float:
        """The CAGR that takes the series from ``start_year`` to ``end_year``; NaN where the
        start value is 0 (the workbook shows "n/a")."""
        return implied_cagr(self.at(key, start_year), self.at(key, end_year), end_year - start_year)


def forecast(spec: Spec | Model) -> Forecast:
    """Every number of the workbook for a spec (resolved here) or an already resolved model."""
    model = resolve(spec) if isinstance(spec, Spec) else spec
    years = model.years
    ends = [int(p.end.value) for p in model.phases]
    base = model.base_value.value
    rows: list[tuple[str, str, str, str, int, float, float]] = []
    values: dict[Key, list[float]] = {}
    shares: dict[Key, list[float]] = {}
    index: dict[Key, list[float]] = {}

    def emit(key: Key, row_values: Sequence[float], row_shares: Sequence[float]) -> None:
        values[key], shares[key] = list(row_values), list(row_shares)
        rows.extend((*key, y, v, s) for y, v, s in zip(years, row_values, row_shares, strict=True))

    region_values = {
        r.name: phased_series(base * r.share.value, years[0], years[-1], ends, r.rates)
        for r in model.regions
    }
    world = [sum(col) for col in zip(*region_values.values(), strict=True)]
    emit(world_key(), world, [1.0] * len(years))
    for name, row in region_values.items():
        emit(region_key(name), row, _ratio(row, world))

    def split(keys: list[Key], members: Sequence[Member], region: str) -> list[list[float]]:
        weights = [m.weight.value for m in members]
        cagrs = [m.cagr.value for m in members]
        by_year = [mix_shares(weights, cagrs, y - years[0]) for y in years]
        out = []
        for k, (key, member) in enumerate(zip(keys, members, strict=True)):
            index[key] = [
                mix_index(member.weight.value, member.cagr.value, y - years[0]) for y in years
            ]
            member_shares = [s[k] for s in by_year]
            member_values = [
                v * s for v, s in zip(region_values[region], member_shares, strict=True)
            ]
            emit(key, member_values, member_shares)
            out.append(member_values)
        return out

    for r in model.regions:
        split([country_key(r.name, c.name) for c in r.countries], r.countries, r.name)
    for d in model.dimensions:
        totals = [[0.0] * len(years) for _ in d.segments]
        for r in model.regions:
            keys = [segment_key(d.name, s, r.name) for s in d.segments]
            parts = split(keys, d.by_region[r.name], r.name)
            totals = [
                [a + b for a, b in zip(t, p, strict=True)]
                for t, p in zip(totals, parts, strict=True)
            ]
        for name, total in zip(d.segments, totals, strict=True):
            emit(segment_key(d.name, name), total, _ratio(total, world))

    phases = [phase_number(y, ends) for y in years]
    return Forecast(
        model=model,
        frame=pd.DataFrame(rows, columns=COLUMNS),
        values=values,
        shares=shares,
        mix_index=index,
        phase_of_year=phases,
        region_rates={r.name: [r.rates[p - 1] for p in phases] for r in model.regions},
        world_growth=[now / before - 1 for before, now in pairwise(world)],
        players=_players(model, world),
        benchmarks=_benchmarks(model, world),
    )


def _ratio(part: Sequence[float], whole: Sequence[float]) -> list[float]:
    return [p / w if w else math.nan for p, w in zip(part, whole, strict=True)]


def _players(model: Model, world: list[float]) -> list[PlayerShare]:
    out = []
    first = model.years[0]
    for p in model.players:
        if p.revenue is None or p.year is None:
            continue
        year = int(p.year.value)
        market_year = max(year, first)
        market = world[market_year - first]
        out.append(
            PlayerShare(
                p.name, p.revenue.value, year, market_year, market, p.revenue.value / market
            )
        )
    return out


def _benchmarks(model: Model, world: list[float]) -> list[BenchmarkComparison]:
    first = model.years[0]
    out = []
    for b in model.benchmarks:
        start, end = int(b.start.value), int(b.end.value)
        implied = implied_cagr(world[start - first], world[end - first], end - start)
        out.append(
            BenchmarkComparison(
                b.label,
                start,
                end,
                b.cagr.value,
                implied,
                b.precision.value,
                model.tolerance.value,
            )
        )
    return out


def sum_gap(whole: Sequence[float], parts: Sequence[Sequence[float]]) -> float:
    """Sum over years of |whole - sum of parts|, as the Checks sheet's
    ``SUMPRODUCT(ABS(whole-parts))`` computes it, subtraction included."""
    totals = [sum(col) for col in zip(*parts, strict=True)]
    return float(sum(abs(spreadsheet_sub(w, t)) for w, t in zip(whole, totals, strict=True)))


# -- what the UDFs return on the Functions sheet -------------------------------------------------


@dataclass(frozen=True)
class FunctionExamples:
    """What each UDF returns when called on one region's cells, as the Functions sheet does."""

    region: str
    forecast_phase1: float  # cmo_forecast: the region at the end of phase 1 at its phase 1 CAGR
    phased_end: float  # cmo_phased: the region in the end year, through every phase
    world_cagr: float  # cmo_cagr: the world's implied CAGR over the whole timeline
    series: list[float]  # cmo_series: the region at its phase 1 CAGR in every year
    series_native: list[float]  # the same by the closed form the native formulas use
    mix: list[float]  # cmo_mix: its countries' shares in the end year (empty: no countries)
    split: list[float]  # cmo_split: its end-year value split among them
    table: list[list[float]]  # cmo_table: every region at the market's phase 1 CAGR
    table_native: list[list[float]]  # the same by the closed form


def function_examples(result: Forecast) -> FunctionExamples:
    model, years = result.model, result.model.years
    region = next((r for r in model.regions if r.countries and r.share.value > 0), model.regions[0])
    start = result.values[region_key(region.name)][0]
    rate = region.rates[0]
    span = years[-1] - years[0]
    ends = [int(p.end.value) for p in model.phases]
    weights = [c.weight.value for c in region.countries]
    cagrs = [c.cagr.value for c in region.countries]
    mix = mix_shares(weights, cagrs, span) if region.countries else []
    total = result.values[region_key(region.name)][-1]
    g = model.phases[0].cagr.value
    region_starts = [result.values[region_key(r.name)][0] for r in model.regions]
    return FunctionExamples(
        region=region.name,
        forecast_phase1=grow(start, rate, ends[0] - years[0]),
        phased_end=phased_series(start, years[0], years[-1], ends, region.rates)[-1],
        world_cagr=implied_cagr(result.world[0], result.world[-1], span),
        series=phased_series(start, years[0], years[-1], [years[-1]], [rate]),
        series_native=[grow(start, rate, y - years[0]) for y in years],
        mix=mix,
        split=[total * s for s in mix],
        table=[phased_series(v, years[0], years[-1], [years[-1]], [g]) for v in region_starts],
        table_native=[[grow(v, g, y - years[0]) for y in years] for v in region_starts],
    )


def difference(a: float, b: float) -> float:
    """``a - b`` as the workbook subtracts it (a UDF's result minus its native twin)."""
    return spreadsheet_sub(a, b)


# -- the Analysis sheet: goal seek, sensitivities, tornado ----------------------------------------


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
    starts: list[float]  # each region's value at the phase's start
    rates: list[float]  # each region's forecast-phase CAGR
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
    starts = [
        result.values[region_key(r.name)][last.start_year - first_year] for r in model.regions
    ]
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
        (f"{r.name}'s forecast-phase CAGR", row)
        for r, row in zip(model.regions, by_region, strict=True)
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
    margin = model.tolerance.value  # swings this close (relative) are a tie, in input order
    ranks = [
        sum(s - bar.swing > margin * bar.swing for s in swings)
        + sum(abs(s - bar.swing) <= margin * bar.swing for s in swings[: k + 1])
        for k, bar in enumerate(tornado)
    ]
    return Analysis(
        start_year=last.start_year,
        years=n,
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
