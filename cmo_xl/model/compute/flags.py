"""What a spec leaves unsettled: conflicts with its own sources, unquantified regions, placeholders.

Shown on the Sources sheet and printed as warnings by ``cmo-xl validate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.compute.engine import BenchmarkComparison, Forecast
from cmo_xl.model.compute.verdicts import CONFLICT
from cmo_xl.model.resolution.resolved import Model

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
        return f"{x:.{len(number_format) - 3}%}"
    if "#" not in number_format.partition(".")[2]:  # "#,##0.0": fixed decimals
        return f"{x:,.{len(number_format.partition('.')[2])}f}"
    text = f"{x:,.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def period_text(b: BenchmarkComparison) -> str:
    return f"{b.start_year}-{b.year}" if b.start_year is not None else str(b.year)


def benchmark_text(b: BenchmarkComparison) -> str:
    """What the model says about a reported figure it contradicts."""
    reported, model = TEXT_FORMATS[b.kind]
    return (
        f"Reported {as_text(b.reported, reported)} for {period_text(b)}; the model implies "
        f"{as_text(b.model, model)}. Shown on Reconciliation; not used as an input."
    )


def flags(result: Forecast) -> list[Flag]:
    """What the spec leaves unsettled and what the model does about it, in spec order."""
    out = [  # a figure within the rounding of its quote is no conflict
        Flag(f"Conflicting figure: {b.label}", benchmark_text(b), k)
        for k, b in enumerate(result.benchmarks)
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
