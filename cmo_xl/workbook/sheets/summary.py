"""Summary: values at the base year and each phase end, and input versus implied CAGRs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cmo_xl.model.compute import engine
from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Input, Member
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets.context import LABEL_COL, UNIT_COL, Context
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import SplitRows

TITLE = "Summary"
FIRST_VALUE_COL = 3


@dataclass(frozen=True)
class Series:
    label: str
    row_range: str  # the series' whole timeline, e.g. Regions!$C$12:$M$12
    key: engine.Key
    inputs: tuple[Input | None, ...]  # input CAGRs, one per column (None: the row has none)


def _growth_header(members: Sequence[Member]) -> str:
    """What the members' growth inputs are: mix-shift rates, their own CAGRs (beside a
    residual), or some of each."""
    anchored = {m.anchored for m in members}
    if anchored == {False}:
        return "Relative growth rate (mix shift)"
    if anchored == {True}:
        return "Its own CAGR (a residual takes the rest)"
    return "Mix-shift rate, or its own CAGR beside a residual"


class _Table:
    """A table of series: values at boundary years, input CAGRs, implied CAGRs."""

    def __init__(self, ctx: Context, sheet: SheetPlan, row: int) -> None:
        self.ctx, self.sheet, self.row = ctx, sheet, row
        bounds = [ctx.model.base_year, *(p.end for p in ctx.model.phases)]
        self.boundary_names = [b.name for b in bounds]
        self.boundary_years = [int(b.value) for b in bounds]

    def write(
        self, title: str, series: Sequence[Series], input_headers: list[str], per_phase: bool
    ) -> int:
        sheet, ctx = self.sheet, self.ctx
        sheet.put(self.row, LABEL_COL, title, "section")
        self.row += 1
        header = self.row
        sheet.put(header, LABEL_COL, "Series", "header")
        sheet.put(header, UNIT_COL, "Unit", "header")
        value_cols = range(FIRST_VALUE_COL, FIRST_VALUE_COL + len(self.boundary_years))
        for col, name, year in zip(
            value_cols, self.boundary_names, self.boundary_years, strict=True
        ):
            sheet.formula(header, col, name, cached=year, style="header", fmt="year")
        col = value_cols[-1] + 1
        extra_headers = []
        for k, text in enumerate(input_headers):
            extra_headers.append((col, text))
            if per_phase:
                extra_headers.append((col + 1, f"Implied, phase {k + 1}"))
                col += 1
            col += 1
        extra_headers.append((col, "Implied, whole period"))
        for c, text in extra_headers:
            sheet.put(header, c, text, "header")
        sheet.heights[header] = 30  # two lines: Excel does not grow a row for wrapped text
        years = self.boundary_years
        for s in series:
            self.row += 1
            r = self.row
            sheet.put(r, LABEL_COL, s.label)
            sheet.put(r, UNIT_COL, ctx.spec.market.unit, "unit")
            for vc, year in zip(value_cols, years, strict=True):
                text = formula_text.at_year(
                    s.row_range, names.YEARS, a1.cell(header, vc, abs_row=True)
                )
                sheet.formula(r, vc, text, cached=ctx.result.at(s.key, year), fmt="value_nq")
            col = value_cols[-1] + 1
            for k in range(len(input_headers)):
                item = s.inputs[k] if k < len(s.inputs) else None
                if item is None:  # a residual, or a member that keeps its share
                    sheet.put(r, col, "none", "unit")
                else:
                    sheet.formula(r, col, item.name, cached=item.value, fmt="pct")
                if per_phase:
                    self._implied(r, header, s.key, value_cols[k], value_cols[k + 1], col + 1)
                    col += 1
                col += 1
            self._implied(r, header, s.key, value_cols[0], value_cols[-1], col)
        self.row += 2
        return self.row

    def _implied(
        self, row: int, header: int, key: engine.Key, start_col: int, end_col: int, col: int
    ) -> None:
        start_ref, end_ref = a1.cell(row, start_col), a1.cell(row, end_col)
        start_year = a1.cell(header, start_col, abs_row=True)
        end_year = a1.cell(header, end_col, abs_row=True)
        implied = self.ctx.result.implied(
            key,
            self.boundary_years[start_col - FIRST_VALUE_COL],
            self.boundary_years[end_col - FIRST_VALUE_COL],
        )
        text = formula_text.cagr(start_ref, end_ref, formula_text.span(end_year, start_year))
        self.sheet.formula(
            row, col, text, cached=formula_text.cached_or_not_available(implied), fmt="pct"
        )


@dataclass(frozen=True)
class SummarySheet:
    sheet: SheetPlan


def build_summary_sheet(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> SummarySheet:
    model, m = ctx.model, ctx.spec.market
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL_COL, "Summary", "title")
    sheet.put(
        2,
        LABEL_COL,
        f"{m.name}, {m.unit}: values at the base year and at the end of "
        "each growth phase; input and implied CAGRs",
        "subtitle",
    )
    sheet.widths = {LABEL_COL: 44, UNIT_COL: 9}
    sheet.widths.update({c: 14 for c in range(FIRST_VALUE_COL, FIRST_VALUE_COL + 12)})
    sheet.freeze = "C4"
    table = _Table(ctx, sheet, 4)
    phases = len(model.phases)
    market = [
        Series(
            "World",
            names.WORLD_VALUES,
            engine.world_key(),
            tuple(p.cagr for p in model.phases),
        )
    ]
    for r in model.regions:
        market.append(
            Series(
                r.name,
                ctx.row_ref(regions.sheet, regions.value[r.name]),
                engine.region_key(r.name),
                r.cagrs,
            )
        )
    table.write(
        "Market and regions",
        market,
        [f"Input CAGR, phase {k}" for k in range(1, phases + 1)],
        per_phase=True,
    )

    for split in splits:
        if split.world is not None:
            table.write(
                f"{split.sheet.title}: world",
                [
                    Series(name, ctx.row_ref(split.sheet, row), split.key(None, name), ())
                    for name, row in split.world.value.items()
                ],
                [],
                per_phase=False,
            )
        by_region = []
        for region, block in split.blocks.items():
            members = {m.name: m for m in split.members(ctx.model, region)}
            for name, row in block.value.items():
                by_region.append(
                    Series(
                        f"{region}: {name}",
                        ctx.row_ref(split.sheet, row),
                        split.key(region, name),
                        (members[name].cagr,),
                    )
                )
        table.write(
            f"{split.sheet.title} by region",
            by_region,
            [_growth_header([m for r in split.blocks for m in split.members(ctx.model, r)])],
            per_phase=False,
        )

    return SummarySheet(sheet)
