"""The whole build, top to bottom: load -> validate -> compute -> render -> publish.

Everything is gathered and checked before anything is written; the published site is only
replaced once a complete new one exists (see :mod:`generator.publish`).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.cases import Case, load_cases
from generator.changes import Changes, compare, latest_report_tag, load_ledger_at
from generator.checks import check_ledger
from generator.compute import compute_site, data_date
from generator.config import Settings, load_settings
from generator.diagnostics import DataError, Report
from generator.gitinfo import Revision, data_revision
from generator.ledger import Ledger
from generator.loader import load_ledger
from generator.pages import render_pages
from generator.privacy import published_sources, scan_files
from generator.publish import build_site
from generator.render import Renderer

log = logging.getLogger(__name__)


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


def load_and_validate(project: Project, today: dt.date) -> Checked:
    """Stages 1 and 2. Every problem found is in the report; nothing is written."""
    report = Report()
    settings = load_settings(project.config_dir, report)
    ledger = load_ledger(project.data_dir, report)
    cases = load_cases(project.content_dir / "cases", ledger, report)
    if settings is not None:
        check_ledger(ledger, settings, report, today)
        scan_files(
            published_sources(project.data_dir, project.content_dir),
            settings.site.privacy.allowed_numbers,
            report,
        )
    return Checked(ledger, settings, cases, report)  # type: ignore[arg-type]


def build(
    project: Project, today: dt.date, strict: bool = False, compare_to: str | None = None
) -> Report:
    """Validate, then build and publish the site. Raises DataError when nothing may be published.

    ``compare_to``: the revision of the last report (default: the newest tag matching the
    reporting pattern of site_config); ConfigError when git does not have it.
    """
    checked = load_and_validate(project, today)
    report = checked.report
    if report.errors or (strict and report.warnings):
        raise DataError(report.diagnostics)
    revision = data_revision(project.data_dir)
    as_of = data_date(checked.ledger, revision.date.date() if revision.date else None)
    metrics = compute_site(checked.ledger, checked.settings, as_of)
    changes = compare_with(project, checked, compare_to)
    work = Path(tempfile.mkdtemp(prefix="sitegen-docs-"))
    try:
        docs_dir = work / "docs"
        renderer = Renderer(project.templates_dir, docs_dir, checked.settings)
        renderer.copy_tree(project.content_dir / "assets", "assets")
        render_pages(
            checked.ledger, checked.settings, metrics, checked.cases, revision, changes, renderer
        )
        build_site(
            project.mkdocs_yml,
            docs_dir,
            project.out_dir,
            extra=_theme_extra(checked.settings, revision),
            copyright=revision.describe(),
            source_date_epoch=_source_date_epoch(revision, checked.ledger),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


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


def _theme_extra(settings: Settings, revision: Revision) -> dict:
    notice = (
        "本站数据为虚构的样例数据，仅用于演示；汇总数字取自公开报道。"
        if settings.site.sample_data
        else ""
    )
    return {"notice": notice, "data_revision": revision.commit or ""}


def _source_date_epoch(revision: Revision, ledger: Ledger) -> int:
    """Build time for reproducible output: the data commit's time, else the newest record date."""
    if revision.date is not None:
        return int(revision.date.timestamp())
    dates = [a.date for c in ledger.counties for a in c.activities.values()]
    newest = max(dates, default=dt.date(2025, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC).timestamp())
