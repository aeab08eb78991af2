"""Spec validation: every problem names the field path, the value received and what is allowed."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.compute.engine import forecast
from cmo_xl.model.compute.flags import flags, placeholders
from cmo_xl.model.load import parse_spec
from cmo_xl.model.resolution.resolve import resolve
from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import load_template, template_names
from cmo_xl.workbook.plan import plan_workbook

from spec_samples import small_spec_data

Edit = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(path: list[Any]) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


#: (edit, a regex that the single problem must match)
BAD = {
    "missing field": (
        _delete(["market", "base_year"]),
        r"^market\.base_year: missing; this field is required$",
    ),
    "reported year outside the timeline": (
        _set(["market", "last_reported_year"], 2019),
        r"^market\.last_reported_year: got 2019; must be from market\.base_year \(2020\) to "
        r"market\.end_year \(2023\)$",
    ),
    "wrong type": (
        _set(["market", "base_value", "value"], "lots"),
        r"^market\.base_value\.value: got 'lots'; must be a number, or a number and a scale "
        r"word \(thousand, million, billion, trillion\)$",
    ),
    "number as text": (
        _set(["regions", 0, "share", "value"], "0.6"),
        r"^regions\[0\]\.share\.value: got '0\.6'; input should be a valid number",
    ),
    "share above 1": (
        _set(["regions", 1, "share", "value"], 1.2),
        r"^regions\[1\]\.share\.value: got 1\.2; input should be less than or "
        r"equal to 1",
    ),
    "cagr below -50%": (
        _set(["phases", 0, "cagr", "value"], -0.9),
        r"^phases\[0\]\.cagr\.value: got -0\.9; input should be greater than or "
        r"equal to -0\.5",
    ),
    "unknown provenance": (
        _set(["regions", 0, "share", "provenance"], "guess"),
        r"^regions\[0\]\.share\.provenance: got 'guess'; input should be "
        r"'source', 'analyst' or 'placeholder'",
    ),
    "unknown field": (
        _set(["market", "colour"], "blue"),
        r"^market\.colour: unknown field \(value 'blue'\)",
    ),
    "year not whole": (_set(["market", "end_year"], 2023.5), r"^market\.end_year: got 2023\.5"),
    "unknown region in override": (
        _set(["dimensions", 0, "overrides", 0, "region"], "Atlantis"),
        r"^dimensions\[0\]\.overrides\[0\]\.region: got 'Atlantis'; must be one of "
        r"\['East', 'West'\]$",
    ),
    "unknown segment in override": (
        _set(["dimensions", 0, "overrides", 1, "segment"], "Z"),
        r"^dimensions\[0\]\.overrides\[1\]\.segment: got 'Z'; must be one of \['A', 'B'\]$",
    ),
    "source id unknown": (
        _set(["benchmarks", 0, "cagr", "source"], "S9"),
        r"^benchmarks\[0\]\.cagr\.source: got 'S9'; must be one of the "
        r"sources ids \['S1'\]$",
    ),
    "source provenance without id": (
        _delete(["benchmarks", 0, "cagr", "source"]),
        r"^benchmarks\[0\]\.cagr\.source: missing; provenance 'source' needs the id",
    ),
    "wrong schema version": (
        _set(["schema_version"], 2),
        r"^schema_version: got 2; this cmo_xl reads schema_version 1$",
    ),
    "sheet name too long": (
        _set(["dimensions", 1, "name"], "x" * 32),
        r"^dimensions\[1\]\.name: got 'x{32}'; it names a sheet, and a sheet "
        r"name has at most 31 characters",
    ),
    "sheet name with a slash": (_set(["dimensions", 1, "name"], "In/Out"), r"must not contain /"),
    "names that clash once reduced": (
        _set(["regions", 1, "name"], "EAST!"),
        r"^regions\[1\]\.name: got 'EAST!'; it clashes with regions\[0\]\.name \('East'\)",
    ),
    "revenue without a year": (
        _delete(["players", 0, "revenue_year"]),
        r"^players\[0\]: revenue and revenue_year go together",
    ),
    "revenue year after the timeline": (
        _set(["players", 0, "revenue_year"], 2030),
        r"^players\[0\]\.revenue_year: got 2030; must be at most the end year 2023 ",
    ),
    "formula-like text": (
        _set(["players", 1, "note"], "=cmd|' /C calc'!A0"),
        r"^players\[1\]\.note: got \"=cmd\|' /C calc'!A0\"; text must not "
        r"start with =",
    ),
    "region cagr list too short": (
        _set(["regions", 0, "cagr"], []),
        r"^regions\[0\]\.cagr: got 0 entries; need one per phase \(2\)",
    ),
    "zero market": (
        _set(["market", "base_value", "value"], 0),
        r"^market\.base_value\.value: got 0(\.0)?; the market must be at least 1e-06 in its "
        r"unit \(choose a smaller unit for a smaller market\)$",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_spec_names_field_value_and_rule(case: str) -> None:
    edit, pattern = BAD[case]
    data = copy.deepcopy(small_spec_data())
    edit(data)
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert len(info.value.problems) == 1, info.value.problems
    assert re.search(pattern, info.value.problems[0]), info.value.problems[0]


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        (
            _set(["market", "end_year"], 2019),
            r"market\.end_year: got 2019; must be after market\.base_year \(2020\)",
        ),
        (
            _set(["phases", 1, "start_year"], 2021),
            r"phases\[1\]\.start_year: got 2021; phases must be consecutive, so it must equal "
            r"phases\[0\]\.end_year \(2022\)",
        ),
        (
            _set(["regions", 0, "share", "value"], 0.5),
            r"regions\[\*\]\.share: region shares sum to 0\.9; they must sum to 1",
        ),
        (
            _set(["market", "end_year"], 20000),
            r"market\.end_year: got 20000; input should be "
            r"less than or equal to 9999",
        ),
    ],
)
def test_cross_field_rules(edit: Edit, pattern: str) -> None:
    data = copy.deepcopy(small_spec_data())
    edit(data)
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert any(re.search(pattern, p) for p in info.value.problems), info.value.problems


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(SpecError, match=r"\(top level\): got \[1, 2\]; expected a mapping"):
        parse_spec([1, 2])


def test_the_cmo_template_is_faithful() -> None:
    spec = load_template("cmo_services")
    m = spec.market
    assert (m.unit, m.base_year, m.end_year, m.base_value.value) == ("USD bn", 2022, 2032, 73.0)
    assert [(p.start_year, p.end_year, p.cagr.value) for p in spec.phases] == [
        (2022, 2025, 0.06),
        (2025, 2032, 0.114),
    ]
    shares = {r.name: r.share.value for r in spec.regions}
    assert shares == {
        "North America": 0.40,
        "Asia-Pacific": 0.35,
        "Europe": 0.25,
        "Latin America": 0.0,
        "Middle East & Africa": 0.0,
    }
    countries = {r.name: [c.name for c in r.countries] for r in spec.regions}
    assert countries["Latin America"] == ["Mexico", "Brazil", "Argentina", "Colombia"]
    assert countries["Middle East & Africa"] == ["Turkey", "Saudi Arabia", "UAE"]
    assert "United Kingdom" in countries["Europe"]
    assert not any("Korea" in c for c in countries["Middle East & Africa"])
    assert [s.name for s in spec.dimensions[1].segments] == [
        "Oral",
        "Injectable",
        "Spray",
        "Others",
    ]
    fixes = {c.original: c.corrected for c in spec.corrections}
    assert fixes == {
        "Argentina Korea": "Argentina",
        "Saudi / Arabia": "Saudi Arabia",
        "Korea": "",
        "U.K.": "United Kingdom",
        "Spays Products": "Spray",
    }
    revenue = {p.name: p.revenue.value if p.revenue else None for p in spec.players}
    assert revenue == {
        "Lonza": 6.1,
        "Catalent": 4.4,
        "Patheon / Thermo Fisher": 2.5,
        "Baxter": 0.8,
        "AbbVie": None,
        "Aurobindo Pharma": None,
        "Zhejiang Huahai": None,
    }
    assert [(b.start_year, b.end_year, b.cagr.value) for b in spec.benchmarks] == [
        (2022, 2030, 0.07)
    ]


def test_the_mess_is_flagged(cmo_spec: Spec) -> None:
    text = "\n".join(f"{f.title} {f.text}" for f in flags(forecast(cmo_spec)))
    assert "Conflicting figure" in text and "9.34%" in text
    assert "Not quantified: Latin America" in text
    assert "Not quantified: Middle East & Africa" in text
    assert len(placeholders(resolve(cmo_spec))) == 2 + 23 + 7  # two shares, countries, segments


def test_every_bundled_template_validates() -> None:
    assert "cmo_services" in template_names()
    for name in template_names():
        load_template(name)


@pytest.mark.parametrize(("off", "valid"), [(5e-10, True), (2e-9, False), (1e-6, False)])
def test_what_validates_builds_a_workbook_whose_checks_pass(off: float, valid: bool) -> None:
    """The spec's sum rule and the workbook's check tolerance are one number."""
    data = copy.deepcopy(small_spec_data())
    data["regions"][0]["share"]["value"] = 0.6 + off
    data["regions"][1]["share"]["value"] = 0.4
    if not valid:
        with pytest.raises(SpecError, match=r"regions\[\*\]\.share: region shares sum to "):
            parse_spec(data)
        return
    plan = plan_workbook(parse_spec(data))
    (master,) = [c for c in plan.sheet("Checks").cells if (c.row, c.col) == (4, 5)]
    assert master.value == "OK"


def test_defined_names_listed_for_the_spec_are_the_workbooks(cmo_spec: Spec) -> None:
    """The list the spec check uses is exactly what the plan defines: no name escapes it."""
    for spec in (cmo_spec, parse_spec(small_spec_data())):
        listed = [name for name, _ in resolve(spec).defined_names()]
        assert len(listed) == len(set(listed))
        assert set(listed) == set(plan_workbook(spec).names)


def test_identifier_joins_apostrophes_and_hyphens_inside_words() -> None:
    from cmo_xl.model.resolution.names import identifier

    assert identifier("Buyer's channel") == "BuyersChannel"
    assert identifier("Buyer\u2019s channel") == "BuyersChannel"
    assert identifier("e-commerce") == "Ecommerce"
    assert identifier("Asia-Pacific") == "AsiaPacific"
    assert identifier("- leading - and trailing -") == "LeadingAndTrailing"
    assert identifier("Cote d'Ivoire") == "CoteDIvoire"  # the rest of a word keeps its case
    assert identifier("Zu\u0308rich") == "Zürich"  # decomposed accents are composed first
    assert identifier("m²") == "M"  # only letters and the digits 0-9


def test_flags_say_which_implied_cagr_they_quote() -> None:
    spec = parse_spec(small_spec_data())  # East has its own 20% in phase 2
    (flag,) = [f for f in flags(forecast(spec)) if f.title.startswith("Conflicting")]
    assert flag.title == "Conflicting figure: Said 9%"
    world = ((60 * 1.1**2 * 1.2 + 40 * 1.1**2 * 1.05) / 100) ** (1 / 3) - 1
    assert f"{world:.2%}" == "11.32%"
    assert flag.text == (
        "Reported 9% for 2020-2023; the model implies 11.32%. Shown on Reconciliation; not "
        "used as an input."
    )


def test_players_before_the_base_year_are_set_against_the_base_year(tmp_path: Path) -> None:
    from cmo_xl.workbook.plan import plan_workbook

    data = small_spec_data()
    data["players"] = [
        {"name": "Early", "revenue": {"value": 5.0, "provenance": "analyst"}, "revenue_year": 2018},
        {"name": "Later", "revenue": {"value": 5.0, "provenance": "analyst"}, "revenue_year": 2022},
    ]
    sheet = plan_workbook(parse_spec(data)).sheet("Players")
    cached = {(c.row, c.col): c.value for c in sheet.cells if c.is_formula}
    assert [cached[(5, k)] for k in (3, 4, 5, 6)] == [2018, 2020, 100, pytest.approx(0.05)]
    market_2022 = 60 * 1.1**2 + 40 * 1.1**2
    assert [cached[(6, k)] for k in (3, 4)] == [2022, 2022]
    assert cached[(6, 6)] == pytest.approx(5 / market_2022, rel=1e-12)


def test_no_players_no_players_sheet() -> None:
    from cmo_xl.workbook.plan import plan_workbook

    data = small_spec_data()
    del data["players"]
    titles = [s.title for s in plan_workbook(parse_spec(data)).sheets]
    assert "Players" not in titles and "Summary" in titles


def test_the_plan_refuses_what_excel_cannot_hold() -> None:
    from cmo_xl.errors import LimitError
    from cmo_xl.workbook.records import SheetPlan

    sheet = SheetPlan("Regions")
    sheet.formula(1, 1, "1+" * 4095 + "1", cached=4096.0)  # 8,192 characters with "="
    with pytest.raises(LimitError, match=r"^Regions!B1: the formula would have 8,193 characters"):
        sheet.formula(1, 2, "1+" * 4095 + "12", cached=0.0)
    with pytest.raises(LimitError, match=r"^Regions!C1: the text would have 32,768 characters"):
        sheet.put(1, 3, "x" * 32_768)
    with pytest.raises(LimitError, match=r"^Regions!D1: the model computes inf here"):
        sheet.formula(1, 4, "1/0", cached=math.inf)
    assert sheet.put(1, 5, "=cmd|' /C calc'!A0").formula is None  # text stays text


@pytest.mark.parametrize("title", ["regions", "XLWINGS.CONF", "Players"])
def test_a_dimension_may_not_take_a_sheet_title_of_cmo_xl(title: str) -> None:
    """Checked where the titles live, in the sheet modules; validate plans, so it refuses too."""
    from cmo_xl.workbook.plan import plan_workbook

    data = small_spec_data()
    data["dimensions"][1]["name"] = title
    with pytest.raises(SpecError) as info:
        plan_workbook(parse_spec(data))
    (problem,) = info.value.problems
    assert re.match(rf"dimensions\[1\]\.name: got '{title}'; it names a sheet and '", problem)


def test_the_source_document_is_cited_on_the_cover_and_on_sources(cmo_spec: Spec) -> None:
    plan = plan_workbook(cmo_spec)
    cover = [c.value for c in plan.sheet("Cover").cells if isinstance(c.value, str)]
    sources = [c.value for c in plan.sheet("Sources").cells if isinstance(c.value, str)]
    citation = (
        'Reliable Research Reports, "Contract Manufacturing Organization Services Market Size: '
        "Growth Outlook from 2025 to 2032, projecting at Market's Trends Analysis by Application, "
        'Regional Outlook, and Revenue", report 1708502, '
        "https://www.reliableresearchreports.com/contract-manufacturing-organization-services-"
        "r1708502, accessed 2026-11-25"
    )
    assert citation in cover
    assert {"Reliable Research Reports", "1708502", "2026-11-25"} <= set(sources)
