"""The writer's output, part by part: every XML part of the default workbook (sheets, styles,
validations, names, charts), canonicalised, against the digests recorded in
tests/golden/cmo_services_parts.json. The golden record holds each cell's formula and value;
this one holds everything else a faster writer could change without a word.

A deliberate change regenerates it: ``CMO_XL_REGENERATE_GOLDEN=1 pytest
tests/test_writer_parts.py``; ``python bench/compare_parts.py OLD.xlsx NEW.xlsx`` shows what
changed between two builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from compare_parts import parts  # noqa: E402

RECORD = Path(__file__).parent / "golden" / "cmo_services_parts.json"


def test_every_part_of_the_default_workbook_is_as_recorded(built: Path) -> None:
    found = {
        name: hashlib.sha256(data).hexdigest() for name, data in sorted(parts(str(built)).items())
    }
    if os.environ.get("CMO_XL_REGENERATE_GOLDEN"):
        RECORD.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        # a record compared with itself proves nothing: the run that writes it fails
        pytest.fail("parts record regenerated; run again without CMO_XL_REGENERATE_GOLDEN")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    changed = sorted(n for n in set(found) | set(recorded) if found.get(n) != recorded.get(n))
    assert changed == [], (
        f"these parts changed: {changed}; if that was meant, regenerate the record"
    )
