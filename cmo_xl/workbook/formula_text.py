"""Formula text, produced by small named functions so it can be unit-tested as strings.

Each returns an expression without the leading ``=``; sheet builders add it. None of them uses
volatile or fragile functions (OFFSET, INDIRECT, TODAY, NOW, RAND), nested IFs or dynamic arrays,
so the same text computes in Excel 2010+ and LibreOffice 7.4.
"""

from __future__ import annotations

from cmo_xl.model import names


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


def mix_index(weight: str, cagr: str, year: str) -> str:
    """Unnormalised mix-shift weight ``w*(1+g)^(t-t0)``.

    >>> mix_index("weight_Europe_France", "cagr_Europe_France", "D$4")
    'weight_Europe_France*(1+cagr_Europe_France)^(D$4-base_year)'
    """
    return f"{weight}*(1+{cagr})^({year}-{names.BASE_YEAR})"


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
    """Implied CAGR; "n/a" where it is undefined (a zero start value).

    >>> cagr("C7", "D7", "(D$5-C$5)")
    'IFERROR((D7/C7)^(1/(D$5-C$5))-1,"n/a")'
    """
    return f'IFERROR(({end}/{start})^(1/{years})-1,"n/a")'


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


def flag(value: str, tolerance: str) -> str:
    """1 when ``|value|`` exceeds ``tolerance`` or is an error, else 0.

    >>> flag("C6", "D6")
    'IFERROR(--(ABS(C6)>D6),1)'
    """
    return f"IFERROR(--(ABS({value})>{tolerance}),1)"


def status(flag_sum: str) -> str:
    """
    >>> status("E6")
    'IF(E6=0,"OK","CHECK")'
    """
    return f'IF({flag_sum}=0,"OK","CHECK")'


def count_if_equal(range_: str, text: str) -> str:
    return f'COUNTIF({range_},"{text}")'
