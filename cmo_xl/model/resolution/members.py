"""Resolving members, the parts of a parent: region shares, countries and segments.

A parent's members are split by mix shift, or, where one member is residual, each grows at its
own CAGR (or keeps its share) and the residual takes what the others leave. Which of the two,
and what each member's share and growth rate are, is settled here once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from cmo_xl.model.growth import growth_factor, spreadsheet_sub
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import (
    DERIVED,
    STRUCTURE,
    Derived,
    Dimension,
    Input,
    Key,
    Member,
    following,
    given,
    segment_key,
)
from cmo_xl.model.resolution.scenarios import Switch
from cmo_xl.model.spec.schema import Country as SpecCountry
from cmo_xl.model.spec.schema import MemberValue, Spec
from cmo_xl.model.spec.schema import Region as SpecRegion
from cmo_xl.model.spec.schema import Segment as SpecSegment

_Part = SpecRegion | SpecCountry | SpecSegment


def remainder(path: str, name: str, label: str, siblings: list[Input], note: str) -> Input:
    """The share a residual member is left: 1 minus its siblings' shares, as the sheet
    subtracts."""
    value = spreadsheet_sub(1.0, sum(s.value for s in siblings))
    return Input(
        path,
        name,
        label,
        "%",
        "share",
        value,
        DERIVED,
        note=note,
        derived=Derived("remainder", tuple(siblings)),
    )


MIX_NOTE = (
    "Follows the market CAGR of the last phase, so the mix stays constant; type a number "
    "to shift the mix. The CAGR it implies is beside it."
)
MIX_LABEL = "relative growth rate (mix shift)"


#: A member's growth from the base year to a year (an input): (CAGR, first year, last year)
#: steps; None where the model cannot say (a mix-shift member after the base year).
Growth = Callable[[int, Input], list[tuple[Input, Input, Input]] | None]


@dataclass(frozen=True)
class Parent:
    """What the shares of a member stated by value are derived against."""

    whole: tuple[Input, ...]  # the inputs whose product is the parent's base value
    growth: Growth  # each member's growth, by its index


def member_shares(
    members: list[tuple[str, str, str, _Part]],
    what: str,
    switch: Switch,
    spec: Spec,
    parent: Parent | None = None,
) -> list[Input]:
    """The shares (or weights) of one parent's members, each (path, name, label, member): as
    typed; from the value stated for a year (against ``parent``); and for a residual member 1
    minus the others' (``what``)."""
    out: dict[int, Input] = {}
    for k, (path, name, label, member) in enumerate(members):
        typed = member.share if isinstance(member, (SpecRegion, SpecSegment)) else member.weight
        if typed is not None:
            out[k] = switch.live(given(path, name, label, "%", "share", typed))
        elif member.value is not None and parent is not None:
            out[k] = _stated_share(k, path, name, label, member.value, spec, parent)
    for k, (path, name, label, _member) in enumerate(members):
        if k not in out:
            note = f"Residual: 1 minus {what}, so that the parts add up to the whole."
            out[k] = remainder(path, name, label, list(out.values()), note)
    return [out[k] for k in range(len(members))]


def _stated_share(
    k: int, path: str, name: str, label: str, stated: MemberValue, spec: Spec, parent: Parent
) -> Input:
    """The share of a member the report states by value: the value over its parent's base
    value and its own growth to the value's year."""
    where = path.rsplit(".", 1)[0] + ".value"
    member = label.split(":")[0]
    value = given(
        where,
        names.member_value(name),
        f"{member}: value in {stated.year} (as reported)",
        spec.market.unit,
        "value",
        stated,
    )
    year = Input(
        f"{where}.year",
        names.member_value(name) + "_year",
        f"{member}: year of that value",
        "year",
        "fixed_year",
        stated.year,
        STRUCTURE,
        note="Fixed when the workbook is built: change it in the spec and rebuild.",
    )
    steps = parent.growth(k, year) or []
    product = 1.0
    for factor in parent.whole:
        product *= factor.value
    for cagr, first, last in steps:
        product *= growth_factor(cagr.value, last.value - first.value)
    return Input(
        path,
        name,
        label,
        "%",
        "share",
        value.value / product if product else math.nan,
        DERIVED,
        value.source,
        f"Derived from the value the report states for {stated.year}.",
        derived=Derived(
            "value_share",
            (value, *parent.whole, *(i for step in steps for i in step)),
            parts=len(parent.whole),
            stated=(value, year),
        ),
    )


TRUE_LABEL = "CAGR (its own; the residual absorbs the rest)"


def member_cagr(
    path: str,
    name: str,
    label: str,
    member: SpecCountry | SpecSegment,
    anchored: bool,
    headline: Input,
    implies: Key,
) -> Input | None:
    """A country's or segment's growth rate. Beside a residual sibling it is the member's own
    CAGR, and a member without one keeps its share (None). Otherwise it is a relative rate for
    the mix shift, as typed or following the last phase's CAGR, and the member's CAGR is
    implied (``implies`` says where)."""
    item = member.cagr
    if anchored:
        if item is None:
            return None
        return replace(
            given(path, name, f"{label}: {TRUE_LABEL}", "%", "cagr", item), implies=implies
        )
    label = f"{label}: {MIX_LABEL}"
    if item is None:
        return replace(following(path, name, label, headline, MIX_NOTE), implies=implies)
    return replace(given(path, name, label, "%", "cagr", item), implies=implies)


def resolve_dimension(
    i: int, spec: Spec, headline: Input, switch: Switch, base: tuple[Input, Input]
) -> Dimension:
    """Dimension ``i``; ``base`` is the base year and base value."""
    d = spec.dimensions[i]
    path = f"dimensions[{i}]"
    anchored = any(s.residual for s in d.segments)
    cagrs: list[Input | None] = []
    for j, s in enumerate(d.segments):
        cagr = member_cagr(
            f"{path}.segments[{j}].cagr",
            names.segment_cagr(d.name, s.name),
            s.name,
            s,
            anchored,
            headline,
            segment_key(d.name, s.name),
        )
        cagrs.append(cagr and switch.live(cagr))

    def growth(k: int, year: Input) -> list[tuple[Input, Input, Input]] | None:
        """Segment ``k``'s growth to ``year``: at its own CAGR beside a residual; none in the
        base year."""
        if year.value == base[0].value:
            return []
        g = cagrs[k]
        return [(g, base[0], year)] if anchored and g is not None else None

    shares = member_shares(
        [
            (
                f"{path}.segments[{j}].share",
                names.segment_share(d.name, s.name),
                f"{s.name}: share",
                s,
            )
            for j, s in enumerate(d.segments)
        ],
        "the other segments' shares",
        switch,
        spec,
        Parent((base[1],), growth),
    )
    overrides: list[Input] = []
    replaced: dict[tuple[str, str, str], Input] = {}  # (region, segment, field) -> override
    for j, o in enumerate(d.overrides):
        where = f"{path}.overrides[{j}]"
        if o.share is not None:
            item = given(
                f"{where}.share",
                names.segment_share(d.name, o.segment, o.region),
                f"{o.segment} in {o.region}: share",
                "%",
                "share",
                o.share,
            )
            item = switch.live(item)
            overrides.append(item)
            replaced[(o.region, o.segment, "share")] = item
        if o.cagr is not None:
            segment = next(s for s in d.segments if s.name == o.segment)
            cagr = member_cagr(
                f"{where}.cagr",
                names.segment_cagr(d.name, o.segment, o.region),
                f"{o.segment} in {o.region}",
                segment.model_copy(update={"cagr": o.cagr}),
                anchored,
                headline,
                segment_key(d.name, o.segment, o.region),
            )
            assert cagr is not None  # o.cagr is given
            item = switch.live(cagr)
            overrides.append(item)
            replaced[(o.region, o.segment, "cagr")] = item
    residual = next((s.name for s in d.segments if s.residual), None)
    for r in spec.regions:  # the residual's share where overrides change its siblings'
        if residual is None or not any((r.name, s.name, "share") in replaced for s in d.segments):
            continue
        siblings = [
            replaced.get((r.name, s.name, "share"), share)
            for s, share in zip(d.segments, shares, strict=True)
            if not s.residual
        ]
        item = remainder(
            f"{path}.overrides",
            names.segment_share(d.name, residual, r.name),
            f"{residual} in {r.name}: share",
            siblings,
            f"Residual: 1 minus the other segments' shares in {r.name}.",
        )
        overrides.append(item)
        replaced[(r.name, residual, "share")] = item
    by_region = {
        r.name: tuple(
            Member(
                s.name,
                replaced.get((r.name, s.name, "share"), share),
                replaced.get((r.name, s.name, "cagr"), cagr),
                s.residual,
                anchored,
            )
            for s, share, cagr in zip(d.segments, shares, cagrs, strict=True)
        )
        for r in spec.regions
    }
    segments = tuple(s.name for s in d.segments)
    return Dimension(
        d.name,
        segments,
        tuple(shares),
        tuple(cagrs),
        tuple(overrides),
        by_region,
        names.segment_shares(d.name),
    )
