"""Loading a spec: from a file (bounded, see :mod:`.spec_file`) or from parsed data, through the
schema and every cross-field rule. Each problem names the field path, the value and the rule."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from cmo_xl.errors import SpecError
from cmo_xl.model.spec.schema import SCHEMA_VERSION, Spec
from cmo_xl.model.spec.spec_file import load_yaml_file
from cmo_xl.model.spec.units import convert_figures
from cmo_xl.model.validation.rules import rule_problems
from cmo_xl.text import excerpt


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as a field path.

    >>> field_path(("regions", 2, "share", "value"))
    'regions[2].share.value'
    """
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


_PATH_TOKEN = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def path_tokens(path: str) -> list[str | int]:
    """A field path's keys and indices, the inverse of :func:`field_path`.

    >>> path_tokens("regions[2].share")
    ['regions', 2, 'share']
    """
    return [name if name else int(index) for name, index in _PATH_TOKEN.findall(path)]


#: Problems listed in one message at most; the rest are counted.
MAX_PROBLEMS = 20
_FLOAT_MAX = 1.7976931348623157e308


def _describe(error: Any) -> str:
    path = field_path(tuple(error["loc"]))
    value = error.get("input")
    if error["type"] == "missing":
        return f"{path}: missing; this field is required"
    if error["type"] == "extra_forbidden":
        return _unknown_field(tuple(error["loc"]), value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _FLOAT_MAX:
        return f"{path}: got {excerpt(value)}; a number must be below about 1.8e308"
    return f"{path}: got {excerpt(value)}; {error['msg'].lower()}"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The schema classes an annotation holds (through lists, unions and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


@cache
def _schema_classes() -> tuple[type[BaseModel], ...]:
    """Every class of the schema, from the spec down, each once, in a fixed order."""
    found: list[type[BaseModel]] = [Spec]
    for cls in found:
        for field in cls.model_fields.values():
            found += [m for m in _models_in(field.annotation) if m not in found]
    return tuple(found)


def _unknown_field(loc: tuple[int | str, ...], value: Any) -> str:
    """An unknown field: a typo, or a field of another part of the schema, which the message
    then names, with the fields this place takes."""
    path, name = field_path(loc), loc[-1]
    here: type[BaseModel] | None = Spec
    for part in loc[:-1]:
        if isinstance(part, str) and here is not None:
            field = here.model_fields.get(part)
            models = _models_in(field.annotation) if field is not None else []
            here = models[0] if models else None
    elsewhere = [
        _CLASS_WORDS.get(cls.__name__, cls.__name__.lower())
        for cls in _schema_classes()
        if name in cls.model_fields and cls is not here
    ]
    if not elsewhere or here is None:
        return f"{path}: unknown field (value {excerpt(value)}); check the spelling"
    takes = (
        _USE_HERE.get((here.__name__, str(name)))
        or f"here the fields are {', '.join(here.model_fields)}"
    )
    where = ", ".join(dict.fromkeys(elsewhere))
    return (
        f"{path}: unknown field here (value {excerpt(value)}); {name!r} belongs to {where}; {takes}"
    )


#: What to use instead, where a field of another part is the usual slip.
_USE_HERE = {
    ("Country", "share"): (
        "a country takes weight (its share of its region) or value (its value in a year); "
        "its share of the world is a benchmark with share_of: world"
    ),
    ("Region", "weight"): "a region takes share (of the world) or value (its value in a year)",
    ("Segment", "weight"): "a segment takes share (of its region) or value (its value in a year)",
    (
        "Benchmark",
        "weight",
    ): "a benchmark's share of its parent is share; of the world, add share_of: world",
}


#: How a message names a part of the schema.
_CLASS_WORDS = {
    "Region": "a region",
    "Country": "a country",
    "Segment": "a segment",
    "Override": "a dimension's overrides",
    "Benchmark": "a benchmark (a figure the report states)",
    "Market": "market",
    "Phase": "a phase",
    "Player": "a player",
    "MarketValue": "market.values",
    "MemberValue": "a member's value",
    "Scenario": "a scenario",
    "Change": "a scenario's change",
    "Analysis": "analysis",
}


def _bounded(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"... and {more} more problem(s)"]


def parse_spec(data: Any, source: str = "spec") -> Spec:
    """Validate already-parsed YAML data into a :class:`Spec`, checking every cross-field rule."""
    if not isinstance(data, dict):
        raise SpecError(
            [f"(top level): got {excerpt(data)}; expected a mapping of the spec's fields"], source
        )
    version = data.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:  # True == 1 in Python
        raise SpecError(
            [
                f"schema_version: got {excerpt(version)}; this cmo_xl reads schema_version "
                f"{SCHEMA_VERSION}"
            ],
            source,
        )
    data, problems = convert_figures(data)
    if problems:
        raise SpecError(_bounded(problems), source)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_bounded([_describe(e) for e in exc.errors()]), source) from None
    except RecursionError:  # a structure pydantic cannot walk; the reader bounds depth already
        raise SpecError(["(top level): the spec nests too deeply"], source) from None
    problems = rule_problems(spec)
    if problems:
        raise SpecError(_bounded(problems), source)
    return spec


def load_spec(path: str | Path) -> Spec:
    """Read and validate a YAML spec file (bounded and decoded by
    :mod:`cmo_xl.model.spec.spec_file`)."""
    path = Path(path)
    return parse_spec(load_yaml_file(path), str(path))
