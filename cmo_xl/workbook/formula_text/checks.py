"""Formula text for the checks: gaps, flags, statuses, integrity (formulas typed over) and
the reconciliation's verdict; each beside its engine twin in :mod:`cmo_xl.model.compute.checks`."""

from __future__ import annotations

from cmo_xl.model.compute.verdicts import FAIL, PASS
from cmo_xl.model.resolution import names
from cmo_xl.workbook.formula_text.basics import text


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


def years_below(values: str, parent: str) -> str:
    """How many years of the row ``values`` fall below 0 by more than the checks' tolerance of
    ``parent`` (a residual's check; the engine's twin:
    :func:`cmo_xl.model.compute.checks.residual_checks`).

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
