"""What a spec leaves unsettled: conflicts with its own sources, unquantified regions, placeholders.

Shown on the Sources sheet and printed as warnings by ``cmo-xl validate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cmo_xl.model.compute.engine import BenchmarkComparison, Forecast
from cmo_xl.model.compute.verdicts import CONFLICT, NOT_AVAILABLE
from cmo_xl.model.resolution.benchmarks import quote_places
from cmo_xl.model.resolution.resolved import Benchmark, Model

#: The provenance of an input the spec holds a place for, not a figure.
PLACEHOLDER = "placeholder"


def placeholders(model: Model) -> list[str]:
    """Field paths of the inputs whose provenance is ``placeholder``."""
    return [item.path for item in model.inputs() if item.provenance == PLACEHOLDER]


@dataclass(frozen=True)
class Flag:
    title: str
    text: str  # what the model does about it
    benchmark: int | None = None  # for a conflicting growth figure: its index in the benchmarks


#: How a flag writes a reported figure and the model's, as the Sources sheet's TEXT() does.
TEXT_FORMATS = {
    "cagr": ("0.0%", "0.00%"),
    "share": ("0.0%", "0.00%"),
    "value": ("#,##0.0##", "#,##0.0"),
}


def as_text(x: float, number_format: str) -> str:
    """``x`` as TEXT(x, number_format) writes it, for the formats in TEXT_FORMATS.

    >>> as_text(0.0699, "0.00%"), as_text(1600.0, "#,##0.0##"), as_text(264.125, "#,##0.0##")
    ('6.99%', '1,600.0', '264.125')
    """
    if number_format.endswith("%"):
        return f"{x:.{max(0, len(number_format) - 3)}%}"
    if "#" not in number_format.partition(".")[2]:  # "#,##0.0": fixed decimals
        return f"{x:,.{len(number_format.partition('.')[2])}f}"
    text = f"{x:,.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def period_text(b: BenchmarkComparison) -> str:
    return f"{b.start_year}-{b.year}" if b.start_year is not None else str(b.year)


#: TEXT()'s format for a number as a person types it: its digits, no more (a rate's in percent).
GENERAL = "General"


def quote_format(b: Benchmark, upper: bool = False) -> str:
    """The TEXT() format that writes a reported figure (or, ``upper``, the upper end of its
    range) as it was quoted: its own digits (``General``, of the percentage for a rate), so an
    edit shows every digit typed; or, where the quote has trailing zeros ("19.80%"), its
    decimals fixed.

    >>> from cmo_xl.model.resolution.resolved import Input, world_key
    >>> w, f = world_key(), Input("", "f", "", "%", "cagr", 0.198, "analyst", quoted="19.80%")
    >>> quote_format(Benchmark("", "cagr", f, None, f, f, (w,), w))
    '0.00%'
    """
    places = quote_places(b, upper)
    item = b.high if upper and b.high is not None else b.figure
    rate = b.kind != "value"
    if places <= len(as_general(item.value, rate).partition(".")[2]):  # no trailing zeros
        return GENERAL
    digits = "." + "0" * places
    return f"0{digits}%" if rate else f"#,##0{digits}"


#: TEXT() formats with every digit up to ten decimals; a whole number keeps a trailing point,
#: which the formulas drop (SUBSTITUTE for a rate, a second format for a whole value).
ALL_DIGITS_PCT, ALL_DIGITS, WHOLE = "0.##########%", "#,##0.##########", "#,##0"


def as_general(x: float, rate: bool) -> str:
    """``x`` with every digit it has (up to ten decimals; of the percentage, for a rate), as
    the Sources formulas write it.

    >>> as_general(0.0558, True), as_general(0.07, True), as_general(264.125, False)
    ('5.58', '7', '264.125')
    >>> as_general(1600.0, False)
    '1,600'
    """
    if not rate and x == int(x):
        return f"{x:,.0f}"
    text = f"{x * 100 if rate else x:,.10f}".rstrip("0")
    return text.removesuffix(".")


def quoted_text(b: Benchmark) -> str:
    """A reported figure as the report wrote it: its qualifier, then its digits."""
    words = f"{b.qualifier} " if b.qualifier else ""
    rate = b.kind != "value"

    def written(x: float, upper: bool) -> str:
        fmt = quote_format(b, upper)
        if fmt == GENERAL:
            return as_general(x, rate) + ("%" if rate else "")
        return as_text(x, fmt)

    figure = written(b.figure.value, False)
    if b.high is not None:
        return f"{words}{figure} and {written(b.high.value, True)}"
    return f"{words}{figure}"


def benchmark_text(b: BenchmarkComparison, inputs: Benchmark) -> str:
    """What the model says about a reported figure it contradicts."""
    _, model = TEXT_FORMATS[b.kind]
    # TEXT() of the model's "n/a" is that text
    implied = NOT_AVAILABLE if math.isnan(b.model) else as_text(b.model, model)
    return (
        f"Reported {quoted_text(inputs)} for {period_text(b)}; the model implies "
        f"{implied}. Shown on Reconciliation; not used as an input."
    )


def flags(result: Forecast) -> list[Flag]:
    """What the spec leaves unsettled and what the model does about it, in spec order."""
    out = [  # a figure within the rounding of its quote is no conflict
        Flag(f"Conflicting figure: {b.label}", benchmark_text(b, inputs), k)
        for k, (b, inputs) in enumerate(
            zip(result.benchmarks, result.model.benchmarks, strict=True)
        )
        if b.status == CONFLICT
    ]
    for r in result.model.regions:
        if r.share.value == 0:
            out.append(
                Flag(
                    f"Not quantified: {r.name}",
                    "No share in the source; modelled at 0%, so it stays at 0 in every "
                    "year until someone sets a share.",
                )
            )
    count = len(placeholders(result.model))
    if count:
        out.append(
            Flag(
                f"Placeholders: {count} inputs",
                "Stand-ins with no source (provenance 'placeholder' on Inputs); replace them "
                "before relying on the splits they drive.",
            )
        )
    return out
