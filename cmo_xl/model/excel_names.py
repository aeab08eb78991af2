"""Excel's rules for names a spec gives that become part of the workbook: sheet names.

The model checks them before anything is planned, so it keeps them itself rather than asking
the workbook layer.
"""

from __future__ import annotations

MAX_SHEET_NAME = 31
_FORBIDDEN_IN_SHEET_NAME = set("[]:*?/\\")


def sheet_name_problem(name: str) -> str | None:
    """Why Excel would refuse ``name`` as a sheet name, or None if it is fine."""
    if not name.strip():
        return "a sheet name must not be blank"
    if len(name) > MAX_SHEET_NAME:
        return f"a sheet name has at most {MAX_SHEET_NAME} characters (this has {len(name)})"
    bad = sorted(set(name) & _FORBIDDEN_IN_SHEET_NAME)
    if bad:
        return f"a sheet name must not contain {' '.join(bad)}"
    if name.startswith("'") or name.endswith("'"):
        return "a sheet name must not start or end with an apostrophe"
    return None
