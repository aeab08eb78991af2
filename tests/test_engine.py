"""The reference engine against numbers computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cmo_xl.model import growth
from cmo_xl.model.compute import engine
from cmo_xl.model.load import parse_spec
from cmo_xl.model.spec.schema import Spec

from spec_samples import small_spec_data


def value(frame: pd.DataFrame, key: engine.Key, year: int) -> float:
    level, dimension, region, member = key
    rows = frame[
        (frame.level == level)
        & (frame.dimension == dimension)
        & (frame.region == region)
        & (frame.member == member)
        & (frame.year == year)
    ]
    assert len(rows) == 1
    return float(rows.value.iloc[0])


def test_world_totals_by_hand(cmo_spec: Spec) -> None:
    frame = engine.forecast(cmo_spec).frame
    world_2025 = value(frame, ("market", "", "", "World"), 2025)
    world_2032 = value(frame, ("market", "", "", "World"), 2032)
    assert world_2025 == pytest.approx(73 * 1.06**3, rel=1e-12)
    assert world_2025 == pytest.approx(86.944168, abs=5e-7)
    assert float(f"{world_2032:.7g}") == 185.1129
    assert world_2032 == pytest.approx(86.944168 * 1.114**7, rel=1e-8)
    north_america = value(frame, ("region", "", "North America", "North America"), 2032)
    assert north_america == pytest.approx(0.40 * world_2032, rel=1e-12)


def test_tidy_shape(cmo_spec: Spec) -> None:
    frame = engine.forecast(cmo_spec).frame
    assert list(frame.columns) == engine.COLUMNS
    assert not frame.duplicated(["level", "dimension", "region", "member", "year"]).any()
    # 1 world + 5 regions + 23 countries + (3 + 4) segments in 5 regions + 7 world segments
    assert len(frame) == 11 * (1 + 5 + 23 + 7 * 5 + 7)


def test_splits_add_up_to_their_region(cmo_spec: Spec) -> None:
    frame = engine.forecast(cmo_spec).frame
    regions = frame[frame.level == "region"].set_index(["member", "year"]).value
    for level, dimension in (
        ("country", ""),
        ("segment", "Client type"),
        ("segment", "Application"),
    ):
        parts = frame[
            (frame.level == level) & (frame.dimension == dimension) & (frame.region != "")
        ]
        sums = parts.groupby(["region", "year"]).value.sum()
        for (region, year), total in sums.items():
            assert total == pytest.approx(regions[(region, year)], rel=1e-12, abs=1e-12)


def test_mix_shift_by_hand() -> None:
    # two segments at 50/50 growing 20% and 0%: after one year 0.6 : 0.5
    shares = growth.mix_shares([0.5, 0.5], [0.2, 0.0], 1)
    assert shares == pytest.approx([0.6 / 1.1, 0.5 / 1.1], rel=1e-15)
    assert sum(shares) == pytest.approx(1.0, rel=1e-15)
    assert all(math.isnan(s) for s in growth.mix_shares([0.0, 0.0], [0.1, 0.1], 3))


def test_phases_and_region_override_by_hand() -> None:
    spec = parse_spec(small_spec_data())
    frame = engine.forecast(spec).frame
    # East: 60 of 100, 10% for 2 years then its own 20% for 1 year
    assert value(frame, ("region", "", "East", "East"), 2023) == pytest.approx(
        60 * 1.1**2 * 1.2, rel=1e-14
    )
    # West: 40, market rates 10%, 10%, 5%
    assert value(frame, ("region", "", "West", "West"), 2023) == pytest.approx(
        40 * 1.1**2 * 1.05, rel=1e-14
    )
    # Product segments in East use the overrides: A 0.7 at 30%, B 0.3 at its base 5%
    a = 0.7 * 1.3**3
    b = 0.3 * 1.05**3
    east = 60 * 1.1**2 * 1.2
    assert value(frame, ("segment", "Product", "East", "A"), 2023) == pytest.approx(
        east * a / (a + b), rel=1e-13
    )


def test_implied_cagrs(cmo_spec: Spec) -> None:
    result = engine.forecast(cmo_spec)
    world = engine.world_key()
    assert result.implied(world, 2022, 2025) == pytest.approx(0.06, rel=1e-12)
    assert result.implied(world, 2025, 2032) == pytest.approx(0.114, rel=1e-12)
    whole = (1.06**3 * 1.114**7) ** 0.1 - 1
    assert result.implied(world, 2022, 2032) == pytest.approx(whole, rel=1e-12)
    latam = engine.region_key("Latin America")
    assert math.isnan(result.implied(latam, 2022, 2032))  # nothing to grow from


def test_benchmark_conflict(cmo_spec: Spec) -> None:
    (row,) = engine.forecast(cmo_spec).benchmarks
    assert (row.start_year, row.year, row.reported) == (2022, 2030, 0.07)
    assert row.model == pytest.approx((1.06**3 * 1.114**5) ** (1 / 8) - 1, rel=1e-12)
    assert row.difference > 0.02


def test_names_the_engine_could_confuse_are_all_distinct() -> None:
    """A region called World, a dimension called Country holding a segment named like a
    region: every row keeps its own key and its own number."""
    data = small_spec_data()
    data["regions"][1]["name"] = "World"
    data["dimensions"][0]["name"] = "Country"
    data["dimensions"][0]["overrides"] = []
    data["dimensions"][1] = {
        "name": "Region",
        "segments": [
            {"name": "World", "share": {"value": 0.25, "provenance": "analyst"}},
            {"name": "East", "share": {"value": 0.75, "provenance": "analyst"}},
        ],
    }
    spec = parse_spec(data)
    frame = engine.forecast(spec).frame
    assert not frame.duplicated(["level", "dimension", "region", "member", "year"]).any()
    world = 100 * (0.6 * 1.1**2 * 1.2 + 0.4 * 1.1**2 * 1.05)
    assert value(frame, ("market", "", "", "World"), 2023) == pytest.approx(world, rel=1e-14)
    # the region named World: 40 of 100 at the market's 10%, 10%, 5%
    assert value(frame, ("region", "", "World", "World"), 2023) == pytest.approx(
        40 * 1.1**2 * 1.05, rel=1e-14
    )
    # segment "World" of dimension "Region", summed over the world: a quarter of it
    assert value(frame, ("segment", "Region", "", "World"), 2023) == pytest.approx(
        0.25 * world, rel=1e-13
    )


@pytest.mark.parametrize(
    ("start", "end", "years", "expected"),
    [(100, 121, 2, 0.1), (0, 5, 2, math.nan), (5, 5, 0, math.nan), (10, 5, 1, -0.5)],
)
def test_implied_cagr(start: float, end: float, years: float, expected: float) -> None:
    got = growth.implied_cagr(start, end, years)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)
