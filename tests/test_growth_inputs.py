"""Growth inputs that mean what they say, proven by LibreOffice on edited workbooks.

A mix-shift rate is labelled as one and shows the CAGR it gives its member; labels that quote
phase years follow edits of the phase ends; a region CAGR that moves the world away from the
market CAGR raises a warning, not a failed check. Every expectation is computed by hand here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.model.spec.schema import Spec
from cmo_xl.workbook.recalc import recalculate_many
from cmo_xl.workbook.sheets import inputs

from helpers import need_libreoffice, resolve, values_of, without_cached_values

pytestmark = pytest.mark.libreoffice

EDITS: dict[str, dict[str, Any]] = {
    "us_at_13": {"cagr_NorthAmerica_UnitedStates": 0.13},
    "phase_1_to_2026": {"phase_end_p1": 2026},
    "apac_at_14": {"cagr_AsiaPacific_p2": 0.14},
    "benchmark_edited": {"benchmark_cagr_1": 0.085, "benchmark_end_1": 2031},
}


@pytest.fixture(scope="module")
def edited(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each edit applied to the default workbook and recalculated, all in one LibreOffice run."""
    need_libreoffice()
    work = tmp_path_factory.mktemp("growth_inputs")
    copies = [without_cached_values(built, work / f"{k}.xlsx", e) for k, e in EDITS.items()]
    outputs = recalculate_many(copies, work / "recalculated")
    return {k: values_of(out) for k, out in zip(EDITS, outputs, strict=True)}


def inputs_row(built: Path, name: str) -> int:
    _, address = resolve(openpyxl.load_workbook(built), name)
    return int(address.lstrip("ABCDEFGH"))


def implied_column() -> str:
    return "ABCDEFGH"[inputs.IMPLIED - 1]


def test_a_typed_country_rate_shows_the_cagr_it_gives(
    built: Path, edited: dict[str, Any], cmo_spec: Spec
) -> None:
    values = edited["us_at_13"]["Inputs"]
    row = inputs_row(built, "cagr_NorthAmerica_UnitedStates")
    assert values[f"A{row}"] == "United States: relative growth rate (mix shift)"
    assert values[f"C{row}"] == 0.13
    (north_america,) = [r for r in cmo_spec.regions if r.name == "North America"]
    w_us, w_ca = (c.weight.value for c in north_america.countries)
    # the region grows 6% for 3 years, then 11.4% for 7; the US's share moves by mix shift
    region_growth = 1.06**3 * 1.114**7
    share_end = w_us * 1.13**10 / (w_us * 1.13**10 + w_ca * 1.114**10)
    by_hand = (region_growth * share_end / w_us) ** 0.1 - 1
    assert values[f"{implied_column()}{row}"] == pytest.approx(by_hand, rel=1e-9)
    assert f"{by_hand:.2%}" == "10.51%"  # the README's example
    # Canada keeps following the market's 11.4% and gets less than it
    canada = values[f"{implied_column()}{row + 1}"]
    share_ca = w_ca * 1.114**10 / (w_us * 1.13**10 + w_ca * 1.114**10)
    assert canada == pytest.approx((region_growth * share_ca / w_ca) ** 0.1 - 1, rel=1e-9)


def test_labels_follow_the_phase_years(built: Path, edited: dict[str, Any]) -> None:
    values = edited["phase_1_to_2026"]["Inputs"]
    assert values[f"A{inputs_row(built, 'market_cagr_p1')}"] == "Market CAGR, phase 1 (2022-2026)"
    assert values[f"A{inputs_row(built, 'market_cagr_p2')}"] == "Market CAGR, phase 2 (2026-2032)"
    assert values[f"A{inputs_row(built, 'cagr_Europe_p2')}"] == "Europe, phase 2 (2026-2032)"
    labels = [
        v
        for a, v in values.items()
        if a.startswith("A") and isinstance(v, str) and "phase" in v and "20" in v
    ]
    assert labels and not any("2025" in v for v in labels), labels
    scenarios = [v for a, v in edited["phase_1_to_2026"]["Scenarios"].items() if a[0] == "A"]
    assert {"World in 2026", "World CAGR, phase 2 (2026-2032)"} <= set(scenarios)
    assert not any("2025" in str(v) for v in scenarios), scenarios


def test_a_region_cagr_that_moves_the_world_warns(edited: dict[str, Any]) -> None:
    checks = edited["apac_at_14"]["Checks"]
    # shares are unchanged at 2025 (every region grew 6%); then Asia-Pacific grows 14%
    world_phase_2 = ((0.40 + 0.25) * 1.114**7 + 0.35 * 1.14**7) ** (1 / 7) - 1
    assert f"{world_phase_2:.2%}" == "12.35%"  # the figure the issue quotes
    (row,) = [
        int(a[1:])
        for a, v in checks.items()
        if a.startswith("A") and isinstance(v, str) and v.startswith("World growth in phase 2")
    ]
    assert checks[f"B{row}"] == pytest.approx(world_phase_2 - 0.114, rel=1e-9)
    assert (checks[f"D{row}"], checks[f"E{row}"]) == (1, "WARN")
    assert checks["E6"] == 1  # the count of warnings on top
    assert checks["E4"] == "OK"  # a warning is not a failed check
    before = edited["us_at_13"]["Checks"]  # Asia-Pacific follows the market there
    assert (before[f"E{row}"], before["E6"]) == ("OK", 0)


def test_the_sources_flag_quotes_live_figures(edited: dict[str, Any]) -> None:
    """The reported figure, its years and the model's CAGR over them all follow edits."""
    sources = edited["benchmark_edited"]["Sources"]
    world_2031 = 73 * 1.06**3 * 1.114**6  # every region follows the market
    model = (world_2031 / 73) ** (1 / 9) - 1
    expected = (
        f"Reported 8.5% for 2022-2031; the model implies {model:.2%}. Shown on "
        "Reconciliation; not used as an input."
    )
    assert f"{model:.2%}" == "9.57%"
    assert expected in sources.values()
