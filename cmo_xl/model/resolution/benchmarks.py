"""Resolving reported figures: the market values a report states (anchors) and the figures
the spec lists as benchmarks, each with the precision of its quote and the series it is about.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import (
    DEFAULT,
    STRUCTURE,
    Benchmark,
    Dimension,
    FigureKind,
    Input,
    Key,
    Region,
    country_key,
    given,
    region_key,
    segment_key,
    world_key,
)
from cmo_xl.model.spec.schema import AnyInput, Market, MemberValue, Spec, ValueInput
from cmo_xl.model.spec.schema import Benchmark as SpecBenchmark
from cmo_xl.model.spec.units import FigureError, read_figure, unit_exponent

PRECISION_NOTE = (
    "Half a unit of the quoted figure's last digit; type a wider one where the text says "
    "'around' or 'over'."
)


def resolve_anchor(k: int, spec: Spec) -> Input:
    """Market value ``k`` as the report states it."""
    v = spec.market.values[k]
    label = f"Market value in {v.year} (as reported)"
    return given(
        f"market.values[{k}]", names.market_value(v.year), label, spec.market.unit, "value", v
    )


def anchor_year(k: int, spec: Spec) -> Input:
    """The year of market value ``k``, fixed when the workbook is built."""
    v = spec.market.values[k]
    return Input(
        f"market.values[{k}].year",
        names.market_value_year(v.year),
        f"Market value in {v.year}: its year",
        "year",
        "fixed_year",
        v.year,
        STRUCTURE,
        note="Fixed when the workbook is built: change it in the spec and rebuild.",
    )


def anchor_benchmark(k: int, spec: Spec, anchor: Input, year: Input) -> Benchmark:
    """Market value ``k`` as a reported figure: the model must reproduce it."""
    v = spec.market.values[k]
    precision = _precision(
        f"market.values[{k}].precision",
        names.market_value_precision(v.year),
        f"Market value in {v.year}",
        "value",
        v,
        v.precision,
        spec.market,
    )
    world = world_key()
    return Benchmark(anchor.label, "value", anchor, None, year, precision, world, world)


def stated_benchmarks(
    spec: Spec, regions: tuple[Region, ...], dimensions: tuple[Dimension, ...]
) -> list[Benchmark]:
    """Every member value the report states as a reported figure, so that Reconciliation
    shows it reproduced: a region's, a country's in its region, a segment's over the world."""
    unit = spec.market.unit
    shares: list[tuple[Input, Key, Key]] = []
    for r in regions:
        shares.append((r.share, region_key(r.name), world_key()))
        shares += [(c.weight, country_key(r.name, c.name), region_key(r.name)) for c in r.countries]
    for d in dimensions:
        shares += [
            (share, segment_key(d.name, name), world_key())
            for name, share in zip(d.segments, d.shares, strict=True)
        ]
    out = []
    for share, of, parent in shares:
        if share.derived is None or share.derived.kind != "value_share":
            continue
        value, year = share.derived.stated
        stated = _member_value(spec, value.path).precision
        precision = Input(
            f"{value.path}.precision",
            f"{value.name}_precision",
            f"{value.label.removesuffix(' (as reported)')}: precision of the quote (±)",
            unit,
            "value_precision",
            stated
            or written_precision(value.quoted, unit, spec.market.decimal_mark)
            or value_precision(value.value),
            value.provenance if stated else DEFAULT,
            note="" if stated else PRECISION_NOTE,
        )
        out.append(Benchmark(value.label, "value", value, None, year, precision, of, parent))
    return out


def _member_value(spec: Spec, path: str) -> MemberValue:
    """The stated value at ``path`` ("regions[0].countries[1].value")."""
    node: object = spec
    for name, index in re.findall(r"([a-z_]+)|\[(\d+)\]", path):
        node = getattr(node, name) if name else node[int(index)]  # type: ignore[index]
    assert isinstance(node, MemberValue)
    return node


def resolve_benchmark(i: int, spec: Spec) -> Benchmark:
    """Benchmark ``i``: its figure, years, the precision of its quote and its series."""
    b = spec.benchmarks[i]
    k, path = i + 1, f"benchmarks[{i}]"
    kind, figure = _figure(b)
    source = figure.source or ""
    unit = {"cagr": "%", "share": "%", "value": spec.market.unit}[kind]
    item = given(
        f"{path}.{kind}", names.benchmark_figure(kind, k), f"{b.label}: {kind}", unit, kind, figure
    )

    def year(field: str, name: str, label: str, value: int) -> Input:
        return Input(
            f"{path}.{field}", name, f"{b.label}: {label}", "year", "year", value,
            figure.provenance, source,
        )  # fmt: skip

    if kind == "cagr":
        assert b.start_year is not None and b.end_year is not None  # rules check it
        start: Input | None = year(
            "start_year", names.benchmark_start(k), "from year", b.start_year
        )
        end = year("end_year", names.benchmark_end(k), "to year", b.end_year)
    else:
        assert b.year is not None
        start, end = None, year("year", names.benchmark_year(k), "year", b.year)
    precision = _precision(
        f"{path}.precision",
        names.benchmark_precision(k),
        b.label,
        kind,
        figure,
        b.precision,
        spec.market,
    )
    of, parent = series_of(b)
    return Benchmark(b.label, kind, item, start, end, precision, of, parent)


def _figure(b: SpecBenchmark) -> tuple[FigureKind, AnyInput]:
    if b.cagr is not None:
        return "cagr", b.cagr
    if b.value is not None:
        return "value", b.value
    if b.share is not None:
        return "share", b.share
    raise AssertionError("rules check that a benchmark has a figure")


def series_of(b: SpecBenchmark) -> tuple[Key, Key]:
    """The series a benchmark is about, and the one its share is of."""
    if b.segment is not None and b.dimension is not None:
        if b.region is None:
            return segment_key(b.dimension, b.segment), world_key()
        return segment_key(b.dimension, b.segment, b.region), region_key(b.region)
    if b.region is not None and b.country is not None:
        return country_key(b.region, b.country), region_key(b.region)
    if b.region is not None:
        return region_key(b.region), world_key()
    return world_key(), world_key()


def _precision(
    path: str,
    name: str,
    label: str,
    kind: str,
    figure: AnyInput,
    stated: float | None,
    market: Market,
) -> Input:
    value, provenance, source = figure.value, figure.provenance, figure.source or ""
    unit = market.unit
    computed = 0.0
    if stated is None:
        quoted = figure.quoted if isinstance(figure, ValueInput) else ""
        computed = (
            quoted_precision(value)
            if kind != "value"
            else written_precision(quoted, unit, market.decimal_mark) or value_precision(value)
        )
    return Input(
        path,
        name,
        f"{label}: precision of the quote (±)",
        "%" if kind != "value" else unit,
        "precision" if kind != "value" else "value_precision",
        stated if stated is not None else computed,
        provenance if stated is not None else DEFAULT,
        source if stated is not None else "",
        "" if stated is not None else PRECISION_NOTE,
    )


def quoted_precision(value: float) -> float:
    """Half a unit of the last digit of a rate as written in percent: 0.06 ("6%") -> 0.005,
    0.114 ("11.4%") -> 0.0005, 0.1 ("10%") -> 0.005.

    >>> quoted_precision(0.06), quoted_precision(0.114), quoted_precision(0.1)
    (0.005, 0.0005, 0.005)
    """
    return float(Decimal(5).scaleb(-max(2, _places(value)) - 1))


def value_precision(value: float) -> float:
    """Half a unit of the last digit of a value as written: 264.1 -> 0.05, 73 -> 0.5.

    >>> value_precision(264.1), value_precision(73.0), value_precision(0.35)
    (0.05, 0.5, 0.005)
    """
    return float(Decimal(5).scaleb(-_places(value) - 1))


def written_precision(quoted: str, unit: str, decimal_mark: str = ".") -> float | None:
    """Half a unit of the last digit of a figure written in its own scale, in the model's
    unit (read by the spec's decimal mark): "1.6 trillion" in USD bn -> 50; None when
    nothing was converted.

    >>> written_precision("1.6 trillion (= 1,600 USD bn)", "USD bn")
    50.0
    >>> written_precision("1,5 billion (= 1,500 EUR m)", "EUR m", ",")
    50.0
    """
    if not quoted:
        return None
    try:
        figure = read_figure(quoted.partition(" (= ")[0], decimal_mark)
    except FigureError:
        return None
    exponent = unit_exponent(unit)
    shift = (exponent if figure.exponent is None else figure.exponent) - exponent
    return float(Decimal(5).scaleb(-figure.places - 1 + shift))


def _places(value: float) -> int:
    """Decimal places of ``value`` as Python writes it, down to an exponent's."""
    text = repr(float(value)).lower()
    if "e" in text:  # 1e-05: digits down to the exponent
        mantissa, exponent = text.split("e")
        return len(mantissa.partition(".")[2].rstrip("0")) - int(exponent)
    return len(text.partition(".")[2].rstrip("0"))
