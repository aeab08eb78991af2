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

from cmo_xl.growth import implied_cagr, mix_shares, phased_series
from cmo_xl.spec import Spec

MARKET = "Market"
REGION = "Region"
COUNTRY = "Country"
WORLD = "World"
COLUMNS = ["dimension", "parent", "member", "year", "value", "share"]
#: Records one member's rows: (dimension, parent, member, values by year, shares by year).
Emit = Callable[[str, str, str, Sequence[float], Sequence[float]], None]


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
    """Tidy forecast: one row per (dimension, parent, member, year) with value and share.

    ``share`` is the member's share of its parent in that year.
    """
    m = spec.market
    years = list(range(m.base_year, m.end_year + 1))
    ends = [ph.end_year for ph in spec.phases]
    rows: list[tuple[str, str, str, int, float, float]] = []

    def emit(
        dimension: str, parent: str, member: str, values: Sequence[float], shares: Sequence[float]
    ) -> None:
        rows.extend(
            (dimension, parent, member, y, v, s)
            for y, v, s in zip(years, values, shares, strict=True)
        )

    region_values = {
        r.name: phased_series(
            m.base_value.value * r.share.value, m.base_year, m.end_year, ends, region_rates(spec, i)
        )
        for i, r in enumerate(spec.regions)
    }
    world = [sum(col) for col in zip(*region_values.values(), strict=True)]
    emit(MARKET, "", WORLD, world, [1.0] * len(years))
    for name, values in region_values.items():
        emit(REGION, WORLD, name, values, _ratio(values, world))

    default = headline_cagr(spec)
    for r in spec.regions:
        weights = [c.weight.value for c in r.countries]
        cagrs = [c.cagr.value if c.cagr else default for c in r.countries]
        _split(
            emit,
            COUNTRY,
            r.name,
            [c.name for c in r.countries],
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
            split = _split(
                emit, dim.name, r.name, names, weights, cagrs, region_values[r.name], years
            )
            totals = [
                [a + b for a, b in zip(t, s, strict=True)]
                for t, s in zip(totals, split, strict=True)
            ]
        for name, total in zip(names, totals, strict=True):
            emit(dim.name, WORLD, name, total, _ratio(total, world))

    return pd.DataFrame(rows, columns=COLUMNS)


def _ratio(part: Sequence[float], whole: Sequence[float]) -> list[float]:
    return [p / w if w else math.nan for p, w in zip(part, whole, strict=True)]


def _split(
    emit: Emit,
    dimension: str,
    region: str,
    names: list[str],
    weights: list[float],
    cagrs: list[float],
    region_values: list[float],
    years: list[int],
) -> list[list[float]]:
    """Split a region's values among members by mix shift; emit and return each member's row."""
    shares_by_year = [mix_shares(weights, cagrs, y - years[0]) for y in years]
    out = []
    for k, name in enumerate(names):
        shares = [s[k] for s in shares_by_year]
        values = [v * s for v, s in zip(region_values, shares, strict=True)]
        emit(dimension, region, name, values, shares)
        out.append(values)
    return out


def series(frame: pd.DataFrame, column: str = "value") -> dict[tuple[str, str, str], list[float]]:
    """``(dimension, parent, member) -> column by year``, for lookups while planning."""
    out: dict[tuple[str, str, str], list[float]] = {}
    for (dimension, parent, member), group in frame.groupby(
        ["dimension", "parent", "member"], sort=False
    ):
        out[(str(dimension), str(parent), str(member))] = group[column].tolist()
    return out


def implied_cagrs(spec: Spec, frame: pd.DataFrame) -> pd.DataFrame:
    """Input versus implied CAGR: each phase for the market and regions, the whole horizon for all.

    ``input_cagr`` is NaN where the model has no single input rate (the market over the whole
    horizon); ``implied_cagr`` is NaN where the start value is zero.
    """
    m = spec.market
    values = series(frame)
    year0 = m.base_year
    rows = []
    periods = [(ph.start_year, ph.end_year, k) for k, ph in enumerate(spec.phases)]
    for (dimension, parent, member), vals in values.items():
        if dimension in (MARKET, REGION):
            for start, end, k in periods:
                given = (
                    spec.phases[k].cagr.value
                    if dimension == MARKET
                    else region_rates(spec, [r.name for r in spec.regions].index(member))[k]
                )
                rows.append(
                    (
                        dimension,
                        parent,
                        member,
                        start,
                        end,
                        given,
                        implied_cagr(vals[start - year0], vals[end - year0], end - start),
                    )
                )
        rows.append(
            (
                dimension,
                parent,
                member,
                m.base_year,
                m.end_year,
                _member_input_cagr(spec, dimension, parent, member),
                implied_cagr(vals[0], vals[-1], m.end_year - m.base_year),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "dimension",
            "parent",
            "member",
            "start_year",
            "end_year",
            "input_cagr",
            "implied_cagr",
        ],
    )


def _member_input_cagr(spec: Spec, dimension: str, parent: str, member: str) -> float:
    if dimension == COUNTRY:
        region = next(r for r in spec.regions if r.name == parent)
        country = next(c for c in region.countries if c.name == member)
        return country.cagr.value if country.cagr else headline_cagr(spec)
    for d_index, dim in enumerate(spec.dimensions):
        if dim.name == dimension and parent != WORLD:
            _, cagrs = segment_mix(spec, d_index, parent)
            return cagrs[[s.name for s in dim.segments].index(member)]
    return math.nan


@dataclass(frozen=True)
class BenchmarkComparison:
    label: str
    start_year: int
    end_year: int
    reported_cagr: float
    model_cagr: float

    @property
    def difference(self) -> float:
        return self.model_cagr - self.reported_cagr


def benchmarks(spec: Spec, frame: pd.DataFrame) -> list[BenchmarkComparison]:
    """Each reported growth figure beside the model's implied market CAGR over the same period."""
    world = series(frame)[(MARKET, "", WORLD)]
    year0 = spec.market.base_year
    return [
        BenchmarkComparison(
            b.label,
            b.start_year,
            b.end_year,
            b.cagr.value,
            implied_cagr(
                world[b.start_year - year0], world[b.end_year - year0], b.end_year - b.start_year
            ),
        )
        for b in spec.benchmarks
    ]
