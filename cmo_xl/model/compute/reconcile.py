"""Reconciliation: each figure the report states beside the model's number for it, and its
status, computed as the Reconciliation sheet's formulas compute them.

A reported figure is a value or a share in a year, or a CAGR over a span, of one series or of a
group of members (whose values add). Its year may lie outside the timeline: the model is then
extended past its last year at the series' growth in that year, and back before its first at
the growth in its first step (for the world, a year the report states as history reads that).

The truth behind a quote lies in an interval: the figure ± its precision, or only above (a
lower bound, "more than"), only below (an upper bound, "under"), or between two ends. The
model's number has an interval too where it is read from figures the model is built from
(the market's stated values, a member's stated value): a value in such a year moves with that
figure's rounding, a share with its part's and its whole's, a CAGR of one series with its two
ends' where both are stated (the closed form
``[((v1-p1)/(v0+p0))^(1/n)-1, ((v1+p1)/(v0-p0))^(1/n)-1]``, or, for the market growing at a
phase CAGR derived from two values, over any span inside that phase; a series stated in one year
only scales with that figure, so its CAGR does not move). Each of these is
monotone in each figure, so the corners of the precisions give its extremes. A share moves
with its whole's rounding only where its part is a stated figure too: a part the model computes
as a share of the whole moves with the whole. The figure is
``within rounding`` (``within bound``) when the two intervals meet, ``conflict`` when they do not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cmo_xl.model.compute.verdicts import BOUNDED, CONFLICT, MATCHED, ROUNDED
from cmo_xl.model.growth import implied_cagr, spreadsheet_sub
from cmo_xl.model.resolution.resolved import Benchmark, Key, Model, world_key

#: What the Rounding column says before the stated figures it also allows for.
THE_QUOTE = "the quote"


@dataclass(frozen=True)
class BenchmarkComparison:
    """A reported figure beside the model's live value for it."""

    label: str
    kind: str  # cagr, value or share
    start_year: int | None  # a CAGR's first year
    year: int  # a CAGR's last year; the year of a value or share
    reported: float
    #: The model's number: the implied CAGR, the value or the share of the series.
    model: float
    precision: float  # how far the truth may lie from the reported figure
    tolerance: float  # the checks' relative tolerance
    bound: str  # see :mod:`cmo_xl.model.spec.qualifiers`
    high: float | None  # the upper end of a range
    #: The model's number at the corners of the rounding of the stated figures it is read from.
    model_low: float
    model_high: float
    at_start: float | None  # a CAGR's series value in its first year
    at_end: float  # the series' value in the (last) year
    whole: float | None  # a share's whole in its year
    rounding: str  # whose rounding the status allows for

    @property
    def difference(self) -> float:
        """Model minus reported, as the sheet subtracts."""
        return spreadsheet_sub(self.model, self.reported)

    @property
    def status(self) -> str:
        """Matched, within the rounding (or the bound) of the quote, or a conflict; as the
        sheet's formula (:func:`cmo_xl.workbook.formula_text.reconciled`) says, step by step."""
        # the checks' tolerance widens every edge, so that a figure on its rounding edge
        # (264.15 quoted as 264.1) falls the same side in every engine
        margin = self.tolerance * abs(self.reported)
        low, high = self.model_low, self.model_high
        if any(math.isnan(x) for x in (self.model, self.difference, low, high)):
            return CONFLICT
        top = self.high if self.bound == "between" and self.high is not None else self.reported
        below = high < self.reported - self.precision - margin  # the model lies below the truth
        above = low > top + self.precision + margin  # the model lies above it
        if self.bound == "point":
            index = 1 + (abs(self.difference) > margin) + (below or above)
            options: tuple[str, ...] = (MATCHED, ROUNDED, CONFLICT)
        else:
            tests = {"lower": (below,), "upper": (above,), "between": (below, above)}[self.bound]
            index, options = 1 + any(tests), (BOUNDED, CONFLICT)
        return options[index - 1] if index <= len(options) else CONFLICT


def market_phases(model: Model, b: Benchmark) -> list[tuple[Benchmark, Benchmark]]:
    """For a reported CAGR of the market where the market grows at its phase CAGRs (a residual
    region takes what the others leave): each phase whose CAGR is derived from two stated market
    values, as those two stated figures. Over any span inside such a phase the market's CAGR is
    the phase's, so it moves with both values' rounding, whichever years the span ends in."""
    if b.stated or b.start is None or b.of != (world_key(),) or not model.anchored:
        return []
    stated = {s.figure.name: s for s in model.benchmarks if s.stated and s.of == (world_key(),)}
    out = []
    for p in model.phases:
        derived = p.cagr.derived
        if derived is not None and derived.kind == "cagr_between":
            first, last = (stated.get(v.name) for v in derived.of[:2])
            if first is not None and last is not None:
                out.append((first, last))
    return out


def _within(ends: tuple[Benchmark, Benchmark], start: int, end: int) -> bool:
    """Whether ``start``..``end`` lies between the years of two stated figures."""
    return ends[0].end.value <= start and end <= ends[1].end.value


def stated_for(model: Model, keys: Sequence[Key]) -> list[Benchmark]:
    """The figures the model is built from whose series is one of ``keys``, in the sheet's
    order: a figure read from those series in one of their years moves with their rounding."""
    return [s for key in keys for s in model.benchmarks if s.stated and s.of == (key,)]


def at_year(
    values: dict[Key, list[float]], history: dict[int, float], model: Model, key: Key, year: int
) -> float:
    """Series ``key`` in ``year``, extended past the timeline as the sheet extends it."""
    series, first = values[key], model.years[0]
    last = first + len(series) - 1
    try:
        if first <= year <= last:
            return series[year - first]
        if key == world_key() and year in history:
            return history[year]
        if year > last:
            return float(series[-1] * (series[-1] / series[-2]) ** (year - last))
        return float(series[0] / (series[1] / series[0]) ** (first - year))
    except (ZeroDivisionError, OverflowError):
        return math.nan


def compare(
    model: Model, values: dict[Key, list[float]], history: dict[int, float]
) -> list[BenchmarkComparison]:
    """Every reported figure beside the model's number for it."""
    return [_compare(model, values, history, b) for b in model.benchmarks]


def _compare(
    model: Model, values: dict[Key, list[float]], history: dict[int, float], b: Benchmark
) -> BenchmarkComparison:
    def total(keys: Sequence[Key], year: int) -> float:
        return sum((at_year(values, history, model, k, year) for k in keys), 0.0)

    def rounding(keys: Sequence[Key], year: int) -> float:
        """The stated figures' precision in ``year``, as the sheet's sum of IFs adds it."""
        if b.stated:
            return 0.0
        stated = stated_for(model, keys)
        return sum((s.precision.value if s.end.value == year else 0.0 for s in stated), 0.0)

    end = int(b.end.value)
    start = int(b.start.value) if b.start is not None else None
    at_end, p_end = total(b.of, end), rounding(b.of, end)
    at_start = whole = phase = None
    applies = p_end > 0  # whether a stated figure's rounding moves the model's number
    if start is not None:
        at_start, p_start = total(b.of, start), rounding(b.of, start)
        # a CAGR moves with the rounding of two stated figures of one series, one at each end;
        # a series stated in one year only scales with that figure, so its CAGR does not move
        applies = len(b.of) == 1 and p_start > 0 and p_end > 0
        p_start, p_end = applies * p_start, applies * p_end
        span = end - start
        number = implied_cagr(at_start, at_end, span)
        low = implied_cagr(at_start + p_start, at_end - p_end, span)
        high = implied_cagr(at_start - p_start, at_end + p_end, span)
        phase = next((ends for ends in market_phases(model, b) if _within(ends, start, end)), None)
        if phase is not None:  # the market's CAGR there is the phase's, read from two values
            first, last = phase
            years = last.end.value - first.end.value
            low, high = (
                implied_cagr(first.figure.value + sign * first.precision.value,
                             last.figure.value - sign * last.precision.value, years)
                for sign in (1.0, -1.0)
            )  # fmt: skip
            applies = False  # the ends' own rounding is not what moves it
    elif b.kind == "share":
        # the whole's rounding moves the share only where the part is a stated figure too:
        # a part the model computes as a share of that whole moves with it
        whole, p_whole = total((b.parent,), end), (p_end > 0) * rounding((b.parent,), end)
        number = _divided(at_end, whole)
        low = _divided(at_end - p_end, whole + p_whole)
        high = _divided(at_end + p_end, whole - p_whole)
    else:
        number, low, high = at_end, at_end - p_end, at_end + p_end
    used = [] if b.stated else _used(model, b, start, end, applies)
    if phase is not None:
        used = [stated_label(s) for s in phase]
    return BenchmarkComparison(
        b.label,
        b.kind,
        start,
        end,
        b.figure.value,
        number,
        b.precision.value,
        model.tolerance,
        b.bound,
        b.high.value if b.high is not None else None,
        low,
        high,
        at_start,
        at_end,
        whole,
        ", ".join([THE_QUOTE, *used]),
    )


def _used(model: Model, b: Benchmark, start: int | None, end: int, applies: bool) -> list[str]:
    """The stated figures whose rounding the status allows for, by their labels: its parts'
    in its years (a CAGR's only where ``applies``: one at each end), then, for a share whose
    part's rounding ``applies``, its whole's."""
    found = [s for s in stated_for(model, b.of) if s.end.value in (start, end)]
    if start is not None and not applies:
        found = []
    if b.kind == "share" and applies:
        found += [s for s in stated_for(model, (b.parent,)) if s.end.value == end]
    return [stated_label(s) for s in found]


def stated_label(s: Benchmark) -> str:
    """How the Rounding column names a stated figure: "Market value in 2024"."""
    return s.label.removesuffix(" (as reported)")


def _divided(part: float, whole: float) -> float:
    return part / whole if whole and not math.isnan(whole) else math.nan
