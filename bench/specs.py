"""Synthetic specs of growing size for the benchmark: countries, dimensions, segments, years
and scenarios as a large country-level model has them. Deterministic: the same size gives the
same spec, so runs on different days compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Size:
    label: str
    regions: int
    countries: int  # in all, spread over the regions
    dimensions: int
    segments: int  # in each dimension
    years: int  # end year minus base year
    scenarios: int

    def describe(self) -> str:
        return (
            f"{self.regions} regions, {self.countries} countries, {self.dimensions} x "
            f"{self.segments} segments, {self.years} years, {self.scenarios} scenario(s)"
        )


#: From the smallest to the largest the issue asks for; "large/2" and "large" differ by about a
#: factor of two in formula cells, for the scaling target.
SIZES = (
    Size("small", 5, 5, 2, 3, 10, 1),
    Size("medium", 10, 50, 2, 6, 20, 2),
    Size("large/2", 17, 125, 4, 12, 40, 3),
    Size("large", 34, 250, 4, 12, 40, 5),
)
SMOKE = (Size("smoke", 2, 5, 2, 3, 10, 2),)


def _input(value: float) -> dict[str, Any]:
    return {"value": value, "provenance": "analyst"}


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


def _shares(count: int) -> list[float]:
    """``count`` unequal shares that add up to 1 exactly in floating point."""
    weights = [1 + (k % 5) for k in range(count)]
    total = sum(weights)
    shares = [w / total for w in weights[:-1]]
    return [*shares, 1.0 - sum(shares)]


def synthetic_spec(size: Size) -> dict[str, Any]:
    base_year = 2024
    end_year = base_year + size.years
    middle = base_year + max(1, size.years // 3)
    phases = [
        {"start_year": base_year, "end_year": middle, "cagr": _input(0.05)},
        {"start_year": middle, "end_year": end_year, "cagr": _input(0.08)},
    ]
    regions = []
    counts = _split(size.countries, size.regions)
    for r, (share, count) in enumerate(zip(_shares(size.regions), counts, strict=True)):
        region: dict[str, Any] = {"name": f"Region {r + 1}", "share": _input(share)}
        region["cagr"] = [_input(0.04 + 0.002 * (r % 10)), None]
        region["countries"] = [
            {
                "name": f"Country {r + 1}-{c + 1}",
                "weight": _input(weight),
                "cagr": _input(0.03 + 0.001 * (c % 20)),
            }
            for c, weight in enumerate(_shares(count))
        ]
        regions.append(region)
    dimensions = [
        {
            "name": f"Dimension {d + 1}",
            "segments": [
                {
                    "name": f"Segment {d + 1}-{s + 1}",
                    "share": _input(share),
                    "cagr": _input(0.02 + 0.003 * s),
                }
                for s, share in enumerate(_shares(size.segments))
            ],
        }
        for d in range(size.dimensions)
    ]
    data: dict[str, Any] = {
        "schema_version": 1,
        "market": {
            "name": f"Synthetic market ({size.label})",
            "currency": "USD",
            "unit": "USD m",
            "base_year": base_year,
            "end_year": end_year,
            "base_value": _input(1000.0),
        },
        "phases": phases,
        "regions": regions,
        "dimensions": dimensions,
    }
    if size.scenarios > 1:
        data["scenarios"] = [
            {
                "name": "Base" if k == 0 else f"Case {k}",
                "changes": []
                if k == 0
                else [
                    {"input": "market_cagr_p2", "shift": _input(0.005 * k)},
                    {"input": "base_value", "shift": _input(10.0 * k)},
                ],
            }
            for k in range(size.scenarios)
        ]
    return data
