"""The whole build, top to bottom: load -> validate -> compute -> render -> publish.

Everything is gathered and checked before anything is written; the published site is only
replaced once a complete new one exists (see :mod:`generator.publish`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.cache import BuildCache, cache_root, exclusive
from generator.changes import Changes, compare, latest_report_tag, load_ledger_at
from generator.checks import check_ledger
from generator.compute import SiteMetrics, compute_site, data_date
from generator.config import Settings, load_settings
from generator.diagnostics import DataError, Report
from generator.gitinfo import Revision, data_revision
from generator.ledger import Ledger
from generator.library.cases import Case, load_cases
from generator.loader import load_ledger
from generator.pages import render_pages
from generator.privacy import published_sources, scan_files
from generator.publish import build_offline_zip, build_site
from generator.record_cache import RecordCache
from generator.render import Renderer

log = logging.getLogger(__name__)
progress = logging.getLogger("generator.progress")


@dataclass(frozen=True)
class Project:
    """Where a site's parts live. ``root`` holds mkdocs.yml, templates/, content/, site_config/."""

    root: Path
    data_dir: Path
    out_dir: Path

    @property
    def config_dir(self) -> Path:
        return self.root / "site_config"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"


@dataclass(frozen=True)
class Checked:
    """The outcome of the load and validate stages."""

    ledger: Ledger
    settings: Settings
    cases: list[Case]
    report: Report


def load_and_validate(project: Project, today: dt.date, use_cache: bool = True) -> Checked:
    """Stages 1 and 2. Every problem found is in the report; nothing is published.

    ``use_cache``: take unchanged files' records from the build cache (see record_cache).
    """
    report = Report()
    with stage("load") as done:
        settings = load_settings(project.config_dir, report)
        records = RecordCache(cache_root(project.root) / "records.pickle", __version__, use_cache)
        ledger = load_ledger(project.data_dir, report, records)
        records.save()
        cases = load_cases(project.content_dir / "cases", ledger, report, settings)
        count = sum(len(c.sources) for c in ledger.counties)
        done(
            f"{len(ledger.counties)} counties, {count} records ({records.hits} files from the "
            f"cache), {len(cases)} cases"
        )
    with stage("validate") as done:
        if settings is not None:
            check_ledger(ledger, settings, report, today)
            scan_files(
                published_sources(project.data_dir, project.content_dir),
                settings.site.privacy.allowed_numbers,
                report,
            )
        done(f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return Checked(ledger, settings, cases, report)  # type: ignore[arg-type]


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
    with exclusive(cache_root(project.root)):  # one build at a time per cache
        cache = BuildCache.open(cache_root(project.root), clean=clean)
        checked = load_and_validate(project, today, use_cache=not clean)  # stages 1 and 2
        report = checked.report
        if report.errors or (strict and report.warnings):
            raise DataError(report.diagnostics)
        revision = data_revision(project.data_dir)
        as_of = data_date(checked.ledger, revision.date.date() if revision.date else None)
        with stage("compute") as done:
            metrics = compute_site(checked.ledger, checked.settings, as_of)  # stage 3
            changes = compare_with(project, checked, compare_to)
            done(f"as of {as_of}")
        extra = _theme_extra(checked.settings)
        epoch = _source_date_epoch(revision, checked.ledger)
        try:
            with stage("render") as done:
                renderer = render(project, checked, metrics, revision, changes, cache)  # stage 4
                done(
                    f"{len(renderer.produced)} files, {len(renderer.changed)} changed, "
                    f"{renderer.charts_drawn} charts drawn, {len(renderer.removed)} removed"
                )
            fingerprint = site_fingerprint(project, extra)
            previous = cache.previous_build(project.out_dir, fingerprint)
            with stage("publish") as done:
                build_id = build_site(  # stage 5
                    project.mkdocs_yml,
                    cache.docs_dir,
                    project.out_dir,
                    extra=extra,
                    source_date_epoch=epoch,
                    changed=renderer.changed,
                    removed=renderer.removed,
                    previous_build=previous,
                )
                done("incremental" if previous else "full MkDocs build")
        except BaseException:
            cache.forget()
            raise
        cache.published(project.out_dir, build_id, fingerprint)
        if offline_zip is not None:
            with stage("offline zip") as done:
                build_offline_zip(
                    project.mkdocs_yml, cache.docs_dir, offline_zip, extra=extra,
                    source_date_epoch=epoch,
                )  # fmt: skip
                done(str(offline_zip))
    return report


@contextlib.contextmanager
def stage(name: str) -> Iterator[Callable[[str], None]]:
    """Log a stage's outcome and time to ``generator.progress`` (shown on a terminal, not in CI)."""
    start = time.perf_counter()
    summary: list[str] = []
    yield summary.append
    detail = f": {summary[-1]}" if summary else ""
    progress.info("stage %s%s (%.1f s)", name, detail, time.perf_counter() - start)


def render(
    project: Project,
    checked: Checked,
    metrics: SiteMetrics,
    revision: Revision,
    changes: Changes | None,
    cache: BuildCache,
) -> Renderer:
    """Stage 4: every page, chart and download into the cache's docs folder (changed files only)."""
    renderer = Renderer(
        project.templates_dir, cache.docs_dir, checked.settings, chart_cache=cache.charts_dir
    )
    renderer.copy_tree(project.content_dir / "assets", "assets")
    render_pages(
        checked.ledger, checked.settings, metrics, checked.cases, revision, changes, renderer
    )
    renderer.write_file("assets/javascripts/revision.js", revision_script(revision))
    renderer.finish()
    return renderer


def compare_with(project: Project, checked: Checked, revision: str | None) -> Changes | None:
    """Changes since ``revision`` (or the last report tag); None when there is nothing to compare."""
    pattern = checked.settings.site.reporting.tag_pattern
    revision = revision or latest_report_tag(project.data_dir, pattern)
    if revision is None:
        return None
    base_report = Report()
    base, commit, date = load_ledger_at(project.data_dir, revision, base_report)
    counties, before, after = compare(base, checked.ledger)
    return Changes(revision, commit, date, before, after, counties, len(base_report.errors))


def revision_script(revision: Revision) -> bytes:
    """The footer's data revision, shared by every page (see templates/theme/partials)."""
    text = json.dumps(revision.describe(), ensure_ascii=False)
    return (
        "document.addEventListener('DOMContentLoaded',function(){"
        f"var e=document.getElementById('sitegen-revision');if(e)e.textContent={text};}});\n"
    ).encode()


def site_fingerprint(project: Project, extra: dict) -> str:
    """What every page depends on besides its own content: when it changes, all pages rebuild."""
    digest = hashlib.sha256(json.dumps([__version__, extra], sort_keys=True).encode())
    theme = project.templates_dir / "theme"
    for path in [project.mkdocs_yml, *sorted(p for p in theme.rglob("*") if p.is_file())]:
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _theme_extra(settings: Settings) -> dict:
    notice = (
        "本站数据为虚构的样例数据，仅用于演示；汇总数字取自公开报道。"
        if settings.site.sample_data
        else ""
    )
    return {"notice": notice}


def _source_date_epoch(revision: Revision, ledger: Ledger) -> int:
    """Build time for reproducible output: the data commit's time, else the newest record date."""
    if revision.date is not None:
        return int(revision.date.timestamp())
    dates = [a.date for c in ledger.counties for a in c.activities.values()]
    newest = max(dates, default=dt.date(2025, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC).timestamp())
