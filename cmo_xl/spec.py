"""The market spec: a versioned YAML schema, parsed and type-checked with pydantic.

Shape, types and ranges are declared here; rules that span fields (phases that chain, shares
that sum to 1, overrides that name a known region) live in :mod:`cmo_xl.spec_rules`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from cmo_xl.errors import SpecError

SCHEMA_VERSION = 1

#: Ranges shared by spec validation and the workbook's data validation.
SHARE_RANGE = (0.0, 1.0)
CAGR_RANGE = (-0.5, 1.0)
YEAR_RANGE = (1900, 9999)

Provenance = Literal["source", "analyst", "placeholder"]
Year = Annotated[StrictInt, Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])]
Text = Annotated[str, Field(min_length=1)]
# Strict floats take YAML ints (73) but refuse strings ("73") and booleans.
_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Input(_Model):
    """An assumption with its provenance: where the number comes from."""

    provenance: Provenance
    source: str | None = None
    note: str = ""


class ValueInput(_Input):
    value: Annotated[_Number, Field(ge=0)]


class ShareInput(_Input):
    value: Annotated[_Number, Field(ge=SHARE_RANGE[0], le=SHARE_RANGE[1])]


class CagrInput(_Input):
    value: Annotated[_Number, Field(ge=CAGR_RANGE[0], le=CAGR_RANGE[1])]


AnyInput = ValueInput | ShareInput | CagrInput


class Market(_Model):
    name: Text
    currency: Text
    unit: Text
    base_year: Year
    end_year: Year
    base_value: ValueInput


class Phase(_Model):
    """A growth period; its provenance is that of its CAGR."""

    start_year: Year
    end_year: Year
    cagr: CagrInput


class Country(_Model):
    name: Text
    weight: ShareInput
    cagr: CagrInput | None = None


class Region(_Model):
    name: Text
    share: ShareInput
    #: One entry per phase; ``null`` (or the whole list omitted) means the market's CAGR.
    cagr: list[CagrInput | None] | None = None
    countries: list[Country] = []


class Segment(_Model):
    name: Text
    share: ShareInput
    cagr: CagrInput | None = None


class Override(_Model):
    region: Text
    segment: Text
    share: ShareInput | None = None
    cagr: CagrInput | None = None


class Dimension(_Model):
    name: Text
    segments: Annotated[list[Segment], Field(min_length=1)]
    overrides: list[Override] = []


class Player(_Model):
    name: Text
    revenue: ValueInput | None = None
    revenue_year: Year | None = None
    note: str = ""


class Source(_Model):
    id: Text
    quote: Text
    location: str = ""
    figure: str = ""
    use: str = ""
    conflict: str = ""


class Correction(_Model):
    """A fix to an evident error in the source (a typo, a split name)."""

    original: Text
    corrected: str  # empty: the entry was dropped
    region: str = ""
    reason: Text


class Benchmark(_Model):
    """A growth figure the source reports that the model does not use; shown beside the model."""

    label: Text
    start_year: Year
    end_year: Year
    cagr: CagrInput


class Spec(_Model):
    schema_version: Literal[1]
    market: Market
    phases: Annotated[list[Phase], Field(min_length=1)]
    regions: Annotated[list[Region], Field(min_length=1)]
    dimensions: list[Dimension] = []
    players: list[Player] = []
    sources: list[Source] = []
    corrections: list[Correction] = []
    benchmarks: list[Benchmark] = []


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as a field path.

    >>> field_path(("regions", 2, "share", "value"))
    'regions[2].share.value'
    """
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _describe(error: Any) -> str:
    path = field_path(tuple(error["loc"]))
    if error["type"] == "missing":
        return f"{path}: missing; this field is required"
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown field (value {error['input']!r}); check the spelling"
    return f"{path}: got {error['input']!r}; {error['msg'].lower()}"


def parse_spec(data: Any, source: str = "spec") -> Spec:
    """Validate already-parsed YAML data into a :class:`Spec`, checking every cross-field rule."""
    from cmo_xl.spec_rules import rule_problems

    if not isinstance(data, dict):
        raise SpecError([f"(top level): got {type(data).__name__}; expected a mapping"], source)
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SpecError(
            [f"schema_version: got {version!r}; this cmo_xl reads schema_version {SCHEMA_VERSION}"],
            source,
        )
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError([_describe(e) for e in exc.errors()], source) from None
    problems = rule_problems(spec)
    if problems:
        raise SpecError(problems, source)
    return spec


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key given twice in one mapping.

    PyYAML's own loaders keep the last value of a repeated key and drop the others without a
    word, so a spec with two ``share:`` lines would silently lose one.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} given twice; the first is on line {seen[key]}",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_spec(path: str | Path) -> Spec:
    """Read and validate a YAML spec file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([f"cannot read the file: {exc.strerror}"], str(path)) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError([f"{where}not valid YAML ({problem})"], str(path)) from None
    return parse_spec(data, str(path))
