"""Formula text for growth: a year rolled forward, phases, mix shift, CAGRs, derived inputs,
and the Analysis sheet's closed forms; each beside its engine twin in :mod:`cmo_xl.model`."""

from __future__ import annotations

from collections.abc import Callable

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Input
from cmo_xl.workbook.formula_text.basics import (
    NOT_AVAILABLE,
    parenthesised,
    plus,
    product_of,
    remainder,
)


def growth(prev: str, rate: str) -> str:
    """Roll a value forward one year.

    >>> growth("C12", "D8")
    'C12*(1+D8)'
    """
    return f"{prev}*(1+{rate})"


def phase_of(year: str) -> str:
    """Phase number of the growth step ending in ``year``: one more than the phases ended before.

    >>> phase_of("D$4")
    'COUNTIF(phase_ends,"<"&D$4)+1'
    """
    return f'COUNTIF({names.PHASE_ENDS},"<"&{year})+1'


def mix_index(weight: str, cagr: str | None, year: str) -> str:
    """Unnormalised mix-shift weight ``w*(1+g)^(t-t0)``; without a CAGR, the weight.

    >>> mix_index("weight_Europe_France", "cagr_Europe_France", "D$4")
    'weight_Europe_France*(1+cagr_Europe_France)^(D$4-base_year)'
    """
    if cagr is None:
        return weight
    return f"{weight}*(1+{cagr})^({year}-{names.BASE_YEAR})"


def grown_share(index: str, parent_start: str, parent_now: str) -> str:
    """The share of a member grown at its own CAGR from its parent's base value: its index
    times the parent's base value over the parent's value now (0 while the parent is 0).

    >>> grown_share("D9", "Regions!$C$12", "Regions!D$12")
    'IF(Regions!D$12=0,0,D9*Regions!$C$12/Regions!D$12)'
    """
    return f"IF({parent_now}=0,0,{index}*{parent_start}/{parent_now})"


def share_of(part: str, whole_range: str) -> str:
    """
    >>> share_of("D9", "D$9:D$13")
    'D9/SUM(D$9:D$13)'
    """
    return f"{part}/SUM({whole_range})"


def growth_on(now: str, before: str) -> str:
    """Growth on the year before; "n/a" from a value of 0 or below (a residual's can be).

    >>> growth_on("D9", "C9")
    'IF(C9>0,D9/C9-1,"n/a")'
    """
    return f'IF({before}>0,{now}/{before}-1,"{NOT_AVAILABLE}")'


def cagr(start: str, end: str, years: str) -> str:
    """Implied CAGR; "n/a" where it is undefined: a start value of 0 or below, a negative end
    value (a residual's can be; LibreOffice would take an odd root of it where Excel fails),
    or no years.

    >>> cagr("C7", "D7", "(D$5-C$5)")
    'IFERROR(IF(AND(C7>0,D7>=0),(D7/C7)^(1/(D$5-C$5))-1,"n/a"),"n/a")'
    """
    na = f'"{NOT_AVAILABLE}"'
    return f"IFERROR(IF(AND({start}>0,{end}>=0),{bare_cagr(start, end, years)},{na}),{na})"


def grow_for(value: str, rate: str, years: str) -> str:
    """``value`` grown at ``rate`` for ``years`` (an expression) in closed form.

    >>> grow_for("C12", "C9", "(phase_end_p1-base_year)")
    'C12*(1+C9)^(phase_end_p1-base_year)'
    """
    return f"{value}*(1+{rate})^{years}"


def weighted(weights: str, values: str) -> str:
    """
    >>> weighted("$C$6:$F$6", "C20:F20")
    'SUMPRODUCT($C$6:$F$6,C20:F20)'
    """
    return f"SUMPRODUCT({weights},{values})"


def case(item: Input, scenario: int, ref: Callable[[Input], str]) -> str:
    """A switched input's value in ``scenario``, as :meth:`Input.case` defines it: its given
    value, a value set, or the given value plus a shift; ``ref`` names each part's cell."""
    base, change = item.case(scenario)
    return plus([ref(part) for part in (base, change) if part is not None])


def default_unless_typed(name: str, default: str) -> str:
    """The input ``name`` follows ``default`` while its cell holds the link to a default; once
    a number is typed over it, the number. The Scenarios sheet needs this: it evaluates
    ``default`` in each scenario, so it cannot simply read the input's own cell.

    ISFORMULA came with Excel 2013, after the file format was fixed, so the file must spell it
    ``_xlfn.ISFORMULA`` or Excel shows #NAME? (XlsxWriter's documentation, "Formulas added in
    Excel 2010 and later"; Microsoft, "Issue: An _xlfn. prefix is displayed in front of a
    formula"). LibreOffice reads that spelling too, and without it returns #NAME?.

    >>> default_unless_typed("cagr_Europe_p2", "C40")
    'IF(_xlfn.ISFORMULA(cagr_Europe_p2),C40,cagr_Europe_p2)'
    """
    return f"IF(_xlfn.ISFORMULA({name}),{default},{name})"


def derived(item: Input, ref: Callable[[Input], str] = lambda i: i.name) -> str:
    """The formula of an input derived from others (see :class:`Derived`), each referred to
    by ``ref`` (its defined name, or its cell where a sheet evaluates it per scenario)."""
    assert item.derived is not None
    of = [ref(i) for i in item.derived.of]
    kind = item.derived.kind
    if kind == "remainder":
        return remainder("1", of)
    if kind == "equal":
        return of[0]
    if kind == "cagr_between":
        start, end, first, last = of
        return bare_cagr(start, end, f"({last}-{first})")
    whole = of[1 : 1 + item.derived.parts]  # value_share: the parent's base value
    rest = of[1 + item.derived.parts :]
    steps = [
        f"(1+{g})^({b}-{a})" for g, a, b in zip(rest[::3], rest[1::3], rest[2::3], strict=True)
    ]
    return f"{of[0]}/{parenthesised(product_of(whole + steps))}"


def closed_world(starts: str, rates: str, years: str, step: str | None = None) -> str:
    """The end-year world in closed form, each driver grown from its value at the forecast
    phase's start; with ``step``, when every driver's CAGR moves by it (the engine's twin:
    ``every`` in :func:`cmo_xl.model.compute.sensitivity.analysis`).

    >>> closed_world("S", "R", "N", "D$9")
    'SUMPRODUCT(S,(1+R+D$9)^N)'
    """
    moved = f"+{step}" if step else ""
    return f"SUMPRODUCT({starts},(1+{rates}{moved})^{years})"


def one_driver_moved(closed: str, start: str, rate: str, step: str, years: str) -> str:
    """The closed-form world when one driver's CAGR moves by ``step`` (the engine's
    ``by_region``).

    >>> one_driver_moved("W", "S", "R", "D$9", "N")
    'W+S*((1+R+D$9)^N-(1+R)^N)'
    """
    return f"{closed}+{start}*((1+{rate}+{step})^{years}-(1+{rate})^{years})"


def scaled(value: str, step: str) -> str:
    """``value`` moved by the relative ``step`` (the engine's ``by_base_value`` and ``grid``).

    >>> scaled("D20", "D$18")
    'D20*(1+D$18)'
    """
    return growth(value, step)  # the same text as a year rolled forward


def swing(low: str, high: str) -> str:
    """
    >>> swing("C5", "D5")
    'ABS(D5-C5)'
    """
    return f"ABS({high}-{low})"


def rank_by_swing(swings: str, above: str, this: str) -> str:
    """``this`` swing's rank in ``swings``, 1 the widest: one more than those wider by more
    than the checks' relative tolerance, and swings within it (a tie: two ways of computing
    the same swing may differ in the last digit) in input order, counted over ``above`` (from
    the first swing to this one). The engine's twin: ``ranks`` in
    :func:`cmo_xl.model.compute.sensitivity.analysis`.

    >>> rank_by_swing("S", "E$5:E7", "E7")  # doctest: +NORMALIZE_WHITESPACE
    'SUMPRODUCT(--(S-E7>check_tolerance*E7))+SUMPRODUCT(--(ABS(E$5:E7-E7)<=check_tolerance*E7))'
    """
    margin = f"{names.CHECK_TOLERANCE}*{this}"
    wider = f"SUMPRODUCT(--({swings}-{this}>{margin}))"
    tied = f"SUMPRODUCT(--(ABS({above}-{this})<={margin}))"
    return f"{wider}+{tied}"


def bare_cagr(start: str, end: str, years: str) -> str:
    """The CAGR from ``start`` to ``end`` with no n/a guard: the native twin a UDF is compared
    with, which fails where the UDF does.

    >>> bare_cagr("S", "E", "(end_year-base_year)")
    '(E/S)^(1/(end_year-base_year))-1'
    """
    return f"({end}/{start})^(1/{years})-1"
