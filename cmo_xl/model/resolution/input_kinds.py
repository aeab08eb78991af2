"""What each kind of input means, in one table: how it shows, what it may hold, how a scenario
shifts it and how it goes back into a spec.

The Inputs sheet (number format, data validation), the scenarios (the kind of a shift's cell),
the scenario rules (ranges), ``read`` (how an edit is put into the spec) and the reports (how a
value prints) all look a kind up here. A new kind of input is one row of :data:`KINDS` plus its
formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from cmo_xl.model.spec.schema import (
    CAGR_RANGE,
    CAGR_STEP_RANGE,
    SHARE_RANGE,
    VALUE_MAX,
    VALUE_STEP_RANGE,
    YEAR_RANGE,
)

#: What an input holds.
InputKind = Literal[
    "value", "share", "cagr", "year", "fixed_year", "revenue_year", "cagr_step", "value_step",
    "figure_year",  # a reported figure's year outside the timeline
    "precision",  # how far a reported rate's or share's truth may lie from it
    "value_precision",  # the same for a reported value, in the model's unit
    "rate_shift",  # a scenario's shift of a CAGR or a share, in points
    "value_shift",  # a scenario's shift of a value, in its unit
]  # fmt: skip
#: How a kind shows: a number-format token of the workbook (``records.NumberFormat``), which
#: the reports follow too.
Shown = Literal["value", "share", "pct", "points", "year", "precise", "precise_pct"]
#: A bound that depends on the model: its first or last year.
YearBound = Literal["first_year", "last_year"]
#: How an edit goes back into a spec: as a value with provenance, a whole year, or a bare number
#: (a quote's precision, which the spec holds without provenance).
SpecForm = Literal["provenanced", "year", "number"]
#: How far a scenario may shift a CAGR or a share: across the whole range of a CAGR.
RATE_SHIFT_RANGE = (CAGR_RANGE[0] - CAGR_RANGE[1], CAGR_RANGE[1] - CAGR_RANGE[0])


@dataclass(frozen=True)
class KindRule:
    """One kind of input. ``low`` and ``high`` bound what its data validation accepts (None:
    unbounded; no validation at all when ``validated`` is false), ``allowed`` says so in words
    (``{low}`` and ``{high}`` are filled in), and ``shift`` is the kind of a scenario's shift of
    it (None: a scenario cannot shift it)."""

    shown: Shown
    low: float | YearBound | None
    high: float | YearBound | None
    allowed: str
    whole: bool = False
    validated: bool = True
    shift: InputKind | None = None
    spec_form: SpecForm = "provenanced"


_YEAR = "a whole year from {low} to {high}"
_RATE: InputKind = "rate_shift"
KINDS: dict[InputKind, KindRule] = {
    "value": KindRule("value", 0, None, "a number of at least 0", shift="value_shift"),
    "share": KindRule("share", *SHARE_RANGE, "a share from 0 to 1 (0% to 100%)", shift=_RATE),
    "cagr": KindRule("pct", *CAGR_RANGE, "a CAGR from {low:.0%} to {high:.0%}", shift=_RATE),
    "year": KindRule("year", "first_year", "last_year", _YEAR, whole=True, spec_form="year"),
    "fixed_year": KindRule("year", None, None, "", whole=True, validated=False),
    "revenue_year": KindRule(
        "year", YEAR_RANGE[0], "last_year", _YEAR, whole=True, spec_form="year"
    ),
    "figure_year": KindRule("year", *YEAR_RANGE, _YEAR, whole=True, spec_form="year"),
    "cagr_step": KindRule("points", *CAGR_STEP_RANGE, "a step from {low:.0%} to {high:.0%}"),
    "value_step": KindRule("pct", *VALUE_STEP_RANGE, "a step from {low:.0%} to {high:.0%}"),
    "precision": KindRule("precise_pct", 0, 0.5, "a precision from 0 to 50%", spec_form="number"),
    "value_precision": KindRule(
        "precise", 0, VALUE_MAX, "a precision of at least 0", spec_form="number"
    ),
    "rate_shift": KindRule("points", *RATE_SHIFT_RANGE, "a shift from {low:.0%} to +{high:.0%}"),
    "value_shift": KindRule("value", -VALUE_MAX, VALUE_MAX, "a shift of at most 1e18 either way"),
}  # fmt: skip


@dataclass(frozen=True)
class Allowed:
    """What an input of some kind may hold in a model whose timeline runs ``first`` to ``last``."""

    low: float | None
    high: float | None
    whole: bool
    words: str


def allowed(kind: InputKind, first: int, last: int) -> Allowed:
    """The bounds and words of ``kind``'s validation, its year bounds filled in.

    >>> allowed("year", 2024, 2032).words
    'a whole year from 2024 to 2032'
    >>> allowed("cagr", 2024, 2032).words
    'a CAGR from -50% to 100%'
    """
    rule = KINDS[kind]
    years = {"first_year": first, "last_year": last}
    low = years[rule.low] if isinstance(rule.low, str) else rule.low
    high = years[rule.high] if isinstance(rule.high, str) else rule.high
    return Allowed(low, high, rule.whole, rule.allowed.format(low=low, high=high))


def shown(kind: str, value: float) -> str:
    """A value of ``kind`` as a person reads it, with the digits its number format would show
    and the precision of tolerances whole.

    >>> shown("cagr", 0.114), shown("rate_shift", -0.01), shown("year", 2032.0)
    ('11.40%', '-1.00%', '2032')
    >>> shown("precision", 0.00005), shown("value", 73.0), shown("value", 0.0123456)
    ('0.005%', '73.00', '0.01235')
    """
    rule = KINDS.get(cast(InputKind, kind))
    how = rule.shown if rule is not None else "value"
    if how in ("share", "pct"):
        return f"{value:.2%}"
    if how == "points":
        return f"{value:+.2%}" if value else f"{value:.2%}"
    if how == "precise_pct":
        return f"{value * 100:.12g}%"
    if how == "precise":
        return f"{value:.12g}"
    if how == "year":
        return f"{value:.0f}"
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
