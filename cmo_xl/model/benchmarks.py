"""Resolving reported figures the model does not use: each with the precision of its quote."""

from __future__ import annotations

from decimal import Decimal

from cmo_xl.model import names
from cmo_xl.model.resolved import DEFAULT, Benchmark, Input, given
from cmo_xl.model.schema import Spec


def resolve_benchmark(i: int, spec: Spec) -> Benchmark:
    """Benchmark ``i``: its CAGR, years and the precision of its quote."""
    b = spec.benchmarks[i]
    k, path = i + 1, f"benchmarks[{i}]"
    source = b.cagr.source or ""
    cagr = given(f"{path}.cagr", names.benchmark_cagr(k), f"{b.label}: CAGR", "%", "cagr", b.cagr)
    start = Input(
        f"{path}.start_year",
        names.benchmark_start(k),
        f"{b.label}: from year",
        "year",
        "year",
        b.start_year,
        b.cagr.provenance,
        source,
    )
    end = Input(
        f"{path}.end_year",
        names.benchmark_end(k),
        f"{b.label}: to year",
        "year",
        "year",
        b.end_year,
        b.cagr.provenance,
        source,
    )
    stated = b.precision is not None
    precision = Input(
        f"{path}.precision",
        names.benchmark_precision(k),
        f"{b.label}: precision of the quote (±)",
        "%",
        "precision",
        b.precision if b.precision is not None else quoted_precision(b.cagr.value),
        b.cagr.provenance if stated else DEFAULT,
        source if stated else "",
        ""
        if stated
        else "Half a unit of the quoted figure's last digit; type a wider one where the text "
        "says 'around' or 'over'.",
    )
    return Benchmark(b.label, cagr, start, end, precision)


def quoted_precision(value: float) -> float:
    """Half a unit of the last digit of a rate as written in percent: 0.06 ("6%") -> 0.005,
    0.114 ("11.4%") -> 0.0005, 0.1 ("10%") -> 0.005.

    >>> quoted_precision(0.06), quoted_precision(0.114), quoted_precision(0.1)
    (0.005, 0.0005, 0.005)
    """
    text = repr(float(value)).lower()
    if "e" in text:  # 1e-05: digits down to the exponent
        mantissa, exponent = text.split("e")
        places = len(mantissa.partition(".")[2].rstrip("0")) - int(exponent)
    else:
        places = len(text.partition(".")[2].rstrip("0"))
    return float(Decimal(5).scaleb(-max(2, places) - 1))
