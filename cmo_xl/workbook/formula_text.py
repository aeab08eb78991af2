"""Formula text, produced by small named functions so it can be unit-tested as strings.

Each returns an expression without the leading ``=``; sheet builders add it. None of them uses
volatile or fragile functions (OFFSET, INDIRECT, TODAY, NOW, RAND), nested IFs or dynamic arrays,
so the same text computes in Excel 2013+ (ISFORMULA) and LibreOffice 7.4.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from cmo_xl.model import names
from cmo_xl.model.resolved import Input
from cmo_xl.model.verdicts import FAIL, PASS

#: What a formula shows where a number is undefined (growth from 0, a CAGR from a negative
#: start), and what the plan caches there: one text, so the two cannot drift.
NOT_AVAILABLE = "n/a"


def cached_or_not_available(value: float) -> float | str:
    """The engine's number as a cell caches it: NaN is :data:`NOT_AVAILABLE`.

    >>> cached_or_not_available(float("nan")), cached_or_not_available(0.5)
    ('n/a', 0.5)
    """
    return NOT_AVAILABLE if math.isnan(value) else value


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


def pick(range_name: str, position: str) -> str:
    """Item ``position`` (1-based) of a one-dimensional range.

    >>> pick("cagrs_Europe", "D$5")
    'INDEX(cagrs_Europe,D$5)'
    """
    return f"INDEX({range_name},{position})"


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


def product(a: str, b: str) -> str:
    return f"{a}*{b}"


def total(range_: str) -> str:
    return f"SUM({range_})"


def plus(refs: list[str]) -> str:
    """
    >>> plus(["C20", "C35"])
    'C20+C35'
    """
    return "+".join(refs)


def remainder(whole: str, parts: list[str]) -> str:
    """What ``parts`` leave of ``whole``: a residual's share or value.

    >>> remainder("1", ["a", "b"]), remainder("C9", []), remainder("C9", ["SUM(C4:C6)"])
    ('1-(a+b)', 'C9', 'C9-SUM(C4:C6)')
    """
    if not parts:
        return whole
    return f"{whole}-{parts[0]}" if len(parts) == 1 else f"{whole}-({plus(parts)})"


def parenthesised_sum(refs: list[str]) -> str:
    """``refs`` added, in parentheses when there is more than one.

    >>> parenthesised_sum(["C5", "C6"]), parenthesised_sum(["C5"])
    ('(C5+C6)', 'C5')
    """
    return f"({plus(refs)})" if len(refs) > 1 else plus(refs)


def growth_on(now: str, before: str) -> str:
    """Growth on the year before; "n/a" from a value of 0 or below (a residual's can be).

    >>> growth_on("D9", "C9")
    'IF(C9>0,D9/C9-1,"n/a")'
    """
    return f'IF({before}>0,{now}/{before}-1,"{NOT_AVAILABLE}")'


def at_year(row_range: str, years_range: str, year: str) -> str:
    """The value in ``row_range`` under ``year`` in ``years_range`` (exact match).

    >>> at_year("world_values", "timeline_years", "C$5")
    'INDEX(world_values,MATCH(C$5,timeline_years,0))'
    """
    return f"INDEX({row_range},MATCH({year},{years_range},0))"


def text(literal: str) -> str:
    """A text constant, its double quotes doubled as Excel wants.

    >>> text('The "A" team')
    '"The ""A"" team"'
    """
    return '"' + literal.replace('"', '""') + '"'


def as_text(value: str, number_format: str) -> str:
    """A number as text in a number format, e.g. a percentage with two decimals.

    >>> as_text("Summary!$F$40", "0.00%")
    'TEXT(Summary!$F$40,"0.00%")'
    """
    return f"TEXT({value},{text(number_format)})"


def concat(parts: list[str]) -> str:
    """Join formula parts (text constants, names, references) into one text with ``&``.

    >>> concat([text("Phase 2 ("), "phase_end_p1", text("-"), "phase_end_p2", text(")")])
    '"Phase 2 ("&phase_end_p1&"-"&phase_end_p2&")"'
    """
    return "&".join(parts)


def first_of(row_range: str) -> str:
    """The first cell of a one-row range.

    >>> first_of("Countries!$C$9:$M$9")
    'INDEX(Countries!$C$9:$M$9,1)'
    """
    return f"INDEX({row_range},1)"


def last_of(row_range: str) -> str:
    """The last cell of a one-row range.

    >>> last_of("Countries!$C$9:$M$9")
    'INDEX(Countries!$C$9:$M$9,COLUMNS(Countries!$C$9:$M$9))'
    """
    return f"INDEX({row_range},COLUMNS({row_range}))"


def cagr(start: str, end: str, years: str) -> str:
    """Implied CAGR; "n/a" where it is undefined: a start value of 0 or below, a negative end
    value (a residual's can be; LibreOffice would take an odd root of it where Excel fails),
    or no years.

    >>> cagr("C7", "D7", "(D$5-C$5)")
    'IFERROR(IF(AND(C7>0,D7>=0),(D7/C7)^(1/(D$5-C$5))-1,"n/a"),"n/a")'
    """
    na = f'"{NOT_AVAILABLE}"'
    return f"IFERROR(IF(AND({start}>0,{end}>=0),({end}/{start})^(1/{years})-1,{na}),{na})"


def later_of(a: str, b: str) -> str:
    """
    >>> later_of("C5", "base_year")
    'MAX(C5,base_year)'
    """
    return f"MAX({a},{b})"


def ratio(part: str, whole: str) -> str:
    return f"{part}/{whole}"


def abs_gap(a: str, b: str) -> str:
    """Sum of absolute differences of two equal-sized ranges (or cells).

    >>> abs_gap("Countries!C9:M9", "Regions!C12:M12")
    'SUMPRODUCT(ABS(Countries!C9:M9-Regions!C12:M12))'
    """
    return f"SUMPRODUCT(ABS({a}-{b}))"


def error_count(range_: str) -> str:
    """
    >>> error_count("Regions!A1:M20")
    'SUMPRODUCT(--ISERROR(Regions!A1:M20))'
    """
    return f"SUMPRODUCT(--ISERROR({range_}))"


def formulas_missing(ranges: list[str]) -> str:
    """How many cells of ``ranges``, where formulas were written, are no longer formulas (a
    number typed over one, even the number it showed, a cleared cell, a pasted value).

    ISFORMULA came with Excel 2013 and is stored with the ``_xlfn.`` prefix of the functions
    newer than the file format (Microsoft, [MS-XLSX] 2.2.2 "Formulas"; rust_xlsxwriter's
    "future functions" example writes ISFORMULA so, and without the prefix LibreOffice shows
    #NAME?). Over a range inside SUMPRODUCT both Excel and LibreOffice give one value a cell.

    >>> formulas_missing(["Regions!$C$16:$M$16"])
    'SUMPRODUCT(1-_xlfn.ISFORMULA(Regions!$C$16:$M$16))'
    """
    return "+".join(f"SUMPRODUCT(1-_xlfn.ISFORMULA({r}))" for r in ranges)


def not_formula(ref: str) -> str:
    """1 when the cell ``ref`` no longer holds a formula, else 0 (see :func:`formulas_missing`).

    >>> not_formula("cagr_AsiaPacific_p2")
    '1-_xlfn.ISFORMULA(cagr_AsiaPacific_p2)'
    """
    return f"1-_xlfn.ISFORMULA({ref})"


def first_flagged(count: str, texts: str, flags: str, none: str, where: str) -> str:
    """The text beside the first flag raised in ``flags`` (1s and 0s), after how many are
    raised when more than one is (first, so that a cut line still says it); ``none`` when
    ``count`` is 0. INDEX and MATCH, which every Excel computes (not TEXTJOIN, which Excel
    2016 lacks); REPT once or not at all, so no IF nests.

    >>> first_flagged("n", "T", "F", "None", "on Checks")
    'IF(n=0,"None",REPT(n&" (on Checks); the first: ",--(n>1))&INDEX(T,MATCH(1,F,0)))'
    """
    more = f'REPT({count}&" ({where}); the first: ",--({count}>1))'
    return f"IF({count}=0,{text(none)},{more}&INDEX({texts},MATCH(1,{flags},0)))"


def flag(value: str, tolerance: str) -> str:
    """1 when ``|value|`` exceeds ``tolerance`` or is an error, else 0.

    >>> flag("C6", "D6")
    'IFERROR(--(ABS(C6)>D6),1)'
    """
    return f"IFERROR(--(ABS({value})>{tolerance}),1)"


def status(flag_sum: str, failed: str = FAIL) -> str:
    """OK when no flag is raised, else ``failed`` (ERROR, or WARN for a warning).

    >>> status("E6")
    'IF(E6=0,"OK","ERROR")'
    """
    return f"IF({flag_sum}=0,{text(PASS)},{text(failed)})"


def count_if_equal(range_: str, text: str) -> str:
    return f'COUNTIF({range_},"{text}")'


def choose(index: str, options: list[str]) -> str:
    """Option number ``index`` (from 1) of ``options``.

    >>> choose("scenario_index", ["market_cagr_p2_given", "market_cagr_p2_Upside"])
    'CHOOSE(scenario_index,market_cagr_p2_given,market_cagr_p2_Upside)'
    """
    return f"CHOOSE({index},{','.join(options)})"


def position(text_ref: str, list_range: str) -> str:
    """Where ``text_ref`` stands in ``list_range`` (from 1; exact match, ignoring case).

    >>> position("scenario", "scenario_names")
    'MATCH(scenario,scenario_names,0)'
    """
    return f"MATCH({text_ref},{list_range},0)"


def column_number(first: str, here: str) -> str:
    """1 in the column of ``first``, 2 in the next, and so on; ``first`` absolute.

    >>> column_number("$C$5", "D5")
    'COLUMNS($C$5:D5)'
    """
    return f"COLUMNS({first}:{here})"


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
        return f"({end}/{start})^(1/({last}-{first}))-1"
    whole = of[1 : 1 + item.derived.parts]  # value_share: the parent's base value
    rest = of[1 + item.derived.parts :]
    steps = [
        f"(1+{g})^({b}-{a})" for g, a, b in zip(rest[::3], rest[1::3], rest[2::3], strict=True)
    ]
    return f"{of[0]}/{parenthesised(product_of(whole + steps))}"


def product_of(terms: list[str]) -> str:
    """
    >>> product_of(["a", "b"])
    'a*b'
    """
    return "*".join(terms)


def parenthesised(text: str) -> str:
    return f"({text})"


def or_not_available(expression: str) -> str:
    """``expression``, or :data:`NOT_AVAILABLE` where it is an error (a share of a world of 0,
    a difference from an n/a); the engine's twin is a NaN, cached by
    :func:`cached_or_not_available`.

    >>> or_not_available("C5/C9")
    'IFERROR(C5/C9,"n/a")'
    """
    return f"IFERROR({expression},{text(NOT_AVAILABLE)})"


def reconciled(difference: str, reported: str, precision: str, words: list[str]) -> str:
    """A reported figure's status: ``words[0]`` (matched) within the checks' tolerance of
    ``reported``, ``words[1]`` (within rounding) within ``precision`` more, else (and where
    the difference is n/a) ``words[2]``; as :attr:`cmo_xl.model.engine.Benchmark.status` says.

    >>> reconciled("H5", "E5", "F5", ["m", "r", "c"])  # doctest: +NORMALIZE_WHITESPACE
    'IFERROR(CHOOSE(1+(ABS(H5)>check_tolerance*ABS(E5))+(ABS(H5)>F5+check_tolerance*ABS(E5)),\
"m","r","c"),"c")'
    """
    gap = f"ABS({difference})"
    margin = f"{names.CHECK_TOLERANCE}*ABS({reported})"
    index = f"1+({gap}>{margin})+({gap}>{precision}+{margin})"
    options = [text(word) for word in words]
    return f"IFERROR({choose(index, options)},{options[-1]})"


def closed_world(starts: str, rates: str, years: str, step: str | None = None) -> str:
    """The end-year world in closed form, each driver grown from its value at the forecast
    phase's start; with ``step``, when every driver's CAGR moves by it (the engine's twin:
    ``every`` in :func:`cmo_xl.model.sensitivity.analysis`).

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
    return f"{value}*(1+{step})"


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
    :func:`cmo_xl.model.sensitivity.analysis`.

    >>> rank_by_swing("S", "E$5:E7", "E7")  # doctest: +NORMALIZE_WHITESPACE
    'SUMPRODUCT(--(S-E7>check_tolerance*E7))+SUMPRODUCT(--(ABS(E$5:E7-E7)<=check_tolerance*E7))'
    """
    margin = f"{names.CHECK_TOLERANCE}*{this}"
    wider = f"SUMPRODUCT(--({swings}-{this}>{margin}))"
    tied = f"SUMPRODUCT(--(ABS({above}-{this})<={margin}))"
    return f"{wider}+{tied}"


def looked_up(column: str, key: str, keys: str) -> str:
    """The item of ``column`` in the row where ``keys`` holds ``key`` (exactly).

    >>> looked_up("A5:A9", "B12", "B5:B9")
    'INDEX(A5:A9,MATCH(B12,B5:B9,0))'
    """
    return pick(column, position(key, keys))


def minus(a: str, b: str) -> str:
    """
    >>> minus("D12", "closed")
    'D12-closed'
    """
    return f"{a}-{b}"


def years_below(values: str, parent: str) -> str:
    """How many years of the row ``values`` fall below 0 by more than the checks' tolerance of
    ``parent`` (a residual's check; the engine's twin:
    :func:`cmo_xl.model.checks.residual_checks`).

    >>> years_below("V", "W")
    'SUMPRODUCT(--(V<-check_tolerance*W))'
    """
    return f"SUMPRODUCT(--({values}<-{names.CHECK_TOLERANCE}*{parent}))"


def first_year_below(values: str, parent: str) -> str:
    """The first year in which ``values`` is below 0 (as :func:`years_below` judges it): the
    years it is not are pushed past the last (each year plus the last is later than any), so
    no constant but 0 and 1 is needed.

    >>> first_year_below("V", "W")
    'SUMPRODUCT(MIN(timeline_years+(V>=-check_tolerance*W)*MAX(timeline_years)))'
    """
    floor = f"-{names.CHECK_TOLERANCE}*{parent}"
    return f"SUMPRODUCT(MIN({names.YEARS}+({values}>={floor})*MAX({names.YEARS})))"


def magnitude(area: str) -> str:
    """The sum of the cells' magnitudes, which scales a tolerance where parts may cancel.

    >>> magnitude("Regions!$C$8:$M$11")
    'SUMPRODUCT(ABS(Regions!$C$8:$M$11))'
    """
    return f"SUMPRODUCT(ABS({area}))"


def scaled_tolerance(scale: str | None) -> str:
    """The checks' relative tolerance, times ``scale`` (the magnitude the check compares).

    >>> scaled_tolerance("C5"), scaled_tolerance(None)
    ('check_tolerance*C5', 'check_tolerance')
    """
    return names.CHECK_TOLERANCE + (f"*{scale}" if scale else "")


def labelled_when(label: str, count: str, more: str) -> str:
    """The text ``label``, followed by the text formula ``more`` when ``count`` is above 0.

    >>> labelled_when("X is never below 0", "G", '": from "&Y')
    '"X is never below 0"&IF(G>0,": from "&Y,"")'
    """
    return f'{text(label)}&IF({count}>0,{more},"")'


def one_of(flag_cell: str, when_one: str, otherwise: str) -> str:
    """The text ``when_one`` where ``flag_cell`` is 1, else ``otherwise``.

    >>> one_of("E7", "typed", "follows")
    'IF(E7=1,"typed","follows")'
    """
    return f"IF({flag_cell}=1,{text(when_one)},{text(otherwise)})"


def unless_zero(count: str, zero: str, otherwise: str) -> str:
    """The text ``zero`` where ``count`` is 0, else the text formula ``otherwise``.

    >>> unless_zero("B9", "intact", 'B9&" gone"')
    'IF(B9=0,"intact",B9&" gone")'
    """
    return f"IF({count}=0,{text(zero)},{otherwise})"


def call(function: str, args: list[str]) -> str:
    """A call of a function (the cmo_xl UDFs on the Functions sheet).

    >>> call("cmo_cagr", ["C5", "D5", "5"])
    'cmo_cagr(C5,D5,5)'
    """
    return f"{function}({','.join(args)})"


def bare_cagr(start: str, end: str, years: str) -> str:
    """The CAGR from ``start`` to ``end`` with no n/a guard: the native twin a UDF is compared
    with, which fails where the UDF does.

    >>> bare_cagr("S", "E", "(end_year-base_year)")
    '(E/S)^(1/(end_year-base_year))-1'
    """
    return f"({end}/{start})^(1/{years})-1"
