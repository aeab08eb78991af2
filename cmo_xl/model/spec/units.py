"""Figures written with their own scale ("1.6 trillion", "4,200 million"), in the model's unit.

Reports mix scales: "USD 1.6 trillion by 2030" beside "USD 262.4 billion in 2022". A value
input may be written as such a text, or as a number with a ``scale`` field; before the spec is
validated it is converted to the scale of the model's unit (``USD bn`` -> billions), exactly,
by shifting decimal places, and the figure as written is kept beside it (``quoted``), so the
Inputs and Sources sheets can show both.

Nothing is guessed. A figure's digits are read by the decimal mark the spec states
(``market.decimal_mark``, a point by default): the other mark, or a space, separates
thousands, and only in groups of exactly three digits, so "1,5 billion" is refused rather
than read as 15. A unit's scale is read from its name ("USD bn", "EUR millions", "USD (mln)",
"$bn", "million m²"); where the name cannot say it ("m" may be metres or million, "Mt" is a
unit of its own), a figure with a scale word is refused, naming both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cmo_xl.text import excerpt

#: The ``scale`` field's words and their powers of ten.
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
#: Scale words that say their scale wherever they stand, in a unit or after a figure; compared
#: ignoring case.
_WORDS = {
    **SCALES,
    **{f"{word}s": exponent for word, exponent in SCALES.items()},
    "'000": 3,
    "000": 3,
    "000s": 3,
    "mn": 6,
    "mln": 6,
    "mio": 6,
    "bn": 9,
    "bln": 9,
    "bil": 9,
    "tn": 12,
    "trn": 12,
}
#: Letters that are a scale after a figure ("4.2m", "1.6B", "3MM") or in a money unit
#: ("EUR m", "USD MM"), but may be a unit of their own elsewhere (metres, tonnes, bytes);
#: compared as written.
_SHORT = {"k": 3, "K": 3, "m": 6, "M": 6, "MM": 6, "b": 9, "B": 9}
#: Short letters a unit may hold that are no scale after a figure: "t" (tonnes or trillion),
#: "mm" (millimetres or million).
_UNIT_ONLY = {"t": 12, "T": 12, "mm": 6}
#: What each short letter may be instead of a scale, for the message.
_UNIT_MEANING = {
    "m": "metres",
    "M": "mega",
    "mm": "millimetres",
    "t": "tonnes",
    "T": "tera",
    "k": "kilo",
    "K": "kelvin",
    "b": "bytes or barrels",
    "B": "bytes",
    "MM": "a unit",
}
#: Money: ISO 4217 codes a report is likely to give, their symbols and their words.
_CURRENCY_TEXT = (
    "USD EUR GBP JPY CNY RMB INR CHF CAD AUD NZD KRW BRL MXN SEK NOK DKK SGD HKD ZAR RUB "
    "TRY PLN CZK HUF ILS SAR AED TWD THB IDR MYR PHP VND ARS CLP COP PEN EGP NGN KES "
    "US US$ $ € £ ¥ ₹ ₩ dollar dollars euro euros pound pounds yen yuan rupee rupees"
)
_CURRENCIES = frozenset(_CURRENCY_TEXT.split(" "))
#: A letter that prefixes a unit of its own (kt, Mt, GWh, MMBtu): a figure's scale word could
#: count either.
_PREFIXED = re.compile(r"^(?:k|M|G|T|MM)[A-Za-z][A-Za-z²³23]{0,3}$")
_SYMBOLS = re.compile(r"([$€£¥₹₩]|'000)")
_SEPARATORS = re.compile(r"[\s/()\[\],;:.]+")
#: A figure: a sign, the number's characters (digits, marks, spaces between digits), a word.
_FIGURE = re.compile(
    r"^\s*(?P<sign>[+\-\u2212]?)"
    r"(?P<number>[0-9](?:[0-9.,\u00a0\u2009\u202f ]*[0-9])?|[.,][0-9]+)"
    r"\s*(?P<word>[^\W\d_]+)?\s*$"
)
#: Spaces that may separate thousands: a space, a no-break space, thin and narrow spaces.
_SPACES = " \u00a0\u2009\u202f"
DECIMAL_MARKS = (".", ",")
#: Where a spec holds values in the model's unit: (path, field) patterns; * is every item.
VALUE_INPUTS = (
    ("market", "base_value"),
    ("market", "values", "*"),
    ("benchmarks", "*", "value"),
    ("regions", "*", "value"),
    ("regions", "*", "countries", "*", "value"),
    ("dimensions", "*", "segments", "*", "value"),
    ("players", "*", "revenue"),
    ("analysis", "target_end_value"),
)
ALLOWED = "a number, or a number and a scale word (thousand, million, billion, trillion)"


class FigureError(ValueError):
    """A figure or a unit that cannot be read without guessing; the message says why."""


@dataclass(frozen=True)
class Figure:
    """A figure as written: its number, exactly, and its scale word's power of ten (None: no
    scale word, so the model's own unit)."""

    number: Decimal
    exponent: int | None

    @property
    def places(self) -> int:
        """Decimal places as written: 2 for "1.60", 0 for "4,200"."""
        return max(0, -int(self.number.as_tuple().exponent))


#: A rate written as text with a percent sign: "37%", "6.8 %", "-2.5%", "19.80 %".
_PERCENT = re.compile(r"^\s*(?P<sign>[+\-\u2212]?)\s*(?P<digits>[0-9]+(?:\.[0-9]+)?)\s*%\s*$")


def percent_text(value: object) -> Decimal | None:
    """A rate written as "37%" as the fraction it means (exactly), else None.

    >>> percent_text("37%"), percent_text(" 6.8 % "), percent_text("-2.50%"), percent_text(0.3)
    (Decimal('0.37'), Decimal('0.068'), Decimal('-0.0250'), None)
    """
    match = _PERCENT.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    number = Decimal(match["digits"]).scaleb(-2)
    return -number if match["sign"] in ("-", "\u2212") else number


def unit_scale(unit: str) -> int:
    """The power of ten a unit counts in: ``USD bn`` 9, ``EUR m`` 6, ``million m²`` 6,
    ``USD`` 0; FigureError where its name cannot say ("m": metres or million?).

    >>> [unit_scale(u) for u in ("USD bn", "USD billions", "USD (mln)", "$bn", "tonnes")]
    [9, 9, 6, 9, 0]
    """
    tokens = [t for t in _SEPARATORS.split(_SYMBOLS.sub(r" \1 ", unit)) if t]
    explicit = {_WORDS[t.lower()] for t in tokens if t.lower() in _WORDS}
    short = {t: _SHORT.get(t, _UNIT_ONLY.get(t)) for t in tokens if t in _SHORT or t in _UNIT_ONLY}
    money = any(t in _CURRENCIES for t in tokens)
    if len(explicit) > 1:
        raise FigureError(f"the unit {excerpt(unit)} names more than one scale")
    if explicit:
        return explicit.pop()  # "million m": the m is metres
    if money and short:
        scales = set(short.values())
        if len(scales) > 1:
            raise FigureError(f"the unit {excerpt(unit)} names more than one scale")
        return int(scales.pop() or 0)
    if short:
        letter = next(iter(short))
        raise FigureError(
            f"the unit {excerpt(unit)} does not say its scale: {letter!r} may be "
            f"{_UNIT_MEANING[letter]} or a scale"
        )
    prefixed = next((t for t in tokens if _PREFIXED.match(t) and t not in _CURRENCIES), None)
    if prefixed is not None and not money:
        raise FigureError(
            f"the unit {excerpt(unit)} does not say its scale: {prefixed!r} carries a prefix "
            "of its own, so a scale word could count either"
        )
    return 0


def unit_exponent(unit: str) -> int:
    """:func:`unit_scale`, or 0 where the unit cannot say (nothing is converted then: a
    figure with a scale word in such a unit is refused where it is read).

    >>> unit_exponent("USD bn"), unit_exponent("million m²"), unit_exponent("m")
    (9, 6, 0)
    """
    try:
        return unit_scale(unit)
    except FigureError:
        return 0


def read_figure(text: str, decimal_mark: str = ".") -> Figure:
    """A written figure's number and scale, or FigureError saying what cannot be read.

    >>> read_figure("1.6 trillion"), read_figure("4,200 million"), read_figure("73")
    (Figure(number=Decimal('1.6'), exponent=12), Figure(number=Decimal('4200'), exponent=6), \
Figure(number=Decimal('73'), exponent=None))
    >>> read_figure("1,5 billion", ",").number
    Decimal('1.5')
    """
    match = _FIGURE.match(text)
    if match is None:
        raise FigureError(f"must be {ALLOWED}")
    word = match["word"]
    exponent = None
    if word is not None:
        exponent = _WORDS.get(word.lower(), _SHORT.get(word))
        if exponent is None:
            raise FigureError(f"must be {ALLOWED}; {word!r} is none of them")
    number = _digits(match["number"], decimal_mark)
    if match["sign"] in ("-", "\u2212"):
        number = -number
    return Figure(number, exponent)


def _digits(text: str, mark: str) -> Decimal:
    """The number ``text`` writes, read by the decimal ``mark``: the other mark or a space
    separates thousands, in groups of three digits."""
    group = "," if mark == "." else "."
    whole, dot, fraction = text.partition(mark)
    switch = f"; if {mark!r} is not the decimal mark here, set market.decimal_mark: {group!r}"
    if mark in fraction:
        raise FigureError(f"it has more than one decimal mark {mark!r}{switch}")
    if dot and not (fraction and all(ch in "0123456789" for ch in fraction)):
        raise FigureError(f"the decimal part {fraction!r} is not all digits{switch}")
    separators = {ch for ch in whole if ch not in "0123456789"}
    if len(separators) > 1:
        raise FigureError("it separates thousands in more than one way")
    if separators:
        (sep,) = separators
        shown = "a space" if sep in _SPACES else repr(sep)
        groups = whole.split(sep)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            sizes = "-".join(str(len(g)) for g in groups)
            hint = switch if sep == group else ""
            raise FigureError(
                f"{shown} separates thousands, but its groups have {sizes} digits; a thousands "
                f"group has three{hint}"
            )
        whole = "".join(groups)
    try:
        return Decimal(f"{whole or '0'}.{fraction}" if dot else whole)
    except InvalidOperation:  # not reached: the pattern allows digits only
        raise FigureError(f"must be {ALLOWED}") from None


def convert_figures(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` (a raw spec) with every value input written with a scale converted to the
    model's unit, and the problems found; the raw data is not changed."""
    market = data.get("market")
    market = market if isinstance(market, dict) else {}
    unit: str = market["unit"] if isinstance(market.get("unit"), str) else ""
    mark = market.get("decimal_mark", ".")
    if not isinstance(mark, str) or mark not in DECIMAL_MARKS:
        return data, [
            f"market.decimal_mark: got {excerpt(mark)}; must be '.' or ',' (the mark "
            "between a figure's whole number and its decimals)"
        ]
    problems: list[str] = []
    out = _copy(data)
    for path, item in [*_value_inputs(out, VALUE_INPUTS), *_value_ranges(out)]:
        try:
            _convert(item, unit, mark)
        except FigureError as exc:
            problems.append(f"{path}.{exc}")
    return out, problems


def _convert(item: dict[str, Any], unit: str, mark: str) -> None:
    """Convert one input in place; FigureError ("field: got ...; why") where it cannot."""
    value, scale = item.get("value"), item.pop("scale", None)
    if scale is not None and scale not in SCALES:
        raise FigureError(f"scale: got {excerpt(scale)}; must be one of {', '.join(SCALES)}")
    if isinstance(value, str):
        try:
            figure = read_figure(value, mark)
        except FigureError as exc:
            raise FigureError(f"value: got {excerpt(value)}; {exc}") from None
        if scale is not None and figure.exponent is not None:
            raise FigureError(
                f"value: got {excerpt(value)} with scale {scale}; give the scale once"
            )
        exponent = SCALES[scale] if scale is not None else figure.exponent
        number = figure.number
        if exponent is None:  # a number written as text, in the model's own unit: its
            item["value"] = float(number)  # digits as written are its precision ("19.80")
            item.setdefault("quoted", value.strip())
            return
        written = value.strip() if scale is None else f"{value.strip()} {scale}"
    elif scale is not None and isinstance(value, int | float) and not isinstance(value, bool):
        number, exponent = Decimal(repr(value)), SCALES[scale]
        written = f"{repr(value).replace('.', mark)} {scale}"  # as the spec's reader reads it
    else:
        return
    try:
        target = unit_scale(unit)
    except FigureError as exc:
        raise FigureError(
            f"value: got {excerpt(written)}; {exc} (market.unit), so its scale word cannot be "
            "converted; write the figure in the unit without a scale word, or name the unit's "
            "scale (such as 'million m' or 'USD bn')"
        ) from None
    item["value"] = float(number.scaleb(exponent - target))
    item.setdefault("quoted", f"{written} (= {item['value']:,.12g} {unit})".strip())


def _value_ranges(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The upper end (``high``) of each benchmark that is a value: it is written as its figure."""
    for path, item in _value_inputs(data, (("benchmarks", "*"),)):
        if "value" in item and isinstance(item.get("high"), dict):
            yield f"{path}.high", item["high"]


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _value_inputs(
    data: Any, patterns: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each dict at one of ``patterns`` in ``data``, with its path (``players[2].revenue``)."""

    def walk(node: Any, rest: tuple[str, ...], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if not rest:
            if isinstance(node, dict):
                yield path, node
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    yield from walk(item, tail, f"{path}[{i}]")
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], tail, f"{path}.{head}" if path else head)

    for pattern in patterns:
        yield from walk(data, pattern, "")
