"""Stages 3 and 4 for one county, memoized: compute its figures, render its pages, and count
what changed since the last report, in one job (in this process or a worker).

Each part is cached on its own by its declared inputs (see :mod:`generator.build.inputs`); a
job does only the parts the cache lacks, and its county's records are loaded once for all of
them (or not at all: the check stage left them in this process).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from generator.brief.figures import PeriodDigest, period_digest
from generator.build.county_check import reload_county
from generator.build.inputs import ChangeInputs, CountyInputs, PeriodInputs
from generator.build.store import CountyStore
from generator.build.workers import Workers
from generator.compute.changes import CountyChanges, county_changes, load_county_at
from generator.compute.figures import CountyFigures, compute_county
from generator.compute.followups import (
    Followup,
    FollowupSummary,
    county_followups,
    followed_up,
    summarize,
)
from generator.compute.history import Month
from generator.diagnostics import Report
from generator.library.cases import Case
from generator.load.config import Settings
from generator.load.gitinfo import last_commit_dates
from generator.load.ledger import CountyLedger
from generator.models import Activity
from generator.render.chartdata import ChartSpec
from generator.render.downloads import county_blocks
from generator.render.pages import recent_activities, render_county
from generator.render.renderer import ChartRef, Renderer
from generator.render.search_words import FILE as WORDS
from generator.render.search_words import county_words
from generator.render.workbook import followup_xml
from generator.validate.privacy import is_clean


@dataclass(frozen=True)
class RenderedCounty:
    """A county's computed figures and rendered files, kept in the cache with their key."""

    figures: CountyFigures
    charts: list[ChartRef]
    recent: list[Activity]
    paths: list[str]  # docs files (pages and charts)
    downloads: dict[str, str]  # its part of each download (see downloads.county_blocks)
    followups: list[Followup]  # what its grids must follow up (台账体检)
    followup_summary: FollowupSummary | None  # None: a county that came as a report
    # the downloads whose part the privacy guard passed: the site's file skips its lines
    scanned: frozenset[str] = frozenset()
    followup_xml: bytes = b""  # its rows of the site workbook's 台账体检 (workbook.followup_xml)


@dataclass(frozen=True)
class Base:
    """The revision of the last report, which 本期变化 compares with."""

    revision: str  # as given
    commit: str  # full id
    date: dt.datetime


Change = tuple[CountyChanges, int]  # and the errors of the county's data at the base


@dataclass
class CountyJob:
    """What one county needs after the checks: the parts the cache holds, and the inputs of
    the others."""

    folder: Path
    store: CountyStore
    settings: Settings
    months: list[Month]
    cases: list[Case]  # the county's own
    pages: CountyInputs
    change_inputs: ChangeInputs | None  # None: no report to compare with
    period_inputs: PeriodInputs
    base: Base | None
    data_dir: Path  # for the data at the base (git)
    rendered: RenderedCounty | None = None  # from the cache (None: compute and render)
    change: Change | None = None  # from the cache
    period: PeriodDigest | None = None  # from the cache
    ledger: CountyLedger | None = None  # when already loaded
    # Each file's last commit date (see gitinfo.last_commit_dates); None: not in git.
    last_commits: dict[str, dt.date] | None = None

    def result(self) -> CountyResult | None:
        """The county's part when the cache holds all of it (None: the job must run)."""
        if self.rendered is None or self.period is None:
            return None
        if self.change is None and self.change_inputs is not None:
            return None
        return CountyResult(self.rendered, False, self.change, self.period)


@dataclass(frozen=True)
class CountyResult:
    """One county's part of the build."""

    rendered: RenderedCounty
    fresh: bool  # computed and rendered in this build
    change: Change | None  # None: no report to compare with
    period: PeriodDigest


def run_job(job: CountyJob, renderer: Renderer) -> CountyResult:
    """The parts the cache lacks, from the county's records (loaded once here); each is cached."""
    ledger = job.ledger if job.ledger is not None else reload_county(job.folder, job.store)
    job.ledger = None
    rendered = job.rendered or compute_and_render(job, ledger, renderer)
    change = job.change
    if change is None and job.change_inputs is not None and job.base is not None:
        change = county_change(job, ledger, job.base, job.change_inputs, rendered.followups)
    period = job.period
    if period is None:
        period = period_digest(ledger, job.period_inputs.since, job.period_inputs.as_of)
        job.store.keep(job.folder.name, job.period_inputs, period)
    return CountyResult(rendered, job.rendered is None, change, period)


def compute_and_render(job: CountyJob, ledger: CountyLedger, renderer: Renderer) -> RenderedCounty:
    """Stage 3, the county's figures and follow-up items; stage 4, its pages and charts."""
    as_of, limits, data_root = job.pages.as_of, job.settings.site.followups, job.pages.data_root
    figures = compute_county(ledger, job.settings, job.months, as_of)
    items = county_followups(ledger, limits, as_of, data_root, job.last_commits)
    summary = summarize(ledger, items, stale_checked=job.last_commits is not None)
    with renderer.track() as paths:
        charts = render_county(
            ledger, figures, job.settings, job.cases, as_of, renderer, items, summary,
            job.pages.place,
        )  # fmt: skip
    blocks = county_blocks(ledger.view(), figures, job.settings, items, summary)
    allowed = renderer.allowed_numbers
    rendered = RenderedCounty(
        figures,
        charts,
        recent_activities(ledger),
        sorted(paths),
        {**blocks, WORDS: county_words(ledger)},
        items,
        summary,
        frozenset(name for name, text in blocks.items() if is_clean(text, name, allowed)),
        followup_xml(ledger.view(), items),
    )
    job.store.keep(job.folder.name, job.pages, rendered)
    return rendered


def county_change(
    job: CountyJob, now: CountyLedger, base: Base, inputs: ChangeInputs, current: list[Followup]
) -> Change:
    """The county's changes since ``base`` and the errors of its data then; with the follow-up
    items of the last report followed up since (``current``: its items now)."""
    found = Report()
    county_id = job.folder.name
    old = load_county_at(job.data_dir, base.commit, county_id, found)
    change = county_changes(old, now)
    if old is not None:
        last = None
        if inputs.in_git:
            commits = last_commit_dates(job.data_dir, [county_id], base.commit)
            last = commits.get(county_id, {}) if commits is not None else None
        before = county_followups(old, inputs.limits, base.date.date(), inputs.data_root, last)
        records = {(kind, rid) for kind in ("org", "party_org", "need") for rid in now.records(kind)}
        change = replace(change, followed_up=followed_up(before, current, records))
    result = change, len(found.errors)
    job.store.keep(county_id, inputs, result)
    return result


def run_jobs(
    jobs: list[CountyJob], renderer: Renderer, setup: RendererSetup, workers: Workers
) -> Iterator[CountyResult]:
    """``run_job`` for each job, in order; by the workers when there are many (each writes
    its pages, and its charts are left for ``renderer`` to draw)."""
    if not workers.worth_it(len(jobs)):
        for job in jobs:
            yield run_job(job, renderer)
        return
    for job in jobs:
        job.ledger = None  # a worker reads it again; sending it would cost as much
    for done, changed, pending in workers.pool.map(_in_worker, jobs, [setup] * len(jobs)):
        renderer.adopt(done.rendered.paths, changed, pending)
        yield done


@dataclass(frozen=True)
class RendererSetup:
    """What a worker needs to make a Renderer like the build's."""

    templates_dir: Path
    docs_dir: Path
    settings: Settings
    chart_cache: Path | None = None
    compiled_cache: Path | None = None

    def make(self) -> Renderer:
        return Renderer(
            self.templates_dir,
            self.docs_dir,
            self.settings,
            chart_cache=self.chart_cache,
            compiled_cache=self.compiled_cache,
        )


_worker_renderer: dict[tuple[Path, Path], Renderer] = {}  # a worker serves one build


def _in_worker(
    job: CountyJob, setup: RendererSetup
) -> tuple[CountyResult, set[str], dict[str, ChartSpec]]:
    where = (setup.templates_dir, setup.docs_dir)
    renderer = _worker_renderer.get(where)
    if renderer is None:
        renderer = _worker_renderer[where] = setup.make()
    renderer.reset()
    done = run_job(job, renderer)
    return done, set(renderer.changed), renderer.take_pending()
