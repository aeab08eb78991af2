"""Summary: values at the base year and each phase end, input versus implied CAGRs, benchmarks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cmo_xl.model import engine, growth, names
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
    values: list[float]
    inputs: list[tuple[str, float]]  # (defined name, value) of input CAGRs, one per column


def _na(x: float) -> float | str:
    return "n/a" if math.isnan(x) else x


class _Table:
    """A table of series: values at boundary years, input CAGRs, implied CAGRs."""

    def __init__(self, ctx: Context, sheet: SheetPlan, row: int) -> None:
        self.ctx, self.sheet, self.row = ctx, sheet, row
        spec = ctx.spec
        self.boundary_names = [names.BASE_YEAR] + [
            names.phase_end(k) for k in range(1, len(spec.phases) + 1)
        ]
        self.boundary_years = [spec.market.base_year] + [ph.end_year for ph in spec.phases]

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
            sheet.put(header, col, f"={name}", "header", "year", cached=year)
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
        base_year = ctx.spec.market.base_year
        for s in series:
            self.row += 1
            r = self.row
            sheet.put(r, LABEL_COL, s.label)
            sheet.put(r, UNIT_COL, ctx.spec.market.unit, "unit")
            at = [s.values[y - base_year] for y in self.boundary_years]
            for vc, value in zip(value_cols, at, strict=True):
                formula = formula_text.at_year(
                    s.row_range, names.YEARS, a1.cell(header, vc, abs_row=True)
                )
                sheet.put(r, vc, "=" + formula, "calc", "value", cached=value)
            col = value_cols[-1] + 1
            for k, (name, value) in enumerate(s.inputs):
                sheet.put(r, col, f"={name}", "calc", "pct2", cached=value)
                if per_phase:
                    self._implied(
                        r, header, value_cols[k], value_cols[k + 1], col + 1, at[k], at[k + 1]
                    )
                    col += 1
                col += 1
            self._implied(r, header, value_cols[0], value_cols[-1], col, at[0], at[-1])
        self.row += 2
        return self.row

    def _implied(
        self,
        row: int,
        header: int,
        start_col: int,
        end_col: int,
        col: int,
        start: float,
        end: float,
    ) -> None:
        start_ref, end_ref = a1.cell(row, start_col), a1.cell(row, end_col)
        years = (
            f"({a1.cell(header, end_col, abs_row=True)}-{a1.cell(header, start_col, abs_row=True)})"
        )
        span = (
            self.boundary_years[end_col - FIRST_VALUE_COL]
            - self.boundary_years[start_col - FIRST_VALUE_COL]
        )
        self.sheet.put(
            row,
            col,
            "=" + formula_text.cagr(start_ref, end_ref, years),
            "calc",
            "pct2",
            cached=_na(growth.implied_cagr(start, end, span)),
        )


def build_summary_sheet(ctx: Context, regions: RegionRows, splits: list[SplitRows]) -> SheetPlan:
    spec, m = ctx.spec, ctx.spec.market
    sheet = SheetPlan(TITLE, landscape=True)
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
    phases = range(1, len(spec.phases) + 1)
    world = ctx.values[engine.world_key()]
    market = [
        Series(
            "World",
            names.WORLD_VALUES,
            world,
            [(names.market_cagr(k), spec.phases[k - 1].cagr.value) for k in phases],
        )
    ]
    for i, r in enumerate(spec.regions):
        rates = engine.region_rates(spec, i)
        market.append(
            Series(
                r.name,
                ctx.row_ref(regions.sheet, regions.value[r.name]),
                ctx.values[engine.region_key(r.name)],
                [(names.region_cagr(r.name, k), rates[k - 1]) for k in phases],
            )
        )
    table.write(
        "Market and regions", market, [f"Input CAGR, phase {k}" for k in phases], per_phase=True
    )

    for split in splits:
        if split.world is not None:
            table.write(
                f"{split.sheet.title}: world",
                [
                    Series(
                        name,
                        ctx.row_ref(split.sheet, row),
                        ctx.values[split.key(None, name)],
                        [],
                    )
                    for name, row in split.world.value.items()
                ],
                [],
                per_phase=False,
            )
        by_region = []
        for region, block in split.blocks.items():
            for name, row in block.value.items():
                cagr_name, cagr = _member_cagr(ctx, split, region, name)
                by_region.append(
                    Series(
                        f"{region}: {name}",
                        ctx.row_ref(split.sheet, row),
                        ctx.values[split.key(region, name)],
                        [(cagr_name, cagr)],
                    )
                )
        table.write(
            f"{split.sheet.title} by region", by_region, ["Input CAGR (mix shift)"], per_phase=False
        )

    if spec.benchmarks:
        _benchmarks(ctx, sheet, table.row)
    return sheet


def _member_cagr(ctx: Context, split: SplitRows, region: str, member: str) -> tuple[str, float]:
    spec, dimension = ctx.spec, split.dimension
    if split.level == engine.COUNTRY:
        r = next(r for r in spec.regions if r.name == region)
        c = next(c for c in r.countries if c.name == member)
        return (
            names.country_cagr(region, member),
            c.cagr.value if c.cagr else engine.headline_cagr(spec),
        )
    d_index = [d.name for d in spec.dimensions].index(dimension)
    dim = spec.dimensions[d_index]
    _, cagrs = engine.segment_mix(spec, d_index, region)
    k = [s.name for s in dim.segments].index(member)
    overridden = any(
        o.region == region and o.segment == member and o.cagr is not None for o in dim.overrides
    )
    return names.segment_cagr(dimension, member, region if overridden else None), cagrs[k]


def _benchmarks(ctx: Context, sheet: SheetPlan, row: int) -> None:
    sheet.put(row, LABEL_COL, "Reported growth figures against the model", "section")
    row += 1
    for col, text in enumerate(
        ("Figure", "Unit", "From", "To", "Reported CAGR", "Model's implied CAGR", "Difference"),
        start=1,
    ):
        sheet.put(row, col, text, "header")
    for i, b in enumerate(engine.benchmarks(ctx.spec, ctx.frame), start=1):
        row += 1
        start, end = names.benchmark_start(i), names.benchmark_end(i)
        sheet.put(row, 1, b.label)
        sheet.put(row, 2, "%", "unit")
        sheet.put(row, 3, f"={start}", "calc", "year", cached=b.start_year)
        sheet.put(row, 4, f"={end}", "calc", "year", cached=b.end_year)
        sheet.put(row, 5, f"={names.benchmark_cagr(i)}", "calc", "pct2", cached=b.reported_cagr)
        model = formula_text.cagr(
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, start),
            formula_text.at_year(names.WORLD_VALUES, names.YEARS, end),
            f"({end}-{start})",
        )
        sheet.put(row, 6, "=" + model, "calc", "pct2", cached=_na(b.model_cagr))
        sheet.put(
            row, 7, f"={a1.cell(row, 6)}-{a1.cell(row, 5)}", "check", "pct2", cached=b.difference
        )
