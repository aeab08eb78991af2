"""The registry of sheets: every sheet cmo_xl writes, in workbook order, with its kind, the
titles it takes, when it appears (its builder returns no sheet) and what the Cover says of it.

The plan builds the sheets by kind (:data:`BUILD_ORDER`: the inputs first, the cover last, as
each needs what the ones before it placed) and keeps the registry's order in the workbook; the
Checks sheet, the Cover and ``verify`` read the kinds. A new sheet is a module under
``sheets/`` plus one :class:`Entry` here; a sheet that others refer to is also a property of
:class:`Built`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from cmo_xl.model.resolution import names
from cmo_xl.model.resolution.resolved import Key, region_key, world_key
from cmo_xl.version import __version__
from cmo_xl.workbook.records import SheetPlan
from cmo_xl.workbook.sheets import (
    analysis,
    check_columns,
    checks,
    countries,
    cover,
    dashboard,
    functions,
    history,
    inputs,
    players,
    reconciliation,
    regions,
    scenarios,
    sources,
    spec_sheet,
    summary,
)
from cmo_xl.workbook.sheets.context import Context
from cmo_xl.workbook.sheets.segments import build_segment_sheet
from cmo_xl.workbook.sheets.split import SplitRows

#: What a sheet is, which says when it is built and what guards it:
#: ``calculation`` sheets hold only formulas over the inputs, and the Checks sheet counts each of
#: their formula rows (as it does the Dashboard's); ``checks`` and ``functions`` hold only
#: formulas too; ``record`` sheets hold text as written (sources, the spec); ``addin`` is
#: settings for the xlwings add-in, not a page.
Kind = Literal[
    "inputs", "calculation", "dashboard", "checks", "functions", "record", "addin", "cover"
]  # fmt: skip
BUILD_ORDER: tuple[Kind, ...] = (
    "inputs", "calculation", "dashboard", "checks", "functions", "record", "addin", "cover",
)  # fmt: skip
#: Kinds that may hold no typed number: ``verify`` reports one there.
FORMULAS_ONLY: frozenset[Kind] = frozenset({"calculation", "dashboard", "checks", "functions"})
#: Kinds whose formula rows the integrity checks count.
GUARDED: frozenset[Kind] = frozenset({"calculation", "dashboard"})


@dataclass(frozen=True)
class Options:
    """How the workbook is built (``build``'s options)."""

    spec_label: str
    udfs: bool
    protect: bool


@dataclass
class Built:
    """The workbook as far as it is built: the sheets that others refer to, each built once,
    when first asked for, and every sheet placed so far by its kind."""

    ctx: Context
    options: Options
    placed: list[tuple[Entry, SheetPlan]] = field(default_factory=list)

    def of_kinds(self, kinds: frozenset[Kind]) -> list[SheetPlan]:
        return [sheet for entry, sheet in self.placed if entry.kind in kinds]

    def in_workbook_order(self) -> list[tuple[Entry, SheetPlan]]:
        """The sheets placed so far, in the registry's order (an entry's own in theirs)."""
        order = {id(entry): k for k, entry in enumerate(SHEETS)}
        return sorted(self.placed, key=lambda placed: order[id(placed[0])])

    @cached_property
    def inputs(self) -> inputs.InputsSheet:
        return inputs.build_inputs_sheet(self.ctx)

    @cached_property
    def regions(self) -> regions.RegionRows:
        return regions.build_regions_sheet(self.ctx)

    @cached_property
    def countries(self) -> SplitRows | None:
        if not any(r.countries for r in self.ctx.model.regions):
            return None
        return countries.build_countries_sheet(self.ctx, self.regions)

    @cached_property
    def splits(self) -> list[SplitRows]:
        """Countries, then one sheet per dimension: each region split among its members."""
        found = [self.countries] if self.countries is not None else []
        dims = self.ctx.model.dimensions
        return found + [build_segment_sheet(self.ctx, d, self.regions) for d in dims]

    @cached_property
    def series(self) -> dict[Key, str]:
        """Every series' value row, by its engine key: the world, regions, countries, segments."""
        ctx = self.ctx
        rows = {world_key(): names.WORLD_VALUES}
        for region, row in self.regions.value.items():
            rows[region_key(region)] = ctx.row_ref(self.regions.sheet, row)
        for split in self.splits:
            for region, block in split.blocks.items():
                for member, row in block.value.items():
                    rows[split.key(region, member)] = ctx.row_ref(split.sheet, row)
            if split.world is not None:
                for member, row in split.world.value.items():
                    rows[split.key(None, member)] = ctx.row_ref(split.sheet, row)
        return rows

    @cached_property
    def players(self) -> SheetPlan | None:
        return players.build_players_sheet(self.ctx) if self.ctx.model.players else None

    @cached_property
    def reconciliation(self) -> tuple[SheetPlan, list[str]]:
        """The sheet, and where each benchmark's status sits (for Sources)."""
        return reconciliation.build_reconciliation_sheet(self.ctx, self.series)

    @cached_property
    def checks(self) -> checks.ChecksSheet:
        scanned = [self.inputs.sheet, *self.of_kinds(frozenset({"calculation"}))]
        guarded = self.of_kinds(GUARDED)
        built = checks.build_checks_sheet(self.ctx, self.regions, self.splits, scanned, guarded)
        assert (built.master_status, built.warnings) == self.verdicts
        return built

    @cached_property
    def verdicts(self) -> tuple[str, int]:
        """The engine's master-check verdict and its count of growth warnings."""
        return checks.verdicts(self.ctx)

    @cached_property
    def functions(self) -> tuple[SheetPlan, list[functions.Comparison]]:
        return functions.build_functions_sheet(self.ctx, self.regions, self.countries)


def _inputs(built: Built) -> list[SheetPlan]:
    # The implied CAGR beside each growth rate reads the series rows of the sheets after it.
    built.inputs.add_implied_cagrs(built.ctx, built.series)
    return [built.inputs.sheet]


def _dashboard(built: Built) -> list[SheetPlan]:
    master, warnings = built.verdicts
    statuses = reconciliation.status_range(built.reconciliation[0])
    health = dashboard.Health(master, warnings, built.inputs.provenance_range, statuses)
    ctx, players_sheet = built.ctx, built.players
    return [
        dashboard.build_dashboard_sheet(ctx, built.regions, built.splits, players_sheet, health)
    ]


def _cover(built: Built) -> list[SheetPlan]:
    """The Cover, built last, listing every other sheet with its registry line."""
    placed = built.in_workbook_order()
    contents = [(s.title, e.about.format(title=s.title.lower())) for e, s in placed]
    sheet = cover.build_cover_sheet(
        built.ctx,
        spec_label=built.options.spec_label,
        version=__version__,
        contents=contents,
        inputs=built.inputs,
        master_status=built.checks.master_status,
    )
    return [sheet]


def _one(sheet: SheetPlan | None) -> list[SheetPlan]:
    return [] if sheet is None else [sheet]


def _spec(built: Built) -> list[SheetPlan]:
    o = built.options
    options = spec_sheet.BuildOptions(o.spec_label, o.udfs, o.protect)
    return [spec_sheet.build_spec_sheet(built.ctx, options)]


@dataclass(frozen=True)
class Entry:
    """One line of the registry. ``build`` returns the sheets it places (none where the spec
    has nothing for it); ``about`` is the Cover's line for each, ``{title}`` its title in lower
    case; ``titles`` are the fixed titles it takes, which a dimension may not; ``own_scenario``
    says the sheet names the scenario in force on a row of its own, not in its title."""

    kind: Kind
    titles: tuple[str, ...]
    build: Callable[[Built], list[SheetPlan]]
    about: str
    own_scenario: bool = False


#: Every sheet, in workbook order. The Cover is built last from the others' lines.
SHEETS: tuple[Entry, ...] = (
    Entry("cover", (cover.TITLE,), _cover, "What the workbook is, its master check and contents"),
    Entry(
        "dashboard",
        (dashboard.TITLE,),
        _dashboard,
        "The forecast on one page: key figures, regions, checks and charts",
        own_scenario=True,
    ),
    Entry(
        "inputs", (inputs.TITLE,), _inputs, "Every assumption, with provenance and a defined name"
    ),
    Entry(
        "calculation",
        (regions.TITLE,),
        lambda b: [b.regions.sheet],
        "Growth rate and value of each region; the world total",
    ),
    Entry(
        "calculation",
        (countries.TITLE,),
        lambda b: [s.sheet for s in b.splits],
        "Each region split by {title} (mix shift)",
    ),
    Entry(
        "calculation",
        (summary.TITLE,),
        lambda b: [summary.build_summary_sheet(b.ctx, b.regions, b.splits).sheet],
        "Values at phase ends; input against implied CAGRs",
    ),
    Entry(
        "calculation",
        (scenarios.TITLE,),
        lambda b: [scenarios.build_scenarios_sheet(b.ctx)],
        "Every scenario side by side, whatever the switch says",
        own_scenario=True,
    ),
    Entry(
        "calculation",
        (analysis.TITLE,),
        lambda b: [analysis.build_analysis_sheet(b.ctx, b.regions)],
        "Goal seek, sensitivities and a tornado table on the end-year value",
    ),
    Entry(
        "calculation",
        (players.TITLE,),
        lambda b: _one(b.players),
        "Reported revenue and implied market share",
    ),
    Entry(
        "calculation",
        (history.TITLE,),
        lambda b: [history.build_history_sheet(b.ctx)] if b.ctx.model.history else [],
        "The market before the base year, as reported",
    ),
    Entry(
        "calculation",
        (reconciliation.TITLE,),
        lambda b: [b.reconciliation[0]],
        "Reported figures the model does not use, against the model",
    ),
    Entry(
        "functions",
        (functions.TITLE,),
        lambda b: [b.functions[0]] if b.options.udfs else [],
        "The cmo_xl UDFs beside the same native formulas",
    ),
    Entry(
        "checks",
        (check_columns.TITLE,),
        lambda b: [b.checks.sheet],
        "Every check, its tolerance and the master check",
    ),
    Entry(
        "record",
        (sources.TITLE,),
        lambda b: [sources.build_sources_sheet(b.ctx, b.reconciliation[1])],
        "Quoted figures, conflicts and corrections",
    ),
    Entry(
        "record",
        (spec_sheet.TITLE,),
        _spec,
        "The spec it was built from, which cmo-xl read takes the structure from",
    ),
    Entry(
        "addin",
        (functions.CONFIG_TITLE,),
        lambda b: [functions.build_xlwings_conf_sheet()] if b.options.udfs else [],
        "Settings for the xlwings add-in",
        own_scenario=True,
    ),
)

#: The titles cmo_xl's own sheets take; a dimension's sheet may not take one.
FIXED_TITLES = tuple(title for entry in SHEETS for title in entry.titles)
