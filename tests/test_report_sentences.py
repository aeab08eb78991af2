"""Report sentences typed as written, the ones the schema had no words for: group figures,
bounds and hedges, shares of the world, figures outside the timeline, percentages as text, and
rounding judged on every quoted figure a model number is read from.

One market holds them all, built so that every model number is a closed form: USD 4.2 bn in
2024 and 7.1 bn in 2032 (so the market grows at g = (7.1/4.2)^(1/8) - 1 every year), regions at
37% and 26% of it with the rest residual (each a fixed share of the world, every year), and the
United States at 54% of North America. Each figure's status is judged here by hand, and found
on Reconciliation after LibreOffice recalculates the workbook; an edited copy shows the status
following an edit of the figures it is read from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cmo_xl.errors import SpecError
from cmo_xl.model.load import parse_spec
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.recalc import recalculate_many

from helpers import mismatches, need_libreoffice, resolve, values_of

V0, V1, N = 4.2, 7.1, 8  # the stated market values, 2024 and 2032, and the years between
P0 = P1 = 0.05  # half a unit of their last digit
G = (V1 / V0) ** (1 / N) - 1  # 6.7828%
NA, EUROPE, US = 0.37, 0.26, 0.54


def world(year: int) -> float:
    """The market in any year, extended past 2032 and before 2024 at the same rate."""
    return V0 * (1 + G) ** (year - 2024)


def cagr_interval(v0: float, p0: float, v1: float, p1: float, n: int) -> tuple[float, float]:
    """The issue's closed form: the CAGR the rounded values allow, lowest and highest."""
    return ((v1 - p1) / (v0 + p0)) ** (1 / n) - 1, ((v1 + p1) / (v0 - p0)) ** (1 / n) - 1


def source(value: Any) -> dict[str, Any]:
    return {"value": value, "provenance": "source", "source": "R"}


#: (label, the benchmark's fields, the status judged by hand, why)
SENTENCES: list[tuple[str, dict[str, Any], str]] = [
    # 6.9% alone is a conflict (6.78% < 6.85%), but 4.2 and 7.1 are rounded too: the model's
    # CAGR may be as high as 7.04%, so the quote is within rounding
    ("grows at a CAGR of 6.9% from 2024 to 2032",
     {"cagr": source("6.9%"), "start_year": 2024, "end_year": 2032}, "within rounding"),
    # inside the years of the two values the market grows at their CAGR, so a span that ends
    # in years the report states nothing for moves with their rounding all the same
    ("grows 6.9% a year from 2026 to 2030",
     {"cagr": source("6.9%"), "start_year": 2026, "end_year": 2030}, "within rounding"),
    ("grows 7.2% a year from 2026 to 2030",
     {"cagr": source("7.2%"), "start_year": 2026, "end_year": 2030}, "conflict"),
    ("grows at a CAGR of 7.2% from 2024 to 2032",  # above 7.04% + 0.05%
     {"cagr": source("7.2%"), "start_year": 2024, "end_year": 2032}, "conflict"),
    ("grows at around 8% a year",  # a hedge: 7% to 9%, which 7.04% reaches
     {"cagr": source("8%"), "start_year": 2024, "end_year": 2032, "qualifier": "around"},
     "within rounding"),
    ("grows 8% a year",  # plain: 7.5% to 8.5%
     {"cagr": source("8%"), "start_year": 2024, "end_year": 2032}, "conflict"),
    ("North America and Europe together account for more than 61%",  # 63%
     {"share": source("61%"), "year": 2024, "qualifier": "more than",
      "members": ["North America", "Europe"]}, "within bound"),
    ("North America and Europe together account for over 65%",
     {"share": source("65%"), "year": 2024, "qualifier": "over",
      "members": ["North America", "Europe"]}, "conflict"),
    ("the two regions combine for at least USD 2.6 bn",  # 0.63 * 4.2 = 2.646
     {"value": source(2.6), "year": 2024, "qualifier": "at least",
      "members": ["North America", "Europe"]}, "within bound"),
    ("the US holds 20% of the market",  # 0.37 * 0.54 = 19.98%
     {"share": source("20%"), "year": 2024, "region": "North America",
      "country": "United States", "share_of": "world"}, "within rounding"),
    ("the US holds 19.80% of the market",  # its trailing zero: 19.795% to 19.805%
     {"share": source("19.80%"), "year": 2024, "region": "North America",
      "country": "United States", "share_of": "world"}, "conflict"),
    ("the US holds 54% of North America",
     {"share": source("54%"), "year": 2024, "region": "North America",
      "country": "United States"}, "matched"),
    ("Europe under 25% by 2030", {"share": source("25%"), "year": 2030, "region": "Europe",
                                  "qualifier": "under"}, "conflict"),
    ("Europe below 30% by 2030", {"share": source("30%"), "year": 2030, "region": "Europe",
                                  "qualifier": "below"}, "within bound"),
    ("Europe between USD 1.5 and 2 bn in 2030",
     {"value": source(1.5), "high": source(2), "year": 2030, "region": "Europe",
      "qualifier": "between"}, "within bound"),
    ("Europe between USD 1.7 and 2 bn in 2030",
     {"value": source(1.7), "high": source(2), "year": 2030, "region": "Europe",
      "qualifier": "between"}, "conflict"),
    ("the market reaches around USD 7.6 bn in 2033",  # 7.1 * (1 + g) = 7.58, past the end
     {"value": source(7.6), "year": 2033, "qualifier": "around"}, "within rounding"),
    ("the market reaches USD 7.7 bn in 2033",
     {"value": source(7.7), "year": 2033}, "conflict"),
    ("the market was USD 3.2 bn in 2020",  # 4.2 / (1 + g)^4 = 3.230, before the base year
     {"value": source(3.2), "year": 2020}, "within rounding"),
    ("North America was USD 1.2 bn in 2020",  # 0.37 * 3.230 = 1.195
     {"value": source(1.2), "year": 2020, "region": "North America"}, "within rounding"),
    ("grew 6.8% a year from 2012 to 2017",  # g, all before the base year
     {"cagr": source("6.8%"), "start_year": 2012, "end_year": 2017}, "within rounding"),
    # in a stated year the market is the stated 7.1, anything from 7.05 to 7.15: 7.14 fits
    ("the market reaches USD 7.14 bn in 2032",
     {"value": source("7.14"), "year": 2032}, "within rounding"),
    # members of different regions, named in full: 0.37 * 0.54 + 0.26 * 0.30 = 27.78% of the
    # world, their only common parent
    ("the US and Germany make up more than a quarter of the market",
     {"share": source("25%"), "year": 2024, "qualifier": "more than",
      "members": [{"region": "North America", "country": "United States"},
                  {"region": "Europe", "country": "Germany"}]}, "within bound"),
    ("Europe and the US together make up around 46%",  # a region and a country: 45.98%
     {"share": source("46%"), "year": 2024, "qualifier": "around",
      "members": [{"region": "Europe"},
                  {"region": "North America", "country": "United States"}]}, "within rounding"),
    ("the US and Germany make up 30% of the market",
     {"share": source("30%"), "year": 2024,
      "members": [{"region": "North America", "country": "United States"},
                  {"region": "Europe", "country": "Germany"}]}, "conflict"),
]  # fmt: skip


def spec_data() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "market": {
            "name": "Sentences",
            "currency": "USD",
            "unit": "USD bn",
            "base_year": 2024,
            "end_year": 2032,
            "values": [{"year": 2024, **source("4.2")}, {"year": 2032, **source("7.1")}],
        },
        "phases": [{"start_year": 2024, "end_year": 2032}],
        "regions": [
            {
                "name": "North America",
                "share": source("37%"),
                "countries": [
                    {"name": "United States", "weight": source(0.54)},
                    {"name": "Canada", "residual": True},
                ],
            },
            {
                "name": "Europe",
                "share": source("26 %"),
                "countries": [
                    {"name": "Germany", "weight": source(0.3)},
                    {"name": "Rest of Europe", "residual": True},
                ],
            },
            {"name": "Rest of world", "residual": True},
        ],
        "benchmarks": [{"label": label, **fields} for label, fields, _ in SENTENCES],
        "sources": [{"id": "R", "quote": "A report of sentences."}],
    }


def columns(sheet: dict[str, Any]) -> dict[str, str]:
    """Reconciliation's header text -> its column letter (the headers sit in row 4)."""
    return {v: k[:-1] for k, v in sheet.items() if k[-1] == "4" and k[:-1].isalpha()}


def rows(sheet: dict[str, Any]) -> dict[str, int]:
    return {v: int(k[1:]) for k, v in sheet.items() if k.startswith("A") and k[1:].isdigit()}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The workbook as built, and a copy with the 2032 value typed as 7.3 and the "more than
    61%" figure as 64%, recalculated together; with the plan, for the cell-by-cell check."""
    need_libreoffice()
    folder = tmp_path_factory.mktemp("sentences")
    (folder / "in").mkdir()
    plan = plan_workbook(parse_spec(spec_data()))
    built = write_workbook(plan, folder / "in" / "sentences.xlsx")
    wb = openpyxl.load_workbook(built)
    for name, value in (("market_value_2032", 7.3), ("benchmark_share_7", 0.64)):
        sheet, cell = resolve(wb, name)
        wb[sheet][cell] = value
    edited = folder / "in" / "edited.xlsx"
    wb.save(edited)
    as_built, after_edit = recalculate_many([built, edited], folder / "out")
    return {"plan": plan, "built": values_of(as_built), "edited": values_of(after_edit)}


@pytest.mark.libreoffice
def test_each_sentence_gets_the_status_judged_by_hand(recalculated: dict[str, Any]) -> None:
    sheet = recalculated["built"]["Reconciliation"]
    col, row = columns(sheet), rows(sheet)
    got = {label: sheet[f"{col['Status']}{row[label]}"] for label, _, _ in SENTENCES}
    assert got == {label: status for label, _, status in SENTENCES}


@pytest.mark.libreoffice
def test_every_formula_cell_equals_the_engine(recalculated: dict[str, Any]) -> None:
    assert mismatches(recalculated["plan"], recalculated["built"]) == []


@pytest.mark.libreoffice
def test_the_model_numbers_are_the_closed_forms(recalculated: dict[str, Any]) -> None:
    sheet = recalculated["built"]["Reconciliation"]
    col, row = columns(sheet), rows(sheet)

    def model(label: str, header: str = "Model") -> float:
        return float(sheet[f"{col[header]}{row[label]}"])

    assert model("grows at a CAGR of 6.9% from 2024 to 2032") == pytest.approx(G, rel=1e-9)
    low, high = cagr_interval(V0, P0, V1, P1, N)
    assert (low, high) == (pytest.approx(0.0653076, abs=1e-7), pytest.approx(0.0703658, abs=1e-7))
    assert model("grows 8% a year", "Model low") == pytest.approx(low, rel=1e-9)
    assert model("grows 8% a year", "Model high") == pytest.approx(high, rel=1e-9)
    inner = "grows 6.9% a year from 2026 to 2030"
    assert model(inner) == pytest.approx(G, rel=1e-9)
    assert (model(inner, "Model low"), model(inner, "Model high")) == (
        pytest.approx(low, rel=1e-9),
        pytest.approx(high, rel=1e-9),
    )
    together = "North America and Europe together account for more than 61%"
    assert model(together) == pytest.approx(NA + EUROPE, rel=1e-9)
    us = "the US holds 20% of the market"
    assert model(us) == pytest.approx(NA * US, rel=1e-9)
    # the regions are shares of the world: the world's rounding does not move their share
    assert (model(us, "Model low"), model(us, "Model high")) == (model(us), model(us))
    assert model("Europe between USD 1.5 and 2 bn in 2030") == pytest.approx(
        EUROPE * world(2030), rel=1e-9
    )
    assert model("the market reaches USD 7.7 bn in 2033") == pytest.approx(world(2033), rel=1e-9)
    assert model("the market was USD 3.2 bn in 2020") == pytest.approx(world(2020), rel=1e-9)
    assert model("North America was USD 1.2 bn in 2020") == pytest.approx(
        NA * world(2020), rel=1e-9
    )
    assert model("grew 6.8% a year from 2012 to 2017") == pytest.approx(G, rel=1e-9)
    assert model("the US and Germany make up 30% of the market") == pytest.approx(
        NA * US + EUROPE * 0.3, rel=1e-9
    )
    rounding = sheet[f"{col['Rounding allowed for']}{row['grows 8% a year']}"]
    assert rounding == "the quote, Market value in 2024, Market value in 2032"


@pytest.mark.libreoffice
def test_the_status_follows_an_edit_of_what_it_is_read_from(recalculated: dict[str, Any]) -> None:
    """7.3 in 2032: the model's CAGR is (7.3/4.2)^(1/8) - 1 = 7.154%, its interval
    (7.25/4.25)^(1/8) - 1 = 6.904% to (7.35/4.15)^(1/8) - 1 = 7.406%: 7.2% (7.15% to 7.25%),
    a conflict before, is now within rounding, and so is 6.9% (6.85% to 6.95%); 64% is more
    than the two regions' 63%, a conflict."""
    sheet = recalculated["edited"]["Reconciliation"]
    col, row = columns(sheet), rows(sheet)
    low, high = cagr_interval(V0, P0, 7.3, P1, N)
    assert low == pytest.approx(0.069039, abs=1e-6) and high == pytest.approx(0.074063, abs=1e-6)

    def status(label: str) -> str:
        return str(sheet[f"{col['Status']}{row[label]}"])

    label = "grows at a CAGR of 7.2% from 2024 to 2032"
    assert float(sheet[f"{col['Model low']}{row[label]}"]) == pytest.approx(low, rel=1e-9)
    assert status(label) == "within rounding"
    assert status("grows at a CAGR of 6.9% from 2024 to 2032") == "within rounding"
    assert status("grows 7.2% a year from 2026 to 2030") == "within rounding"  # the same interval
    assert status("North America and Europe together account for more than 61%") == "conflict"


def test_a_figure_prints_as_written_in_the_conflict_warning() -> None:
    from cmo_xl.model.compute.engine import forecast
    from cmo_xl.model.compute.flags import flags

    texts = [f.text for f in flags(forecast(parse_spec(spec_data())))]
    assert any(t.startswith("Reported 19.80% for 2024;") for t in texts)
    assert any(t.startswith("Reported over 65% for 2024;") for t in texts)
    assert any(t.startswith("Reported between 1.7 and 2 for 2030;") for t in texts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"qualifier": "perhaps"}, r"benchmarks\[0\]\.qualifier: got 'perhaps'; must be a lower"),
        ({"qualifier": "between"}, r"benchmarks\[0\]\.high: missing; 'between' needs"),
        ({"high": source("9%")}, r"benchmarks\[0\]\.high: an upper end goes with qualifier"),
        ({"members": ["North America", "Asia"]}, r"members\[1\]: got 'Asia'; must be one of the"),
        ({"members": ["Europe", "Europe"]}, r"members\[1\]: got 'Europe' twice"),
        ({"share_of": "world"}, r"share_of: only a share is of something; this figure is a cagr"),
        (
            {"members": ["Europe", {"region": "North America", "country": "United States"}]},
            r"members: name every member in full, or every one by name; not both",
        ),
        (
            {"members": [{"region": "Europe"}, {"region": "Europe", "country": "Germany"}]},
            r"members\[1\]: overlaps members\[0\]; a group's members add",
        ),
        (
            {"members": [{"region": "Europe", "country": "France"}, {"region": "Europe"}]},
            r"members\[0\]\.country: got 'France'; must be one of Europe's countries",
        ),
        ({"start_year": 1900}, r"must be a period of at least a year from 1924 to 2132"),
    ],
)
def test_a_sentence_the_rules_refuse_is_named(change: dict[str, Any], message: str) -> None:
    data = spec_data()
    data["benchmarks"] = [{**data["benchmarks"][0], **change}]
    with pytest.raises(SpecError, match=message):
        parse_spec(data)


def test_a_country_share_names_the_fields_a_country_takes() -> None:
    data = spec_data()
    data["regions"][0]["countries"][0]["share"] = source(0.2)
    with pytest.raises(SpecError, match=r"a country takes weight .* or value"):
        parse_spec(data)


@pytest.mark.parametrize(
    ("written", "value", "precision"),
    [("37%", 0.37, 0.005), ("6.8 %", 0.068, 0.0005), ("19.80%", 0.198, 0.00005)],
)
def test_a_percentage_as_text_keeps_its_digits(
    written: str, value: float, precision: float
) -> None:
    from cmo_xl.model.resolution.resolve import resolve as resolve_model

    data = spec_data()
    data["benchmarks"] = [
        {"label": "said", "share": source(written), "year": 2024, "region": "Europe"}
    ]
    (b,) = [b for b in resolve_model(parse_spec(data)).benchmarks if b.label == "said"]
    assert (b.figure.value, b.precision.value) == (pytest.approx(value), pytest.approx(precision))


def test_a_hedge_doubles_the_default_precision() -> None:
    from cmo_xl.model.resolution.resolve import resolve as resolve_model

    model = resolve_model(parse_spec(spec_data()))
    by_label = {b.label: b for b in model.benchmarks}
    assert by_label["grows at around 8% a year"].precision.value == pytest.approx(0.01)
    assert by_label["grows 8% a year"].precision.value == pytest.approx(0.005)
    assert by_label["the market reaches around USD 7.6 bn in 2033"].precision.value == (
        pytest.approx(0.1)
    )


def test_the_workbook_file_round_trips_the_new_fields(tmp_path: Path) -> None:
    """What ``read`` gives back builds the same reconciliation (qualifiers, groups, shares of
    the world, years outside the timeline)."""
    from cmo_xl.roundtrip.read import read_book

    path = write_workbook(plan_workbook(parse_spec(spec_data())), tmp_path / "s.xlsx")
    again = read_book(path).spec
    assert again.benchmarks == parse_spec(spec_data()).benchmarks
