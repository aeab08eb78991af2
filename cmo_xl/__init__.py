"""cmo_xl: a market spec (YAML) in, a live-formula Excel forecast workbook out."""

from __future__ import annotations

__version__ = "0.1.0"
