"""Formula text for the Reconciliation sheet: a series in any year (extended past the
timeline), the rounding of the stated figures a model number is read from, and a figure's
status; each beside its engine twin in :mod:`cmo_xl.model.compute.reconcile`."""

from __future__ import annotations

from cmo_xl.model.resolution import names
from cmo_xl.workbook.formula_text.basics import at_year, choose, concat, text


def extended_at_year(row_range: str, year: str, history: tuple[str, str] | None = None) -> str:
    """The series in ``row_range`` in ``year``, any year: inside the timeline its value;
    after it, its last value grown at its growth in the last year; before it, its first value
    brought back at its growth in the first step (or, for the world, the value ``history``
    states for that year, where it states one). CHOOSE returns only the branch it picks, so a
    year outside the timeline does not fail for the branches it skips; its index is 1 after the
    timeline, 2 inside, 3 before.

    >>> extended_at_year("R", "Y")  # doctest: +NORMALIZE_WHITESPACE
    'CHOOSE(1+(Y<base_year)+(Y<=end_year),\
INDEX(R,COLUMNS(R))*(INDEX(R,COLUMNS(R))/INDEX(R,COLUMNS(R)-1))^(Y-end_year),\
INDEX(R,MATCH(Y,timeline_years,0)),\
INDEX(R,1)/(INDEX(R,MATCH(base_year+1,timeline_years,0))/INDEX(R,1))^(base_year-Y))'
    """
    last, before_last = (
        f"INDEX({row_range},COLUMNS({row_range}))",
        (f"INDEX({row_range},COLUMNS({row_range})-1)"),
    )
    first = f"INDEX({row_range},1)"
    second = at_year(row_range, names.YEARS, f"{names.BASE_YEAR}+1")
    after = f"{last}*({last}/{before_last})^({year}-{names.END_YEAR})"
    back = f"{first}/({second}/{first})^({names.BASE_YEAR}-{year})"
    if history is not None:
        back = f"IFERROR({at_year(history[0], history[1], year)},{back})"
    index = f"1+({year}<{names.BASE_YEAR})+({year}<={names.END_YEAR})"
    return choose(index, [after, at_year(row_range, names.YEARS, year), back])


def stated_rounding(year: str, stated: list[tuple[str, str]]) -> str:
    """The precision of the stated figure of ``year``, of those ``stated`` gives as (their
    year, their precision): at most one is of that year; 0 where none is.

    >>> stated_rounding("E5", [("year_2024", "p24"), ("year_2032", "p32")])
    '(IF(E5=year_2024,p24,0)+IF(E5=year_2032,p32,0))'
    """
    terms = [f"IF({year}={when},{precision},0)" for when, precision in stated]
    return f"({'+'.join(terms)})" if terms else "0"


def stated_labels(entries: list[tuple[str, str]], first: str) -> str:
    """``first``, then the label of each stated figure whose condition holds (given as the
    condition and the label): the figures whose rounding a status allows for.

    >>> stated_labels([("E5=year_2024", "Market value in 2024")], "the quote")
    '"the quote"&IF(E5=year_2024,", Market value in 2024","")'
    """
    parts = [text(first)]
    parts += [f'IF({when},{text(", " + label)},"")' for when, label in entries]
    return concat(parts)


def reconciled(
    model: str,
    difference: str,
    low: str,
    high: str,
    reported: str,
    precision: str,
    bound: str,
    upper: str,
    words: tuple[str, str, str, str],
) -> str:
    """A reported figure's status, from the model's number, its difference from the figure and
    the model's interval (``low`` to ``high``): ``words`` are matched, within rounding, within
    bound and conflict. A point quote is matched within the checks' tolerance of ``reported``,
    within rounding where the intervals meet, else a conflict; a bound (``lower``, ``upper``,
    ``between`` up to ``upper``) is within bound where the model's interval reaches past it. The
    tolerance widens every edge. Any n/a is a conflict. The engine's twin:
    :attr:`cmo_xl.model.compute.reconcile.BenchmarkComparison.status`.

    >>> reconciled("G5", "H5", "O5", "P5", "E5", "F5", "point", "", ("m", "r", "b", "c"))
    ... # doctest: +NORMALIZE_WHITESPACE
    'IFERROR(IF(AND(ISNUMBER(G5),ISNUMBER(H5),ISNUMBER(O5),ISNUMBER(P5)),\
CHOOSE(1+(ABS(H5)>check_tolerance*ABS(E5))\
+OR(P5<E5-F5-check_tolerance*ABS(E5),O5>E5+F5+check_tolerance*ABS(E5)),"m","r","c"),\
"c"),"c")'
    >>> reconciled("G5", "H5", "O5", "P5", "E5", "F5", "lower", "", ("m", "r", "b", "c"))
    ... # doctest: +NORMALIZE_WHITESPACE
    'IFERROR(IF(AND(ISNUMBER(G5),ISNUMBER(H5),ISNUMBER(O5),ISNUMBER(P5)),\
CHOOSE(1+OR(P5<E5-F5-check_tolerance*ABS(E5)),"b","c"),"c"),"c")'
    """
    matched, rounded, bounded, conflict = (text(w) for w in words)
    margin = f"{names.CHECK_TOLERANCE}*ABS({reported})"
    top = upper if bound == "between" else reported
    below = f"{high}<{reported}-{precision}-{margin}"  # the model lies below the truth
    above = f"{low}>{top}+{precision}+{margin}"  # the model lies above it
    if bound == "point":
        index = f"1+(ABS({difference})>{margin})+OR({below},{above})"
        options = [matched, rounded, conflict]
    else:
        tests = {"lower": [below], "upper": [above], "between": [below, above]}[bound]
        index, options = f"1+OR({','.join(tests)})", [bounded, conflict]
    numbers = f"AND({','.join(f'ISNUMBER({c})' for c in (model, difference, low, high))})"
    return f"IFERROR(IF({numbers},{choose(index, options)},{conflict}),{conflict})"
