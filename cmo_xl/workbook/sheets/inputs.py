"""Inputs: every assumption and nothing else, each with a defined name and data validation."""

from __future__ import annotations

from dataclasses import dataclass

from cmo_xl.model import engine, names
from cmo_xl.model.rules import SUM_TOLERANCE
from cmo_xl.model.schema import CAGR_RANGE, SHARE_RANGE, YEAR_RANGE, AnyInput
from cmo_xl.workbook.records import SheetPlan, Validation
from cmo_xl.workbook.sheets.context import Context

TITLE = "Inputs"
LABEL, UNIT, VALUE, PROVENANCE, SOURCE, NAME, NOTE = range(1, 8)
HEADERS = ("Assumption", "Unit", "Value", "Provenance", "Source", "Defined name", "Note")
WIDTHS = (46, 10, 13, 13, 8, 40, 80)
#: Tolerance of the checks, in the model's unit or as a share: the spec's own rule for sums.
CHECK_TOLERANCE = SUM_TOLERANCE
DEFAULT = "default"
FIXED = "structure"


@dataclass
class _Writer:
    sheet: SheetPlan
    ctx: Context
    row: int = 4

    def section(self, text: str) -> None:
        self.row += 1
        self.sheet.put(self.row, LABEL, text, "section")
        for col in range(UNIT, NOTE + 1):
            self.sheet.put(self.row, col, "", "section")
        self.row += 1

    def put(
        self,
        label: str,
        unit: str,
        name: str,
        value: object,
        *,
        kind: str,
        fmt: str,
        provenance: str,
        source: str = "",
        note: str = "",
        fixed: int | None = None,
        cached: object = None,
    ) -> int:
        """One input row; a formula value is a link to a default and is styled as such."""
        is_link = isinstance(value, str) and value.startswith("=")
        self.sheet.put(self.row, LABEL, label)
        self.sheet.put(self.row, UNIT, unit, "unit")
        self.sheet.put(
            self.row,
            VALUE,
            value,
            "link" if is_link else "input",
            fmt,
            cached=cached if is_link else None,
        )
        self.sheet.put(self.row, PROVENANCE, provenance)
        self.sheet.put(self.row, SOURCE, source)
        self.sheet.put(self.row, NAME, name, "unit")
        self.sheet.put(self.row, NOTE, note, "note")
        self.sheet.validations.append(self._validation(kind, fixed))
        self.ctx.define(name, self.sheet, self.row, VALUE)
        self.row += 1
        return self.row - 1

    def _validation(self, kind: str, fixed: int | None) -> Validation:
        m = self.ctx.spec.market
        address = f"C{self.row}"
        if kind == "share":
            return Validation(address, False, *SHARE_RANGE, "a share from 0 to 1 (0% to 100%)")
        if kind == "cagr":
            low, high = CAGR_RANGE
            return Validation(address, False, low, high, f"a CAGR from {low:.0%} to {high:.0%}")
        if kind == "value":
            return Validation(address, False, 0, None, "a number of at least 0")
        if kind == "tolerance":
            return Validation(address, False, 0, 1, "a tolerance from 0 to 1")
        if kind == "fixed_year" and fixed is not None:
            return Validation(
                address, True, fixed, fixed, f"{fixed}; it is fixed when the workbook is built"
            )
        if kind == "revenue_year":
            low = YEAR_RANGE[0]
            return Validation(
                address, True, low, m.end_year, f"a whole year from {low} to {m.end_year}"
            )
        if kind == "year":
            return Validation(
                address,
                True,
                m.base_year,
                m.end_year,
                f"a whole year from {m.base_year} to {m.end_year}",
            )
        raise ValueError(f"unknown validation kind {kind!r}")

    def given(
        self, label: str, unit: str, name: str, item: AnyInput, *, kind: str, fmt: str
    ) -> int:
        return self.put(
            label,
            unit,
            name,
            item.value,
            kind=kind,
            fmt=fmt,
            provenance=item.provenance,
            source=item.source or "",
            note=item.note,
        )

    def given_or_default(
        self,
        label: str,
        name: str,
        item: AnyInput | None,
        default_name: str,
        default_value: float,
        default_note: str,
    ) -> int:
        if item is not None:
            return self.given(label, "%", name, item, kind="cagr", fmt="pct2")
        return self.put(
            label,
            "%",
            name,
            f"={default_name}",
            kind="cagr",
            fmt="pct2",
            provenance=DEFAULT,
            note=default_note,
            cached=default_value,
        )

    def define_range(self, name: str, first: int, last: int) -> None:
        self.ctx.define(name, self.sheet, first, VALUE, last, VALUE)


def build_inputs_sheet(ctx: Context) -> SheetPlan:
    spec, m = ctx.spec, ctx.spec.market
    sheet = SheetPlan(TITLE)
    sheet.put(1, LABEL, "Inputs: every assumption of the model", "title")
    sheet.put(
        2,
        LABEL,
        "Blue on yellow: typed input. Green on yellow: follows a default until "
        "you type a number. Every input has the defined name shown beside it.",
        "subtitle",
    )
    for col, text in enumerate(HEADERS, start=1):
        sheet.put(4, col, text, "header")
    sheet.widths = dict(enumerate(WIDTHS, start=1))
    sheet.freeze = "A5"
    w = _Writer(sheet, ctx)

    w.section("Market")
    rebuild = "Fixed when the workbook is built: change it in the spec and rebuild."
    for label, name, year in (
        ("Base year", names.BASE_YEAR, m.base_year),
        ("End year", names.END_YEAR, m.end_year),
    ):
        w.put(
            label,
            "year",
            name,
            year,
            kind="fixed_year",
            fmt="year",
            provenance=FIXED,
            note=rebuild,
            fixed=year,
        )
    w.given(
        f"Market value in {m.base_year}",
        m.unit,
        names.BASE_VALUE,
        m.base_value,
        kind="value",
        fmt="value",
    )
    w.put(
        "Tolerance of the checks",
        "relative",
        names.CHECK_TOLERANCE,
        CHECK_TOLERANCE,
        kind="tolerance",
        fmt="sci",
        provenance="analyst",
        note=(
            "Relative: a check passes when its gap is at most this times the values it "
            "compares (or this itself, for shares and counts)."
        ),
    )

    w.section("Growth phases")
    first = w.row
    for k, ph in enumerate(spec.phases, start=1):
        w.put(
            f"Phase {k} end year",
            "year",
            names.phase_end(k),
            ph.end_year,
            kind="year",
            fmt="year",
            provenance=ph.cagr.provenance,
            source=ph.cagr.source or "",
            note="Each phase starts where the one before ends; the last must end at the end year.",
        )
    w.define_range(names.PHASE_ENDS, first, w.row - 1)
    first = w.row
    for k, ph in enumerate(spec.phases, start=1):
        w.given(
            f"Market CAGR, phase {k} ({ph.start_year}-{ph.end_year})",
            "%",
            names.market_cagr(k),
            ph.cagr,
            kind="cagr",
            fmt="pct2",
        )
    w.define_range(names.MARKET_CAGRS, first, w.row - 1)

    w.section(f"Regions: share of the market in {m.base_year}")
    first = w.row
    for r in spec.regions:
        w.given(r.name, "%", names.region_share(r.name), r.share, kind="share", fmt="share")
    w.define_range(names.REGION_SHARES, first, w.row - 1)

    w.section("Regions: CAGR by phase")
    for r in spec.regions:
        first = w.row
        given = r.cagr or [None] * len(spec.phases)
        for k, (g, ph) in enumerate(zip(given, spec.phases, strict=True), start=1):
            w.given_or_default(
                f"{r.name}, phase {k} ({ph.start_year}-{ph.end_year})",
                names.region_cagr(r.name, k),
                g,
                names.market_cagr(k),
                ph.cagr.value,
                f"Follows the market CAGR of phase {k}; type a number to override.",
            )
        w.define_range(names.region_cagrs(r.name), first, w.row - 1)

    headline = engine.headline_cagr(spec)
    last = names.market_cagr(len(spec.phases))
    mix_note = (
        "Follows the market CAGR of the last phase, so mix stays constant; "
        "type a number to shift the mix."
    )
    for r in (r for r in spec.regions if r.countries):
        w.section(f"Countries of {r.name}: weight within the region in {m.base_year}, and CAGR")
        first = w.row
        for c in r.countries:
            w.given(
                f"{c.name}: weight",
                "%",
                names.country_weight(r.name, c.name),
                c.weight,
                kind="share",
                fmt="share",
            )
        w.define_range(names.country_weights(r.name), first, w.row - 1)
        first = w.row
        for c in r.countries:
            w.given_or_default(
                f"{c.name}: CAGR (mix shift)",
                names.country_cagr(r.name, c.name),
                c.cagr,
                last,
                headline,
                mix_note,
            )
        w.define_range(names.country_cagrs(r.name), first, w.row - 1)

    for dim in spec.dimensions:
        w.section(f"{dim.name}: share in {m.base_year}, and CAGR")
        first = w.row
        for s in dim.segments:
            w.given(
                f"{s.name}: share",
                "%",
                names.segment_share(dim.name, s.name),
                s.share,
                kind="share",
                fmt="share",
            )
        w.define_range(names.segment_shares(dim.name), first, w.row - 1)
        for s in dim.segments:
            w.given_or_default(
                f"{s.name}: CAGR (mix shift)",
                names.segment_cagr(dim.name, s.name),
                s.cagr,
                last,
                headline,
                mix_note,
            )
        for o in dim.overrides:
            if o.share is not None:
                w.given(
                    f"{o.segment} in {o.region}: share",
                    "%",
                    names.segment_share(dim.name, o.segment, o.region),
                    o.share,
                    kind="share",
                    fmt="share",
                )
            if o.cagr is not None:
                w.given(
                    f"{o.segment} in {o.region}: CAGR (mix shift)",
                    "%",
                    names.segment_cagr(dim.name, o.segment, o.region),
                    o.cagr,
                    kind="cagr",
                    fmt="pct2",
                )

    players = [p for p in spec.players if p.revenue is not None and p.revenue_year is not None]
    if players:
        w.section("Players: reported revenue")
        for p in players:
            assert p.revenue is not None and p.revenue_year is not None
            w.given(
                f"{p.name}: revenue",
                m.unit,
                names.player_revenue(p.name),
                p.revenue,
                kind="value",
                fmt="value",
            )
            w.put(
                f"{p.name}: year of that revenue",
                "year",
                names.player_year(p.name),
                p.revenue_year,
                kind="revenue_year",
                fmt="year",
                provenance=p.revenue.provenance,
                source=p.revenue.source or "",
                note=p.note,
            )

    if spec.benchmarks:
        w.section("Reported growth figures not used by the model (compared on Summary)")
        for i, b in enumerate(spec.benchmarks, start=1):
            w.given(
                f"{b.label}: CAGR", "%", names.benchmark_cagr(i), b.cagr, kind="cagr", fmt="pct2"
            )
            w.put(
                f"{b.label}: from year",
                "year",
                names.benchmark_start(i),
                b.start_year,
                kind="year",
                fmt="year",
                provenance=b.cagr.provenance,
                source=b.cagr.source or "",
            )
            w.put(
                f"{b.label}: to year",
                "year",
                names.benchmark_end(i),
                b.end_year,
                kind="year",
                fmt="year",
                provenance=b.cagr.provenance,
                source=b.cagr.source or "",
            )
    return sheet
