"""The words a status cell says, shared by the engine, the sheets and the renderer's colours."""

from __future__ import annotations

#: A check: passed, failed (shown in red), or a warning (amber).
PASS, FAIL, WARN = "OK", "ERROR", "WARN"
#: A reported figure against the model: the same (to the checks' tolerance), within the
#: rounding of its quote, or in conflict with the model, which is built from the same report.
MATCHED, ROUNDED, CONFLICT = "matched", "within rounding", "conflict"
#: A bound ("more than 61%") the model keeps, allowing for the rounding of the figures involved.
BOUNDED = "within bound"
#: What a cell says where its number is undefined (a share of a world of 0, a CAGR from 0).
NOT_AVAILABLE = "n/a"
