"""Rules for figures as the report states them: market values, the phases and base value
derived from them, and reported figures (benchmarks). Each problem names the field."""

from __future__ import annotations

from collections.abc import Iterator

from cmo_xl.model.resolution.resolved import Model
from cmo_xl.model.spec.qualifiers import allowed as allowed_qualifiers
from cmo_xl.model.spec.qualifiers import meaning
from cmo_xl.model.spec.schema import (
    BASE_VALUE_MIN,
    CAGR_RANGE,
    MAX_YEARS,
    SHARE_RANGE,
    VALUE_MAX,
    Benchmark,
    MemberRef,
    Spec,
)
from cmo_xl.text import excerpt


def market_value_problems(spec: Spec) -> Iterator[str]:
    """Market values lie in the timeline, once a year, above 0; a phase without a CAGR has
    one at each end; a spec without a base value has one it can be derived from."""
    m = spec.market
    seen: dict[int, int] = {}
    for k, v in enumerate(m.values):
        where = f"market.values[{k}]"
        if not m.base_year - MAX_YEARS <= v.year <= m.end_year:
            yield (
                f"{where}.year: got {v.year}; must be at most market.end_year ({m.end_year}), "
                f"and at most {MAX_YEARS} years before the base year (history)"
            )
        if v.year in seen:
            yield f"{where}.year: got {v.year}, as market.values[{seen[v.year]}] has; give one"
        seen.setdefault(v.year, k)
        if v.value < BASE_VALUE_MIN:
            yield (
                f"{where}.value: got {v.value:g}; a market value must be at least "
                f"{BASE_VALUE_MIN:g} (phase CAGRs and the base value are derived from it)"
            )
    for i, phase in enumerate(spec.phases):
        if phase.cagr is None and not {phase.start_year, phase.end_year} <= set(seen):
            yield (
                f"phases[{i}].cagr: missing; give one, or market values (market.values) for "
                f"both {phase.start_year} and {phase.end_year} to derive it from"
            )
    boundaries = [m.base_year, *(p.end_year for p in spec.phases)]
    if m.base_value is None and not set(boundaries) & set(seen):
        yield (
            "market.base_value: missing; give it, or a market value (market.values) for the "
            f"base year or a phase end ({', '.join(map(str, boundaries))}) to derive it from"
        )


def derived_problems(model: Model) -> Iterator[str]:
    """What is derived from market values stays in range: phase CAGRs and the base value."""
    low, high = CAGR_RANGE
    for p in model.phases:
        if p.cagr.derived is not None and not low <= p.cagr.value <= high:
            yield (
                f"phases[{p.number - 1}].cagr: the market values for {p.start_year} and "
                f"{p.end_year} imply a CAGR of {p.cagr.value:.4%}; it must be from {low:.0%} "
                f"to {high:.0%}"
            )
    base = model.base_value
    if base.derived is not None and not BASE_VALUE_MIN <= base.value <= VALUE_MAX:
        yield (
            f"market.values: the base value derived from them is {base.value:g}; it must be "
            f"from {BASE_VALUE_MIN:g} to {VALUE_MAX:g}"
        )


def benchmark_problems(spec: Spec) -> Iterator[str]:
    """A benchmark is one figure (a CAGR over a span, or a value or share in a year) of the
    world or of a member the spec has."""
    for i, b in enumerate(spec.benchmarks):
        yield from _figure(b, spec, f"benchmarks[{i}]")
        yield from _member(b, spec, f"benchmarks[{i}]")


def _figure(b: Benchmark, spec: Spec, where: str) -> Iterator[str]:
    m = spec.market
    # a figure outside the timeline is reconciled against the model extended past its ends;
    # as far as a timeline may run, so the extension stays a finite number
    first, last = m.base_year - MAX_YEARS, m.end_year + MAX_YEARS
    reach = f"from {first} to {last} (up to {MAX_YEARS} years either side of the timeline)"
    given = [k for k in ("cagr", "value", "share") if getattr(b, k) is not None]
    if len(given) != 1:
        got = " and ".join(given) or "none"
        yield f"{where}: give one of cagr, value or share (got {got})"
        return
    if given == ["cagr"]:
        if b.start_year is None or b.end_year is None or b.year is not None:
            yield f"{where}: a cagr needs start_year and end_year (and no year)"
        elif not first <= b.start_year < b.end_year <= last:
            yield (
                f"{where}: period {b.start_year}..{b.end_year}; must be a period of at least a "
                f"year {reach}"
            )
    elif b.year is None or b.start_year is not None or b.end_year is not None:
        yield f"{where}: a {given[0]} needs year (and no start_year or end_year)"
    elif not first <= b.year <= last:
        yield f"{where}.year: got {b.year}; must be {reach}"
    if given != ["value"] and b.precision is not None and b.precision > 0.5:
        yield f"{where}.precision: got {b.precision:g}; a rate's precision is at most 0.5 (50%)"
    if given == ["share"] and b.region is None and b.segment is None and b.members is None:
        yield f"{where}: a share needs the member it is of (region, country, segment or members)"
    if b.share_of != "parent" and given != ["share"]:
        yield f"{where}.share_of: only a share is of something; this figure is a {given[0]}"
    yield from _qualifier(b, given[0], where)


def _qualifier(b: Benchmark, kind: str, where: str) -> Iterator[str]:
    """The qualifier is a word the table knows; "between" has an upper end in range."""
    said = meaning(b.qualifier)
    if said is None:
        yield f"{where}.qualifier: got {excerpt(b.qualifier)}; must be {allowed_qualifiers()}"
        return
    bound, _ = said
    if bound != "between":
        if b.high is not None:
            yield (
                f"{where}.high: an upper end goes with qualifier 'between' (got "
                f"{excerpt(b.qualifier)}); give it there, or leave high out"
            )
        return
    if b.high is None:
        yield f"{where}.high: missing; 'between' needs the upper end of the range as high"
        return
    low, high = {"cagr": CAGR_RANGE, "share": SHARE_RANGE, "value": (0.0, VALUE_MAX)}[kind]
    figure = getattr(b, kind)
    if not low <= b.high.value <= high:
        yield f"{where}.high.value: got {b.high.value:g}; a {kind} must be from {low:g} to {high:g}"
    elif b.high.value < figure.value:
        yield (
            f"{where}.high.value: got {b.high.value:g}, below the figure ({figure.value:g}); "
            "the figure is the lower end of the range and high the upper"
        )


def _member(b: Benchmark, spec: Spec, where: str) -> Iterator[str]:
    if b.members is not None:
        yield from _group(b, spec, where)
        return
    yield from _one_member(b.region, b.country, b.dimension, b.segment, spec, where)


def _one_member(
    region: str | None,
    country: str | None,
    dimension: str | None,
    segment: str | None,
    spec: Spec,
    where: str,
) -> Iterator[str]:
    """A member's fields name one the spec has: a region, a country in it, or a segment of a
    dimension (in a region, or over the world)."""
    regions = {r.name: r for r in spec.regions}
    if region is not None and region not in regions:
        yield f"{where}.region: got {excerpt(region)}; must be one of {excerpt(list(regions))}"
        return
    if country is not None:
        if region is None or segment is not None:
            yield f"{where}.country: needs its region, and no segment"
            return
        countries = [c.name for c in regions[region].countries]
        if country not in countries:
            yield (
                f"{where}.country: got {excerpt(country)}; must be one of {region}'s "
                f"countries {excerpt(countries)}"
            )
    if (dimension is None) != (segment is None):
        yield f"{where}: dimension and segment go together; give both or neither"
    elif dimension is not None and segment is not None:
        dims = {d.name: d for d in spec.dimensions}
        if dimension not in dims:
            allowed = excerpt(list(dims))
            yield f"{where}.dimension: got {excerpt(dimension)}; must be one of {allowed}"
        else:
            segments = [s.name for s in dims[dimension].segments]
            if segment not in segments:
                yield f"{where}.segment: got {excerpt(segment)}; must be one of {excerpt(segments)}"


def _group(b: Benchmark, spec: Spec, where: str) -> Iterator[str]:
    """A group's members are named by name, as siblings (regions, one region's countries or one
    dimension's segments), each once; or each in full, none holding another."""
    assert b.members is not None
    full = [m for m in b.members if isinstance(m, MemberRef)]
    if full:
        yield from _full_group(b, full, spec, where)
        return
    names_ = [m for m in b.members if isinstance(m, str)]
    regions = {r.name: r for r in spec.regions}
    if b.region is not None and b.region not in regions:
        yield f"{where}.region: got {excerpt(b.region)}; must be one of {excerpt(list(regions))}"
        return
    if b.country is not None or b.segment is not None:
        yield f"{where}.members: a group names its members there; give no country or segment"
        return
    if b.dimension is not None:
        dims = {d.name: d for d in spec.dimensions}
        if b.dimension not in dims:
            yield (
                f"{where}.dimension: got {excerpt(b.dimension)}; must be one of "
                f"{excerpt(list(dims))}"
            )
            return
        names, what = [s.name for s in dims[b.dimension].segments], f"{b.dimension}'s segments"
    elif b.region is not None:
        names, what = [c.name for c in regions[b.region].countries], f"{b.region}'s countries"
    else:
        names, what = list(regions), "the regions"
    for k, name in enumerate(names_):
        if name not in names:
            yield (
                f"{where}.members[{k}]: got {excerpt(name)}; must be one of {what} {excerpt(names)}"
            )
        elif name in names_[:k]:
            yield f"{where}.members[{k}]: got {excerpt(name)} twice; name each member once"


def _full_group(b: Benchmark, full: list[MemberRef], spec: Spec, where: str) -> Iterator[str]:
    """Members each named in full ({region: Asia-Pacific, country: China}): no names beside
    them, no member fields on the benchmark, none holding another."""
    assert b.members is not None
    if len(full) != len(b.members):
        yield f"{where}.members: name every member in full, or every one by name; not both"
        return
    if any(x is not None for x in (b.region, b.country, b.dimension, b.segment)):
        yield (
            f"{where}.members: members named in full carry their own region, country, "
            "dimension and segment; give none on the benchmark"
        )
        return
    seen: list[tuple[str | None, ...]] = []
    for k, m in enumerate(full):
        at = f"{where}.members[{k}]"
        fields = (m.region, m.country, m.dimension, m.segment)
        if m.region is None and m.dimension is None:
            yield f"{at}: name a region, a region and a country, or a dimension and a segment"
            continue
        problems = list(_one_member(*fields, spec, at))
        yield from problems
        if problems:
            continue
        overlap = next((other for other in seen if _overlap(fields, other)), None)
        if overlap is not None:
            yield (
                f"{at}: overlaps members[{seen.index(overlap)}]; a group's members add, so none "
                "may hold another (a region and its country, a segment and a region, segments "
                "of two dimensions)"
            )
        seen.append(fields)


def _overlap(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> bool:
    """Whether two members named in full share any of the market: the same member, a region
    and a country in it, a segment and a region or a country (a segment cuts across them),
    segments of two dimensions, or a segment over the world and the same segment in a region."""
    region_a, country_a, dimension_a, segment_a = a
    region_b, country_b, dimension_b, segment_b = b
    if dimension_a != dimension_b:
        return True  # a segment beside a region or country, or of another dimension
    if dimension_a is not None:
        return segment_a == segment_b and (
            region_a == region_b or region_a is None or region_b is None
        )
    if region_a != region_b:
        return False
    return country_a is None or country_b is None or country_a == country_b
