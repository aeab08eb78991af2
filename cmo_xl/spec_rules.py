"""Rules that span fields of a spec; each problem names the field path, value and allowed."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from cmo_xl import a1
from cmo_xl.names import identifier
from cmo_xl.spec import AnyInput, Override, Spec

#: Shares and weights must sum to 1 this closely. It is also the workbook's default check
#: tolerance, so a spec that validates builds a workbook whose master check is OK.
SUM_TOLERANCE = 1e-9
#: Sheet names cmo_xl itself uses; a dimension may not take one of them (case-insensitive).
RESERVED_SHEETS = (
    "Cover", "Inputs", "Regions", "Countries", "Summary", "Players", "Checks", "Sources",
    "Functions", "xlwings.conf",
)  # fmt: skip
#: Label column, unit column, then one column a year.
FIRST_YEAR_COL = 3


def rule_problems(spec: Spec) -> list[str]:
    """Every cross-field problem in ``spec``, in spec order."""
    checks = (_years, _phases, _regions, _dimensions, _players, _benchmarks, _sources, _texts)
    return [problem for check in checks for problem in check(spec)]


def _texts(spec: Spec) -> Iterator[str]:
    """Text that Excel would read as a formula (it starts with =) is refused: it could run."""

    def walk(node: object, path: str) -> Iterator[str]:
        if isinstance(node, str) and node.startswith("="):
            yield f"{path}: got {node!r}; text must not start with = (Excel reads it as a formula)"
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                yield from walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, f"{path}[{i}]")

    yield from walk(spec, "")


def _years(spec: Spec) -> Iterator[str]:
    m = spec.market
    if m.end_year <= m.base_year:
        yield (f"market.end_year: got {m.end_year}; must be after market.base_year ({m.base_year})")
    if m.base_value.value <= 0:
        yield f"market.base_value.value: got {m.base_value.value}; the market must be above 0"
    # Years lie in 1900..9999 (spec.YEAR_RANGE), so the timeline needs at most 8,102 columns,
    # well inside Excel's 16,384: no column check is needed.


def _phases(spec: Spec) -> Iterator[str]:
    expected_start = spec.market.base_year
    for i, phase in enumerate(spec.phases):
        if phase.start_year != expected_start:
            what = "market.base_year" if i == 0 else f"phases[{i - 1}].end_year"
            yield (
                f"phases[{i}].start_year: got {phase.start_year}; phases must be consecutive, "
                f"so it must equal {what} ({expected_start})"
            )
        if phase.end_year <= phase.start_year:
            yield (
                f"phases[{i}].end_year: got {phase.end_year}; must be after its start_year "
                f"({phase.start_year})"
            )
        expected_start = phase.end_year
    last = spec.phases[-1].end_year
    if last != spec.market.end_year:
        yield (
            f"phases[{len(spec.phases) - 1}].end_year: got {last}; the last phase must end "
            f"at market.end_year ({spec.market.end_year})"
        )


def _unique(labels: list[str], path: str) -> Iterator[str]:
    """Labels must differ, also once reduced to the identifiers used in defined names."""
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        key = identifier(label).lower()
        if not key:
            yield f"{path}[{i}].name: got {label!r}; a name needs at least one letter or digit"
        elif key in seen:
            yield (
                f"{path}[{i}].name: got {label!r}; it clashes with {path}[{seen[key]}].name "
                f"({labels[seen[key]]!r}) once reduced to a defined name; names must differ"
            )
        else:
            seen[key] = i


def _sums_to_one(values: list[float], path: str, what: str) -> Iterator[str]:
    total = sum(values)
    if abs(total - 1.0) > SUM_TOLERANCE:
        yield (
            f"{path}: {what} sum to {total:.12g}; they must sum to 1 (within {SUM_TOLERANCE:g}); "
            "adjust one of them so that they add up exactly"
        )


def _regions(spec: Spec) -> Iterator[str]:
    yield from _unique([r.name for r in spec.regions], "regions")
    yield from _sums_to_one(
        [r.share.value for r in spec.regions], "regions[*].share", "region shares"
    )
    for i, region in enumerate(spec.regions):
        if region.cagr is not None and len(region.cagr) != len(spec.phases):
            yield (
                f"regions[{i}].cagr: got {len(region.cagr)} entries; need one per phase "
                f"({len(spec.phases)}), null for the market's CAGR"
            )
        if region.countries:
            yield from _unique([c.name for c in region.countries], f"regions[{i}].countries")
            yield from _sums_to_one(
                [c.weight.value for c in region.countries],
                f"regions[{i}].countries[*].weight",
                "country weights",
            )


def _dimensions(spec: Spec) -> Iterator[str]:
    yield from _unique([d.name for d in spec.dimensions], "dimensions")
    reserved = {name.lower(): name for name in RESERVED_SHEETS}
    regions = [r.name for r in spec.regions]
    for i, dim in enumerate(spec.dimensions):
        problem = a1.sheet_name_problem(dim.name)
        if problem:
            yield f"dimensions[{i}].name: got {dim.name!r}; it names a sheet, and {problem}"
        elif dim.name.lower() in reserved:
            yield (
                f"dimensions[{i}].name: got {dim.name!r}; it names a sheet and "
                f"{reserved[dim.name.lower()]!r} is taken by cmo_xl"
            )
        path = f"dimensions[{i}]"
        yield from _unique([s.name for s in dim.segments], f"{path}.segments")
        yield from _sums_to_one(
            [s.share.value for s in dim.segments], f"{path}.segments[*].share", "segment shares"
        )
        override_problems = list(
            _overrides(dim.overrides, [s.name for s in dim.segments], regions, path)
        )
        yield from override_problems
        for region in regions if not override_problems else []:
            shares = effective_segment_shares(spec, i, region)
            if any(o.region == region and o.share for o in dim.overrides):
                yield from _sums_to_one(
                    list(shares.values()),
                    f"{path}.overrides (region {region!r})",
                    "segment shares after overrides",
                )


def _overrides(
    overrides: list[Override], segments: list[str], regions: list[str], path: str
) -> Iterator[str]:
    seen: set[tuple[str, str]] = set()
    for j, o in enumerate(overrides):
        where = f"{path}.overrides[{j}]"
        if o.region not in regions:
            yield f"{where}.region: got {o.region!r}; must be one of {regions}"
        if o.segment not in segments:
            yield f"{where}.segment: got {o.segment!r}; must be one of {segments}"
        if o.share is None and o.cagr is None:
            yield f"{where}: sets neither share nor cagr; give at least one"
        if (o.region, o.segment) in seen:
            yield f"{where}: a second override of {o.segment!r} in {o.region!r}; give one"
        seen.add((o.region, o.segment))


def effective_segment_shares(spec: Spec, dim_index: int, region: str) -> dict[str, float]:
    """Base shares of a dimension's segments in ``region``, overrides applied."""
    dim = spec.dimensions[dim_index]
    shares = {s.name: s.share.value for s in dim.segments}
    for o in dim.overrides:
        if o.region == region and o.share is not None and o.segment in shares:
            shares[o.segment] = o.share.value
    return shares


def _players(spec: Spec) -> Iterator[str]:
    yield from _unique([p.name for p in spec.players], "players")
    m = spec.market
    for i, p in enumerate(spec.players):
        if (p.revenue is None) != (p.revenue_year is None):
            yield (
                f"players[{i}]: revenue and revenue_year go together; give both or neither "
                f"(got revenue={p.revenue and p.revenue.value}, revenue_year={p.revenue_year})"
            )
        elif p.revenue_year is not None and not m.base_year <= p.revenue_year <= m.end_year:
            yield (
                f"players[{i}].revenue_year: got {p.revenue_year}; must be within the "
                f"timeline {m.base_year}..{m.end_year}"
            )


def _benchmarks(spec: Spec) -> Iterator[str]:
    m = spec.market
    for i, b in enumerate(spec.benchmarks):
        if not m.base_year <= b.start_year < b.end_year <= m.end_year:
            yield (
                f"benchmarks[{i}]: period {b.start_year}..{b.end_year}; must be a period of "
                f"at least a year within {m.base_year}..{m.end_year}"
            )


def all_inputs(spec: Spec) -> Iterator[tuple[str, AnyInput]]:
    """Every provenance-carrying input with its field path, in spec order."""
    yield "market.base_value", spec.market.base_value
    for i, ph in enumerate(spec.phases):
        yield f"phases[{i}].cagr", ph.cagr
    for i, r in enumerate(spec.regions):
        yield f"regions[{i}].share", r.share
        for k, g in enumerate(r.cagr or []):
            if g is not None:
                yield f"regions[{i}].cagr[{k}]", g
        for j, c in enumerate(r.countries):
            yield f"regions[{i}].countries[{j}].weight", c.weight
            if c.cagr is not None:
                yield f"regions[{i}].countries[{j}].cagr", c.cagr
    for i, d in enumerate(spec.dimensions):
        for j, s in enumerate(d.segments):
            yield f"dimensions[{i}].segments[{j}].share", s.share
            if s.cagr is not None:
                yield f"dimensions[{i}].segments[{j}].cagr", s.cagr
        for j, o in enumerate(d.overrides):
            for field in ("share", "cagr"):
                value = getattr(o, field)
                if value is not None:
                    yield f"dimensions[{i}].overrides[{j}].{field}", value
    for i, p in enumerate(spec.players):
        if p.revenue is not None:
            yield f"players[{i}].revenue", p.revenue
    for i, b in enumerate(spec.benchmarks):
        yield f"benchmarks[{i}].cagr", b.cagr


def _sources(spec: Spec) -> Iterator[str]:
    ids = [s.id for s in spec.sources]
    for i, sid in enumerate(ids):
        if sid in ids[:i]:
            yield f"sources[{i}].id: got {sid!r}; source ids must be unique"
    for path, item in all_inputs(spec):
        if item.provenance == "source" and item.source is None:
            yield f"{path}.source: missing; provenance 'source' needs the id of a sources entry"
        if item.source is not None and item.source not in ids:
            yield f"{path}.source: got {item.source!r}; must be one of the sources ids {ids}"
