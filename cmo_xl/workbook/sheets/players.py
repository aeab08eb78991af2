"""Players: reported revenue and the share of the market it implies."""

from __future__ import annotations

from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import Chart, ChartSeries, SheetPlan
from cmo_xl.workbook.sheets.context import Context

TITLE = "Players"
HEADERS = (
    "Player",
    "Revenue",
    "Year",
    "Market year",
    "Market in that year",
    "Implied share of market",
    "Note",
)
PLAYER, REVENUE, YEAR, MARKET_YEAR, MARKET, SHARE, NOTE = range(1, 8)
#: The headers' row; the players follow it, those with a reported revenue first.
HEADER_ROW = 4


def build_players_sheet(ctx: Context) -> SheetPlan:
    """The sheet for a spec that lists players (the workbook has none otherwise)."""
    m = ctx.spec.market
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Players", "title")
    sheet.put(
        2,
        1,
        f"Revenue in {m.unit} as the source reports it. The share divides it by the modelled "
        "market in the same year.",
        "subtitle",
    )
    sheet.put(
        3,
        1,
        f"Revenue reported for a year before {m.base_year}, when the model starts, is set "
        f"against the {m.base_year} market (the Market year column).",
        "subtitle",
    )
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(HEADER_ROW, col, text, "header")
    sheet.widths = {PLAYER: 26, REVENUE: 10, YEAR: 7, MARKET_YEAR: 10, MARKET: 14, SHARE: 14}
    sheet.widths[NOTE] = 70
    sheet.freeze = "A5"
    shares = {s.name: s for s in ctx.result.players}
    row = HEADER_ROW
    # Players with a reported figure first, so that a chart can take them as one range.
    ordered = sorted(ctx.model.players, key=lambda p: p.revenue is None)
    for p in ordered:
        row += 1
        sheet.put(row, PLAYER, p.name)
        notes = " ".join(t for t in (p.revenue.note if p.revenue else "", p.note) if t)
        sheet.put(row, NOTE, notes, "note")
        if p.revenue is None or p.year is None:
            sheet.put(row, REVENUE, "not stated", "unit")
            continue
        share = shares[p.name]
        sheet.formula(row, REVENUE, p.revenue.name, cached=share.revenue, fmt="value")
        sheet.formula(row, YEAR, p.year.name, cached=share.revenue_year, fmt="year")
        text = formula_text.later_of(a1.cell(row, YEAR), names.BASE_YEAR)
        sheet.formula(row, MARKET_YEAR, text, cached=share.market_year, fmt="year")
        text = formula_text.at_year(names.WORLD_VALUES, names.YEARS, a1.cell(row, MARKET_YEAR))
        sheet.formula(row, MARKET, text, cached=share.market, fmt="value")
        text = formula_text.ratio(a1.cell(row, REVENUE), a1.cell(row, MARKET))
        sheet.formula(row, SHARE, text, cached=share.share, fmt="share")
    return sheet


def players_chart(players: SheetPlan, count: int) -> Chart:
    """The Dashboard's chart of the ``count`` players with a reported revenue, which this
    sheet lists first."""
    first, last = HEADER_ROW + 1, HEADER_ROW + count
    return Chart(
        "column",
        "Players' reported revenue as a share of the market",
        "",
        players.area_ref(first, PLAYER, last, PLAYER),
        (
            ChartSeries(
                players.ref(HEADER_ROW, SHARE, abs_row=True, abs_col=True),
                players.area_ref(first, SHARE, last, SHARE),
            ),
        ),
        "share of the market",
        "pct",
    )
