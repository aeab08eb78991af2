"""What a spec leaves unsettled: conflicts with its own sources, unquantified regions, placeholders.

Shown on the Sources sheet and printed as warnings by ``cmo-xl validate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model.engine import BenchmarkComparison, Forecast
from cmo_xl.model.resolved import Model
from cmo_xl.model.verdicts import CONFLICT


def placeholders(model: Model) -> list[str]:
    """Field paths of the inputs whose provenance is ``placeholder``."""
    return [item.path for item in model.inputs() if item.provenance == "placeholder"]


@dataclass(frozen=True)
class Flag:
    title: str
    text: str  # what the model does about it
    benchmark: int | None = None  # for a conflicting growth figure: its index in the benchmarks


def benchmark_text(b: BenchmarkComparison) -> str:
    """What the model says about a reported growth figure it does not use."""
    return (
        f"Reported {b.reported_cagr:.1%} for {b.start_year}-{b.end_year}; the modelled world "
        f"(the sum of the regions, their own CAGRs included) implies {b.model_cagr:.2%}. "
        "Shown on Reconciliation; not used as an input."
    )


def flags(result: Forecast) -> list[Flag]:
    """What the spec leaves unsettled and what the model does about it, in spec order."""
    out = [  # a figure within the rounding of its quote is no conflict
        Flag(f"Conflicting growth figure: {b.label}", benchmark_text(b), k)
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
