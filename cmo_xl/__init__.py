"""cmo_xl: a market spec (YAML) in, a live-formula Excel forecast workbook out."""

from __future__ import annotations

from typing import Any

from cmo_xl.version import __version__

__all__ = ["__version__", "read_workbook"]


def __getattr__(name: str) -> Any:
    """``cmo_xl.read_workbook``, imported when first used: ``import cmo_xl`` stays light."""
    if name == "read_workbook":
        from cmo_xl.roundtrip.values import read_workbook

        return read_workbook
    raise AttributeError(f"module 'cmo_xl' has no attribute {name!r}")
