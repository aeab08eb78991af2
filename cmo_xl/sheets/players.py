"""Players: reported revenue and the share of the market it implies in its year."""

from __future__ import annotations

from cmo_xl import a1, engine, names, xlformula
from cmo_xl.plan import SheetPlan
from cmo_xl.sheets.context import Context

TITLE = "Players"
HEADERS = ("Player", "Revenue", "Year", "Market in that year", "Implied share of market", "Note")


def build_players_sheet(ctx: Context) -> SheetPlan:
    spec, m = ctx.spec, ctx.spec.market
    sheet = SheetPlan(TITLE)
    sheet.put(1, 1, "Players", "title")
    sheet.put(
        2,
        1,
        f"Revenue in {m.unit} as the source reports it; the share divides it by the "
        "modelled market in the same year.",
        "subtitle",
    )
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(4, col, text, "header")
    sheet.widths = {1: 30, 2: 12, 3: 8, 4: 18, 5: 22, 6: 90}
    sheet.freeze = "A5"
    world = ctx.values[(engine.MARKET, "", engine.WORLD)]
    row = 4
    for p in spec.players:
        row += 1
        sheet.put(row, 1, p.name)
        notes = " ".join(t for t in (p.revenue.note if p.revenue else "", p.note) if t)
        sheet.put(row, 6, notes, "note")
        if p.revenue is None or p.revenue_year is None:
            sheet.put(row, 2, "not stated", "unit")
            continue
        market = world[p.revenue_year - m.base_year]
        sheet.put(
            row, 2, f"={names.player_revenue(p.name)}", "calc", "value", cached=p.revenue.value
        )
        sheet.put(row, 3, f"={names.player_year(p.name)}", "calc", "year", cached=p.revenue_year)
        sheet.put(
            row,
            4,
            "=" + xlformula.at_year(names.WORLD_VALUES, names.YEARS, a1.cell(row, 3)),
            "calc",
            "value",
            cached=market,
        )
        sheet.put(
            row,
            5,
            "=" + xlformula.ratio(a1.cell(row, 2), a1.cell(row, 4)),
            "calc",
            "share",
            cached=p.revenue.value / market,
        )
    return sheet
