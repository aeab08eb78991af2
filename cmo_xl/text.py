"""Text in messages and in cells: short excerpts, escaped control characters, what a sheet holds.

A message may quote anything a user or an attacker typed, so every quoted value goes through
:func:`excerpt` (bounded length, one line, control characters escaped) and every line the
command line prints goes through :func:`printable`.
"""

from __future__ import annotations

import re
from typing import Any

#: What a message quotes of a value, at most.
EXCERPT_CHARS = 60
#: Characters a worksheet cell cannot hold: XML 1.0 refuses C0 controls other than tab, line
#: feed and carriage return, lone surrogates, U+FFFE and U+FFFF (openpyxl's own
#: ``ILLEGAL_CHARACTERS_RE`` in openpyxl/cell/cell.py covers the C0 part and raises on it).
CELL_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    r"""``text`` with every character a terminal could act on written as an escape.

    Line feeds and tabs stay; escape sequences, other control and format characters (such as
    bidirectional overrides) become ``\x1b``, ``\u202e`` and the like.

    >>> printable("ok\x1b[2Jgone")
    'ok\\x1b[2Jgone'
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch in "\n\t" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short, one-line, escaped rendering of ``value`` for a message.

    Text longer than ``limit`` is cut and its length stated; containers show their first items;
    integers too long to print show their number of digits.

    >>> excerpt("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100 characters)"
    >>> excerpt(10**400)
    'a 401-digit number'
    >>> excerpt([1, 2, 3, 4, 5, 6])
    '[1, 2, 3, 4, ...] (6 items)'
    """
    return _excerpt(value, limit, depth=0)


def _excerpt(value: Any, limit: int, depth: int) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if value.bit_length() < 4000 else None
        if digits is None or digits > 30:
            return f"a {digits or int(value.bit_length() * 0.30103) + 1}-digit number"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        if len(value) > limit:
            return printable(repr(value[:limit])[:-1] + "…" + repr(value)[-1]) + (
                f" ({len(value)} characters)"
            )
        return printable(repr(value))
    if isinstance(value, list | tuple | dict):
        if depth >= 2:
            return "[...]" if not isinstance(value, dict) else "{...}"
        items = list(value.items())[:4] if isinstance(value, dict) else list(value)[:4]
        budget = max(8, limit // 4)
        if isinstance(value, dict):
            shown = [
                f"{_excerpt(k, budget, depth + 1)}: {_excerpt(v, budget, depth + 1)}"
                for k, v in items
            ]
            open_, close = "{", "}"
        else:
            shown = [_excerpt(v, budget, depth + 1) for v in items]
            open_, close = "[", "]"
        more = ", ..." if len(value) > len(items) else ""
        text = f"{open_}{', '.join(shown)}{more}{close}"
        return text + (f" ({len(value)} items)" if more else "")
    return f"a {type(value).__name__}"


def cell_text_problem(text: str) -> str | None:
    """Why a worksheet cell cannot hold ``text``, or None.

    >>> cell_text_problem("Bad\x01name")
    'it holds U+0001 at position 4; a cell cannot hold control characters, U+FFFE or U+FFFF'
    """
    found = CELL_FORBIDDEN.search(text)
    if found is None:
        return None
    return (
        f"it holds U+{ord(found.group()):04X} at position {found.start() + 1}; a cell cannot "
        "hold control characters, U+FFFE or U+FFFF"
    )


#: What a spreadsheet reads as the start of a formula in a CSV field (OWASP, "CSV Injection":
#: =, +, -, @, and a tab or carriage return, which some read past).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text for a CSV cell that no spreadsheet runs: one that starts like a formula gets a
    leading apostrophe, as OWASP's CSV-injection guidance says (the CSV writer then quotes
    what needs quoting); anything else is kept as it is.

    >>> csv_cell("+cmd|' /C calc'!A0"), csv_cell("Europe"), csv_cell(-1.5)
    ("'+cmd|' /C calc'!A0", 'Europe', -1.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
