"""Baseline (b): openpyxl in write-only mode dumps the same formula strings, without styles,
cached values, validations or names.

Run by the harness as a process of its own: python bench/baseline_dump.py FORMULAS.pickle OUT.xlsx
"""

import pickle
import sys
from pathlib import Path

from openpyxl import Workbook

sheets = pickle.loads(Path(sys.argv[1]).read_bytes())
wb = Workbook(write_only=True)
for title, cells in sheets.items():
    ws = wb.create_sheet(title)
    rows: dict[int, dict[int, str]] = {}
    for row, col, text in cells:
        rows.setdefault(row, {})[col] = text
    for r in range(1, max(rows, default=0) + 1):
        found = rows.get(r, {})
        ws.append([found.get(c) for c in range(1, max(found, default=0) + 1)])
wb.save(sys.argv[2])
