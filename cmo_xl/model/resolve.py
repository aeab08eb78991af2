"""Resolving a spec: every input and member, with its rules settled once.

``resolve(spec)`` is the one place that decides what follows what: a region's CAGR that the spec
leaves out follows the market's, a country's or segment's follows the last phase's, an override
replaces a segment's base share or CAGR in one region. It gives each input its effective value,
whether it was typed or follows a default (and which input), its defined name, label, unit,
provenance, source and note. The engine computes from it; the sheets place it.
"""

from __future__ import annotations

from dataclasses import replace

from cmo_xl.model import names
from cmo_xl.model.analysis_inputs import resolve_analysis
from cmo_xl.model.benchmarks import resolve_benchmark
from cmo_xl.model.growth import SUM_TOLERANCE
from cmo_xl.model.resolved import (
    STRUCTURE,
    Dimension,
    Input,
    Key,
    Member,
    Model,
    Phase,
    Player,
    Region,
    country_key,
    following,
    given,
    segment_key,
)
from cmo_xl.model.scenarios import Switch, scenario_number
from cmo_xl.model.schema import CagrInput, Spec
from cmo_xl.model.schema import Phase as SpecPhase

__all__ = ["CHECK_TOLERANCE", "SUM_TOLERANCE", "Input", "Member", "Model", "resolve"]
#: The checks' tolerance: the spec's own rule for sums (shared with the UDFs' base_shares),
#: relative to what a check compares.
CHECK_TOLERANCE = SUM_TOLERANCE


def resolve(spec: Spec, scenario: str | int | None = None) -> Model:
    """The resolved model of a valid spec (one that passed :mod:`cmo_xl.model.rules`), with
    ``scenario`` in force: its name, its number from 1, or None for the first."""
    m = spec.market
    active = scenario if isinstance(scenario, int) else scenario_number(spec, scenario)
    switch = Switch(spec, active)
    rebuild = "Fixed when the workbook is built: change it in the spec and rebuild."
    base_year = Input(
        "market.base_year",
        names.BASE_YEAR,
        "Base year",
        "year",
        "fixed_year",
        m.base_year,
        STRUCTURE,
        note=rebuild,
    )
    end_year = Input(
        "market.end_year",
        names.END_YEAR,
        "End year",
        "year",
        "fixed_year",
        m.end_year,
        STRUCTURE,
        note=rebuild,
    )
    base_value = switch.live(
        given(
            "market.base_value",
            names.BASE_VALUE,
            f"Market value in {m.base_year}",
            m.unit,
            "value",
            m.base_value,
        )
    )
    tolerance = Input(
        "",
        names.CHECK_TOLERANCE,
        "Tolerance of the checks",
        "relative",
        "tolerance",
        CHECK_TOLERANCE,
        "analyst",
        note="Relative: a check passes when its gap is at most this times the values it "
        "compares (or this itself, for shares and counts).",
    )
    phases: list[Phase] = []
    for k, ph in enumerate(spec.phases, start=1):
        phases.append(_phase(k, ph, phases[-1].end if phases else base_year, switch))
    headline = phases[-1].cagr
    regions = tuple(
        _region(i, spec, tuple(phases), headline, base_year, switch)
        for i in range(len(spec.regions))
    )
    dimensions = tuple(_dimension(i, spec, headline, switch) for i in range(len(spec.dimensions)))
    model = Model(
        spec,
        base_year,
        end_year,
        base_value,
        tolerance,
        tuple(phases),
        regions,
        dimensions,
        tuple(_player(i, spec) for i in range(len(spec.players))),
        tuple(resolve_benchmark(i, spec) for i in range(len(spec.benchmarks))),
        resolve_analysis(spec),
        scenarios=switch.scenarios(),
        scenario=active,
    )
    model.ranges.update(_ranges(model))
    return model


def _years_label(text: str, start: Input, end: Input) -> tuple[str | Input, ...]:
    """``text (start-end)`` with the years as the inputs that hold them."""
    return (f"{text} (", start, "-", end, ")")


def _phase(k: int, ph: SpecPhase, start: Input, switch: Switch) -> Phase:
    """Phase ``k``, which starts at ``start`` (the base year or the previous phase's end)."""
    path = f"phases[{k - 1}]"
    end = Input(
        f"{path}.end_year",
        names.phase_end(k),
        f"Phase {k} end year",
        "year",
        "year",
        ph.end_year,
        ph.cagr.provenance,
        ph.cagr.source or "",
        "Each phase starts where the one before ends; the last must end at the end year.",
    )
    cagr = given(
        f"{path}.cagr",
        names.market_cagr(k),
        f"Market CAGR, phase {k} ({ph.start_year}-{ph.end_year})",
        "%",
        "cagr",
        ph.cagr,
    )
    cagr = switch.live(
        replace(cagr, label_parts=_years_label(f"Market CAGR, phase {k}", start, end))
    )
    return Phase(k, ph.start_year, ph.end_year, end, cagr)


MIX_NOTE = (
    "Follows the market CAGR of the last phase, so the mix stays constant; type a number "
    "to shift the mix. The CAGR it implies is beside it."
)
MIX_LABEL = "relative growth rate (mix shift)"


def _region(
    i: int,
    spec: Spec,
    phases: tuple[Phase, ...],
    headline: Input,
    base_year: Input,
    switch: Switch,
) -> Region:
    r = spec.regions[i]
    path = f"regions[{i}]"
    share = switch.live(
        given(f"{path}.share", names.region_share(r.name), r.name, "%", "share", r.share)
    )
    typed = r.cagr or [None] * len(phases)
    cagrs = []
    starts = [base_year, *(p.end for p in phases[:-1])]
    for ph, start, g in zip(phases, starts, typed, strict=True):
        k = ph.number
        name = names.region_cagr(r.name, k)
        label = f"{r.name}, phase {k} ({ph.start_year}-{ph.end_year})"
        if g is not None:
            item = given(f"{path}.cagr[{k - 1}]", name, label, "%", "cagr", g)
        else:
            note = f"Follows the market CAGR of phase {k}; type a number to override."
            item = following(f"{path}.cagr[{k - 1}]", name, label, ph.cagr, note)
        parts = _years_label(f"{r.name}, phase {k}", start, ph.end)
        cagrs.append(switch.live(replace(item, label_parts=parts)))
    countries = []
    for j, c in enumerate(r.countries):
        where = f"{path}.countries[{j}]"
        weight = given(
            f"{where}.weight",
            names.country_weight(r.name, c.name),
            f"{c.name}: weight",
            "%",
            "share",
            c.weight,
        )
        cagr = _mix_cagr(
            f"{where}.cagr",
            names.country_cagr(r.name, c.name),
            f"{c.name}: {MIX_LABEL}",
            c.cagr,
            headline,
            country_key(r.name, c.name),
        )
        countries.append(Member(c.name, switch.live(weight), switch.live(cagr)))
    return Region(
        r.name,
        share,
        tuple(cagrs),
        tuple(countries),
        names.region_cagrs(r.name),
        names.country_weights(r.name),
        names.country_cagrs(r.name),
    )


def _mix_cagr(
    path: str, name: str, label: str, item: CagrInput | None, headline: Input, implies: Key
) -> Input:
    """A country's or segment's growth rate for the mix shift: as typed, or following the last
    phase's CAGR. It is not the member's CAGR: that is implied, and ``implies`` says where."""
    if item is None:
        return replace(following(path, name, label, headline, MIX_NOTE), implies=implies)
    return replace(given(path, name, label, "%", "cagr", item), implies=implies)


def _dimension(i: int, spec: Spec, headline: Input, switch: Switch) -> Dimension:
    d = spec.dimensions[i]
    path = f"dimensions[{i}]"
    shares, cagrs = [], []
    for j, s in enumerate(d.segments):
        where = f"{path}.segments[{j}]"
        share = given(
            f"{where}.share",
            names.segment_share(d.name, s.name),
            f"{s.name}: share",
            "%",
            "share",
            s.share,
        )
        shares.append(switch.live(share))
        name = names.segment_cagr(d.name, s.name)
        label = f"{s.name}: {MIX_LABEL}"
        implies = segment_key(d.name, s.name)
        cagrs.append(
            switch.live(_mix_cagr(f"{where}.cagr", name, label, s.cagr, headline, implies))
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
            item = _mix_cagr(
                f"{where}.cagr",
                names.segment_cagr(d.name, o.segment, o.region),
                f"{o.segment} in {o.region}: {MIX_LABEL}",
                o.cagr,
                headline,
                segment_key(d.name, o.segment, o.region),
            )
            item = switch.live(item)
            overrides.append(item)
            replaced[(o.region, o.segment, "cagr")] = item
    by_region = {
        r.name: tuple(
            Member(
                s.name,
                replaced.get((r.name, s.name, "share"), share),
                replaced.get((r.name, s.name, "cagr"), cagr),
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


def _player(i: int, spec: Spec) -> Player:
    p = spec.players[i]
    if p.revenue is None or p.revenue_year is None:
        return Player(p.name, p.note, None, None)
    path = f"players[{i}]"
    revenue = given(
        f"{path}.revenue",
        names.player_revenue(p.name),
        f"{p.name}: revenue",
        spec.market.unit,
        "value",
        p.revenue,
    )
    year = Input(
        f"{path}.revenue_year",
        names.player_year(p.name),
        f"{p.name}: year of that revenue",
        "year",
        "revenue_year",
        p.revenue_year,
        p.revenue.provenance,
        p.revenue.source or "",
        p.note,
    )
    return Player(p.name, p.note, revenue, year)


def _ranges(model: Model) -> dict[str, tuple[Input, ...]]:
    ranges = {
        names.PHASE_ENDS: tuple(p.end for p in model.phases),
        names.MARKET_CAGRS: tuple(p.cagr for p in model.phases),
        names.REGION_SHARES: tuple(r.share for r in model.regions),
        names.CAGR_STEPS: model.analysis.cagr_steps,
        names.VALUE_STEPS: model.analysis.value_steps,
    }
    if model.probabilities:
        ranges[names.SCENARIO_PROBABILITIES] = model.probabilities
    for r in model.regions:
        ranges[r.cagrs_range] = r.cagrs
    for r in model.regions:
        if r.countries:
            ranges[r.weights_range] = tuple(c.weight for c in r.countries)
            ranges[r.country_cagrs_range] = tuple(c.cagr for c in r.countries)
    for d in model.dimensions:
        ranges[d.shares_range] = d.shares
    return ranges
