"""The reference engine: pure pandas/Python numbers that the workbook formulas must reproduce.

Every number here is computed the way the generated formulas compute it (year-by-year
compounding for regions, ``w*(1+g)^(t-t0)`` mix shift for countries and segments), so a
recalculated workbook can be compared cell by cell with :func:`forecast`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from cmo_xl.model.growth import implied_cagr, mix_shares, phased_series, spreadsheet_sub
from cmo_xl.model.schema import Spec

#: Levels of the forecast. Results are keyed by level, dimension, region and member, so no
#: name a user gives (a region called "World", a dimension called "Country") can clash with
#: another row.
MARKET, REGION, COUNTRY, SEGMENT = "market", "region", "country", "segment"
WORLD = "World"
COLUMNS = ["level", "dimension", "region", "member", "year", "value", "share"]
#: (level, dimension, region, member): ``region`` is "" for world-level rows, ``dimension`` is
#: "" outside segment dimensions.
Key = tuple[str, str, str, str]
#: Records one member's rows: its key, values by year and shares by year.
Emit = Callable[[Key, Sequence[float], Sequence[float]], None]


def world_key() -> Key:
    return (MARKET, "", "", WORLD)


def region_key(region: str) -> Key:
    return (REGION, "", region, region)


def country_key(region: str, country: str) -> Key:
    return (COUNTRY, "", region, country)


def segment_key(dimension: str, segment: str, region: str | None = None) -> Key:
    """A segment in ``region``, or summed over the world when ``region`` is None."""
    return (SEGMENT, dimension, region or "", segment)


# -- the spec's defaults ------------------------------------------------------------------------


def headline_cagr(spec: Spec) -> float:
    """The final phase's market CAGR: the default for country and segment CAGRs."""
    return spec.phases[-1].cagr.value


def region_rates(spec: Spec, region_index: int) -> list[float]:
    """A region's CAGR for each phase, the market's where the spec gives none."""
    given = spec.regions[region_index].cagr or [None] * len(spec.phases)
    return [
        g.value if g is not None else ph.cagr.value
        for g, ph in zip(given, spec.phases, strict=True)
    ]


def segment_mix(spec: Spec, dim_index: int, region: str) -> tuple[list[float], list[float]]:
    """Base shares and CAGRs of a dimension's segments in ``region``, overrides applied."""
    dim = spec.dimensions[dim_index]
    default = headline_cagr(spec)
    shares = [s.share.value for s in dim.segments]
    cagrs = [s.cagr.value if s.cagr else default for s in dim.segments]
    names = [s.name for s in dim.segments]
    for o in dim.overrides:
        if o.region == region:
            k = names.index(o.segment)
            if o.share is not None:
                shares[k] = o.share.value
            if o.cagr is not None:
                cagrs[k] = o.cagr.value
    return shares, cagrs


# -- the forecast -------------------------------------------------------------------------------


def forecast(spec: Spec) -> pd.DataFrame:
    """Tidy forecast: one row per (level, dimension, region, member, year) with value and share.

    ``share`` is the member's share of its parent (the region, or the world) in that year.
    """
    m = spec.market
    years = list(range(m.base_year, m.end_year + 1))
    ends = [ph.end_year for ph in spec.phases]
    rows: list[tuple[str, str, str, str, int, float, float]] = []

    def emit(key: Key, values: Sequence[float], shares: Sequence[float]) -> None:
        rows.extend((*key, y, v, s) for y, v, s in zip(years, values, shares, strict=True))

    region_values = {
        r.name: phased_series(
            m.base_value.value * r.share.value, m.base_year, m.end_year, ends, region_rates(spec, i)
        )
        for i, r in enumerate(spec.regions)
    }
    world = [sum(col) for col in zip(*region_values.values(), strict=True)]
    emit(world_key(), world, [1.0] * len(years))
    for name, values in region_values.items():
        emit(region_key(name), values, _ratio(values, world))

    default = headline_cagr(spec)
    for r in spec.regions:
        weights = [c.weight.value for c in r.countries]
        cagrs = [c.cagr.value if c.cagr else default for c in r.countries]
        _split(
            emit,
            [country_key(r.name, c.name) for c in r.countries],
            weights,
            cagrs,
            region_values[r.name],
            years,
        )

    for d_index, dim in enumerate(spec.dimensions):
        names = [s.name for s in dim.segments]
        totals = [[0.0] * len(years) for _ in names]
        for r in spec.regions:
            weights, cagrs = segment_mix(spec, d_index, r.name)
            keys = [segment_key(dim.name, name, r.name) for name in names]
            split = _split(emit, keys, weights, cagrs, region_values[r.name], years)
            totals = [
                [a + b for a, b in zip(t, s, strict=True)]
                for t, s in zip(totals, split, strict=True)
            ]
        for name, total in zip(names, totals, strict=True):
            emit(segment_key(dim.name, name), total, _ratio(total, world))

    return pd.DataFrame(rows, columns=COLUMNS)


def _ratio(part: Sequence[float], whole: Sequence[float]) -> list[float]:
    return [p / w if w else math.nan for p, w in zip(part, whole, strict=True)]


def _split(
    emit: Emit,
    keys: list[Key],
    weights: list[float],
    cagrs: list[float],
    region_values: list[float],
    years: list[int],
) -> list[list[float]]:
    """Split a region's values among members by mix shift; emit and return each member's row."""
    shares_by_year = [mix_shares(weights, cagrs, y - years[0]) for y in years]
    out = []
    for k, key in enumerate(keys):
        shares = [s[k] for s in shares_by_year]
        values = [v * s for v, s in zip(region_values, shares, strict=True)]
        emit(key, values, shares)
        out.append(values)
    return out


def sum_gap(whole: Sequence[float], parts: Sequence[Sequence[float]]) -> float:
    """Sum over years of |whole - sum of parts|, as the Checks sheet's
    ``SUMPRODUCT(ABS(whole-parts))`` computes it, subtraction included."""
    totals = [sum(col) for col in zip(*parts, strict=True)]
    return float(sum(abs(spreadsheet_sub(w, t)) for w, t in zip(whole, totals, strict=True)))


def series(frame: pd.DataFrame, column: str = "value") -> dict[Key, list[float]]:
    """``(level, dimension, region, member) -> column by year``, for lookups while planning."""
    out: dict[Key, list[float]] = {}
    for key, group in frame.groupby(["level", "dimension", "region", "member"], sort=False):
        level, dimension, region, member = (str(part) for part in key)
        out[(level, dimension, region, member)] = group[column].tolist()
    return out


def implied_cagrs(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    """Input versus implied CAGR: each phase for the market and regions, the whole horizon for all.

    ``input_cagr`` is NaN where the model has no single input rate (the market over the whole
    horizon, a segment summed over the world); ``implied_cagr`` is NaN where the start value is
    zero.
    """
    m = spec.market
    year0 = m.base_year
    rows = []
    periods = [(ph.start_year, ph.end_year, k) for k, ph in enumerate(spec.phases)]
    region_index = {r.name: i for i, r in enumerate(spec.regions)}
    for key, vals in series(frame).items():
        level, _, region, _ = key
        if level in (MARKET, REGION):
            for start, end, k in periods:
                given = (
                    spec.phases[k].cagr.value
                    if level == MARKET
                    else region_rates(spec, region_index[region])[k]
                )
                rows.append(
                    (
                        *key,
                        start,
                        end,
                        given,
                        implied_cagr(vals[start - year0], vals[end - year0], end - start),
                    )
                )
        rows.append(
            (
                *key,
                m.base_year,
                m.end_year,
                _member_input_cagr(spec, key),
                implied_cagr(vals[0], vals[-1], m.end_year - m.base_year),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "level",
            "dimension",
            "region",
            "member",
            "start_year",
            "end_year",
            "input_cagr",
            "implied_cagr",
        ],
    )


def _member_input_cagr(spec: Spec, key: Key) -> float:
    level, dimension, region, member = key
    if level == COUNTRY:
        r = next(r for r in spec.regions if r.name == region)
        country = next(c for c in r.countries if c.name == member)
        return country.cagr.value if country.cagr else headline_cagr(spec)
    if level == SEGMENT and region:
        d_index = [d.name for d in spec.dimensions].index(dimension)
        _, cagrs = segment_mix(spec, d_index, region)
        return cagrs[[s.name for s in spec.dimensions[d_index].segments].index(member)]
    return math.nan


@dataclass(frozen=True)
class BenchmarkComparison:
    label: str
    start_year: int
    end_year: int
    reported_cagr: float
    #: What the modelled world implies: the sum of the regions, region CAGRs included.
    model_cagr: float
    #: What the market's phase CAGRs alone imply, before any region's own CAGR.
    phases_cagr: float

    @property
    def difference(self) -> float:
        return self.model_cagr - self.reported_cagr


def benchmarks(spec: Spec, frame: pd.DataFrame) -> list[BenchmarkComparison]:
    """Each reported growth figure beside the model's implied market CAGR over the same period."""
    world = series(frame)[world_key()]
    m = spec.market
    year0 = m.base_year
    phases_only = phased_series(
        m.base_value.value,
        m.base_year,
        m.end_year,
        [ph.end_year for ph in spec.phases],
        [ph.cagr.value for ph in spec.phases],
    )

    def implied(values: list[float], start: int, end: int) -> float:
        return implied_cagr(values[start - year0], values[end - year0], end - start)

    return [
        BenchmarkComparison(
            b.label,
            b.start_year,
            b.end_year,
            b.cagr.value,
            implied(world, b.start_year, b.end_year),
            implied(phases_only, b.start_year, b.end_year),
        )
        for b in spec.benchmarks
    ]


@dataclass(frozen=True)
class PlayerShare:
    name: str
    revenue: float
    revenue_year: int
    #: The year of the market the revenue is set against: its own, or the base year for
    #: revenue reported before the model starts.
    market_year: int
    market: float

    @property
    def share(self) -> float:
        return self.revenue / self.market


def player_shares(spec: Spec, frame: pd.DataFrame) -> list[PlayerShare]:
    """Each player with a reported revenue, set against the modelled market."""
    world = series(frame)[world_key()]
    m = spec.market
    out = []
    for p in spec.players:
        if p.revenue is None or p.revenue_year is None:
            continue
        year = max(p.revenue_year, m.base_year)
        out.append(
            PlayerShare(p.name, p.revenue.value, p.revenue_year, year, world[year - m.base_year])
        )
    return out
