"""Baseline (a): pandas writes the same forecast numbers as plain values, no formulas.

Run by the harness as a process of its own: python bench/baseline_pandas.py NUMBERS.npy OUT.xlsx
"""

import sys

import numpy as np
import pandas as pd

numbers = np.load(sys.argv[1])
pd.DataFrame(numbers).to_excel(sys.argv[2])
