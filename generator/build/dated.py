"""When a build's figures are: the data revision and date, the series' months, the last
report to compare with, and the build time written into the site (reproducible output)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.build.checked import Checked
from generator.build.county_jobs import Base
from generator.compute.changes import latest_report_tag, resolve_base
from generator.compute.figures import data_date, site_months
from generator.compute.history import Month
from generator.load.config import Settings
from generator.load.gitinfo import Revision, data_revision
from generator.project import Project


@dataclass(frozen=True)
class Dated:
    """What the build's figures are about."""

    revision: Revision
    as_of: dt.date  # the data date
    months: list[Month]  # of every series
    base: Base | None  # the last report (None: there is none)
    epoch: int  # the build time for SOURCE_DATE_EPOCH

    @classmethod
    def of(cls, project: Project, checked: Checked, compare_to: str | None) -> Dated:
        revision = data_revision(project.data_dir, dirty=checked.git_dirty)
        as_of = data_date(checked.dates, revision.date.date() if revision.date else None)
        months = site_months(checked.dates, as_of)
        base = report_base(project, checked.settings, compare_to)
        last = [u.checked.last_activity for u in checked.units]
        return cls(revision, as_of, months, base, source_date_epoch(revision, last))


def report_base(project: Project, settings: Settings, revision: str | None) -> Base | None:
    """The revision to compare with (given, else the last report tag); None when there is none."""
    revision = revision or latest_report_tag(project.data_dir, settings.site.reporting.tag_pattern)
    if revision is None:
        return None
    commit, date = resolve_base(project.data_dir, revision)
    return Base(revision, commit, date)


def source_date_epoch(revision: Revision, last_activities: list[dt.date | None]) -> int:
    """Build time for reproducible output: the data commit's time, else the newest activity's."""
    if revision.date is not None:
        return int(revision.date.timestamp())
    newest = max((d for d in last_activities if d), default=dt.date(2025, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC).timestamp())
