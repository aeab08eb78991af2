"""The benchmark harness runs: a smoke-sized run, not timed (speed goals live in bench/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import need_libreoffice, run_python

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.libreoffice


def test_the_harness_measures_a_smoke_sized_spec(tmp_path: Path) -> None:
    need_libreoffice()
    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\nEarlier runs stay below.\n", encoding="utf-8")
    run = run_python([str(ROOT / "bench" / "harness.py"), "--smoke", "--out", str(out)], ROOT,
                     timeout=300)  # fmt: skip
    assert run.code == 0, run.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!-- harness: start -->\n## ")
    assert text.rstrip().endswith("Earlier runs stay below.")
    row = next(line for line in text.splitlines() if line.startswith("| smoke: "))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 10
    assert int(cells[1].replace(",", "")) > 1000  # formula cells
    assert all(c.endswith((" s", " MB", "x")) for c in cells[2:])  # measured, not "not run"
    assert "One `cmo_table` UDF call over 10,000 rows:" in text
