"""Excel's rules for names a spec gives that become part of the workbook: sheet names, and
how any two names are compared.

The model checks them before anything is planned, so it keeps them itself rather than asking
the workbook layer.
"""

from __future__ import annotations

import unicodedata

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


def name_key(name: str) -> str:
    """What two names are compared by, everywhere: defined names, sheet names, scenario
    names (the switch's MATCH), inputs a change or an edit names.

    Excel and LibreOffice compare names ignoring case, each by its own tables (Excel by the
    system's case mapping, LibreOffice by ICU's), and neither says which letters it folds.
    Full Unicode case folding after compatibility normalisation folds at least as much as
    either ("Straße" and "STRASSE", "ﬁ" and "fi"), so two names that differ here differ in
    both, and a lookup by this key finds what the rules let stand.

    >>> name_key("Straße") == name_key("STRASSE"), name_key("Europe") == name_key("EUROPE")
    (True, True)
    """
    return unicodedata.normalize("NFKC", name).casefold()
