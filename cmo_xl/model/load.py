"""Loading a spec: from a file (bounded, see :mod:`.spec_file`) or from parsed data, through the
schema and every cross-field rule. Each problem names the field path, the value and the rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
        return f"{path}: unknown field (value {excerpt(value)}); check the spelling"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _FLOAT_MAX:
        return f"{path}: got {excerpt(value)}; a number must be below about 1.8e308"
    return f"{path}: got {excerpt(value)}; {error['msg'].lower()}"


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
