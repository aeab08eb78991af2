"""Rules for a parent's members: one residual at most, a share or a value for every other,
and shares that sum to 1 (or leave the residual at least 0), values included once derived."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from cmo_xl.model.resolution.resolve import SUM_TOLERANCE
from cmo_xl.model.resolution.resolved import Input, Model
from cmo_xl.model.spec.schema import Country, Region, Segment, Spec
from cmo_xl.text import excerpt


def sums_to_one(values: list[float], path: str, what: str) -> Iterator[str]:
    total = sum(values)
    if abs(total - 1.0) > SUM_TOLERANCE:
        yield (
            f"{path}: {what} sum to {total:.12g}; they must sum to 1 (within {SUM_TOLERANCE:g}); "
            "adjust one of them so that they add up exactly"
        )


def member_parts(
    members: Sequence[Region | Country | Segment], path: str, field: str, what: str
) -> Iterator[str]:
    """One parent's members: at most one residual, which has neither a share (``field``) nor
    a CAGR; every other has a share; and the shares leave the residual at least 0, or sum to
    1 without one."""
    residual = [k for k, m in enumerate(members) if m.residual]
    for k in residual[1:]:
        yield (
            f"{path}[{k}].residual: got true, but {path}[{residual[0]}] is residual already; "
            "one member of a parent may be"
        )
    if residual and len(members) == 1:
        yield (
            f"{path}[0].residual: got true, but it has no siblings; a residual is what the "
            "others leave, so give it at least one"
        )
    shares = []
    for k, m in enumerate(members):
        share = getattr(m, field)
        has_cagr = m.cagr is not None and (not isinstance(m, Region) or any(m.cagr))
        if m.residual and share is not None:
            yield (
                f"{path}[{k}].{field}: got {share.value:g}; a residual's {field} is what the "
                "others leave, so leave it out"
            )
        if m.residual and has_cagr:
            yield (
                f"{path}[{k}].cagr: a residual grows as what the others leave; leave its cagr out"
            )
        if not m.residual and (share is None) == (m.value is None):
            yield (
                f"{path}[{k}]: give one of {field} or value (a value in a year), or mark the "
                "member residual: true"
            )
        if m.residual and m.value is not None:
            yield f"{path}[{k}].value: a residual's value is what the others leave; leave it out"
        if share is not None and not m.residual:
            shares.append(share.value)
    if any(m.value is not None for m in members):
        return  # shares derived from values are summed once they are known (report_rules)
    if not residual:
        yield from sums_to_one(shares, f"{path}[*].{field}", what)
    elif sum(shares) > 1 + SUM_TOLERANCE:
        yield (
            f"{path}[*].{field}: {what} besides the residual sum to {sum(shares):.12g}; they "
            f"must sum to at most 1, so that the residual ({path}[{residual[0]}]) is not "
            "negative"
        )


def member_value_problems(spec: Spec) -> Iterator[str]:
    """A member stated by value states it for a year its growth can be traced to: a region
    for the base year or a phase end; a country or segment for the base year, or beside a
    residual, for any year at its own CAGR (a country that keeps its share: at a phase end)."""
    m = spec.market
    ends = {m.base_year, *(p.end_year for p in spec.phases)}
    for i, r in enumerate(spec.regions):
        if r.value is not None and r.value.year not in ends:
            yield (
                f"regions[{i}].value.year: got {r.value.year}; a region's value must be for the "
                f"base year or a phase end ({', '.join(map(str, sorted(ends)))})"
            )
        anchored = any(c.residual for c in r.countries)
        for j, c in enumerate(r.countries):
            if c.value is None or c.value.year == m.base_year:
                continue
            if not anchored:
                why = "its region splits by mix shift: only the base year's value gives a weight"
            elif c.cagr is None and r.residual:
                why = (
                    f"it keeps its share of {r.name}, the residual region, whose value after "
                    "the base year is what the other regions leave, so no weight reproduces a "
                    "later value; state the base year's value, or give the country its own cagr"
                )
            elif c.cagr is None and c.value.year not in ends:
                why = "it keeps its share of its region, so the year must be a phase end"
            elif not m.base_year <= c.value.year <= m.end_year:
                why = f"it must be from {m.base_year} to {m.end_year}"
            else:
                continue
            yield f"regions[{i}].countries[{j}].value.year: got {c.value.year}; {why}"
    for i, d in enumerate(spec.dimensions):
        anchored = any(s.residual for s in d.segments)
        yield from _overridden_values(i, spec)
        for j, s in enumerate(d.segments):
            if s.value is None or s.value.year == m.base_year:
                continue
            if not (anchored and s.cagr is not None):
                why = (
                    "only the base year's value gives a share, unless the segment has its "
                    "own cagr beside a residual"
                )
            elif not m.base_year <= s.value.year <= m.end_year:
                why = f"it must be from {m.base_year} to {m.end_year}"
            else:
                continue
            yield f"dimensions[{i}].segments[{j}].value.year: got {s.value.year}; {why}"


def _overridden_values(i: int, spec: Spec) -> Iterator[str]:
    """A segment stated by value has one share of the world, derived from that value; an
    override of its share in a region, or of its growth before the value's year, would make
    the world's segment another number than the one stated."""
    d = spec.dimensions[i]
    stated = {s.name: (j, s.value) for j, s in enumerate(d.segments) if s.value is not None}
    for k, o in enumerate(d.overrides):
        if o.segment not in stated:
            continue
        j, value = stated[o.segment]
        where = f"dimensions[{i}].overrides[{k}]"
        told = f"{excerpt(o.segment)} is stated by value (dimensions[{i}].segments[{j}].value)"
        if o.share is not None:
            yield (
                f"{where}.share: {told}, so its share is derived over the world; a share of "
                f"its own in {excerpt(o.region)} would move the world's value away from the "
                "stated one; give the segment a share instead of a value to override it"
            )
        if o.cagr is not None and value.year != spec.market.base_year:
            yield (
                f"{where}.cagr: {told} for {value.year}; a growth rate of its own in "
                f"{excerpt(o.region)} would move that value; state the base year's value, "
                "or leave its growth alone"
            )


def stated_share_problems(model: Model) -> Iterator[str]:
    """Shares derived from stated values lie from 0 to 1, and with the other shares of their
    parent sum to 1 (or leave a residual at least 0)."""
    groups: list[tuple[str, list[Input]]] = [("regions", [r.share for r in model.regions])]
    for i, r in enumerate(model.regions):
        groups.append((f"regions[{i}].countries", [c.weight for c in r.countries]))
    for i, d in enumerate(model.dimensions):
        groups.append((f"dimensions[{i}].segments", list(d.shares)))
    for path, shares in groups:
        stated = [s for s in shares if s.derived is not None and s.derived.kind == "value_share"]
        if not stated:
            continue
        for s in stated:
            value, year = s.derived.stated if s.derived else (s, s)
            if math.isnan(s.value):
                yield (
                    f"{value.path}: {value.value:g} in {int(year.value)} is stated of a parent "
                    "whose value is 0 (or not a number) then, so no share can be derived from "
                    "it; give the member a share, or its parent a value"
                )
            elif not 0 <= s.value <= 1:
                yield (
                    f"{value.path}: {value.value:g} in {int(year.value)} makes a share of "
                    f"{s.value:.4g}; a share must be from 0 to 1"
                )
        residual = [s for s in shares if s.derived is not None and s.derived.kind == "remainder"]
        total = sum(s.value for s in shares if s not in residual)
        if residual and total > 1 + SUM_TOLERANCE:
            yield (
                f"{path}: the shares besides the residual, those derived from values included, "
                f"sum to {total:.12g}; they must sum to at most 1"
            )
        elif not residual and abs(total - 1) > SUM_TOLERANCE:
            yield (
                f"{path}: the shares, those derived from values included, sum to "
                f"{total:.12g}; they must sum to 1 (mark one member residual: true to take "
                "the rest)"
            )
