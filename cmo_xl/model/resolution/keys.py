"""How the engine keys its series: by level, dimension, region and member."""

from __future__ import annotations

#: Levels of the forecast. Results are keyed by level, dimension, region and member, so no
#: name a user gives (a region called "World", a dimension called "Country") can clash with
#: another row.
MARKET, REGION, COUNTRY, SEGMENT = "market", "region", "country", "segment"
WORLD = "World"
#: (level, dimension, region, member): ``region`` is "" for world-level rows, ``dimension`` is
#: "" outside segment dimensions.
Key = tuple[str, str, str, str]


def world_key() -> Key:
    return (MARKET, "", "", WORLD)


def region_key(region: str) -> Key:
    return (REGION, "", region, region)


def country_key(region: str, country: str) -> Key:
    return (COUNTRY, "", region, country)


def segment_key(dimension: str, segment: str, region: str | None = None) -> Key:
    """A segment in ``region``, or summed over the world when ``region`` is None."""
    return (SEGMENT, dimension, region or "", segment)
