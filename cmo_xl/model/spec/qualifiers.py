"""The words a report puts before a figure ("more than 61%", "around 7%", "between 4 and 5
bn"), and what each says about where the truth lies.

One table, read by the schema's rules, the resolver (a benchmark's bound and its default
precision) and the README's list. Words are compared ignoring case and runs of spaces.
"""

from __future__ import annotations

from typing import Literal

#: Where the truth lies against the quoted figure q (± its precision p):
#: ``point``: within q ± p; ``lower``: at least q - p; ``upper``: at most q + p; ``between``:
#: from q - p to the upper end given (``high``) + p.
Bound = Literal["point", "lower", "upper", "between"]

LOWER = (
    "more than", "over", "above", "at least", "exceeding", "in excess of", "upwards of",
    "greater than", "no less than", "not less than", "minimum", "min", ">", ">=", "≥",
)  # fmt: skip
UPPER = (
    "less than", "under", "below", "at most", "up to", "no more than", "not more than",
    "maximum", "max", "<", "<=", "≤",
)  # fmt: skip
BETWEEN = ("between", "from", "range", "ranging from")
#: Hedges: the figure is a point, looser than its digits say. Their default precision is a
#: whole unit of the quote's last digit ("around 7%": 6% to 8%), twice a plain quote's.
APPROXIMATE = (
    "around", "about", "approximately", "approx.", "approx", "roughly", "some", "nearly",
    "almost", "close to", "circa", "c.", "ca.", "~", "estimated", "an estimated", "some estimated",
)  # fmt: skip
#: How many units of the quote's last digit a default precision spans, by kind of qualifier:
#: half a unit for a plain figure (it was rounded to that digit), one for a hedge.
HEDGE_UNITS = 1.0
PLAIN_UNITS = 0.5


def normal(words: str) -> str:
    """``words`` compared as written, ignoring case and runs of spaces.

    >>> normal("  More   THAN ")
    'more than'
    """
    return " ".join(words.lower().split())


WORDS: dict[str, tuple[Bound, bool]] = {
    **{w: ("lower", False) for w in LOWER},
    **{w: ("upper", False) for w in UPPER},
    **{w: ("between", False) for w in BETWEEN},
    **{w: ("point", True) for w in APPROXIMATE},
}


def meaning(words: str | None) -> tuple[Bound, bool] | None:
    """The bound ``words`` set and whether they hedge; None for words the table lacks.

    >>> meaning("More than"), meaning("around"), meaning(None), meaning("perhaps")
    (('lower', False), ('point', True), ('point', False), None)
    """
    if words is None:
        return "point", False
    return WORDS.get(normal(words))


def allowed() -> str:
    """The words in a message: a few of each kind."""
    return (
        "a lower bound (more than, over, at least, ...), an upper bound (less than, under, up "
        "to, ...), between (with high), or a hedge (around, about, nearly, some, ...); the "
        "README lists every word"
    )
