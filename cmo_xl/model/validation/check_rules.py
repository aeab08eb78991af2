"""A spec that validates builds a workbook whose master check is OK, in every scenario.

The rules before these judge the spec's fields; these run the engine on every scenario and
refuse the spec where the workbook's own checks would fail in it (a residual that the others
outgrow in a later year, a split that no longer adds up) or where a number would not be
finite (an error value on a sheet fails the master check too). Each problem names the field,
the scenario and the first year.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from cmo_xl.model.compute.checks import Check, model_checks
from cmo_xl.model.compute.engine import COUNTRY, REGION, Forecast, forecast
from cmo_xl.model.resolution.resolved import Model
from cmo_xl.text import excerpt


def forecast_problems(model: Model) -> Iterator[str]:
    """What the engine finds in one scenario's forecast that the workbook would fail (the
    rules say which scenarios each is found in). A segment residual below 0 in several
    regions is said once, for the first of them."""
    result = forecast(model)
    failed = [c for c in model_checks(result) if c.fails]
    said: dict[str, tuple[str, int]] = {}  # field -> (its first problem, regions more)
    for check in failed:
        problem, path = _describe(model, check, result)
        first, more = said.get(path, (problem, -1))
        said[path] = (first, more + 1)
    for problem, more in said.values():
        yield problem + (f" (and in {more} more region(s))" if more else "")
    if not failed:
        yield from _not_finite(result)


def _describe(model: Model, check: Check, result: Forecast) -> tuple[str, str]:
    """The problem, and the field it is said of."""
    if check.kind != "residual":
        return (
            f"(top level): the workbook's {check.kind.replace('_', ' ')} check would fail "
            f"(gap {check.gap:.6g}, tolerance {check.tolerance:.3g}); this is a cmo_xl bug, "
            "please report it with the spec"
        ), check.kind
    path, parent, key = _residual_field(model, check)
    year = check.year
    assert year is not None  # a failing residual check says its first year
    value = result.at(key, year)
    return (
        f"{path}: the residual ({excerpt(check.member)}) would be below 0 from {year} "
        f"({value:.4g} {model.spec.market.unit}): its siblings outgrow {parent}; lower their "
        "shares or CAGRs"
    ), path


def _residual_field(model: Model, check: Check) -> tuple[str, str, tuple[str, str, str, str]]:
    """The residual's field path, what it is part of, and its series key."""
    names = [r.name for r in model.regions]
    key = (check.level, check.dimension, check.region, check.member)
    if check.level == REGION:
        return f"regions[{names.index(check.member)}]", "the market", key
    i = names.index(check.region)
    if check.level == COUNTRY:
        j = [c.name for c in model.regions[i].countries].index(check.member)
        return f"regions[{i}].countries[{j}]", excerpt(check.region), key
    d = [d.name for d in model.dimensions].index(check.dimension)
    j = list(model.dimensions[d].segments).index(check.member)
    return f"dimensions[{d}].segments[{j}]", f"{excerpt(check.region)}", key


def _not_finite(result: Forecast) -> Iterator[str]:
    """A series with a number that is not finite: the sheet would show an error value."""
    years = result.model.years
    for key, values in result.values.items():
        for year, value in zip(years, values, strict=True):
            if not math.isfinite(value):
                level, dimension, region, member = key
                what = " ".join(excerpt(p) for p in (dimension, region, member) if p)
                yield (
                    f"(top level): the {level} series {what} would be {value} in {year}, which "
                    "a sheet shows as an error; check the growth rates and values that make it"
                )
                break
