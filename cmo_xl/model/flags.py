"""What a spec leaves unsettled: conflicts with its own sources, unquantified regions, placeholders.

Shown on the Sources sheet and printed as warnings by ``cmo-xl validate``.
"""

from __future__ import annotations

from cmo_xl.model.engine import Forecast
from cmo_xl.model.resolved import Model


def placeholders(model: Model) -> list[str]:
    """Field paths of the inputs whose provenance is ``placeholder``."""
    return [item.path for item in model.inputs() if item.provenance == "placeholder"]


def flags(result: Forecast) -> list[tuple[str, str]]:
    """(flag, what the model does about it), in spec order."""
    out = []
    for b in result.benchmarks:
        if abs(b.model_cagr - b.phases_cagr) < 5e-5:  # the same at the precision shown
            implied = f"the model implies {b.model_cagr:.2%} (world and market phases alike)"
        else:
            implied = (
                f"the modelled world (the sum of the regions, their own CAGRs included) "
                f"implies {b.model_cagr:.2%}, the market phase CAGRs alone {b.phases_cagr:.2%}"
            )
        out.append(
            (
                f"Conflicting growth figure: {b.label}",
                f"Reported {b.reported_cagr:.1%} for {b.start_year}-{b.end_year}; {implied}. "
                "Shown on Summary; not used as an input.",
            )
        )
    for r in result.model.regions:
        if r.share.value == 0:
            out.append(
                (
                    f"Not quantified: {r.name}",
                    "No share in the source; modelled at 0%, so it stays at 0 in every "
                    "year until someone sets a share.",
                )
            )
    count = len(placeholders(result.model))
    if count:
        out.append(
            (
                f"Placeholders: {count} inputs",
                "Stand-ins with no source (provenance 'placeholder' on Inputs); replace them "
                "before relying on the splits they drive.",
            )
        )
    return out
