"""Rules that span fields of a spec; each problem names the field path, value and allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.names import identifier
from cmo_xl.model.resolution.resolve import SUM_TOLERANCE, resolve
from cmo_xl.model.resolution.resolved import Model
from cmo_xl.model.spec.excel_names import name_key, sheet_name_problem
from cmo_xl.model.spec.schema import (
    BASE_VALUE_MIN,
    MAX_SERIES_YEARS,
    MAX_YEARS,
    Override,
    Spec,
)
from cmo_xl.model.validation.check_rules import forecast_problems
from cmo_xl.model.validation.member_rules import (
    member_parts,
    member_value_problems,
    stated_share_problems,
    sums_to_one,
)
from cmo_xl.model.validation.report_rules import (
    benchmark_problems,
    derived_problems,
    market_value_problems,
)
from cmo_xl.model.validation.scenario_rules import (
    change_problems,
    range_problems,
    scenario_problems,
)
from cmo_xl.text import cell_text_problem, excerpt


def rule_problems(spec: Spec) -> list[str]:
    """Every cross-field problem in ``spec``, in spec order."""
    checks = (
        _texts,
        _years,
        _phases,
        _regions,
        _dimensions,
        _players,
        market_value_problems,
        member_value_problems,
        benchmark_problems,
        _source_ids,
        _analysis,
        _scenario_names,
        scenario_problems,
    )
    problems = [problem for check in checks for problem in check(spec)]
    if problems:
        return problems
    # The rest needs the resolved model, which needs a spec whose parts are sound.
    model = resolve(spec)
    model_checks = (_override_sums, _source_references, _defined_names, _size)
    problems = [problem for check in model_checks for problem in check(model)]
    if problems:
        return problems
    scenarios = [resolve(spec, k) for k in range(1, len(model.scenarios) + 1)]
    problems = list(range_problems(scenarios))
    if problems:
        return problems
    problems = _in_every_scenario(spec, scenarios, (derived_problems, stated_share_problems))
    if problems:
        return problems
    problems = list(change_problems(model, scenarios, sums_to_one))
    if problems:
        return problems
    return _in_every_scenario(spec, scenarios, (forecast_problems,))


def _in_every_scenario(
    spec: Spec, scenarios: list[Model], checks: tuple[Callable[[Model], Iterator[str]], ...]
) -> list[str]:
    """What is derived (from market and member values) must hold in every scenario: a
    problem all of them have is said once; one only some have names them."""
    found = [[p for check in checks for p in check(m)] for m in scenarios]
    out = []
    for problem in dict.fromkeys(p for problems in found for p in problems):
        where = [
            m.scenarios[m.scenario - 1].name
            for m, ps in zip(scenarios, found, strict=True)
            if problem in ps
        ]
        if len(where) == len(scenarios) or not spec.scenarios:
            out.append(problem)
        else:
            out.append(f"{problem} (in scenario {', '.join(map(excerpt, where))})")
    return out


def _texts(spec: Spec) -> Iterator[str]:
    """Text a cell cannot hold, or that Excel would read as a formula (it starts with =)."""

    def walk(node: object, path: str) -> Iterator[str]:
        if isinstance(node, str):
            problem = cell_text_problem(node)
            if problem:
                yield f"{path}: got {excerpt(node)}; {problem}"
            elif node.startswith("="):
                yield (
                    f"{path}: got {excerpt(node)}; text must not start with = "
                    "(Excel reads it as a formula)"
                )
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
    elif m.end_year - m.base_year > MAX_YEARS:
        yield (
            f"market.end_year: got {m.end_year}; the timeline may span at most {MAX_YEARS} "
            f"years, so it must be at most {m.base_year + MAX_YEARS}"
        )
    reported = m.last_reported_year
    if reported is not None and not m.base_year <= reported <= m.end_year:
        yield (
            f"market.last_reported_year: got {reported}; must be from market.base_year "
            f"({m.base_year}) to market.end_year ({m.end_year})"
        )
    if m.base_value is not None and m.base_value.value < BASE_VALUE_MIN:
        yield (
            f"market.base_value.value: got {m.base_value.value:g}; the market must be at least "
            f"{BASE_VALUE_MIN:g} in its unit (choose a smaller unit for a smaller market)"
        )


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
        key = name_key(identifier(label))
        if not key:
            yield (
                f"{path}[{i}].name: got {excerpt(label)}; a name needs at least one letter or digit"
            )
        elif key in seen:
            yield (
                f"{path}[{i}].name: got {excerpt(label)}; it clashes with {path}[{seen[key]}].name "
                f"({excerpt(labels[seen[key]])}) once reduced to a defined name; names must differ"
            )
        else:
            seen[key] = i


def _regions(spec: Spec) -> Iterator[str]:
    yield from _unique([r.name for r in spec.regions], "regions")
    yield from member_parts(spec.regions, "regions", "share", "region shares")
    for i, region in enumerate(spec.regions):
        if region.cagr is not None and len(region.cagr) != len(spec.phases):
            yield (
                f"regions[{i}].cagr: got {len(region.cagr)} entries; need one per phase "
                f"({len(spec.phases)}), null for the market's CAGR"
            )
        if region.countries:
            yield from _unique([c.name for c in region.countries], f"regions[{i}].countries")
            yield from member_parts(
                region.countries, f"regions[{i}].countries", "weight", "country weights"
            )


def _dimensions(spec: Spec) -> Iterator[str]:
    yield from _unique([d.name for d in spec.dimensions], "dimensions")
    regions = [r.name for r in spec.regions]
    for i, dim in enumerate(spec.dimensions):
        problem = sheet_name_problem(dim.name)
        if problem:
            yield f"dimensions[{i}].name: got {excerpt(dim.name)}; it names a sheet, and {problem}"
        path = f"dimensions[{i}]"
        yield from _unique([s.name for s in dim.segments], f"{path}.segments")
        yield from member_parts(dim.segments, f"{path}.segments", "share", "segment shares")
        yield from _overrides(dim.overrides, [s.name for s in dim.segments], regions, path)
        residual = next((s.name for s in dim.segments if s.residual), None)
        for j, o in enumerate(dim.overrides):
            if o.segment == residual:
                yield (
                    f"{path}.overrides[{j}].segment: got {excerpt(o.segment)}, the residual; "
                    "its share and growth are what the others leave, so override those"
                )


def _overrides(
    overrides: list[Override], segments: list[str], regions: list[str], path: str
) -> Iterator[str]:
    seen: set[tuple[str, str]] = set()
    for j, o in enumerate(overrides):
        where = f"{path}.overrides[{j}]"
        if o.region not in regions:
            yield f"{where}.region: got {excerpt(o.region)}; must be one of {excerpt(regions)}"
        if o.segment not in segments:
            yield f"{where}.segment: got {excerpt(o.segment)}; must be one of {excerpt(segments)}"
        if o.share is None and o.cagr is None:
            yield f"{where}: sets neither share nor cagr; give at least one"
        if (o.region, o.segment) in seen:
            yield (
                f"{where}: a second override of {excerpt(o.segment)} in {excerpt(o.region)}; "
                "give one"
            )
        seen.add((o.region, o.segment))


def _scenario_names(spec: Spec) -> Iterator[str]:
    """Scenario names make defined names, and the switch's MATCH ignores case."""
    yield from _unique([s.name for s in spec.scenarios or []], "scenarios")


def _players(spec: Spec) -> Iterator[str]:
    yield from _unique([p.name for p in spec.players], "players")
    m = spec.market
    for i, p in enumerate(spec.players):
        if (p.revenue is None) != (p.revenue_year is None):
            yield (
                f"players[{i}]: revenue and revenue_year go together; give both or neither "
                f"(got revenue={p.revenue and p.revenue.value}, revenue_year={p.revenue_year})"
            )
        elif p.revenue_year is not None and p.revenue_year > m.end_year:
            yield (
                f"players[{i}].revenue_year: got {p.revenue_year}; must be at most the end "
                f"year {m.end_year} (a year before the base year is measured against the "
                "base year's market)"
            )


def _analysis(spec: Spec) -> Iterator[str]:
    for field in ("cagr_steps", "base_value_steps"):
        steps = getattr(spec.analysis, field)
        values = [s.value for s in steps or []]
        for k in range(1, len(values)):
            if values[k] <= values[k - 1]:
                yield (
                    f"analysis.{field}[{k}].value: got {values[k]:g}; steps must ascend, so it "
                    f"must be above analysis.{field}[{k - 1}] ({values[k - 1]:g})"
                )


def _source_ids(spec: Spec) -> Iterator[str]:
    ids = [s.id for s in spec.sources]
    for i, sid in enumerate(ids):
        if sid in ids[:i]:
            yield f"sources[{i}].id: got {excerpt(sid)}; source ids must be unique"


def _source_references(model: Model) -> Iterator[str]:
    ids = [s.id for s in model.spec.sources]
    for item in model.inputs():
        # Years of phases, players and benchmarks carry their figure's provenance: checked there.
        if not item.typed or item.kind not in ("value", "share", "cagr", "cagr_step", "value_step"):
            continue
        if item.provenance == "source" and not item.source:
            yield (
                f"{item.path}.source: missing; provenance 'source' needs the id of a sources entry"
            )
        if item.source and item.source not in ids:
            yield (
                f"{item.path}.source: got {excerpt(item.source)}; must be one of the sources ids "
                f"{excerpt(ids)}"
            )


def _override_sums(model: Model) -> Iterator[str]:
    for i, dim in enumerate(model.dimensions):
        for region, members in dim.by_region.items():
            if not dim.shares_overridden_in(region):
                continue
            where = f"dimensions[{i}].overrides (region {excerpt(region)})"
            residual = next((m for m in members if m.residual), None)
            if residual is None:
                yield from sums_to_one(
                    [m.weight.value for m in members], where, "segment shares after overrides"
                )
            elif residual.weight.value < -SUM_TOLERANCE:
                yield (
                    f"{where}: the shares besides the residual ({excerpt(residual.name)}) sum "
                    f"to {1 - residual.weight.value:.12g} after overrides; they must sum to at "
                    "most 1"
                )


def _defined_names(model: Model) -> Iterator[str]:
    """Every defined name the workbook will hold must fit Excel and differ from every other one,
    ignoring case as Excel and LibreOffice do; otherwise one input would silently take
    another's value. With names of at most 100 characters no name reaches 255; the length is
    checked all the same, in case the name scheme grows."""
    seen: dict[str, tuple[str, str]] = {}
    for name, path in model.defined_names():
        where = _owner(path) or "(a name cmo_xl uses)"
        if len(name) > names.MAX_NAME_LENGTH:
            yield (
                f"{where}: gives the defined name {excerpt(name)} of {len(name)} characters; "
                f"Excel allows {names.MAX_NAME_LENGTH}; shorten the names it is made of"
            )
            continue
        key = name_key(name)
        if key not in seen:
            seen[key] = (name, where)
            continue
        other_name, other_where = seen[key]
        if other_where != where:
            yield (
                f"{where}: gives the defined name {name}, which Excel cannot tell apart from "
                f"{other_name} given by {other_where} (names are compared ignoring case); "
                "rename one of them"
            )


def _owner(path: str) -> str:
    """The field whose name a defined name is made of: ``regions[0].countries[1].cagr`` ->
    ``regions[0].countries[1].name``; a phase, override or benchmark is named by position."""
    if not path:
        return ""
    if path.startswith("scenarios["):  # a change's or a probability's name ends in the scenario's
        return path.split(".")[0] + ".name"
    head = path.split(".")
    for depth in range(len(head), 0, -1):
        part = head[depth - 1]
        if part.startswith(("countries[", "segments[", "regions[", "players[")):
            return ".".join(head[:depth]) + ".name"
        if part.startswith(("phases[", "overrides[", "benchmarks[")):
            return ".".join(head[:depth])
    return path


def series_years(spec: Spec) -> int:
    """The model's size: its series (world, regions, countries, and each dimension's segments in
    every region and in the world) times the years of the timeline."""
    regions = len(spec.regions)
    series = 1 + regions + sum(len(r.countries) for r in spec.regions)
    series += sum(len(d.segments) * (regions + 1) for d in spec.dimensions)
    return series * (spec.market.end_year - spec.market.base_year + 1)


def _size(model: Model) -> Iterator[str]:
    size = series_years(model.spec)
    if size > MAX_SERIES_YEARS:
        yield (
            f"(top level): the model has {size:,} series-years (regions, countries and segments "
            f"in every region, times years); the limit is {MAX_SERIES_YEARS:,}, about 500,000 "
            "formula cells; use fewer members, dimensions or years"
        )
