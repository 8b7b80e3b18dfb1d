"""Stages 3 and 4, county by county, run through the cache and the workers.

For each county its declared inputs say which of its parts the cache holds (figures and pages,
本期变化, the brief's period counts); the rest is done by one job per county (see
:mod:`generator.build.county_jobs`). Then 本期变化 of the whole site: the counties' own, the
removed counties' and the report counties'.
"""

from __future__ import annotations

from generator.brief.figures import PeriodDigest
from generator.build.checked import Checked, CountyUnit
from generator.build.dated import Dated
from generator.build.county_jobs import (
    Base,
    CountyJob,
    CountyResult,
    RenderedCounty,
    RendererSetup,
    run_jobs,
)
from generator.build.fingerprints import tree_fingerprint
from generator.build.inputs import ChangeInputs, CountyInputs, PeriodInputs
from generator.build.progress import tick
from generator.build.reports import render_report_county, report_change
from generator.build.workers import Workers
from generator.compute.changes import (
    Changes,
    CountyChanges,
    base_county_ids,
    county_changes,
    load_county_at,
    overall_change,
)
from generator.diagnostics import Report
from generator.compute.followups import months_before
from generator.load.gitinfo import committed_since, data_path, last_commit_dates
from generator.project import Project
from generator.render.renderer import Renderer


def run_counties(
    project: Project,
    checked: Checked,
    dated: Dated,
    renderer: Renderer,
    setup: RendererSetup,
    workers: Workers,
) -> dict[str, CountyResult]:
    """Each county's figures, pages, changes and period counts, by county id (the roster's
    order). A county's records are let go once it is done."""
    templates = tree_fingerprint(project.templates_dir / "pages")
    data_root = data_path(project.data_dir, project.root)
    results: dict[str, CountyResult] = {}
    jobs = []
    pages = {u.id: _pages_inputs(checked, dated, u, templates, data_root) for u in checked.units}
    cached = {u.id: _cached_pages(checked, u, pages[u.id], renderer) for u in checked.units}
    revoked = _recommitted(project, checked, dated, cached, data_root)
    for unit in checked.units:
        rendered = None if unit.id in revoked else cached[unit.id]
        for path in rendered.paths if rendered is not None else ():
            renderer.keep(path)
        job = _job(project, checked, dated, unit, pages[unit.id], rendered, unit.id in revoked)
        unit.ledger = None  # the job holds it now, if anyone does
        if isinstance(job, CountyResult):
            results[unit.id] = job
        else:
            jobs.append(job)
    # ledger-stale: one git log over the counties to render (their files' last commits).
    # The folder's signature holds its git tree, so an unchanged county keeps its result.
    rendering = [job for job in jobs if job.rendered is None]
    if checked.git_dirty is not None and rendering:
        commits = last_commit_dates(project.data_dir, [job.folder.name for job in rendering])
        for job in rendering:
            job.last_commits = commits.get(job.folder.name, {}) if commits is not None else None
    for number, (job, result) in enumerate(
        zip(jobs, run_jobs(jobs, renderer, setup, workers), strict=True), start=1
    ):
        results[job.folder.name] = result
        tick("counties", number, len(jobs))
    for found in checked.reports:  # counties that came as reports: checked, never cached
        rendered = render_report_county(
            found,
            checked.settings,
            dated.months,
            dated.as_of,
            renderer,
            checked.places.get(found.id),
        )
        results[found.id] = CountyResult(rendered, True, None, PeriodDigest())
    return {v.id: results[v.id] for v in checked.roster.counties}


def _pages_inputs(
    checked: Checked, dated: Dated, unit: CountyUnit, templates: str, data_root: str
) -> CountyInputs:
    own_cases = [c for c in checked.cases if c.meta.county == unit.id]
    return CountyInputs(
        unit.signature,
        checked.settings_key,
        templates,
        dated.as_of,
        dated.months[0] if dated.months else None,
        tuple((c.id, c.meta) for c in own_cases),
        checked.places.get(unit.id),
        data_root,
    )


def _cached_pages(
    checked: Checked, unit: CountyUnit, pages: CountyInputs, renderer: Renderer
) -> RenderedCounty | None:
    """The county's figures and pages from the cache, if its published files are as written."""
    rendered = checked.store.fetch(unit.id, pages)
    if not isinstance(rendered, RenderedCounty) or not all(
        renderer.unchanged_since_published(path) for path in rendered.paths
    ):
        return None
    return rendered


def _recommitted(
    project: Project,
    checked: Checked,
    dated: Dated,
    cached: dict[str, RenderedCounty | None],
    data_root: str,
) -> set[str]:
    """The counties whose cached ledger-stale items no longer hold: a file found stale has a
    commit since. The cache key holds the folder's git tree, which a commit and its revert give
    back, but the revert is the file's last commit now (files not stale cannot turn stale
    without a new data date, which is in the key)."""
    if checked.git_dirty is None:  # not in git: nothing was found stale
        return set()
    prefix = f"{data_root}/" if data_root else ""
    stale: dict[str, set[str]] = {}
    for county_id, rendered in cached.items():
        for item in rendered.followups if rendered is not None else ():
            if item.rule == "ledger-stale":
                file = item.file.removeprefix(prefix).removeprefix(f"{county_id}/")
                stale.setdefault(county_id, set()).add(file)
    due = months_before(dated.as_of, checked.settings.site.followups.stale_months)
    return committed_since(project.data_dir, stale, due)


def _job(
    project: Project,
    checked: Checked,
    dated: Dated,
    unit: CountyUnit,
    pages: CountyInputs,
    rendered: RenderedCounty | None,
    revoked: bool,
) -> CountyJob | CountyResult:
    """What the cache has of the county: all of it (a result), or a job for the rest.
    ``revoked``: its cached follow-up items no longer hold (nor 本期变化's, which count them)."""
    store, settings, base = checked.store, checked.settings, dated.base
    own_cases = [c for c in checked.cases if c.meta.county == unit.id]
    change_inputs = None
    if base is not None:
        in_git = checked.git_dirty is not None
        change_inputs = ChangeInputs(
            unit.signature,
            base.commit,
            dated.as_of,
            settings.site.followups,
            pages.data_root,
            in_git,
        )
    since = base.date.date() if base is not None else None
    period_inputs = PeriodInputs(unit.signature, since, dated.as_of)
    period = store.fetch(unit.id, period_inputs)
    job = CountyJob(
        unit.folder, store, settings, dated.months, own_cases, pages, change_inputs,
        period_inputs, base, project.data_dir, rendered,
        change=store.fetch(unit.id, change_inputs) if change_inputs and not revoked else None,
        period=period if isinstance(period, PeriodDigest) else None,
        ledger=unit.ledger,
    )  # fmt: skip
    return job.result() or job


def site_changes(
    project: Project, checked: Checked, base: Base, counties: dict[str, CountyResult]
) -> Changes:
    """本期变化: each county's changes since ``base``, and the removed and report counties'."""
    found: list[CountyChanges] = []
    base_errors = 0
    for unit in checked.units:
        change = counties[unit.id].change
        assert change is not None  # counted with the county (a base was given)
        found.append(change[0])
        base_errors += change[1]
    current = {u.id for u in checked.units}
    for county_id in base_county_ids(project.data_dir, base.commit):
        if county_id not in current:  # removed since the report
            report = Report()
            old = load_county_at(project.data_dir, base.commit, county_id, report)
            if old is not None:
                found.append(county_changes(old, None))
                base_errors += len(report.errors)
    for county in checked.reports:
        found.append(report_change(project.reports_dir, county, base.commit))
    found.sort(key=lambda c: c.id)
    before, after = overall_change(found)
    return Changes(base.revision, base.commit[:7], base.date, before, after, found, base_errors)
