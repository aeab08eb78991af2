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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from cmo_xl.model.compute.reconcile import BenchmarkComparison as BenchmarkComparison
from cmo_xl.model.compute.reconcile import compare
from cmo_xl.model.growth import (
    grow,
    implied_cagr,
    mix_index,
    mix_shares,
    phase_number,
    phased_series,
    spreadsheet_sub,
)
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.resolution.resolved import COUNTRY as COUNTRY
from cmo_xl.model.resolution.resolved import MARKET as MARKET
from cmo_xl.model.resolution.resolved import REGION as REGION
from cmo_xl.model.resolution.resolved import SEGMENT as SEGMENT
from cmo_xl.model.resolution.resolved import WORLD as WORLD
from cmo_xl.model.resolution.resolved import Key as Key
from cmo_xl.model.resolution.resolved import Member, Model, Region
from cmo_xl.model.resolution.resolved import country_key as country_key
from cmo_xl.model.resolution.resolved import region_key as region_key
from cmo_xl.model.resolution.resolved import segment_key as segment_key
from cmo_xl.model.resolution.resolved import world_key as world_key
from cmo_xl.model.spec.schema import Spec

COLUMNS = ["level", "dimension", "region", "member", "year", "value", "share"]


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
    rows: list[tuple[str, str, str, str, int, float, float]]  # see :attr:`frame`
    values: dict[Key, list[float]]
    shares: dict[Key, list[float]]
    mix_index: dict[Key, list[float]]  # countries and segments in a region
    phase_of_year: list[int]  # the phase of the growth step that ends in each year
    region_rates: dict[str, list[float]]  # each region's growth rate in each year
    world_growth: list[float]  # on the year before, from the second year
    players: list[PlayerShare]
    benchmarks: list[BenchmarkComparison]
    history: History  # the base year alone where the spec states no earlier value

    @property
    def frame(self) -> pd.DataFrame:
        """Tidy: one row per level, dimension, region, member and year. pandas is imported
        here, when a table is asked for: a build does not need it (it costs 0.2 s to load)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=COLUMNS)

    @property
    def world(self) -> list[float]:
        return self.values[world_key()]

    def at(self, key: Key, year: int) -> float:
        return self.values[key][year - int(self.model.base_year.value)]

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
        for r in model.grown_regions
    }
    if model.anchored:  # the market grows at its CAGRs; the residual region takes the rest
        world = phased_series(base, years[0], years[-1], ends, [p.cagr.value for p in model.phases])
        others = [sum(col) for col in zip(*region_values.values(), strict=True)] or [0.0] * len(
            years
        )
        residual = next(r.name for r in model.regions if r.residual)
        region_values[residual] = [
            spreadsheet_sub(w, o) for w, o in zip(world, others, strict=True)
        ]
        region_values = {r.name: region_values[r.name] for r in model.regions}
    else:
        world = [sum(col) for col in zip(*region_values.values(), strict=True)]
    emit(world_key(), world, [1.0] * len(years))
    for name, row in region_values.items():
        emit(region_key(name), row, _ratio(row, world))

    def split(keys: list[Key], members: Sequence[Member], region: str) -> list[list[float]]:
        parent = region_values[region]
        by_year = (
            [_anchored_shares(members, parent, t) for t in range(len(years))]
            if any(m.anchored for m in members)
            else [
                mix_shares([m.weight.value for m in members], [_cagr(m) for m in members], t)
                for t in range(len(years))
            ]
        )
        out = []
        for k, (key, member) in enumerate(zip(keys, members, strict=True)):
            if not member.residual:
                index[key] = [
                    mix_index(member.weight.value, _cagr(member), t) for t in range(len(years))
                ]
            member_shares = [s[k] for s in by_year]
            member_values = [v * s for v, s in zip(parent, member_shares, strict=True)]
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
    past = history(model)
    return Forecast(
        model=model,
        rows=rows,
        values=values,
        shares=shares,
        mix_index=index,
        phase_of_year=phases,
        region_rates={
            r.name: [r.rates[p - 1] for p in phases]
            if r.cagrs
            else [math.nan, *(_growth(a, b) for a, b in pairwise(values[region_key(r.name)]))]
            for r in model.regions
        },
        world_growth=[now / before - 1 for before, now in pairwise(world)],
        players=_players(model, world),
        benchmarks=compare(model, values, dict(zip(past.years, past.values, strict=True))),
        history=past,
    )


def _cagr(member: Member) -> float:
    """A member's growth rate; 0 for one that keeps its share (its index is its weight)."""
    return member.cagr.value if member.cagr is not None else 0.0


def _anchored_shares(members: Sequence[Member], parent: Sequence[float], t: int) -> list[float]:
    """Year ``t``'s shares of members beside a residual: one with a CAGR grows at it from the
    parent's base value (``w (1+g)^t * P0 / Pt``), one without keeps its weight, and the
    residual is 1 minus the rest. A parent at 0 gives its members a share of 0."""
    shares = [
        m.weight.value
        if m.keeps_share
        else 0.0
        if m.residual or parent[t] == 0
        else mix_index(m.weight.value, _cagr(m), t) * parent[0] / parent[t]
        for m in members
    ]
    k = next(k for k, m in enumerate(members) if m.residual)
    shares[k] = spreadsheet_sub(1.0, sum(shares))
    return shares


def _growth(before: float, now: float) -> float:
    """Growth on the year before, as the sheet computes it; NaN ("n/a") from 0 or below."""
    return now / before - 1 if before > 0 else math.nan


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


@dataclass(frozen=True)
class History:
    """The market before the base year as the report states it, and the base year's value."""

    years: list[int]
    values: list[float]
    growth: list[float]  # the CAGR from the value before, from the second
    cagr: float  # from the first to the base year

    def at(self, year: int) -> float:
        return self.values[self.years.index(year)]


def history(model: Model) -> History:
    years = [*(int(year.value) for _, year in model.history), model.years[0]]
    values = [*(value.value for value, _ in model.history), model.base_value.value]
    growth = [
        implied_cagr(a, b, y1 - y0)
        for a, b, y0, y1 in zip(values, values[1:], years, years[1:], strict=False)
    ]
    return History(years, values, growth, implied_cagr(values[0], values[-1], years[-1] - years[0]))


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


def mixes(region: Region) -> bool:
    """Whether ``region``'s countries split it by mix shift (so cmo_mix reproduces them)."""
    return bool(region.countries) and not region.anchored


def example_region(model: Model) -> Region:
    """The region the Functions sheet calls the UDFs on: one with CAGRs of its own, preferably
    with a market share and countries split by mix shift."""
    grown = model.grown_regions
    return next((r for r in grown if mixes(r) and r.share.value > 0), grown[0])


def function_examples(result: Forecast) -> FunctionExamples:
    model, years = result.model, result.model.years
    region = example_region(model)
    start = result.values[region_key(region.name)][0]
    rate = region.rates[0]
    span = years[-1] - years[0]
    ends = [int(p.end.value) for p in model.phases]
    weights = [c.weight.value for c in region.countries]
    mix = mix_shares(weights, [_cagr(c) for c in region.countries], span) if mixes(region) else []
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
