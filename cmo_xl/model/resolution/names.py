"""The defined-name scheme: every input on the Inputs sheet gets one workbook-scoped name.

Names are built from the spec's own labels, so formulas read like the spec
(``=Regions!C12*(1+cagr_Europe_p2)``). The scheme is documented in the README.
Every name has an underscore after a lower-case prefix, so none can be read as a cell
reference (``AB12``) or an R1C1 reference.
"""

from __future__ import annotations

import functools
import unicodedata

BASE_YEAR = "base_year"
END_YEAR = "end_year"
BASE_VALUE = "base_value"
CHECK_TOLERANCE = "check_tolerance"
PHASE_ENDS = "phase_ends"
MARKET_CAGRS = "market_cagrs"
MASTER_CHECK = "master_check"
YEARS = "timeline_years"
WORLD_VALUES = "world_values"
GROWTH_WARNINGS = "growth_warnings"
#: On Checks: how many rows of formulas cmo_xl wrote hold a number, a blank or other text now.
INTEGRITY_CHECK = "integrity_check"

#: On Checks: how many inputs the scenarios move through a formula are typed over, and the
#: columns of their warnings' texts and flags.
SCENARIO_WARNINGS = "scenario_warnings"
SCENARIO_WARNING_TEXTS = "scenario_warning_texts"
SCENARIO_WARNING_FLAGS = "scenario_warning_flags"
SCENARIO_WARNING_NAMES = (SCENARIO_WARNINGS, SCENARIO_WARNING_TEXTS, SCENARIO_WARNING_FLAGS)

#: Names of calculated cells and rows, and of constants, defined by the sheets that hold them.
CALCULATED = (
    MASTER_CHECK,
    YEARS,
    WORLD_VALUES,
    GROWTH_WARNINGS,
    INTEGRITY_CHECK,
    CHECK_TOLERANCE,
)
#: On the History sheet, where the spec states values before the base year: the years with a
#: stated value and the base year, and the market in them.
HISTORY_YEARS = "history_years"
HISTORY_VALUES = "history_values"
#: The scenario switch (the name typed in it), the number MATCH finds for it, and the list of
#: scenario names it is validated against.
SCENARIO = "scenario"
SCENARIO_INDEX = "scenario_index"
SCENARIO_NAMES = "scenario_names"
SWITCH = (SCENARIO, SCENARIO_INDEX, SCENARIO_NAMES)
SCENARIO_PROBABILITIES = "scenario_probabilities"
#: The scenario a spec without scenarios has: its own inputs.
BASE_SCENARIO = "Base"
#: Excel's longest defined name.
MAX_NAME_LENGTH = 255
REGION_SHARES = "region_shares"
#: On the Spec sheet: the record of the build (format, version, options, line count, checksum)
#: and the spec's YAML, one line per row, that ``cmo-xl read`` reads back.
SPEC_RECORD = "spec_record"
SPEC_LINES = "spec_lines"
RECORD = (SPEC_RECORD, SPEC_LINES)
#: Joined, not split, when they stand between two letters or digits: "Buyer's", "e-commerce".
_JOINERS = frozenset("'\u2019-\u2010\u2011")


def _word_char(ch: str) -> bool:
    return ch.isalpha() or ch in "0123456789"


@functools.lru_cache(maxsize=1 << 16)  # each scenario's resolution names every input again
def identifier(label: str) -> str:
    """Turn a label into the CamelCase part of a defined name.

    Words are runs of letters and digits; each starts with a capital, the rest keeps its case.
    An apostrophe or hyphen inside a word is dropped rather than splitting it. Every other
    character separates words.

    >>> identifier("Middle East & Africa")
    'MiddleEastAfrica'
    >>> identifier("Small/Med Bio/Pharma")
    'SmallMedBioPharma'
    >>> identifier("U.K.")
    'UK'
    >>> identifier("Buyer's channel"), identifier("e-commerce"), identifier("Asia-Pacific")
    ('BuyersChannel', 'Ecommerce', 'AsiaPacific')
    """
    text = unicodedata.normalize("NFC", label)
    words: list[str] = []
    word = ""
    for i, ch in enumerate(text):
        if _word_char(ch):
            word += ch
        elif ch in _JOINERS and word and i + 1 < len(text) and _word_char(text[i + 1]):
            continue
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    return "".join(w[:1].upper() + w[1:] for w in words)


def phase_end(phase: int) -> str:
    """Phase numbers count from 1, as the workbook shows them."""
    return f"phase_end_p{phase}"


def market_cagr(phase: int) -> str:
    return f"market_cagr_p{phase}"


def region_share(region: str) -> str:
    return f"share_{identifier(region)}"


def region_cagr(region: str, phase: int) -> str:
    return f"cagr_{identifier(region)}_p{phase}"


def region_cagrs(region: str) -> str:
    """The range of a region's per-phase CAGRs, looked up with INDEX by phase number."""
    return f"cagrs_{identifier(region)}"


def segment_shares(dimension: str) -> str:
    """The range of a dimension's base segment shares."""
    return f"shares_{identifier(dimension)}"


def country_weights(region: str) -> str:
    """The range of a region's country weights."""
    return f"weights_{identifier(region)}"


def country_cagrs(region: str) -> str:
    """The range of a region's country CAGRs."""
    return f"country_cagrs_{identifier(region)}"


def country_weight(region: str, country: str) -> str:
    return f"weight_{identifier(region)}_{identifier(country)}"


def country_cagr(region: str, country: str) -> str:
    return f"cagr_{identifier(region)}_{identifier(country)}"


def segment_share(dimension: str, segment: str, region: str | None = None) -> str:
    """A segment's base share; with ``region``, that region's override."""
    suffix = f"_{identifier(region)}" if region else ""
    return f"share_{identifier(dimension)}_{identifier(segment)}{suffix}"


def segment_cagr(dimension: str, segment: str, region: str | None = None) -> str:
    suffix = f"_{identifier(region)}" if region else ""
    return f"cagr_{identifier(dimension)}_{identifier(segment)}{suffix}"


def player_revenue(player: str) -> str:
    return f"revenue_{identifier(player)}"


def player_year(player: str) -> str:
    return f"revenue_year_{identifier(player)}"


def member_value(share_name: str) -> str:
    """A member's value as the report states it, named after its share: ``share_Europe`` ->
    ``value_Europe``, ``weight_Europe_France`` -> ``value_Europe_France``."""
    return "value_" + share_name.split("_", 1)[1]


def benchmark_cagr(index: int) -> str:
    return f"benchmark_cagr_{index}"


def benchmark_figure(kind: str, index: int) -> str:
    """A reported figure: ``benchmark_cagr_1``, ``benchmark_value_2``, ``benchmark_share_3``."""
    return f"benchmark_{kind}_{index}"


def benchmark_year(index: int) -> str:
    return f"benchmark_year_{index}"


def market_value(year: int) -> str:
    """The market's value in ``year`` as the report states it."""
    return f"market_value_{year}"


def market_value_year(year: int) -> str:
    return f"market_value_year_{year}"


def market_value_precision(year: int) -> str:
    return f"market_value_precision_{year}"


def benchmark_start(index: int) -> str:
    return f"benchmark_start_{index}"


def benchmark_end(index: int) -> str:
    return f"benchmark_end_{index}"


def benchmark_high(index: int) -> str:
    """The upper end of a reported range ("between 4 and 5")."""
    return f"benchmark_high_{index}"


def benchmark_precision(index: int) -> str:
    return f"benchmark_precision_{index}"


TARGET_END_VALUE = "target_end_value"
CAGR_STEPS = "cagr_steps"
VALUE_STEPS = "base_value_steps"


def cagr_step(k: int) -> str:
    return f"cagr_step_{k}"


def value_step(k: int) -> str:
    return f"base_value_step_{k}"


def scenario_probability(scenario: str) -> str:
    return f"probability_{identifier(scenario)}"


def scenario_change(target: str, scenario: str) -> str:
    """A scenario's change to the input named ``target``: ``market_cagr_p2_Upside``."""
    return f"{target}_{identifier(scenario)}"


def given(target: str) -> str:
    """The input named ``target`` as the spec gives it, before any scenario changes it."""
    return f"{target}_given"
