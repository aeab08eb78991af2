"""Formula text for the building blocks: text, joins, arithmetic over references, lookups,
and the n/a rule (:data:`NOT_AVAILABLE`)."""

from __future__ import annotations

import math

#: What a formula shows where a number is undefined, and what the plan caches there: one text
#: (the engine's reports say it too), so they cannot drift.
from cmo_xl.model.compute.verdicts import NOT_AVAILABLE as NOT_AVAILABLE


def cached_or_not_available(value: float) -> float | str:
    """The engine's number as a cell caches it: NaN is :data:`NOT_AVAILABLE`.

    >>> cached_or_not_available(float("nan")), cached_or_not_available(0.5)
    ('n/a', 0.5)
    """
    return NOT_AVAILABLE if math.isnan(value) else value


def pick(range_name: str, position: str) -> str:
    """Item ``position`` (1-based) of a one-dimensional range.

    >>> pick("cagrs_Europe", "D$5")
    'INDEX(cagrs_Europe,D$5)'
    """
    return f"INDEX({range_name},{position})"


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


def later_of(a: str, b: str) -> str:
    """
    >>> later_of("C5", "base_year")
    'MAX(C5,base_year)'
    """
    return f"MAX({a},{b})"


def ratio(part: str, whole: str) -> str:
    return f"{part}/{whole}"


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


def span(end: str, start: str) -> str:
    """The years from ``start`` to ``end``, bracketed for use as an exponent or a divisor.

    >>> span("end_year", "base_year")
    '(end_year-base_year)'
    """
    return parenthesised(minus(end, start))
