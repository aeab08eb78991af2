"""The checks the workbook computes, computed here first: each one's gap, tolerance and verdict.

The Checks sheet writes formulas that compute the same; this module decides which checks a model
has and what each of them finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from cmo_xl.model.compute.engine import (
    COUNTRY,
    REGION,
    SEGMENT,
    Forecast,
    difference,
    region_key,
    segment_key,
    sum_gap,
    world_key,
)
from cmo_xl.model.compute.verdicts import FAIL, PASS, WARN
from cmo_xl.model.resolution.resolve import CHECK_TOLERANCE
from cmo_xl.model.resolution.resolved import Model

CheckKind = Literal[
    "region_shares",
    "country_weights",
    "segment_shares",
    "override_shares",
    "probabilities",
    "phases",
    "regions_sum",
    "split_region",
    "split_world",
    "residual",
    "no_errors",
    "formulas_intact",
]


@dataclass(frozen=True)
class Check:
    """One check as the Checks sheet computes it: the gap, its tolerance, and the verdict."""

    kind: CheckKind
    level: str = ""  # COUNTRY or SEGMENT for the split checks
    dimension: str = ""
    region: str = ""
    gap: float = 0.0
    #: The sum of the values compared, for gaps in the model's unit; None for shares and counts.
    scale: float | None = None
    member: str = ""  # the residual member a residual check watches
    year: int | None = None  # the first year it fails in, where a year says where

    @property
    def tolerance(self) -> float:
        return CHECK_TOLERANCE if self.scale is None else CHECK_TOLERANCE * self.scale

    @property
    def fails(self) -> int:
        return int(abs(self.gap) > self.tolerance)

    @property
    def status(self) -> str:
        return FAIL if self.fails else PASS


def share_checks(model: Model) -> list[Check]:
    """Shares and weights that must sum to 1, in the Checks sheet's order."""
    checks = [Check("region_shares", gap=sum(r.share.value for r in model.regions) - 1)]
    for r in model.regions:
        if r.countries:
            gap = sum(c.weight.value for c in r.countries) - 1
            checks.append(Check("country_weights", COUNTRY, region=r.name, gap=gap))
    for d in model.dimensions:
        checks.append(
            Check("segment_shares", SEGMENT, d.name, gap=sum(s.value for s in d.shares) - 1)
        )
        for r in model.regions:
            # Beside a residual, overrides leave it the rest: the residual check covers them.
            if d.shares_overridden_in(r.name) and not d.by_region[r.name][0].anchored:
                gap = sum(m.weight.value for m in d.by_region[r.name]) - 1
                checks.append(Check("override_shares", SEGMENT, d.name, r.name, gap))
    if model.probabilities:
        gap = sum(p.value for p in model.probabilities) - 1
        checks.append(Check("probabilities", gap=gap))
    return checks


def phase_check(model: Model) -> Check:
    """Phase end years ascend from the base year and the last is the end year: the count of
    steps that break this."""
    bounds = [model.base_year.value, *(p.end.value for p in model.phases)]
    broken = sum(later <= earlier for earlier, later in pairwise(bounds))
    broken += bounds[-1] != model.end_year.value
    return Check("phases", gap=float(broken))


def sum_checks(result: Forecast, split_levels: Sequence[tuple[str, str]]) -> list[Check]:
    """Regions add up to the world, and each split (level, dimension) adds up to its regions
    and, for a dimension, to the world."""
    model, world = result.model, result.world
    regions = [r.name for r in model.regions]
    checks = [
        Check(
            "regions_sum",
            gap=sum_gap(world, [result.values[region_key(r)] for r in regions]),
            scale=sum(world),
        )
    ]
    for level, dimension in split_levels:
        members = (
            {r.name: [c.name for c in r.countries] for r in model.regions if r.countries}
            if level == COUNTRY
            else {r: list(model.dimension(dimension).segments) for r in regions}
        )
        for region, names in members.items():
            whole = result.values[region_key(region)]
            parts = [result.values[(level, dimension, region, n)] for n in names]
            checks.append(
                Check(
                    "split_region",
                    level,
                    dimension,
                    region,
                    sum_gap(whole, parts),
                    _magnitude(parts)
                    if by_magnitude(model, level, dimension, region)
                    else sum(whole),
                )
            )
        if level == SEGMENT:
            parts = [
                result.values[segment_key(dimension, n)]
                for n in model.dimension(dimension).segments
            ]
            checks.append(
                Check(
                    "split_world",
                    level,
                    dimension,
                    gap=sum_gap(world, parts),
                    scale=_magnitude(parts)
                    if beside_residual(model, level, dimension)
                    else sum(world),
                )
            )
    return checks


def residual_checks(result: Forecast, split_levels: Sequence[tuple[str, str]]) -> list[Check]:
    """A residual member is never negative (below -tolerance times its parent): the count of
    years it is, and the first of them."""
    model, years = result.model, result.model.years
    watched = [(REGION, "", r.name, r.name, world_key()) for r in model.regions if r.residual]
    for level, dimension in split_levels:
        for r in model.regions:
            members = (
                r.countries if level == COUNTRY else model.dimension(dimension).by_region[r.name]
            )
            watched += [
                (level, dimension, r.name, m.name, region_key(r.name))
                for m in members
                if m.residual
            ]
    checks = []
    for level, dimension, region, member, parent in watched:
        values = result.values[(level, dimension, region, member)]
        below = [
            y
            for y, v, p in zip(years, values, result.values[parent], strict=True)
            if v < -CHECK_TOLERANCE * p
        ]
        checks.append(
            Check(
                "residual",
                level,
                dimension,
                region,
                float(len(below)),
                member=member,
                year=below[0] if below else None,
            )
        )
    return checks


def beside_residual(model: Model, level: str, dimension: str) -> bool:
    """Whether a split has a residual member, whose parts may cancel: its sums are then
    compared relative to the parts' magnitudes, not the whole's."""
    if level == COUNTRY:
        return any(r.anchored for r in model.regions)
    return any(s.residual for s in model.dimension(dimension).by_region[model.regions[0].name])


def by_magnitude(model: Model, level: str, dimension: str, region: str) -> bool:
    """Whether a region's split is compared relative to its parts' magnitudes: beside a
    residual member, or where the region is the residual one, whose value is a difference
    that may be 0 or just below it (its sum would make a tolerance of 0 or less)."""
    residual_region = any(r.residual and r.name == region for r in model.regions)
    return residual_region or beside_residual(model, level, dimension)


def _magnitude(parts: Sequence[Sequence[float]]) -> float:
    """Sum of the parts' absolute values over every year, as SUMPRODUCT(ABS(...)) has it."""
    return float(sum(abs(v) for part in parts for v in part))


def no_errors_check() -> Check:
    """No error value on a sheet: the engine computes none, so the count is 0."""
    return Check("no_errors")


def split_levels(model: Model) -> list[tuple[str, str]]:
    """The splits the workbook has a sheet for, (level, dimension): countries where a region
    has any, and each dimension."""
    levels = [(COUNTRY, "")] if any(r.countries for r in model.regions) else []
    return levels + [(SEGMENT, d.name) for d in model.dimensions]


def model_checks(result: Forecast) -> list[Check]:
    """Every check the Checks sheet makes of the forecast, as the engine finds it (the error
    scans find none where every number is finite)."""
    model, levels = result.model, split_levels(result.model)
    return [
        *share_checks(model),
        phase_check(model),
        *sum_checks(result, levels),
        *residual_checks(result, levels),
    ]


def failing(checks: Sequence[Check]) -> int:
    return sum(c.fails for c in checks)


@dataclass(frozen=True)
class GrowthWarning:
    """The world's growth in a phase against the market CAGR input for it. Region CAGRs of their
    own move the world away from the input; that is a warning to read, not a failed check."""

    phase: int
    implied: float  # the world's implied CAGR over the phase
    market: float  # the market CAGR input of the phase

    @property
    def difference(self) -> float:
        return difference(self.implied, self.market)

    @property
    def threshold(self) -> float:
        return CHECK_TOLERANCE

    @property
    def warns(self) -> int:
        return int(abs(self.difference) > self.threshold)

    @property
    def status(self) -> str:
        return WARN if self.warns else PASS


def growth_warnings(result: Forecast) -> list[GrowthWarning]:
    return [
        GrowthWarning(
            p.number,
            result.implied(world_key(), p.start_year, p.end_year),
            p.cagr.value,
        )
        for p in result.model.phases
    ]
