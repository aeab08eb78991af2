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
from cmo_xl.model.spec.qualifiers import HEDGE_UNITS, PLAIN_UNITS, meaning, normal
from cmo_xl.model.spec.schema import (
    AnyInput,
    Market,
    MemberRef,
    MemberValue,
    Spec,
)
from cmo_xl.model.spec.schema import Benchmark as SpecBenchmark
from cmo_xl.model.spec.units import FigureError, percent_text, read_figure, unit_exponent

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
    return Benchmark(
        anchor.label, "value", anchor, None, year, precision, (world,), world, stated=True
    )


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
        out.append(
            Benchmark(
                value.label, "value", value, None, year, precision, (of,), parent, stated=True
            )
        )
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
    said = meaning(b.qualifier)
    assert said is not None  # rules check it
    bound, hedged = said
    high = None
    if b.high is not None:
        label = f"{b.label}: upper end of the range"
        high = given(f"{path}.high", names.benchmark_high(k), label, unit, kind, b.high)
    m = spec.market

    def year(field: str, name: str, label: str, value: int) -> Input:
        # a year outside the timeline is reconciled against the model extended past its ends
        inside = m.base_year <= value <= m.end_year
        return Input(
            f"{path}.{field}", name, f"{b.label}: {label}", "year",
            "year" if inside else "figure_year", value, figure.provenance, source,
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
        HEDGE_UNITS if hedged else PLAIN_UNITS,
    )
    of, parent = series_of(b)
    qualifier = normal(b.qualifier) if b.qualifier is not None else ""
    return Benchmark(b.label, kind, item, start, end, precision, of, parent, bound, qualifier, high)


def _figure(b: SpecBenchmark) -> tuple[FigureKind, AnyInput]:
    if b.cagr is not None:
        return "cagr", b.cagr
    if b.value is not None:
        return "value", b.value
    if b.share is not None:
        return "share", b.share
    raise AssertionError("rules check that a benchmark has a figure")


def series_of(b: SpecBenchmark) -> tuple[tuple[Key, ...], Key]:
    """The series a benchmark is about (one, or a group's members), and the one its share is
    of: the members' parent where they share one, else the world; or the world where the share
    is of the world."""
    if b.members is None:
        found = [member_key(b.region, b.country, b.dimension, b.segment)]
    else:
        found = [_group_member(b, m) for m in b.members]
    of = tuple(key for key, _ in found)
    parents = {parent for _, parent in found}
    parent = parents.pop() if len(parents) == 1 else world_key()
    return of, (world_key() if b.share_of == "world" else parent)


def _group_member(b: SpecBenchmark, m: str | MemberRef) -> tuple[Key, Key]:
    """A group's member: named in full, or by name among the benchmark's dimension's segments
    (in its region), its region's countries, or the regions."""
    if isinstance(m, MemberRef):
        return member_key(m.region, m.country, m.dimension, m.segment)
    if b.dimension is not None:
        return member_key(b.region, None, b.dimension, m)
    if b.region is not None:
        return member_key(b.region, m, None, None)
    return member_key(m, None, None, None)


def member_key(
    region: str | None, country: str | None, dimension: str | None, segment: str | None
) -> tuple[Key, Key]:
    """The series a member's fields name, and its parent's: the world's (itself its parent),
    a region's, a country's in its region, a segment's in a region or over the world."""
    if dimension is not None and segment is not None:
        parent = world_key() if region is None else region_key(region)
        return segment_key(dimension, segment, region), parent
    if region is not None and country is not None:
        return country_key(region, country), region_key(region)
    if region is not None:
        return region_key(region), world_key()
    return world_key(), world_key()


def _precision(
    path: str,
    name: str,
    label: str,
    kind: str,
    figure: AnyInput,
    stated: float | None,
    market: Market,
    units: float = PLAIN_UNITS,
) -> Input:
    """The precision of a figure's quote: as stated, or ``units`` units of its last digit as
    written (half a unit for a plain figure, a whole one after a hedge)."""
    value, provenance, source = figure.value, figure.provenance, figure.source or ""
    unit = market.unit
    computed = 0.0
    if stated is None:
        half = (
            quoted_precision(value, figure.quoted)
            if kind != "value"
            else written_precision(figure.quoted, unit, market.decimal_mark)
            or value_precision(value)
        )
        computed = float(Decimal(repr(half)) * Decimal(repr(units / PLAIN_UNITS)))
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


def quoted_precision(value: float, quoted: str = "") -> float:
    """Half a unit of the last digit of a rate as written in percent: 0.06 ("6%") -> 0.005,
    0.114 ("11.4%") -> 0.0005, 0.1 ("10%") -> 0.005; written as text, its own digits count,
    trailing zeros too ("19.80%" -> 0.00005).

    >>> quoted_precision(0.06), quoted_precision(0.114), quoted_precision(0.1)
    (0.005, 0.0005, 0.005)
    >>> quoted_precision(0.198, "19.80%")
    5e-05
    """
    number = percent_text(quoted)
    places = -int(number.as_tuple().exponent) if number is not None else _places(value)
    return float(Decimal(5).scaleb(-max(2, places) - 1))


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


def quote_places(b: Benchmark, upper: bool = False) -> int:
    """The decimals a figure was quoted with (of a percentage, for a rate), so that it prints
    as written: the digits of its text ("19.80%": 2), else those of the number, or more where a
    stated precision is half a unit of a finer digit (19.8 with precision 0.005: 2).

    >>> from cmo_xl.model.resolution.resolved import Input, world_key
    >>> def quoted(value, text="", precision=None, kind="cagr"):
    ...     figure = Input("", "f", "", "%", kind, value, "analyst", quoted=text)
    ...     said = "analyst" if precision else DEFAULT
    ...     p = Input("", "p", "", "%", "precision", precision or 0.0, said)
    ...     w = world_key()
    ...     return quote_places(Benchmark("", kind, figure, None, figure, p, (w,), w))
    >>> quoted(0.0558), quoted(0.198, "19.80%"), quoted(19.8, "", 0.005, "value"), quoted(0.07)
    (2, 2, 2, 0)
    """
    item = b.high if upper and b.high is not None else b.figure  # a range's upper end
    rate = b.kind != "value"
    shift = 2 if rate else 0  # a rate is written in percent
    number = percent_text(item.quoted) if rate else _plain_number(item.quoted)
    places = (
        -int(number.as_tuple().exponent) - shift
        if number is not None
        else _places(item.value) - shift
    )
    if b.precision.provenance != DEFAULT and b.precision.value > 0:
        unit = Decimal(repr(b.precision.value)) * 2  # a half unit of the last digit
        if unit == Decimal(1).scaleb(unit.adjusted()):
            places = max(places, -unit.adjusted() - shift)
    return min(max(0, places), MAX_QUOTE_PLACES)


#: Decimals a quote prints with at most: more than any report writes (a subnormal number
#: typed as a figure would otherwise ask TEXT() for hundreds).
MAX_QUOTE_PLACES = 10


def _plain_number(quoted: str) -> Decimal | None:
    """A value written as a plain number in the model's unit ("19.80"), else None."""
    try:
        figure = read_figure(quoted)
    except FigureError:
        return None
    return figure.number if figure.exponent is None else None


def _places(value: float) -> int:
    """Decimal places of ``value`` as Python writes it, down to an exponent's."""
    text = repr(float(value)).lower()
    if "e" in text:  # 1e-05: digits down to the exponent
        mantissa, exponent = text.split("e")
        return len(mantissa.partition(".")[2].rstrip("0")) - int(exponent)
    return len(text.partition(".")[2].rstrip("0"))
