"""The Checks sheet's title and columns, which its sections share (checks, warnings, integrity)
and its readers (the recalculation's comparison) take from here."""

TITLE = "Checks"
LABEL, GAP, TOLERANCE, FLAG, STATUS = range(1, 6)
