"""The columns of the Checks sheet, which its sections share (checks, warnings, integrity)."""

LABEL, GAP, TOLERANCE, FLAG, STATUS = range(1, 6)
