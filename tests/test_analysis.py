"""The Analysis sheet against closed forms worked out here, after LibreOffice recalculates.

In the CMO template every region grows 6% to 2025, then 11.4% to 2032, from shares of 40%, 35%,
25%, 0% and 0% of USD 73 bn. So the world in 2025 is 73 * 1.06^3, and over the forecast phase
(2025-2032, 7 years) a move of every region's CAGR by s gives 73 * 1.06^3 * (1.114 + s)^7.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cmo_xl.workbook.recalc import recalculate_many

from helpers import need_libreoffice, values_of, without_cached_values

pytestmark = pytest.mark.libreoffice

WORLD_2025 = 73 * 1.06**3
SHARES = {
    "North America": 0.40,
    "Asia-Pacific": 0.35,
    "Europe": 0.25,
    "Latin America": 0.0,
    "Middle East & Africa": 0.0,
}
STEPS = [-0.02, -0.01, 0.01, 0.02]  # cmo_xl's default CAGR steps
EDITS: dict[str, dict[str, Any]] = {
    "as_built": {},
    "edited": {"target_end_value": 250, "cagr_step_4": 0.03, "base_value_step_2": 0.25},
}


@pytest.fixture(scope="module")
def analysis(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    need_libreoffice()
    work = tmp_path_factory.mktemp("analysis")
    copies = [without_cached_values(built, work / f"{k}.xlsx", e) for k, e in EDITS.items()]
    outputs = recalculate_many(copies, work / "recalculated")
    return {k: values_of(out)["Analysis"] for k, out in zip(EDITS, outputs, strict=True)}


def row_of(sheet: dict[str, Any], label: str, nth: int = 0) -> int:
    rows = sorted(int(a[1:]) for a, v in sheet.items() if a.startswith("A") and v == label)
    return rows[nth]


def test_goal_seek_in_closed_form(analysis: dict[str, dict[str, Any]]) -> None:
    sheet = analysis["as_built"]
    row = row_of(sheet, "CAGR that reaches the target, every region alike")
    assert sheet[f"C{row}"] == pytest.approx((200 / 86.944168) ** (1 / 7) - 1, rel=1e-7)
    assert sheet[f"C{row}"] == pytest.approx((200 / WORLD_2025) ** (1 / 7) - 1, rel=1e-12)
    assert f"{sheet[f'C{row}']:.2%}" == "12.64%"  # the README's example
    gap = row_of(sheet, "Gap: the CAGR needed less the one assumed")
    assert sheet[f"C{gap}"] == pytest.approx((200 / WORLD_2025) ** (1 / 7) - 1 - 0.114, rel=1e-9)
    edited = analysis["edited"]
    assert edited[f"C{row}"] == pytest.approx((250 / WORLD_2025) ** (1 / 7) - 1, rel=1e-12)


def test_every_region_and_each_region(analysis: dict[str, dict[str, Any]]) -> None:
    sheet = analysis["as_built"]
    every = row_of(sheet, "Every region's forecast-phase CAGR")
    got = [sheet[f"{c}{every}"] for c in "CDEF"]
    assert got == pytest.approx([WORLD_2025 * (1.114 + s) ** 7 for s in STEPS], rel=1e-12)
    closed = WORLD_2025 * 1.114**7
    for region, share in SHARES.items():
        row = row_of(sheet, f"{region}'s forecast-phase CAGR")
        start = WORLD_2025 * share
        expected = [closed + start * ((1.114 + s) ** 7 - 1.114**7) for s in STEPS]
        assert [sheet[f"{c}{row}"] for c in "CDEF"] == pytest.approx(expected, rel=1e-12), region
    edited = analysis["edited"]
    assert edited[f"F{every}"] == pytest.approx(WORLD_2025 * 1.144**7, rel=1e-12)


def test_base_value_and_the_grid(analysis: dict[str, dict[str, Any]]) -> None:
    sheet = analysis["as_built"]
    world_2032 = WORLD_2025 * 1.114**7
    row = row_of(sheet, "The base value")
    assert [sheet[f"C{row}"], sheet[f"D{row}"]] == pytest.approx(
        [world_2032 * 0.9, world_2032 * 1.1], rel=1e-12
    )
    grid = row_of(sheet, "Every region's CAGR moves by step 1")
    for i, s in enumerate(STEPS):
        expected = [WORLD_2025 * (1.114 + s) ** 7 * (1 + b) for b in (-0.1, 0.1)]
        got = [sheet[f"C{grid + i}"], sheet[f"D{grid + i}"]]
        assert got == pytest.approx(expected, rel=1e-12)
    edited = analysis["edited"]
    assert edited[f"D{row}"] == pytest.approx(world_2032 * 1.25, rel=1e-12)


def test_tornado_ranks_the_inputs_by_swing(analysis: dict[str, dict[str, Any]]) -> None:
    sheet = analysis["as_built"]
    every_swing = WORLD_2025 * (1.134**7 - 1.094**7)
    base_swing = WORLD_2025 * 1.114**7 * 0.2
    assert every_swing > base_swing > 0.40 * every_swing
    top = row_of(sheet, "Tornado, widest swing first") + 2  # the section band, then headers
    ranked = [sheet[f"A{top + k}"] for k in range(7)]
    assert ranked == [
        "Every region's forecast-phase CAGR",
        "The base value",
        "North America's forecast-phase CAGR",
        "Asia-Pacific's forecast-phase CAGR",
        "Europe's forecast-phase CAGR",
        "Latin America's forecast-phase CAGR",  # a swing of 0, tied: kept in spec order
        "Middle East & Africa's forecast-phase CAGR",
    ]
    assert sheet[f"E{top}"] == pytest.approx(every_swing, rel=1e-12)
    assert sheet[f"E{top + 1}"] == pytest.approx(base_swing, rel=1e-12)
    assert sheet[f"E{top + 5}"] == 0
