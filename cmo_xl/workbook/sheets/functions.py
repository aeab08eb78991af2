"""Functions (with ``--udfs``): each cmo_xl UDF called on the model's own cells, the same number
computed with native formulas beside it, and their difference. Also the ``xlwings.conf`` sheet.

Array results are entered as array formulas over a fixed range, which every Excel version
computes; Excel 365 would put an implicit-intersection ``@`` in front of a plain formula that
returns an array and show only its first value.
"""

from __future__ import annotations

from cmo_xl.model.compute import engine
from cmo_xl.model.resolution import names
from cmo_xl.workbook import a1, formula_text
from cmo_xl.workbook.records import NumberFormat, SheetPlan, Style
from cmo_xl.workbook.sheets.context import (
    FIRST_BODY_ROW,
    LABEL_COL,
    UNIT_COL,
    Context,
    section,
    timeline_sheet,
    year_ref,
)
from cmo_xl.workbook.sheets.regions import RegionRows
from cmo_xl.workbook.sheets.split import SplitRows

TITLE = "Functions"
CONFIG_TITLE = "xlwings.conf"  # the sheet name xlwings reads its workbook settings from
UDF_MODULE = "cmo_xl.udfs"
Comparison = tuple[str, str, str]  # (sheet, UDF cell, native-formula cell)


def build_xlwings_conf_sheet() -> SheetPlan:
    """Tell the xlwings add-in which module holds the UDFs."""
    sheet = SheetPlan(CONFIG_TITLE)
    sheet.put(1, 1, "UDF Modules")
    sheet.put(1, 2, UDF_MODULE)
    sheet.widths = {1: 20, 2: 30}
    return sheet


class _Blocks:
    """Writes comparison blocks down the sheet, remembering which cells must agree."""

    def __init__(self, ctx: Context, sheet: SheetPlan) -> None:
        self.ctx, self.sheet, self.row = ctx, sheet, FIRST_BODY_ROW
        self.comparisons: list[Comparison] = []

    def _difference(
        self,
        udf: tuple[int, int],
        native: tuple[int, int],
        at: tuple[int, int],
        udf_value: float,
        native_value: float,
    ) -> None:
        u, n = a1.cell(*udf), a1.cell(*native)
        difference = engine.difference(udf_value, native_value)
        self.sheet.formula(
            *at, formula_text.minus(u, n), cached=difference, style="check", fmt="precise", udf=True
        )
        self.comparisons.append((self.sheet.title, u, n))

    def _array(
        self, row: int, col: int, grid: list[list[float | str]], call: str, fmt: NumberFormat
    ) -> None:
        """An array formula over ``grid``'s shape; the other cells hold its cached results."""
        ref = a1.area(row, col, row + len(grid) - 1, col + len(grid[0]) - 1)
        for i, line in enumerate(grid):
            for j, value in enumerate(line):
                style: Style = "calc"
                cell_fmt: NumberFormat | None = fmt
                if isinstance(value, str):
                    style, cell_fmt = "label", None
                elif isinstance(value, int):
                    style, cell_fmt = "header", "year"
                if (i, j) == (0, 0):
                    self.sheet.formula(
                        row, col, call, cached=value, style=style, fmt=cell_fmt, array=ref, udf=True
                    )
                else:
                    self.sheet.put(row + i, col + j, value, style, cell_fmt, udf=True)

    def _heading(self, title: str) -> int:
        section(self.ctx, self.sheet, self.row, title)
        for k, text in enumerate(("UDF", "Native formula", "Difference")):
            self.sheet.put(self.row + 1 + k, LABEL_COL, text, "total" if k == 2 else "label")
        return self.row + 1

    def scalar(
        self,
        title: str,
        call: str,
        value: float,
        native: str,
        native_value: float,
        fmt: NumberFormat,
    ) -> None:
        top, col = self._heading(title), self.ctx.first_col
        self.sheet.formula(top, col, call, cached=value, fmt=fmt, udf=True)
        self.sheet.formula(top + 1, col, native, cached=native_value, fmt=fmt)
        self._difference((top, col), (top + 1, col), (top + 2, col), value, native_value)
        self.row = top + 4

    def across(
        self,
        title: str,
        call: str,
        values: list[float],
        natives: list[str],
        native_values: list[float],
        fmt: NumberFormat,
    ) -> None:
        """A one-row result under the timeline's years."""
        top, first = self._heading(title), self.ctx.first_col
        self._array(top, first, [list[float | str](values)], call, fmt)
        for k, (native, value, native_value) in enumerate(
            zip(natives, values, native_values, strict=True)
        ):
            self.sheet.formula(top + 1, first + k, native, cached=native_value, fmt=fmt)
            self._difference(
                (top, first + k), (top + 1, first + k), (top + 2, first + k), value, native_value
            )
        self.row = top + 4

    def down(
        self,
        title: str,
        labels: list[str],
        call: str,
        values: list[float],
        natives: list[str],
        native_values: list[float],
        fmt: NumberFormat,
    ) -> None:
        """A one-column result, a row per member: UDF, native and difference side by side."""
        section(self.ctx, self.sheet, self.row, title)
        col = self.ctx.first_col
        for k, text in enumerate(("UDF", "Native formula", "Difference")):
            self.sheet.put(self.row + 1, col + k, text, "header")
        self.sheet.heights[self.row + 1] = 30  # two lines: Excel does not grow it for wrapping
        top = self.row + 2
        self._array(top, col, [[v] for v in values], call, fmt)
        for k, (label, native, value, native_value) in enumerate(
            zip(labels, natives, values, native_values, strict=True)
        ):
            self.sheet.put(top + k, LABEL_COL, label)
            self.sheet.formula(top + k, col + 1, native, cached=native_value, fmt=fmt)
            self._difference(
                (top + k, col), (top + k, col + 1), (top + k, col + 2), value, native_value
            )
        self.row = top + len(values) + 1

    def table(
        self,
        title: str,
        call: str,
        table: list[list[float | str]],
        natives: list[list[str]],
        native_values: list[list[float]],
    ) -> None:
        """A table with a header row of years and a name column; below it the native table
        and the differences, for the numbers."""
        section(self.ctx, self.sheet, self.row, title)
        top, col = self.row + 1, UNIT_COL
        self.sheet.put(top, LABEL_COL, "UDF")
        self._array(top, col, table, call, "value")
        base = top + len(table)
        diff = base + len(natives)
        self.sheet.put(base, LABEL_COL, "Native formula")
        self.sheet.put(diff, LABEL_COL, "Difference", "total")
        for i, (formulas, values) in enumerate(zip(natives, native_values, strict=True)):
            for j, (formula, value) in enumerate(zip(formulas, values, strict=True)):
                at = (base + i, col + 1 + j)
                self.sheet.formula(*at, formula, cached=value, fmt="value")
                udf_value = float(table[i + 1][j + 1])
                self._difference(
                    (top + 1 + i, col + 1 + j), at, (diff + i, col + 1 + j), udf_value, value
                )
        self.row = diff + len(natives) + 1


def build_functions_sheet(
    ctx: Context, regions: RegionRows, countries: SplitRows | None
) -> tuple[SheetPlan, list[Comparison]]:
    """The Functions sheet, and the (sheet, UDF cell, native cell) pairs that must agree."""
    sheet = timeline_sheet(
        ctx,
        TITLE,
        "Each cmo_xl function on the model's own cells, beside "
        "the same number from native formulas. Needs the xlwings add-in, "
        "classic or Lite (see the README); #NAME? here means the functions "
        "are not registered: in Lite, requirements.txt must keep its xlwings "
        "line beside cmo-xl, and main.py import them.",
    )
    blocks = _Blocks(ctx, sheet)
    examples = engine.function_examples(ctx.result)
    region = examples.region
    model = ctx.model
    inputs, phase1 = model.region(region), model.phases[0]
    values = ctx.values[engine.region_key(region)]
    first_year, p1 = ctx.years[0], int(ctx.model.phases[0].end.value)
    base = regions.sheet.ref(regions.value[region], ctx.first_col, abs_row=True, abs_col=True)
    timeline = ctx.row_ref(regions.sheet, regions.value[region])

    blocks.scalar(
        f"cmo_forecast: {region} at the end of phase 1, at its phase 1 CAGR",
        formula_text.call(
            "cmo_forecast", [base, inputs.cagrs[0].name, names.BASE_YEAR, phase1.end.name]
        ),
        examples.forecast_phase1,
        formula_text.at_year(timeline, names.YEARS, phase1.end.name),
        values[p1 - first_year],
        "value",
    )
    blocks.scalar(
        f"cmo_phased: {region} in the end year, through every phase",
        formula_text.call(
            "cmo_phased",
            [base, names.BASE_YEAR, names.PHASE_ENDS, inputs.cagrs_range, names.END_YEAR],
        ),
        examples.phased_end,
        formula_text.at_year(timeline, names.YEARS, names.END_YEAR),
        values[-1],
        "value",
    )
    span = formula_text.span(names.END_YEAR, names.BASE_YEAR)
    start = formula_text.at_year(names.WORLD_VALUES, names.YEARS, names.BASE_YEAR)
    end = formula_text.at_year(names.WORLD_VALUES, names.YEARS, names.END_YEAR)
    blocks.scalar(
        "cmo_cagr: the world's implied CAGR over the whole timeline",
        formula_text.call("cmo_cagr", [start, end, span]),
        examples.world_cagr,
        formula_text.bare_cagr(start, end, span),
        examples.world_cagr,
        "pct",
    )

    rate = inputs.cagrs[0].name
    columns = range(ctx.first_col, ctx.last_col + 1)
    blocks.across(
        f"cmo_series: {region} at its phase 1 CAGR in every year",
        formula_text.call("cmo_series", [base, rate, names.BASE_YEAR, names.END_YEAR]),
        examples.series,
        [
            formula_text.grow_for(base, rate, formula_text.span(year_ref(c), names.BASE_YEAR))
            for c in columns
        ],
        examples.series_native,
        "value",
    )

    if countries is not None and engine.mixes(inputs):
        _mix_blocks(ctx, blocks, examples, regions, countries)
    _table_block(ctx, blocks, examples, regions)
    return sheet, blocks.comparisons


def _mix_blocks(
    ctx: Context,
    blocks: _Blocks,
    examples: engine.FunctionExamples,
    regions: RegionRows,
    countries: SplitRows,
) -> None:
    region = examples.region
    inputs = ctx.model.region(region)
    labels = [c.name for c in inputs.countries]
    span = formula_text.minus(names.END_YEAR, names.BASE_YEAR)
    mix_args = [inputs.weights_range, inputs.country_cagrs_range, span]
    block, last = countries.blocks[region], ctx.last_col
    blocks.down(
        f"cmo_mix: shares of {region}'s countries in the end year",
        labels,
        formula_text.call("cmo_mix", mix_args),
        examples.mix,
        [countries.sheet.ref(block.share[c], last, abs_row=True, abs_col=True) for c in labels],
        [ctx.shares[engine.country_key(region, c)][-1] for c in labels],
        "share",
    )
    region_end = regions.sheet.ref(regions.value[region], last, abs_row=True, abs_col=True)
    blocks.down(
        f"cmo_split: {region}'s end-year value split among its countries",
        labels,
        formula_text.call("cmo_split", [region_end, *mix_args]),
        examples.split,
        [countries.sheet.ref(block.value[c], last, abs_row=True, abs_col=True) for c in labels],
        [ctx.values[engine.country_key(region, c)][-1] for c in labels],
        "value",
    )


def _table_block(
    ctx: Context, blocks: _Blocks, examples: engine.FunctionExamples, regions: RegionRows
) -> None:
    rows = list(regions.value.values())
    first = ctx.first_col
    labels = regions.sheet.area_ref(min(rows), LABEL_COL, max(rows), LABEL_COL)
    bases = regions.sheet.area_ref(min(rows), first, max(rows), first)
    rate = ctx.model.phases[0].cagr.name
    table: list[list[float | str]] = [["Name", *ctx.years]]
    natives = []
    for r, row in zip(ctx.model.regions, examples.table, strict=True):
        table.append([r.name, *row])
        cell = regions.sheet.ref(regions.value[r.name], first, abs_row=True, abs_col=True)
        natives.append(
            [
                formula_text.grow_for(cell, rate, formula_text.span(year_ref(c), names.BASE_YEAR))
                for c in range(first, ctx.last_col + 1)
            ]
        )
    blocks.table(
        "cmo_table: every region at the market's phase 1 CAGR",
        formula_text.call("cmo_table", [labels, bases, rate, names.BASE_YEAR, names.END_YEAR]),
        table,
        natives,
        examples.table_native,
    )
