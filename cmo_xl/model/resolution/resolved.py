"""The resolved model's records: every input and member of a spec with its rules settled.

:mod:`cmo_xl.model.resolution.resolve` makes them; the engine computes from them; the sheets place
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.input_kinds import InputKind as InputKind
from cmo_xl.model.resolution.keys import COUNTRY as COUNTRY
from cmo_xl.model.resolution.keys import MARKET as MARKET
from cmo_xl.model.resolution.keys import REGION as REGION
from cmo_xl.model.resolution.keys import SEGMENT as SEGMENT
from cmo_xl.model.resolution.keys import WORLD as WORLD
from cmo_xl.model.resolution.keys import Key as Key
from cmo_xl.model.resolution.keys import country_key as country_key
from cmo_xl.model.resolution.keys import region_key as region_key
from cmo_xl.model.resolution.keys import segment_key as segment_key
from cmo_xl.model.resolution.keys import world_key as world_key
from cmo_xl.model.spec.qualifiers import Bound
from cmo_xl.model.spec.schema import AnyInput, FigureEnd, Spec, StepInput

#: Provenance of an input the spec does not give: a default link, or the timeline itself;
#: and of an input the scenario switch sets.
DEFAULT, STRUCTURE, SCENARIO = "default", "structure", "scenario"
#: Provenance of an input the model derives from other inputs (a residual's share).
DERIVED = "derived"


@dataclass(frozen=True)
class Input:
    """One assumption as the workbook holds it: a typed value, or a link to another input."""

    path: str  # the spec field it comes from ("" for cmo_xl's own, e.g. the check tolerance)
    name: str  # its defined name
    label: str
    unit: str
    kind: InputKind
    value: float
    provenance: str
    source: str = ""
    note: str = ""
    follows: Input | None = None  # the input it follows while the spec gives no value
    #: For a mix-shift growth rate: the series whose CAGR it implies (an engine key).
    implies: Key | None = None
    #: A label that quotes other inputs (a phase's years) as text and those inputs, so the
    #: workbook can write it as a formula that follows edits; empty for a plain label.
    label_parts: tuple[str | Input, ...] = ()
    #: For an input a scenario changes: the input as the spec gives it (typed, or following its
    #: default), and every scenario's change to it. The switch then sets this one.
    given: Input | None = None
    changes: tuple[Change, ...] = ()
    quoted: str = ""  # the figure as written, when it was converted to the model's unit
    #: For an input the model derives from others (a residual's share): how. The workbook
    #: writes it as a formula, and nobody types it.
    derived: Derived | None = None

    @property
    def typed(self) -> bool:
        return self.follows is None and self.given is None and self.derived is None

    def case(self, scenario: int) -> tuple[Input | None, Input | None]:
        """What this input is in ``scenario`` (numbered from 1): the input its value starts
        from (its given value; None where the scenario sets it) plus a typed change (None where
        the scenario leaves it alone). Its value is their sum; the workbook writes the same sum.
        """
        change = next((c for c in self.changes if c.scenario == scenario), None)
        if change is None:
            return self.given, None
        return (self.given if change.shift else None), change.input


@dataclass(frozen=True)
class Derived:
    """An input computed from other inputs, ``of``:

    - ``remainder``: 1 minus their sum (the share a residual member is left by its siblings);
    - ``equal``: the one input (the base value, where the report states it as a market value);
    - ``cagr_between``: the CAGR from value ``of[0]`` in year ``of[2]`` to ``of[1]`` in
      ``of[3]`` (a phase's CAGR from market values at its ends);
    - ``discounted``: value ``of[0]`` brought back through phases, each given by a CAGR, its
      start year and its end year (the base value from a later market value);
    - ``value_share``: value ``of[0]`` over its parent's base value (the product of the next
      ``parts``) and the member's growth to the value's year (a member stated by value).
    """

    kind: Literal["remainder", "equal", "cagr_between", "discounted", "value_share"]
    of: tuple[Input, ...]
    #: For ``value_share``: how many of ``of`` after the value multiply to the parent's base
    #: value; the rest are steps of growth (CAGR, first year, last year) to the stated year.
    parts: int = 0
    #: Inputs the report states that exist only for this one (a member's value and its year):
    #: listed just before it.
    stated: tuple[Input, ...] = ()


@dataclass(frozen=True)
class Change:
    """One scenario's change to one input: a typed value it sets, or a typed shift."""

    scenario: int  # numbered from 1
    shift: bool
    input: Input  # the typed cell: the value set, or the amount shifted by
    target: str  # the defined name of the input it changes


@dataclass(frozen=True)
class Scenario:
    number: int  # from 1: what the switch's MATCH gives
    name: str
    note: str
    probability: Input | None
    changes: tuple[Change, ...]  # in spec order


@dataclass(frozen=True)
class Phase:
    number: int  # from 1, as the workbook shows it
    start_year: int
    end_year: int
    end: Input
    cagr: Input


@dataclass(frozen=True)
class Member:
    """A country in its region, or a segment in one region.

    Without a residual sibling the members split their parent by mix shift, and ``cagr`` is a
    relative growth rate. With one (``anchored``), a member with a ``cagr`` grows at exactly
    that rate, one without keeps its share of the parent, and the residual is what is left.
    """

    name: str
    weight: Input  # the base share or weight, the region's override applied; derived: residual
    cagr: Input | None  # the mix or true CAGR; None for the residual and for members that
    #: keep their share of an anchored parent
    residual: bool = False
    anchored: bool = False  # a sibling is residual: CAGRs are true CAGRs

    @property
    def keeps_share(self) -> bool:
        return self.anchored and not self.residual and self.cagr is None


@dataclass(frozen=True)
class Region:
    name: str
    share: Input  # derived for the residual region
    cagrs: tuple[Input, ...]  # one per phase; none for the residual region
    countries: tuple[Member, ...]
    cagrs_range: str  # the defined name over ``cagrs``
    weights_range: str  # over the countries' weights
    country_cagrs_range: str  # over the countries' CAGRs

    residual: bool = False  # what the other regions leave of the market

    @property
    def rates(self) -> list[float]:
        return [c.value for c in self.cagrs]

    @property
    def anchored(self) -> bool:
        """Its countries have a residual: their CAGRs are true CAGRs."""
        return any(c.residual for c in self.countries)


@dataclass(frozen=True)
class Dimension:
    name: str
    segments: tuple[str, ...]
    shares: tuple[Input, ...]  # base shares, one per segment
    cagrs: tuple[Input | None, ...]  # base CAGRs, one per segment (see Member.cagr)
    overrides: tuple[Input, ...]  # in spec order, share before CAGR
    by_region: dict[str, tuple[Member, ...]]  # the members as each region splits by them
    shares_range: str  # the defined name over ``shares``

    def shares_overridden_in(self, region: str) -> bool:
        """Whether an override sets a segment's share in ``region``."""
        return any(m.weight in self.overrides for m in self.by_region[region])


@dataclass(frozen=True)
class Player:
    name: str
    note: str
    revenue: Input | None
    year: Input | None


FigureKind = Literal["cagr", "value", "share"]


@dataclass(frozen=True)
class Benchmark:
    """A figure the report states, set beside the model's on Reconciliation."""

    label: str
    kind: FigureKind
    figure: Input  # the reported number
    start: Input | None  # a CAGR's first year
    end: Input  # a CAGR's last year; the year of a value or share
    precision: Input  # how far the true figure may lie from the quoted one
    of: tuple[Key, ...]  # the series it is about: one, or a group's members (they add)
    parent: Key  # the series a share is of
    bound: Bound = "point"  # where the truth lies (see :mod:`cmo_xl.model.spec.qualifiers`)
    qualifier: str = ""  # the words that say so, as written
    high: Input | None = None  # the upper end of a range ("between")
    stated: bool = False  # the model is built from it (a market or member value): see reconcile

    def inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in (self.figure, self.high, self.start, self.end, self.precision) if i)


@dataclass(frozen=True)
class AnalysisInputs:
    """What-if inputs of the Analysis sheet; the forecast never uses them."""

    target: Input | None  # the end-year value to solve for; None: the spec sets no target
    cagr_steps: tuple[Input, ...]  # moves of the forecast-phase CAGR, ascending
    value_steps: tuple[Input, ...]  # moves of the base value, as fractions, ascending


@dataclass(frozen=True)
class Model:
    spec: Spec
    base_year: Input
    end_year: Input
    base_value: Input
    tolerance: float  # the checks' relative tolerance, fixed: not an input
    anchors: tuple[Input, ...]  # the market's values as the report states them, by year
    phases: tuple[Phase, ...]
    regions: tuple[Region, ...]
    dimensions: tuple[Dimension, ...]
    players: tuple[Player, ...]
    benchmarks: tuple[Benchmark, ...]
    analysis: AnalysisInputs
    #: The market's values stated for years before the base year, with their years, in order.
    history: tuple[tuple[Input, Input], ...]
    scenarios: tuple[Scenario, ...]
    scenario: int  # the scenario in force, numbered from 1
    #: Named ranges over inputs: name -> the inputs, contiguous on the Inputs sheet.
    ranges: dict[str, tuple[Input, ...]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return list(range(int(self.base_year.value), int(self.end_year.value) + 1))

    @property
    def last_reported_year(self) -> int:
        """Years up to this one are reported by the source (2022A); later ones estimated."""
        return self.spec.market.last_reported_year or int(self.base_year.value)

    @property
    def unit(self) -> str:
        return self.spec.market.unit

    @property
    def anchored(self) -> bool:
        """A region is residual: the world grows at the market CAGRs and that region takes
        what the others leave; without one the world is the sum of regions that grow at their
        own CAGRs."""
        return any(r.residual for r in self.regions)

    @property
    def grown_regions(self) -> tuple[Region, ...]:
        """The regions that grow at CAGRs of their own (all but a residual one)."""
        return tuple(r for r in self.regions if not r.residual)

    @property
    def headline_cagr(self) -> Input:
        """The last phase's market CAGR: what country and segment CAGRs follow."""
        return self.phases[-1].cagr

    def region(self, name: str) -> Region:
        return next(r for r in self.regions if r.name == name)

    def dimension(self, name: str) -> Dimension:
        return next(d for d in self.dimensions if d.name == name)

    @property
    def probabilities(self) -> tuple[Input, ...]:
        """Every scenario's probability, or none when the spec gives none."""
        return tuple(s.probability for s in self.scenarios if s.probability is not None)

    @property
    def scenarios_move_inputs(self) -> bool:
        """Whether the scenarios move any input through a formula: the switch, and the links
        that follow what it sets (see :func:`cmo_xl.model.scenario_links.moved_by_scenarios`)."""
        return len(self.scenarios) > 1 and any(True for _ in self.switched())

    def switched(self) -> Iterator[Input]:
        """The inputs the scenarios change, in the Inputs sheet's order."""
        return (i for i in self.forecast_inputs() if i.given is not None)

    def forecast_inputs(self) -> Iterator[Input]:
        """The inputs a scenario may change: the base value, CAGRs, shares and weights (not
        those the model derives)."""
        yield from self.anchors
        if self.base_value.derived is None:
            yield self.base_value
        yield from (i for i in self._growth_inputs() if i.derived is None)

    def _growth_inputs(self) -> Iterator[Input]:
        """The CAGRs, shares and weights, in the Inputs sheet's order."""
        yield from (p.cagr for p in self.phases)
        yield from (r.share for r in self.regions)
        for r in self.regions:
            yield from r.cagrs
        for r in self.regions:
            yield from (c.weight for c in r.countries)
            yield from (c.cagr for c in r.countries if c.cagr is not None)
        for d in self.dimensions:
            yield from d.shares
            yield from (c for c in d.cagrs if c is not None)
            yield from d.overrides

    def stated_values(self) -> Iterator[Input]:
        """The values (and their years) the report states for members whose shares are
        derived from them."""
        for item in self._growth_inputs():
            if item.derived is not None:
                yield from item.derived.stated

    def inputs(self) -> Iterator[Input]:
        """Every input, once, in the Inputs sheet's order."""
        seen: set[str] = set()
        for item in self._all_inputs():
            if item.name not in seen:
                seen.add(item.name)
                yield item

    def _all_inputs(self) -> Iterator[Input]:
        yield from self.probabilities
        for s in self.scenarios:
            yield from (c.input for c in s.changes)
        yield from (i.given for i in self.switched() if i.given is not None)
        yield from (self.base_year, self.end_year)
        for value, year in self.history:
            yield from (value, year)
        for b in self.benchmarks:
            if b.figure in self.anchors:
                yield from b.inputs()
        yield self.base_value
        yield from (p.end for p in self.phases)
        yield from self.stated_values()
        yield from self._growth_inputs()
        for p in self.players:
            yield from (i for i in (p.revenue, p.year) if i is not None)
        for b in self.benchmarks:
            if b.figure not in self.anchors:
                yield from b.inputs()
        if self.analysis.target is not None:
            yield self.analysis.target
        yield from self.analysis.cagr_steps
        yield from self.analysis.value_steps

    def defined_names(self) -> Iterator[tuple[str, str]]:
        """Every workbook-scoped name with the spec field it comes from ("" for cmo_xl's own):
        the inputs, the ranges over them, and the names of calculated cells."""
        # Every input, not :meth:`inputs`, which keeps one per name: two fields that make the
        # same name (a scenario's change beside an override) must both be seen to be refused.
        yield from dict.fromkeys((item.name, item.path) for item in self._all_inputs())
        for name, items in self.ranges.items():
            yield name, _common_field(items)
        for name in (*names.CALCULATED, *names.SWITCH, *names.RECORD):
            yield name, ""
        if self.scenarios_move_inputs:
            yield from ((name, "") for name in names.SCENARIO_WARNING_NAMES)
        if self.history:
            yield from ((names.HISTORY_YEARS, ""), (names.HISTORY_VALUES, ""))


def _common_field(items: tuple[Input, ...]) -> str:
    """The field a range belongs to: a region's or a dimension's name, else cmo_xl's own."""
    paths = {i.path.split(".")[0] for i in items}
    (path,) = paths if len(paths) == 1 else ("",)
    return f"{path}.name" if path.startswith(("regions[", "dimensions[")) else ""


Given = AnyInput | StepInput | FigureEnd


def given(path: str, name: str, label: str, unit: str, kind: InputKind, item: Given) -> Input:
    source, quoted, note = item.source or "", getattr(item, "quoted", ""), item.note
    if item.edited is not None:
        note = f"{note} {item.edited.describe()}".strip()
    return Input(
        path, name, label, unit, kind, item.value, item.provenance, source, note, quoted=quoted
    )


def following(path: str, name: str, label: str, follows: Input, note: str) -> Input:
    return Input(path, name, label, "%", "cagr", follows.value, DEFAULT, note=note, follows=follows)
