"""Resolving a spec: every input and member, with its rules settled once.

``resolve(spec)`` is the one place that decides what follows what: a region's CAGR that the spec
leaves out follows the market's, a country's or segment's follows the last phase's, an override
replaces a segment's base share or CAGR in one region. It gives each input its effective value,
whether it was typed or follows a default (and which input), its defined name, label, unit,
provenance, source and note. The engine computes from it; the sheets place it.
"""

from __future__ import annotations

from dataclasses import replace

from cmo_xl.model.growth import SUM_TOLERANCE
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.analysis_inputs import resolve_analysis
from cmo_xl.model.resolution.anchors import derived_base_value, derived_cagr
from cmo_xl.model.resolution.benchmarks import (
    anchor_benchmark,
    anchor_year,
    resolve_anchor,
    resolve_benchmark,
    stated_benchmarks,
)
from cmo_xl.model.resolution.members import (
    Growth,
    Parent,
    member_cagr,
    member_shares,
    resolve_dimension,
)
from cmo_xl.model.resolution.resolved import (
    STRUCTURE,
    Input,
    Member,
    Model,
    Phase,
    Player,
    Region,
    country_key,
    following,
    given,
)
from cmo_xl.model.resolution.scenarios import Switch, scenario_number
from cmo_xl.model.spec.schema import Phase as SpecPhase
from cmo_xl.model.spec.schema import Spec

__all__ = ["CHECK_TOLERANCE", "SUM_TOLERANCE", "Input", "Member", "Model", "resolve"]
#: The checks' tolerance: the spec's own rule for sums (shared with the UDFs' base_shares),
#: relative to what a check compares.
CHECK_TOLERANCE = SUM_TOLERANCE


def resolve(spec: Spec, scenario: str | int | None = None) -> Model:
    """The resolved model of a valid spec (one that passed :mod:`cmo_xl.model.validation.rules`),
    with
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
    anchors = tuple(switch.live(resolve_anchor(k, spec)) for k in range(len(m.values)))
    by_year = {v.year: a for v, a in zip(m.values, anchors, strict=True)}
    years = [anchor_year(k, spec) for k in range(len(m.values))]
    history = tuple(
        sorted(
            (
                (a, y)
                for v, a, y in zip(m.values, anchors, years, strict=True)
                if v.year < m.base_year
            ),
            key=lambda pair: pair[1].value,
        )
    )
    phases: list[Phase] = []
    for k, ph in enumerate(spec.phases, start=1):
        start = phases[-1].end if phases else base_year
        phases.append(_phase(k, ph, start, switch, by_year, _pinned(spec, k)))
    base_value = _base_value(spec, switch, by_year, base_year, phases)
    headline = phases[-1].cagr
    cagrs = [
        _region_cagrs(i, spec, tuple(phases), base_year, switch) for i in range(len(spec.regions))
    ]
    starts = [base_year, *(p.end for p in phases[:-1])]

    def region_growth(k: int, year: Input) -> list[tuple[Input, Input, Input]]:
        """Region ``k``'s growth through the phases that end by ``year``."""
        return [
            (g, start, p.end)
            for g, start, p in zip(cagrs[k], starts, phases, strict=False)
            if p.end_year <= year.value
        ]

    shares = member_shares(
        [
            (f"regions[{i}].share", names.region_share(r.name), r.name, r)
            for i, r in enumerate(spec.regions)
        ],
        "the other regions' shares",
        switch,
        spec,
        Parent((base_value,), region_growth),
    )
    regions = tuple(
        _region(
            i, spec, cagrs[i], headline, (base_year, base_value), shares[i], switch, region_growth
        )
        for i in range(len(spec.regions))
    )
    dimensions = tuple(
        resolve_dimension(i, spec, headline, switch, (base_year, base_value))
        for i in range(len(spec.dimensions))
    )
    model = Model(
        spec,
        base_year,
        end_year,
        base_value,
        CHECK_TOLERANCE,
        anchors,
        tuple(phases),
        regions,
        dimensions,
        tuple(_player(i, spec) for i in range(len(spec.players))),
        (
            *(
                anchor_benchmark(k, spec, a, years[k])
                for k, a in enumerate(anchors)
                if m.values[k].year >= m.base_year
            ),
            *stated_benchmarks(spec, regions, dimensions),
            *(resolve_benchmark(i, spec) for i in range(len(spec.benchmarks))),
        ),
        resolve_analysis(spec),
        history=history,
        scenarios=switch.scenarios(),
        scenario=active,
    )
    # the ranges read the model's inputs, so they are added to a copy of it once it is whole
    return replace(model, ranges=_ranges(model))


def _years_label(text: str, start: Input, end: Input) -> tuple[str | Input, ...]:
    """``text (start-end)`` with the years as the inputs that hold them."""
    return (f"{text} (", start, "-", end, ")")


def _pinned(spec: Spec, k: int) -> str:
    """Why phase ``k``'s end year is fixed when the workbook is built, or "" when a user may
    move it: the last phase ends at the end year, and a phase without a CAGR of its own takes
    it from the market values stated for the years it starts and ends in."""
    if k == len(spec.phases):
        return "Fixed when the workbook is built: the last phase ends at the end year."
    if spec.phases[k - 1].cagr is None or spec.phases[k].cagr is None:
        return (
            "Fixed when the workbook is built: a phase's CAGR is derived from the market "
            "values stated for the years it starts and ends in."
        )
    return ""


def _phase(
    k: int, ph: SpecPhase, start: Input, switch: Switch, by_year: dict[int, Input], pinned: str
) -> Phase:
    """Phase ``k``, which starts at ``start`` (the base year or the previous phase's end);
    without a CAGR, it takes the one between the market values at its ends (``by_year``).
    ``pinned`` says why its end year is fixed ("" when it is not)."""
    path = f"phases[{k - 1}]"
    figure = ph.cagr if ph.cagr is not None else by_year[ph.end_year]
    end = Input(
        f"{path}.end_year",
        names.phase_end(k),
        f"Phase {k} end year",
        "year",
        "fixed_year" if pinned else "year",
        ph.end_year,
        figure.provenance,
        figure.source or "",
        pinned or "Each phase starts where the one before ends; the last ends at the end year.",
    )
    name, label = names.market_cagr(k), f"Market CAGR, phase {k} ({ph.start_year}-{ph.end_year})"
    parts = _years_label(f"Market CAGR, phase {k}", start, end)
    if ph.cagr is None:
        cagr = derived_cagr(
            f"{path}.cagr", name, label, by_year[ph.start_year], by_year[ph.end_year], (start, end)
        )
        cagr = replace(cagr, label_parts=parts)
    else:  # the label first, so that the switch's copies of it carry it too
        typed = given(f"{path}.cagr", name, label, "%", "cagr", ph.cagr)
        cagr = switch.live(replace(typed, label_parts=parts))
    return Phase(k, ph.start_year, ph.end_year, end, cagr)


def _base_value(
    spec: Spec, switch: Switch, by_year: dict[int, Input], base_year: Input, phases: list[Phase]
) -> Input:
    """As typed; or the market value at the base year, or at the first phase end that has
    one, brought back through the phases before it."""
    m = spec.market
    label = f"Market value in {m.base_year}"
    if m.base_value is not None:
        return switch.live(
            given("market.base_value", names.BASE_VALUE, label, m.unit, "value", m.base_value)
        )
    if m.base_year in by_year:
        return derived_base_value(label, m.unit, by_year[m.base_year], [])
    steps = []
    start = base_year
    for p in phases:
        steps.append((p.cagr, start, p.end))
        if p.end_year in by_year:
            return derived_base_value(label, m.unit, by_year[p.end_year], steps)
        start = p.end
    raise AssertionError("rules check that a market value gives the base value")


def _region_cagrs(
    i: int, spec: Spec, phases: tuple[Phase, ...], base_year: Input, switch: Switch
) -> tuple[Input, ...]:
    """Region ``i``'s CAGR in each phase: as typed, or following the market's; none for a
    residual region, which grows as what the others leave."""
    r = spec.regions[i]
    path = f"regions[{i}]"
    typed = r.cagr or [None] * len(phases)
    cagrs = []
    starts = [base_year, *(p.end for p in phases[:-1])]
    for ph, start, g in zip(phases, starts, typed, strict=True):
        if r.residual:
            break
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
    return tuple(cagrs)


def _region(
    i: int,
    spec: Spec,
    cagrs: tuple[Input, ...],
    headline: Input,
    base: tuple[Input, Input],
    share: Input,
    switch: Switch,
    region_growth: Growth,
) -> Region:
    """Region ``i`` with its countries; ``base`` is the base year and base value."""
    r = spec.regions[i]
    path = f"regions[{i}]"
    anchored = any(c.residual for c in r.countries)
    country_cagrs = [
        member_cagr(
            f"{path}.countries[{j}].cagr",
            names.country_cagr(r.name, c.name),
            c.name,
            c,
            anchored,
            headline,
            country_key(r.name, c.name),
        )
        for j, c in enumerate(r.countries)
    ]
    live = [g and switch.live(g) for g in country_cagrs]

    def growth(k: int, year: Input) -> list[tuple[Input, Input, Input]] | None:
        """Country ``k``'s growth to ``year``: at its own CAGR beside a residual, as its
        region where it keeps its share; none in the base year."""
        if year.value == base[0].value:
            return []
        if not anchored or r.countries[k].residual:
            return None
        g = live[k]
        return [(g, base[0], year)] if g is not None else region_growth(i, year)

    weights = member_shares(
        [
            (
                f"{path}.countries[{j}].weight",
                names.country_weight(r.name, c.name),
                f"{c.name}: weight",
                c,
            )
            for j, c in enumerate(r.countries)
        ],
        "the other countries' weights",
        switch,
        spec,
        Parent((base[1], share), growth),
    )
    countries = [
        Member(c.name, weight, g, c.residual, anchored)
        for c, weight, g in zip(r.countries, weights, live, strict=True)
    ]
    return Region(
        r.name,
        share,
        cagrs,
        tuple(countries),
        names.region_cagrs(r.name),
        names.country_weights(r.name),
        names.country_cagrs(r.name),
        residual=r.residual,
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
        if r.cagrs:
            ranges[r.cagrs_range] = r.cagrs
    for r in model.regions:
        if r.countries:
            ranges[r.weights_range] = tuple(c.weight for c in r.countries)
            cagrs = tuple(c.cagr for c in r.countries if c.cagr is not None)
            if len(cagrs) == len(r.countries):
                ranges[r.country_cagrs_range] = cagrs
    for d in model.dimensions:
        ranges[d.shares_range] = d.shares
    return ranges
