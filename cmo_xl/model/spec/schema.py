"""The market spec: a versioned YAML schema, parsed and type-checked with pydantic.

Shape, types and ranges are declared here; rules that span fields (phases that chain, shares
that sum to 1, overrides that name a known region) live in :mod:`cmo_xl.model.validation.rules`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from cmo_xl.model.spec.units import percent_text

SCHEMA_VERSION = 1

#: Ranges shared by spec validation and the workbook's data validation.
SHARE_RANGE = (0.0, 1.0)
CAGR_RANGE = (-0.5, 1.0)
YEAR_RANGE = (1900, 9999)
#: Values in the model's unit. With at most MAX_YEARS of growth between -50% and +100% a year,
#: every number the model computes stays between about 1e-36 and 1e48: finite, never
#: underflowing to 0, in Excel and in the engine alike.
VALUE_MAX = 1e18
BASE_VALUE_MIN = 1e-6

#: How much a spec may hold: far more than any market report states, and small enough that
#: the workbook fits Excel's limits and builds on a laptop. README, "Limits", lists them.
MAX_NAME = 100  # characters in a name (region, segment, player, ...)
MAX_TEXT = 10_000  # characters in free text (a quote, a note)
MAX_YEARS = 100  # end_year - base_year
MAX_PHASES = 20
MAX_REGIONS = 100
MAX_COUNTRIES = 250  # in one region
MAX_DIMENSIONS = 10
MAX_SEGMENTS = 100  # in one dimension
MAX_PLAYERS = 500
MAX_GROUP = 8  # members of one group figure: formulas stay far below 8,192 characters
MAX_ENTRIES = 1000  # sources, corrections, benchmarks, overrides in one dimension
#: Scenarios: the switch picks one with CHOOSE, which takes at most 254 options; the Scenarios
#: sheet gives each a column.
MAX_SCENARIOS = 20
#: Changes over all scenarios: each is a row on Inputs, and every scenario is resolved (with all
#: of them) to check it, so this bounds the work at about 10 s.
MAX_CHANGES = 5_000
#: Series (world, regions, countries, segments in each region and in the world) times years:
#: about 3.3 formula cells each, so about 500,000 formula cells at most.
MAX_SERIES_YEARS = 150_000

Provenance = Literal["source", "analyst", "placeholder"]
Year = Annotated[StrictInt, Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Note = Annotated[str, Field(max_length=MAX_TEXT)]
# Strict floats take YAML ints (73) but refuse strings ("73") and booleans.
_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Edited(_Model):
    """A value typed in a workbook over the one the spec gave (``cmo-xl read`` records it)."""

    workbook: Name  # the file's name
    cell: Name  # where it was typed, e.g. Inputs!C34
    previous: _Number  # the value before: as the spec gave it, or the default it followed
    previous_provenance: Provenance | Literal["default"]

    def describe(self) -> str:
        """For the input's note on the Inputs sheet."""
        was = f"{self.previous:.10g} ({self.previous_provenance})"
        return f"Typed in {self.workbook} ({self.cell}) over {was}."


class _Input(_Model):
    """An assumption with its provenance: where the number comes from."""

    provenance: Provenance
    source: Name | None = None
    note: Note = ""
    edited: Edited | None = None
    #: The figure as written, where it was written as text ("37%", "19.80", "1.6 trillion"):
    #: its digits are its precision. Set by the reader; ``value`` is then its conversion.
    quoted: Note = ""


class _Rate(_Input):
    """A share or a rate: a number, or text with a percent sign ("37%"), kept as written."""

    @model_validator(mode="before")
    @classmethod
    def _percent(cls, data: object) -> object:
        if isinstance(data, dict):
            number = percent_text(data.get("value"))
            if number is not None:
                return {**data, "value": float(number), "quoted": data["value"].strip()}
        return data


class ValueInput(_Input):
    value: Annotated[_Number, Field(ge=0, le=VALUE_MAX)]


class ShareInput(_Rate):
    value: Annotated[_Number, Field(ge=SHARE_RANGE[0], le=SHARE_RANGE[1])]


class CagrInput(_Rate):
    value: Annotated[_Number, Field(ge=CAGR_RANGE[0], le=CAGR_RANGE[1])]


AnyInput = ValueInput | ShareInput | CagrInput


class MarketValue(ValueInput):
    """The market's value in a year, as the report states it: an anchor the phase CAGRs or
    the base value can be derived from, and a figure Reconciliation checks the model against."""

    year: Year
    #: How far the true value may lie from the quote; None: half a unit of its last digit.
    precision: Annotated[_Number, Field(gt=0, le=VALUE_MAX)] | None = None


class Market(_Model):
    name: Name
    currency: Name | None = None  # None for a volume market (unit: million m²)
    unit: Name
    base_year: Year
    end_year: Year
    #: None: derived from ``values`` (at the base year, or discounted from a phase end).
    base_value: ValueInput | None = None
    values: Annotated[list[MarketValue], Field(max_length=MAX_YEARS + 1)] = []
    #: The last year whose value the source reports; later years are estimates (2025E).
    #: None: the base year.
    last_reported_year: Year | None = None
    #: The mark between a figure's whole number and its decimals where a figure is written
    #: as text ("1,5 billion" with ","); the other mark separates thousands.
    decimal_mark: Literal[".", ","] = "."


class Phase(_Model):
    """A growth period; its provenance is that of its CAGR."""

    start_year: Year
    end_year: Year
    cagr: CagrInput | None = None  # None: derived from market values at both ends


class MemberValue(ValueInput):
    """A member's value in a year, as the report states it; its share is derived from it."""

    year: Year
    #: How far the true value may lie from the quote; None: half a unit of its last digit.
    precision: Annotated[_Number, Field(gt=0, le=VALUE_MAX)] | None = None


class _Member(_Model):
    """A region, country or segment: a part of its parent.

    One member per parent may be ``residual`` (rest of world, others): it has no share and no
    CAGR of its own but is what its siblings leave, every year, so the parts always add up to
    the parent. Its siblings' CAGRs are then their true CAGRs; without a residual they are
    relative growth rates that shift the mix.
    """

    name: Name
    residual: bool = False
    #: Instead of a share: the member's value in a year; the share is derived from it.
    value: MemberValue | None = None


class Country(_Member):
    weight: ShareInput | None = None  # None for the residual or a value
    cagr: CagrInput | None = None


class Region(_Member):
    share: ShareInput | None = None  # None for the residual or a value
    #: One entry per phase; ``null`` (or the whole list omitted) means the market's CAGR.
    cagr: Annotated[list[CagrInput | None], Field(max_length=MAX_PHASES)] | None = None
    countries: Annotated[list[Country], Field(max_length=MAX_COUNTRIES)] = []


class Segment(_Member):
    share: ShareInput | None = None  # None for the residual or a value
    cagr: CagrInput | None = None


class Override(_Model):
    region: Name
    segment: Name
    share: ShareInput | None = None
    cagr: CagrInput | None = None


class Dimension(_Model):
    name: Name
    segments: Annotated[list[Segment], Field(min_length=1, max_length=MAX_SEGMENTS)]
    overrides: Annotated[list[Override], Field(max_length=MAX_ENTRIES)] = []


class Player(_Model):
    name: Name
    revenue: ValueInput | None = None
    revenue_year: Year | None = None
    note: Note = ""


class Source(_Model):
    id: Name
    quote: Text
    location: Note = ""
    figure: Note = ""
    use: Note = ""
    conflict: Note = ""


class Correction(_Model):
    """A fix to an evident error in the source (a typo, a split name)."""

    original: Name
    corrected: Annotated[str, Field(max_length=MAX_NAME)]  # empty: the entry was dropped
    region: Annotated[str, Field(max_length=MAX_NAME)] = ""
    reason: Text


class MemberRef(_Model):
    """A member named in full: a region, a country in its region, or a segment (in a region,
    or over the world)."""

    region: Name | None = None
    country: Name | None = None
    dimension: Name | None = None
    segment: Name | None = None


class FigureEnd(_Rate):
    """The upper end of a figure given as a range; its range is its figure's (rules check)."""

    value: Annotated[_Number, Field(ge=-VALUE_MAX, le=VALUE_MAX)]


class Benchmark(_Model):
    """A figure the source reports that the model does not use; shown beside the model.

    It is a CAGR over ``start_year``..``end_year``, or a ``value`` or ``share`` in ``year``;
    of the world, or of the member that ``region``, ``country`` or ``dimension`` and
    ``segment`` name (a segment without a region: summed over the world).
    """

    label: Name
    cagr: CagrInput | None = None
    start_year: Year | None = None
    end_year: Year | None = None
    value: ValueInput | None = None
    share: ShareInput | None = None
    year: Year | None = None
    region: Name | None = None
    country: Name | None = None
    dimension: Name | None = None
    segment: Name | None = None
    #: How far the true figure may lie from the quoted one, in the figure's unit: half a unit
    #: of its last digit by default ("6%" is 5.5% to 6.5%, "11.4%" 11.35% to 11.45%, "264.1"
    #: 264.05 to 264.15), a whole unit after a hedge ("around 7%" is 6% to 8%).
    precision: Annotated[_Number, Field(gt=0, le=VALUE_MAX)] | None = None
    #: The words the report puts before the figure, as written ("more than", "around",
    #: "between"): see :mod:`cmo_xl.model.spec.qualifiers`.
    qualifier: Name | None = None
    #: With "between": the upper end, in the figure's unit (the figure is the lower end).
    high: FigureEnd | None = None
    #: A group: several members whose figure the report gives together ("North America and
    #: Europe together hold more than 61%"): by name, regions, or with ``region`` its countries,
    #: or with ``dimension`` its segments (in ``region`` where it is given); or each named in
    #: full (``{region: Asia-Pacific, country: China}``), for members of different parents.
    members: Annotated[list[Name | MemberRef], Field(min_length=2, max_length=MAX_GROUP)] | None = (
        None
    )
    #: What a share is of: the member's parent (its region, for a country or a segment in a
    #: region; the world for a region), or the whole ``world``.
    share_of: Literal["parent", "world"] = "parent"


#: How far a sensitivity step may move a CAGR (in points) or the base value (as a fraction).
CAGR_STEP_RANGE = (-0.5, 0.5)
VALUE_STEP_RANGE = (-0.99, 10.0)
MAX_STEPS = 10


class CagrStep(_Input):
    value: Annotated[_Number, Field(ge=CAGR_STEP_RANGE[0], le=CAGR_STEP_RANGE[1])]


class ValueStep(_Input):
    value: Annotated[_Number, Field(ge=VALUE_STEP_RANGE[0], le=VALUE_STEP_RANGE[1])]


StepInput = CagrStep | ValueStep


class Analysis(_Model):
    """What-if inputs for the Analysis sheet; the forecast never uses them."""

    #: The end-year world value to reach: the Analysis sheet solves for the CAGR that does.
    target_end_value: ValueInput | None = None
    #: Moves of the forecast-phase CAGR, in points (0.01 = one point), ascending.
    cagr_steps: Annotated[list[CagrStep], Field(min_length=2, max_length=MAX_STEPS)] | None = None
    #: Moves of the base value, as fractions (0.1 = 10% more), ascending.
    base_value_steps: (
        Annotated[list[ValueStep], Field(min_length=2, max_length=MAX_STEPS)] | None
    ) = None


class ChangeValue(_Input):
    """The value a scenario sets, or the amount it shifts an input by (in the input's unit:
    0.02 is two points of a CAGR or a share). Its range depends on the input it changes, so
    :mod:`cmo_xl.model.validation.rules` checks it."""

    value: Annotated[_Number, Field(ge=-VALUE_MAX, le=VALUE_MAX)]


class Change(_Model):
    """A scenario's change to one input of the forecast, named by its defined name."""

    #: A defined name: Excel allows 255 characters.
    input: Annotated[str, Field(min_length=1, max_length=255)]
    set: ChangeValue | None = None
    shift: ChangeValue | None = None


class Scenario(_Model):
    """A named set of changes to the spec's inputs; inputs it does not change keep theirs."""

    name: Name
    note: Note = ""
    probability: ShareInput | None = None
    changes: Annotated[list[Change], Field(max_length=MAX_ENTRIES)] = []


class Document(_Model):
    """The report the spec is read from, as a citation: shown on the Cover and on Sources."""

    title: Text
    publisher: Name | None = None
    report_id: Name | None = None
    address: Note = ""  # where it can be found, e.g. its web address
    accessed: date | None = None  # when it was read (YYYY-MM-DD)
    note: Note = ""

    def citation(self) -> str:
        """Publisher, "title", report id, address, accessed date: the parts given."""
        parts = [
            self.publisher or "",
            f'"{self.title}"',
            f"report {self.report_id}" if self.report_id else "",
            self.address,
            f"accessed {self.accessed:%Y-%m-%d}" if self.accessed else "",
        ]
        return ", ".join(p for p in parts if p)


class Presentation(_Model):
    """How the workbook shows numbers; the numbers themselves do not change."""

    #: Decimals of values in the model's unit: 1 (USD 185.1 bn) or 2.
    decimals: Literal[1, 2] = 1


class Spec(_Model):
    schema_version: Literal[1]
    market: Market
    phases: Annotated[list[Phase], Field(min_length=1, max_length=MAX_PHASES)]
    regions: Annotated[list[Region], Field(min_length=1, max_length=MAX_REGIONS)]
    dimensions: Annotated[list[Dimension], Field(max_length=MAX_DIMENSIONS)] = []
    players: Annotated[list[Player], Field(max_length=MAX_PLAYERS)] = []
    sources: Annotated[list[Source], Field(max_length=MAX_ENTRIES)] = []
    corrections: Annotated[list[Correction], Field(max_length=MAX_ENTRIES)] = []
    benchmarks: Annotated[list[Benchmark], Field(max_length=MAX_ENTRIES)] = []
    analysis: Analysis = Analysis()
    presentation: Presentation = Presentation()
    document: Document | None = None
    #: None: one scenario, the spec's own inputs, called "Base".
    scenarios: Annotated[list[Scenario], Field(min_length=1, max_length=MAX_SCENARIOS)] | None = (
        None
    )
