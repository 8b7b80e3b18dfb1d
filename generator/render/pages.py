"""What goes on each page: turns the ledger and its metrics into page contexts and charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from generator.compute.changes import SCALAR_METRICS, Changes
from generator.compute.figures import CountyFigures, SiteMetrics, effective_targets
from generator.compute.followups import RULES_BY_CODE, Followup, FollowupSummary
from generator.compute.metrics import METRICS
from generator.compute.progress import RULE
from generator.compute.regions import Place, Region, trail
from generator.kinds import FOLDERS, KIND_LABELS, KINDS
from generator.library.cases import Case
from generator.library.pages import render_case_library
from generator.load.config import Settings
from generator.load.gitinfo import Revision
from generator.load.ledger import CountyLedger, Roster
from generator.models import Activity, County
from generator.render import chartspecs as specs
from generator.render import search_words
from generator.render.downloads import (
    followups_csv,
    metrics_csv,
    metrics_json,
    regions_csv,
    series_csv,
    series_json,
)
from generator.render.followup_pages import (
    edit_link,
    render_ledger_pages,
    rule_docs,
    worked_example,
)
from generator.render.region_pages import city_groups, render_regions
from generator.render.renderer import ChartRef, Renderer
from generator.render.workbook import SheetInputs, cells, site_sheets, workbook_bytes

RECENT_ACTIVITIES = 10
# A site workbook this large (its 台账体检 sheet: 84,000 cells at 12 counties, about a second
# to write) is written by one of the build's processes while MkDocs builds the site.
LATE_WORKBOOK_CELLS = 20_000


def _quiet_since(sm: SiteMetrics) -> str | None:
    """The first month of the trailing months with no records at all, as "2025-11"."""
    start = specs.unrecorded_from(sm.overall_series) if sm.overall_series.months else None
    return None if start is None else sm.overall_series.months[start].label()


def county_path(county_id: str) -> str:
    return f"counties/{county_id}/index.md"


def grid_path(county_id: str, grid_id: str) -> str:
    return f"counties/{county_id}/grids/{grid_id}/index.md"


def county_context(as_of: dt.date) -> dict:
    """What every county page may use besides its own county: never another county's figures,
    so a county's pages can be kept while others change (see generator.build.county_jobs)."""
    return {
        "metric_defs": {m.name: m for m in METRICS},
        "SCALAR_METRICS": SCALAR_METRICS,
        "as_of": as_of,
    }


def recent_activities(county: CountyLedger) -> list[Activity]:
    """The county's newest activities, as many as the site-wide list could show of it."""
    newest = sorted(county.activities.values(), key=lambda a: (a.date, a.id), reverse=True)
    return newest[: RECENT_ACTIVITIES * 2]


def render_site(
    roster: Roster,
    regions: list[Region],
    settings: Settings,
    sm: SiteMetrics,
    cases: list[Case],
    revision: Revision,
    changes: Changes | None,
    r: Renderer,
    county_charts: dict[str, list[ChartRef]],
    recent: dict[str, list[Activity]],
    downloads: dict[str, dict[str, str]],
    followups: dict[str, tuple[list[Followup], FollowupSummary]],
    form_download: bool = False,
    reported: frozenset[str] = frozenset(),
    scanned: dict[str, frozenset[str]] | None = None,
    followup_xml: dict[str, bytes] | None = None,
) -> None:
    """The pages about every county, from their views and figures (never their records).

    ``county_charts``, ``recent`` and ``downloads``: each county's charts, newest activities
    and serialized entries of the JSON downloads (see downloads.county_blocks); ``followups``:
    each county's follow-up items and their summary; ``scanned``: each county's downloads
    whose entries the privacy guard has passed already (their lines are not scanned again);
    ``followup_xml``: each county's rows of the workbook's 台账体检, as its job wrote them.
    """
    summaries = {county_id: summary for county_id, (_, summary) in followups.items()}
    common = {
        **county_context(sm.as_of),
        "revision": revision,
        "sm": sm,
        "followups": summaries,
        "rules": RULES_BY_CODE,
        "reported": reported,
    }
    counties = roster.counties
    targets = effective_targets(settings, None)
    charts = [r.chart(specs.county_comparison(counties, sm, targets))]
    if sm.overall_series.months:
        charts.append(r.chart(specs.coverage_over_time("全部县", sm.overall_series, targets)))
    charts.append(r.chart(specs.party_orgs_by_county(counties, sm)))
    groups = city_groups(roster, regions)
    cities = [region for region, _ in groups if region is not None]
    r.page(
        "index.md",
        "overview.md.j2",
        counties=counties,
        groups=groups,
        cities=cities,
        targets=targets,
        charts=charts,
        progress=sm.overall_progress,
        quiet_since=_quiet_since(sm),
        cases=cases[:5],
        **common,
    )
    r.page(
        "counties/index.md",
        "counties.md.j2",
        counties=counties,
        groups=groups,
        has_regions=bool(regions),
        **common,
    )
    render_regions(roster, regions, settings, sm, r, common, county_charts)
    newest = sorted(
        ((c, a) for c in counties for a in recent.get(c.id, [])),
        key=lambda pair: (pair[1].date, pair[0].id, pair[1].id),
        reverse=True,
    )[: RECENT_ACTIVITIES * 2]
    r.page("activities/index.md", "activities.md.j2", counties=counties, recent=newest, **common)
    render_case_library(roster, settings, sm, cases, r, common)
    changed = {c.id: c for c in changes.counties} if changes else {}
    r.page(
        "changes/index.md",
        "changes.md.j2",
        changes=changes,
        settings=settings,
        field_titles=field_titles(),
        activity_types=settings.codes.activity_type,
        **common,
    )
    r.page(
        "brief/index.md",
        "brief.md.j2",
        counties=counties,
        overall_charts=charts,
        county_charts=county_charts,
        settings=settings,
        targets=targets,
        changes=changes,
        changed=changed,
        period=brief_period(settings, sm.as_of, changes),
        **common,
    )
    r.page(
        "methodology/index.md",
        "methodology.md.j2",
        metrics=METRICS,
        settings=settings,
        targets=targets,
        rule=RULE,
        followup_rules=rule_docs(settings.site.followups),
        followup_example=worked_example(settings.site.followups, sm.as_of),
        **common,
    )
    # for the clerks who keep the ledgers: the fields, code lists and where settings live
    r.page(
        "methodology/standard/index.md",
        "data_standard.md.j2",
        settings=settings,
        standard=data_standard(),
        **common,
    )

    def blocks(name: str) -> dict[str, str]:
        return {county_id: parts[name] for county_id, parts in downloads.items()}

    def clean(name: str) -> list[str]:  # the counties' parts already scanned, in file order
        passed = scanned or {}
        return [
            downloads[c.id][name]
            for c in counties
            if c.id in downloads and name in passed.get(c.id, ())
        ]

    def download(name: str, data: bytes) -> None:
        r.write_file(f"downloads/{name}", data, clean(name))

    download("metrics.json", metrics_json(roster, sm, revision, blocks("metrics.json"), regions))
    download(
        "counties.csv",
        metrics_csv(roster, sm, settings, grids=False, blocks=blocks("counties.csv")),
    )
    download("grids.csv", metrics_csv(roster, sm, settings, grids=True, blocks=blocks("grids.csv")))
    r.write_file("downloads/regions.csv", regions_csv(regions, sm, settings))
    download("series.json", series_json(roster, sm, blocks("series.json")))
    download("series.csv", series_csv(roster, sm, blocks("series.csv")))
    # the search's dictionary of names (a county cached before it had one gives none)
    words = [parts.get(search_words.FILE, "") for parts in downloads.values()]
    r.write_file(search_words.FILE, search_words.dictionary(words))
    download(
        "followups.csv",
        followups_csv(
            downloads[c.id]["followups.csv"] for c in roster.counties if c.id in downloads
        ),
    )
    items = {county_id: found for county_id, (found, _) in followups.items()}
    inputs = SheetInputs(roster, sm, settings, followups=items, followup_xml=followup_xml or {})
    sheets, stamp = site_sheets(inputs)
    if cells(sheets) >= LATE_WORKBOOK_CELLS:  # openpyxl writes some 90,000 cells a second
        r.write_later("downloads/figures.xlsx", workbook_bytes, sheets, stamp)
    else:
        r.write_file("downloads/figures.xlsx", workbook_bytes(sheets, stamp))
    r.page("downloads/index.md", "downloads.md.j2", form_download=form_download, **common)


def brief_period(settings: Settings, as_of: dt.date, changes: Changes | None) -> dict[str, str]:
    """Who reports and for which period, for the printed brief: ``text`` for the page, and
    ``css`` as a CSS string for its page footer (``@page`` margin boxes: the period on every
    printed page, no browser URL needed)."""
    since = (
        f"自上期报告 {changes.base}（{changes.base_date.date().isoformat()}）" if changes else ""
    )
    text = f"报告期：{since}至 {as_of.isoformat()}" if since else f"数据截至 {as_of.isoformat()}"
    issuer = settings.site.brief.issuer
    footer = f"{issuer}　{text}" if issuer else f"{settings.site.title}　{text}"
    css = "".join(f"\\{ord(ch):x} " if ch in '"\\<>' or ord(ch) < 32 else ch for ch in footer)
    return {"text": text, "issuer": issuer or "", "css": f'"{css}"'}


def render_county(
    county: CountyLedger,
    figures: CountyFigures,
    settings: Settings,
    cases: list[Case],
    as_of: dt.date,
    r: Renderer,
    followups: list[Followup],
    summary: FollowupSummary,
    place: Place | None = None,
) -> list[ChartRef]:
    """The county's own pages; returns its charts (the printable brief shows them again).
    ``followups``: its follow-up items (台账体检); ``place``: its province and city, which its
    breadcrumbs link to."""
    common = {
        **county_context(as_of),
        "trail": trail(county.county, place),
        "rules": RULES_BY_CODE,
        "summary": summary,
        "report": None,
    }
    render_ledger_pages(county, followups, summary, settings, r, common)
    targets = effective_targets(settings, county)
    charts = [
        r.chart(spec) for spec in specs.county_charts(county.view(), figures, settings, targets)
    ]
    activities = sorted(county.activities.values(), key=lambda a: (a.date, a.id), reverse=True)
    r.page(
        county_path(county.id),
        "county.md.j2",
        c=county,
        m=figures.metrics,
        grid_metrics=figures.grids,
        targets=targets,
        progress=figures.progress,
        last_record=figures.series.last_record,
        charts=charts,
        industries=figures.by_industry,
        kinds=figures.by_kind,
        activities=activities[:RECENT_ACTIVITIES],
        cases=cases,
        **common,
    )
    r.page(
        f"counties/{county.id}/activities/index.md",
        "county_activities.md.j2",
        c=county,
        activities=activities,
        **common,
    )
    covered = {o for po in county.party_orgs.values() for o in po.covers}
    for grid in county.grids.values():
        in_grid = {oid for oid, o in county.orgs.items() if o.grid == grid.id}  # ordered by name
        r.page(
            grid_path(county.id, grid.id),
            "grid.md.j2",
            c=county,
            g=grid,
            m=figures.grids[grid.id],
            targets=targets,
            orgs=[o for oid, o in county.orgs.items() if oid in in_grid],
            party_orgs=[po for po in county.party_orgs.values() if in_grid.intersection(po.covers)],
            covered_ids=covered,
            activities=[a for a in activities if a.grid == grid.id],
            needs=[n for n in county.needs.values() if n.grid == grid.id],
            followups=[x for x in followups if x.grid == grid.id],
            edit_url=lambda item: edit_link(settings.site.edit_url, item),
            **common,
        )
    return charts


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    title: str
    description: str


def field_titles() -> dict[str, dict[str, str]]:
    """The Chinese name of every field, per record kind ("county" included): what 本期变化
    writes for a changed field instead of its YAML key."""
    models: dict[str, type[BaseModel]] = {"county": County, **KINDS}
    return {
        kind: {name: info.title or name for name, info in model.model_fields.items()}
        for kind, model in models.items()
    }


def data_standard() -> list[tuple[str, str, list[FieldDoc]]]:
    """(kind label, file pattern, fields) for every record kind, read from the models."""
    kinds = [("县", "data/县编号/county.yaml", County)] + [
        (KIND_LABELS[kind], f"data/县编号/{FOLDERS[kind]}/*.yaml", model)
        for kind, model in KINDS.items()
    ]
    result = []
    for label, pattern, model in kinds:
        fields = [
            FieldDoc(name, info.is_required(), info.title or "", info.description or "")
            for name, info in model.model_fields.items()
        ]
        result.append((label, pattern, fields))
    return result
