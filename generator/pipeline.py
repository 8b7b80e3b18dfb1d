"""The whole build, top to bottom: load -> validate -> compute -> render -> publish.

Everything is gathered and checked before anything is written; the published site is only
replaced once a complete new one exists (see :mod:`generator.publish.site`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.brief.build_step import FORM_TEMPLATE, site_figures, write_documents
from generator.build.cache import BuildCache, cache_root, exclusive, exclusive_folder
from generator.build.counties import (
    Base,
    CheckedCounty,
    CountyJob,
    CountyStore,
    FollowupInputs,
    RenderedCounty,
    RendererSetup,
    check_folders,
    county_change,
    git_signatures,
    key_of,
    reload_county,
    render_jobs,
    tree_fingerprint,
)
from generator.build.reports import load_reports, render_report_county, report_change
from generator.compute.changes import (
    Changes,
    CountyChanges,
    base_county_ids,
    county_changes,
    latest_report_tag,
    load_county_at,
    overall_change,
    resolve_base,
)
from generator.compute.figures import (
    CountyDates,
    data_date,
    site_metrics,
    site_months,
)
from generator.compute.history import Month
from generator.compute.regions import Place, Region, group_regions, place_counties
from generator.defaults import DEFAULTS
from generator.diagnostics import DataError, Report
from generator.library.cases import Case, load_cases
from generator.load.config import Settings, load_settings
from generator.load.gitinfo import Revision, data_path, data_revision, last_commit_dates
from generator.load.ledger import CountyLedger, Ledger, Roster
from generator.load.loader import county_folders
from generator.project import Project
from generator.publish.publisher import Publisher
from generator.render.pages import render_site
from generator.render.renderer import ChartDrawing, Renderer
from generator.report.bundle import CountyReport
from generator.validate.checks import check_site
from generator.validate.privacy import published_sources, scan_files

log = logging.getLogger(__name__)
progress = logging.getLogger("generator.progress")


@dataclass
class CountyUnit:
    """One county folder in a build: its checked outcome, and its records when loaded."""

    folder: Path
    signature: str  # of the folder's files (see counties.folder_signature)
    checked: CheckedCounty
    ledger: CountyLedger | None  # None: unchanged since the cached check, not loaded

    @property
    def id(self) -> str:
        return self.folder.name


@dataclass
class Checked:
    """The outcome of the load and validate stages."""

    units: list[CountyUnit]
    settings: Settings
    settings_key: str  # fingerprint of site_config
    cases: list[Case]
    report: Report
    store: CountyStore
    git_dirty: bool | None = None  # uncommitted changes in the data (None: not known)
    reports: list[CountyReport] = dataclasses.field(default_factory=list)  # counties as reports

    @property
    def roster(self) -> Roster:
        """Ledger and report counties alike, by id."""
        views = [u.checked.view for u in self.units] + [r.view for r in self.reports]
        return Roster(sorted(views, key=lambda v: v.id))

    @property
    def dates(self) -> list[CountyDates]:
        return [u.checked.dates for u in self.units] + [r.dates for r in self.reports]

    @functools.cached_property
    def regions(self) -> list[Region]:
        """The site's provinces and cities (see generator.regions)."""
        return group_regions((v.id, v.county) for v in self.roster.counties)

    @functools.cached_property
    def places(self) -> dict[str, Place]:
        """Each county's province and city (its pages link to them)."""
        return place_counties((v.id, v.county) for v in self.roster.counties)

    def county_ledger(self, unit: CountyUnit) -> CountyLedger:
        """The unit's records: as loaded, else from the record cache."""
        return unit.ledger if unit.ledger is not None else reload_county(unit.folder, self.store)

    @functools.cached_property
    def ledger(self) -> Ledger:
        """Every county's records (loads the ones the check took from the cache)."""
        return Ledger([self.county_ledger(u) for u in self.units])


def load_and_validate(project: Project, today: dt.date, use_cache: bool = True) -> Checked:
    """Stages 1 and 2, county by county. Every problem found is in the report.

    ``use_cache``: take an unchanged county's outcome, and unchanged files' records, from the
    build cache (see generator.build.counties and generator.build.record_cache).
    """
    report = Report()
    store = CountyStore(cache_root(project.root) / "counties", read_existing=use_cache)
    with stage("load and validate") as done:
        settings = load_settings(project.config_dir, report)
        if settings is not None:
            check_site(settings, report)
        # the project's site_config and the defaults it falls back on, file by file
        settings_key = tree_fingerprint(project.config_dir, DEFAULTS / "site_config")
        units = []
        read = 0
        folders = county_folders(project.data_dir, report)
        signatures, git_dirty = git_signatures(project.data_dir)
        checks = check_folders(folders, settings, settings_key, today, store, signatures)
        for number, (folder, (checked, ledger, signature, fresh)) in enumerate(
            zip(folders, checks, strict=True), start=1
        ):
            read += fresh
            report.diagnostics.extend(checked.diagnostics)
            units.append(CountyUnit(folder, signature, checked, ledger))
            tick("load and validate", number, len(folders))
        store.prune({f.name for f in folders})
        reports = []
        if settings is not None:
            ledger_ids = {u.id: u.folder for u in units}
            reports = load_reports(project.reports_dir, settings, ledger_ids, report)
        views = [u.checked.view for u in units] + [r.view for r in reports]
        roster = Roster(sorted(views, key=lambda v: v.id))
        cases = load_cases(project.content_dir / "cases", roster, report, settings)
        if settings is not None:
            scan_files(
                published_sources(
                    project.data_dir, project.content_dir, skip=[u.id for u in units]
                ),
                settings.site.privacy.allowed_numbers,
                report,
            )
        records = sum(u.checked.records for u in units)
        done(
            f"{len(units)} counties ({read} read, {len(units) - read} unchanged), "
            f"{records} records, {len(cases)} cases; "
            f"{len(report.errors)} errors, {len(report.warnings)} warnings"
        )
    # settings is None only when site_config is unusable: an error in report, and no stage
    # after validation runs then (Checked.settings is typed for those stages).
    return Checked(units, settings, settings_key, cases, report, store, git_dirty, reports)  # type: ignore[arg-type]


def build(
    project: Project,
    today: dt.date,
    strict: bool = False,
    compare_to: str | None = None,
    clean: bool = False,
    offline_zip: Path | None = None,
) -> Report:
    """Validate, then build and publish the site. Raises DataError when nothing may be published.

    ``compare_to``: the revision of the last report (default: the newest tag matching the
    reporting pattern of site_config); ConfigError when git does not have it. ``clean``:
    ignore the build cache and rebuild every page and chart. ``offline_zip``: also write a
    zip of the site that works opened from disk (file://).
    """
    # One build at a time per cache; MkDocs warms up in a helper process meanwhile.
    root = cache_root(project.root)
    # Two project folders may publish into one --out: one at a time there too.
    with exclusive(root), exclusive_folder(project.out_dir.parent), Publisher(root) as publisher:
        cache = BuildCache.open(root, clean=clean)
        checked = load_and_validate(project, today, use_cache=not clean)  # stages 1 and 2
        report = checked.report
        if report.errors or (strict and report.warnings):
            raise DataError(report.diagnostics)
        revision = data_revision(project.data_dir, dirty=checked.git_dirty)
        dates = checked.dates
        as_of = data_date(dates, revision.date.date() if revision.date else None)
        base = report_base(project, checked.settings, compare_to)
        extra = _theme_extra(checked.settings)
        epoch = _source_date_epoch(revision, checked.units)
        fingerprint = site_fingerprint(project, extra)
        previous = cache.previous_build(project.out_dir, fingerprint)
        trusted = cache.trusted_files()
        cache.forget()  # before a page is written: a kill from here on leaves nothing trusted
        # while the pages render
        publisher.stage(project.mkdocs_yml, project.out_dir, previous, cache.docs_dir)
        charts: ChartDrawing | None = None
        try:
            setup = RendererSetup(
                project.templates_dir,
                cache.docs_dir,
                checked.settings,
                chart_cache=cache.charts_dir,
                compiled_cache=cache.root / "page-templates",
            )
            renderer = setup.make()
            renderer.trusted = trusted
            months = site_months(checked.dates, as_of)
            with stage("counties") as done:  # stages 3 and 4, county by county
                counties, changes = render_counties(
                    project, checked, as_of, months, base, renderer, setup
                )
                redone = sum(1 for fresh in counties.values() if fresh[1])
                done(f"{redone} computed and rendered, {len(counties) - redone} unchanged")
            with stage("site pages") as done:
                charts = render_site_pages(
                    project, checked, counties, changes, revision, as_of, months, renderer
                )
                done(
                    f"{len(renderer.produced)} files, {len(renderer.changed)} changed, "
                    f"{renderer.charts_drawn} charts drawn, {len(renderer.removed)} removed"
                )
            with stage("publish") as done:
                build_id = publisher.build_site(  # stage 5
                    project.mkdocs_yml,
                    cache.docs_dir,
                    project.out_dir,
                    extra=extra,
                    source_date_epoch=epoch,
                    changed=renderer.changed,
                    removed=renderer.removed,
                    previous_build=previous,
                    cache_dir=cache.root,
                    charts=charts,
                )
                done("incremental" if previous else "full MkDocs build")
        except BaseException:
            if charts is not None:
                charts.cancel()
            cache.forget()
            raise
        cache.published(project.out_dir, build_id, fingerprint)
        if offline_zip is not None:
            from generator.publish.site import build_offline_zip  # MkDocs: imported when needed

            with stage("offline zip") as done:
                build_offline_zip(
                    project.mkdocs_yml, cache.docs_dir, offline_zip, extra=extra,
                    source_date_epoch=epoch,
                )  # fmt: skip
                done(str(offline_zip))
    return report


def render_counties(
    project: Project,
    checked: Checked,
    as_of: dt.date,
    months: list[Month],
    base: Base | None,
    renderer: Renderer,
    setup: RendererSetup,
) -> tuple[dict[str, tuple[RenderedCounty, bool]], Changes | None]:
    """Compute and render each county's own pages, or keep them from the cache.

    Returns each county's figures and files (with whether they were made anew) and the changes
    since ``base``. A county's records are let go once it is done: only one county's records
    need be in memory at a time.
    """
    templates_key = tree_fingerprint(project.templates_dir / "pages")
    data_root = data_path(project.data_dir, project.root)
    counties: dict[str, tuple[RenderedCounty, bool]] = {}
    jobs = []
    for unit in checked.units:
        own_cases = [c for c in checked.cases if c.meta.county == unit.id]
        key = key_of(
            "rendered",
            unit.signature,
            checked.settings_key,
            templates_key,
            as_of,
            months[0] if months else None,
            repr([(c.id, c.meta) for c in own_cases]),
            checked.places.get(unit.id),
            data_root,
        )
        rendered = checked.store.get(unit.id, "rendered", key)
        if isinstance(rendered, RenderedCounty) and all(
            renderer.unchanged_since_published(path) for path in rendered.paths
        ):
            for path in rendered.paths:
                renderer.keep(path)
            counties[unit.id] = (rendered, False)
            continue
        jobs.append(
            CountyJob(
                unit.folder,
                unit.signature,
                key,
                checked.settings,
                months,
                as_of,
                own_cases,
                checked.store,
                unit.ledger,
                place=checked.places.get(unit.id),
                data_root=data_root,
            )
        )
    # ledger-stale: one git log over the counties to recompute (their files' last commits).
    # The folder's signature holds its git tree, so an unchanged county keeps its result.
    if checked.git_dirty is not None and jobs:
        commits = last_commit_dates(project.data_dir, [job.folder.name for job in jobs])
        for job in jobs:
            job.last_commits = commits.get(job.folder.name, {}) if commits is not None else None
    done = render_jobs(jobs, renderer, setup)
    for number, (job, rendered) in enumerate(zip(jobs, done, strict=True), start=1):
        counties[job.folder.name] = (rendered, True)
        tick("counties", number, len(jobs))
    for found in checked.reports:  # counties that came as reports: checked, never cached
        rendered = render_report_county(
            found, checked.settings, months, as_of, renderer, checked.places.get(found.id)
        )
        counties[found.id] = (rendered, True)
    changes = None
    if base is not None:
        inputs = {
            county_id: FollowupInputs(
                rendered.followups,
                checked.settings.site.followups,
                data_root,
                as_of,
                checked.git_dirty is not None,
            )
            for county_id, (rendered, _) in counties.items()
        }
        changes = compare_counties(project, checked, base, inputs)
    for unit in checked.units:
        unit.ledger = None  # done with its records
    return {v.id: counties[v.id] for v in checked.roster.counties}, changes


def compare_counties(
    project: Project, checked: Checked, base: Base, followups: dict[str, FollowupInputs]
) -> Changes:
    """本期变化: each county's changes since ``base`` (cached), and the removed counties'."""
    found: list[CountyChanges] = []
    base_errors = 0
    for unit in checked.units:
        change, errors = county_change(
            project.data_dir,
            checked.store,
            unit.folder,
            unit.signature,
            base,
            functools.partial(checked.county_ledger, unit),
            followups[unit.id],
        )
        found.append(change)
        base_errors += errors
    current = {u.id for u in checked.units}
    for county_id in base_county_ids(project.data_dir, base.commit):
        if county_id not in current:  # removed since the report
            report = Report()
            old = load_county_at(project.data_dir, base.commit, county_id, report)
            if old is not None:
                found.append(county_changes(old, None))
                base_errors += len(report.errors)
    for county_report in checked.reports:
        found.append(report_change(project.reports_dir, county_report, base.commit))
    found.sort(key=lambda c: c.id)
    before, after = overall_change(found)
    return Changes(base.revision, base.commit[:7], base.date, before, after, found, base_errors)


def report_base(project: Project, settings: Settings, revision: str | None) -> Base | None:
    """The revision to compare with (given, else the last report tag); None when there is none."""
    revision = revision or latest_report_tag(project.data_dir, settings.site.reporting.tag_pattern)
    if revision is None:
        return None
    commit, date = resolve_base(project.data_dir, revision)
    return Base(revision, commit, date)


def render_site_pages(
    project: Project,
    checked: Checked,
    counties: dict[str, tuple[RenderedCounty, bool]],
    changes: Changes | None,
    revision: Revision,
    as_of: dt.date,
    months: list[Month],
    renderer: Renderer,
) -> ChartDrawing | None:
    """Stage 4 for the pages about every county, then the charts and the clean-up. Many new
    charts are left drawing (see Renderer.finish)."""
    figures = {county_id: rendered.figures for county_id, (rendered, _) in counties.items()}
    sm = site_metrics(figures, checked.settings, months, as_of, checked.regions)
    renderer.copy_tree(project.assets_dir, "assets")
    render_site(
        checked.roster,
        checked.regions,
        checked.settings,
        sm,
        checked.cases,
        revision,
        changes,
        renderer,
        county_charts={county_id: r.charts for county_id, (r, _) in counties.items()},
        recent={county_id: r.recent for county_id, (r, _) in counties.items()},
        downloads={county_id: r.downloads for county_id, (r, _) in counties.items()},
        form_download=(project.config_dir / FORM_TEMPLATE).is_file(),
        reported=frozenset(r.id for r in checked.reports),
        followups={
            county_id: (r.followups, r.followup_summary)
            for county_id, (r, _) in counties.items()
            if r.followup_summary is not None  # report counties have no records to follow up
        },
    )
    zone = checked.settings.site.timezone
    renderer.write_file("assets/javascripts/revision.js", revision_script(revision, zone))
    # the brief and the form sent upward, from the same figures (downloads page)
    upward = site_figures(checked, figures, sm, months, changes, revision)
    write_documents(upward, renderer, cache_root(project.root) / "brief", project.config_dir)
    return renderer.finish(draw_later=True)


@contextlib.contextmanager
def stage(name: str) -> Iterator[Callable[[str], None]]:
    """Log a stage's outcome and time to ``generator.progress`` (shown on a terminal, not in CI)."""
    start = time.perf_counter()
    summary: list[str] = []
    yield summary.append
    detail = f": {summary[-1]}" if summary else ""
    progress.info("stage %s%s (%.1f s)", name, detail, time.perf_counter() - start)


_started: dict[str, float] = {}


def tick(name: str, done: int, total: int) -> None:
    """A long stage's count so far (counties), every tenth of the way (see cli for where)."""
    start = _started.setdefault(name, time.perf_counter()) if done == 1 else _started.get(name)
    if total >= 20 and start is not None and done % max(1, total // 10) == 0:
        elapsed = time.perf_counter() - start
        progress.info("  %s %d/%d (%.1f s)", name, done, total, elapsed)


def revision_script(revision: Revision, timezone: str | None = None) -> bytes:
    """The data revision, shared by every page: the footer's and the pages' revision notes
    (see templates/theme/partials and the revision_note macro)."""
    text = json.dumps(revision.describe(timezone), ensure_ascii=False)
    return (
        "document.addEventListener('DOMContentLoaded',function(){"
        "document.querySelectorAll('#sitegen-revision,.sitegen-revision')"
        f".forEach(function(e){{e.textContent={text};}});}});\n"
    ).encode()


def site_fingerprint(project: Project, extra: dict) -> str:
    """What every page depends on besides its own content: when it changes, all pages rebuild.
    An upgraded MkDocs or Material changes every page's HTML: their versions are part of it."""
    tools = [_installed("mkdocs"), _installed("mkdocs-material")]
    digest = hashlib.sha256(json.dumps([__version__, tools, extra], sort_keys=True).encode())
    theme = project.templates_dir / "theme"
    for path in [project.mkdocs_yml, *sorted(p for p in theme.rglob("*") if p.is_file())]:
        digest.update(_named(path, project.root).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _named(path: Path, root: Path) -> str:
    """A file's name in a fingerprint: relative to the project, or to the packaged defaults."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return "<defaults>/" + path.relative_to(DEFAULTS).as_posix()


def _installed(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _theme_extra(settings: Settings) -> dict:
    notice = (
        "本站数据为虚构的样例数据，仅用于演示；汇总数字取自公开报道。"
        if settings.site.sample_data
        else ""
    )
    return {"notice": notice}


def _source_date_epoch(revision: Revision, units: list[CountyUnit]) -> int:
    """Build time for reproducible output: the data commit's time, else the newest activity's."""
    if revision.date is not None:
        return int(revision.date.timestamp())
    dates = [u.checked.last_activity for u in units if u.checked.last_activity]
    newest = max(dates, default=dt.date(2025, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC).timestamp())
