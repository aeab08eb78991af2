"""What each cmo_xl UDF returns on the model's own cells, as the Functions sheet calls them.

The sheet caches these beside native formulas that compute the same number; the UDFs
themselves (:mod:`cmo_xl.udfs`) call the same growth functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.engine import Forecast, region_key
from cmo_xl.model.growth import grow, implied_cagr, mix_shares, phased_series, spreadsheet_sub


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
