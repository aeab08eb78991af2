"""A small spec exercising every feature: three phases, a region override, segment overrides."""

from __future__ import annotations

from typing import Any


def small_spec_data() -> dict[str, Any]:
    def inp(v: float, **kw: Any) -> dict[str, Any]:
        return {"value": v, "provenance": "analyst", **kw}

    return {
        "schema_version": 1,
        "market": {
            "name": "Widgets",
            "currency": "EUR",
            "unit": "EUR m",
            "base_year": 2020,
            "end_year": 2023,
            "base_value": inp(100),
        },
        "phases": [
            {"start_year": 2020, "end_year": 2022, "cagr": inp(0.10)},
            {"start_year": 2022, "end_year": 2023, "cagr": inp(0.05)},
        ],
        "regions": [
            {
                "name": "East",
                "share": inp(0.6),
                "cagr": [None, inp(0.2)],
                "countries": [
                    {"name": "Ruritania", "weight": inp(0.25), "cagr": inp(0.3)},
                    {"name": "O'Land", "weight": inp(0.75)},
                ],
            },
            {"name": "West", "share": inp(0.4)},
        ],
        "dimensions": [
            {
                "name": "Product",
                "segments": [
                    {"name": "A", "share": inp(0.5), "cagr": inp(0.05)},
                    {"name": "B", "share": inp(0.5), "cagr": inp(0.05)},
                ],
                "overrides": [
                    {"region": "East", "segment": "A", "share": inp(0.7), "cagr": inp(0.3)},
                    {"region": "East", "segment": "B", "share": inp(0.3)},
                ],
            },
            {"name": "Sales channel", "segments": [{"name": "Direct", "share": inp(1.0)}]},
        ],
        "players": [
            {"name": "Acme", "revenue": inp(5.0), "revenue_year": 2021},
            {"name": "Nameless Co"},
        ],
        "sources": [{"id": "S1", "quote": "a quote"}],
        "benchmarks": [
            {
                "label": "Said 9%",
                "start_year": 2020,
                "end_year": 2023,
                "cagr": {"value": 0.09, "provenance": "source", "source": "S1"},
            }
        ],
    }
