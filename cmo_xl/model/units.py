"""Figures written with their own scale ("1.6 trillion", "4,200 million"), in the model's unit.

Reports mix scales: "USD 1.6 trillion by 2030" beside "USD 262.4 billion in 2022". A value
input may be written as such a text, or as a number with a ``scale`` field; before the spec is
validated it is converted to the scale of the model's unit (``USD bn`` -> billions), exactly,
by shifting decimal places, and the figure as written is kept beside it (``quoted``), so the
Inputs and Sources sheets can show both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from cmo_xl.text import excerpt

#: Scale words and the power of ten each stands for; the long words are the ``scale`` field's.
EXPONENTS = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "mn": 6,
    "m": 6,
    "billion": 9,
    "bn": 9,
    "trillion": 12,
    "tn": 12,
}
SCALES = ("thousand", "million", "billion", "trillion")
_FIGURE = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?|[+-]?\.\d+)\s*([A-Za-z]+)?\s*$")
#: Where a spec holds values in the model's unit: (path, field) patterns; * is every item.
VALUE_INPUTS = (
    ("market", "base_value"),
    ("market", "values", "*"),
    ("benchmarks", "*", "value"),
    ("regions", "*", "value"),
    ("regions", "*", "countries", "*", "value"),
    ("dimensions", "*", "segments", "*", "value"),
    ("players", "*", "revenue"),
    ("analysis", "target_end_value"),
)
ALLOWED = "a number, or a number and a scale word (thousand, million, billion, trillion)"


def unit_exponent(unit: str) -> int:
    """The power of ten a unit counts in: ``USD bn`` 9, ``EUR m`` 6, ``million m²`` 6, ``USD`` 0.

    >>> unit_exponent("USD bn"), unit_exponent("million m²"), unit_exponent("USD")
    (9, 6, 0)
    """
    words = [w.lower() for w in re.split(r"[\s/]+", unit) if w]
    return next((EXPONENTS[w] for w in words if w in EXPONENTS), 0)


def parse_figure(text: str) -> tuple[Decimal, int | None] | None:
    """A written figure's number and power of ten (None: no scale word, so the model's own
    unit), or None if it is not a figure.

    >>> parse_figure("1.6 trillion"), parse_figure("4,200 million"), parse_figure("73")
    ((Decimal('1.6'), 12), (Decimal('4200'), 6), (Decimal('73'), None))
    """
    match = _FIGURE.match(text)
    if match is None:
        return None
    number, word = match.groups()
    if word is not None and word.lower() not in EXPONENTS:
        return None
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return value, EXPONENTS[word.lower()] if word else None


def convert_figures(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` (a raw spec) with every value input written with a scale converted to the
    model's unit, and the problems found; the raw data is not changed."""
    market = data.get("market")
    unit = market.get("unit") if isinstance(market, dict) else None
    target = unit_exponent(unit) if isinstance(unit, str) else 0
    problems: list[str] = []
    out = _copy(data)
    for path, item in _value_inputs(out, VALUE_INPUTS):
        problem = _convert(item, target, unit if isinstance(unit, str) else "")
        if problem:
            problems.append(f"{path}.{problem}")
    return out, problems


def _convert(item: dict[str, Any], target: int, unit: str) -> str:
    """Convert one input in place; returns a problem (after its path) or ""."""
    value, scale = item.get("value"), item.pop("scale", None)
    if scale is not None and scale not in SCALES:
        return f"scale: got {excerpt(scale)}; must be one of {', '.join(SCALES)}"
    if isinstance(value, str):
        parsed = parse_figure(value)
        if parsed is None:
            return f"value: got {excerpt(value)}; must be {ALLOWED}"
        number, exponent = parsed
        if scale is not None and exponent is not None:
            return f"value: got {excerpt(value)} with scale {scale}; give the scale once"
        if scale is not None:
            exponent = EXPONENTS[scale]
        if exponent is None:  # a number written as text, in the model's own unit
            item["value"] = float(number)
            return ""
        written = value.strip() if scale is None else f"{value.strip()} {scale}"
    elif scale is not None and isinstance(value, int | float) and not isinstance(value, bool):
        number, exponent, written = Decimal(repr(value)), EXPONENTS[scale], f"{value} {scale}"
    else:
        return ""
    item["value"] = float(number.scaleb(exponent - target))
    item.setdefault("quoted", f"{written} (= {item['value']:,.12g} {unit})".strip())
    return ""


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _value_inputs(
    data: Any, patterns: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each dict at one of ``patterns`` in ``data``, with its path (``players[2].revenue``)."""

    def walk(node: Any, rest: tuple[str, ...], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if not rest:
            if isinstance(node, dict):
                yield path, node
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    yield from walk(item, tail, f"{path}[{i}]")
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], tail, f"{path}.{head}" if path else head)

    for pattern in patterns:
        yield from walk(data, pattern, "")
