"""What a spec leaves unsettled: conflicts with its own sources, unquantified regions, placeholders.

Shown on the Sources sheet and printed as warnings by ``cmo-xl validate``.
"""

from __future__ import annotations

import pandas as pd

from cmo_xl.model import engine
from cmo_xl.model.rules import all_inputs
from cmo_xl.model.schema import Spec


def placeholders(spec: Spec) -> list[str]:
    """Field paths of the inputs whose provenance is ``placeholder``."""
    return [path for path, item in all_inputs(spec) if item.provenance == "placeholder"]


def flags(spec: Spec, frame: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(flag, what the model does about it), in spec order."""
    frame = engine.forecast(spec) if frame is None else frame
    out = []
    for b in engine.benchmarks(spec, frame):
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
    for r in spec.regions:
        if r.share.value == 0:
            out.append(
                (
                    f"Not quantified: {r.name}",
                    "No share in the source; modelled at 0%, so it stays at 0 in every "
                    "year until someone sets a share.",
                )
            )
    count = len(placeholders(spec))
    if count:
        out.append(
            (
                f"Placeholders: {count} inputs",
                "Stand-ins with no source (provenance 'placeholder' on Inputs); replace them "
                "before relying on the splits they drive.",
            )
        )
    return out
