"""The defined-name scheme: every input on the Inputs sheet gets one workbook-scoped name.

Names are built from the spec's own labels, so formulas read like the spec
(``=Regions!C12*(1+cagr_Europe_p2)``). The scheme is documented in the README.
Every name has an underscore after a lower-case prefix, so none can be read as a cell
reference (``AB12``) or an R1C1 reference.
"""

from __future__ import annotations

import re

BASE_YEAR = "base_year"
END_YEAR = "end_year"
BASE_VALUE = "base_value"
CHECK_TOLERANCE = "check_tolerance"
PHASE_ENDS = "phase_ends"
MARKET_CAGRS = "market_cagrs"
MASTER_CHECK = "master_check"
YEARS = "timeline_years"
WORLD_VALUES = "world_values"

_WORD = re.compile(r"[^\W_]+")


def identifier(label: str) -> str:
    """Turn a label into the CamelCase part of a defined name.

    >>> identifier("Middle East & Africa")
    'MiddleEastAfrica'
    >>> identifier("Small/Med Bio/Pharma")
    'SmallMedBioPharma'
    >>> identifier("U.K.")
    'UK'
    """
    return "".join(word[:1].upper() + word[1:] for word in _WORD.findall(label))


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


def benchmark_cagr(index: int) -> str:
    return f"benchmark_cagr_{index}"


def benchmark_start(index: int) -> str:
    return f"benchmark_start_{index}"


def benchmark_end(index: int) -> str:
    return f"benchmark_end_{index}"
