"""What a brief says, gathered from the site's own figures (pure).

Every number comes from the figures a build computes (``compute.site_metrics``, the code path
of metrics.json) and from 本期变化's comparison (``changes.CountyChanges``); nothing here
recomputes a metric another way. The period's activities, outputs and needs are counted from
the county's dated records (see :func:`period_digest`), once per county and kept in the
per-county cache by the build.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from generator.compute.changes import Changes, overall_change
from generator.compute.figures import CountyFigures, SiteMetrics, site_metrics
from generator.compute.history import Month
from generator.compute.metrics import Metrics
from generator.compute.progress import Progress
from generator.library.cases import Case
from generator.load.config import Settings
from generator.load.gitinfo import Revision
from generator.load.ledger import CountyLedger, Roster


@dataclass(frozen=True)
class PeriodDigest:
    """What a county did in the period: activities dated in it, their outputs, needs."""

    activities_by_type: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)
    needs_raised: int = 0
    needs_resolved: int = 0

    @property
    def activities(self) -> int:
        return sum(self.activities_by_type.values())


def period_digest(county: CountyLedger, since: dt.date | None, until: dt.date) -> PeriodDigest:
    """Records dated after ``since`` (the last report's date; None: from the start) and up to
    ``until`` (the data date)."""

    def within(day: dt.date | None) -> bool:
        return day is not None and (since is None or day > since) and day <= until

    by_type: Counter[str] = Counter()
    outputs: Counter[str] = Counter()
    for activity in county.activities.values():
        if within(activity.date):
            by_type[activity.type] += 1
            outputs.update(activity.outputs)
    needs = county.needs.values()
    return PeriodDigest(
        dict(sorted(by_type.items())),
        dict(sorted(outputs.items())),
        sum(1 for n in needs if within(n.raised_on)),
        sum(1 for n in needs if within(n.resolved_on)),
    )


def add_digests(digests: list[PeriodDigest]) -> PeriodDigest:
    by_type: Counter[str] = Counter()
    outputs: Counter[str] = Counter()
    for d in digests:
        by_type.update(d.activities_by_type)
        outputs.update(d.outputs)
    return PeriodDigest(
        dict(sorted(by_type.items())),
        dict(sorted(outputs.items())),
        sum(d.needs_raised for d in digests),
        sum(d.needs_resolved for d in digests),
    )


@dataclass(frozen=True)
class BriefCounty:
    id: str
    name: str
    metrics: Metrics
    progress: dict[str, Progress]
    before: Metrics | None  # at the last report; None: no comparison, or the county is new
    period: PeriodDigest


@dataclass(frozen=True)
class BriefCase:
    title: str
    county: str  # the county's name
    date: dt.date


@dataclass(frozen=True)
class BriefData:
    """Everything a brief says. ``scope``: the headline's area (全县 name, or 各县 overall)."""

    scope: str
    single: bool  # one county's brief (its own targets), not several counties'
    metrics: Metrics
    progress: dict[str, Progress]
    before: Metrics | None
    counties: list[BriefCounty]
    period: PeriodDigest
    cases: list[BriefCase]
    base: str | None  # the last report's revision, as given (a tag)
    base_date: dt.date | None
    as_of: dt.date
    revision: Revision
    settings: Settings


def brief_data(
    roster: Roster,
    settings: Settings,
    sm: SiteMetrics,
    changes: Changes | None,
    digests: dict[str, PeriodDigest],
    cases: list[Case],
    revision: Revision,
    county_ids: list[str] | None = None,
    figures: dict[str, CountyFigures] | None = None,
    months: list[Month] | None = None,
) -> BriefData:
    """The brief of the chosen counties (default: all, in site order) from a build's figures.

    ``changes``: 本期变化 (None: no last report to compare with). Several chosen counties'
    totals and progress come from ``site_metrics`` over their ``figures`` (with ``months``),
    as the site's overall figures do."""
    chosen = [c for c in roster.counties if county_ids is None or c.id in county_ids]
    changed = {c.id: c for c in changes.counties} if changes is not None else {}
    counties = [
        BriefCounty(
            view.id,
            view.county.name,
            sm.counties[view.id],
            sm.progress[view.id],
            changed[view.id].before if view.id in changed else None,
            digests.get(view.id, PeriodDigest()),
        )
        for view in chosen
    ]
    single = len(counties) == 1  # a one-county site: that county's brief
    before: Metrics | None = None
    if single:
        metrics, progress, before = counties[0].metrics, counties[0].progress, counties[0].before
    elif county_ids is None:
        metrics, progress = sm.overall, sm.overall_progress
        before = changes.overall_before if changes is not None else None
    else:
        assert figures is not None and months is not None, "several counties need their figures"
        subset = site_metrics({c.id: figures[c.id] for c in counties}, settings, months, sm.as_of)
        metrics, progress = subset.overall, subset.overall_progress
        if changes is not None:
            before = overall_change([changed[c.id] for c in counties if c.id in changed])[0]
    names = {c.id: c.name for c in counties}
    since = changes.base_date.date() if changes is not None else None
    period_cases = sorted(
        (
            BriefCase(case.meta.title, names[case.meta.county], case.meta.date)
            for case in cases
            if case.meta.county in names
            and (since is None or case.meta.date > since)
            and case.meta.date <= sm.as_of
        ),
        key=lambda c: (c.date, c.title),
    )
    return BriefData(
        scope=counties[0].name if single else "各县",
        single=single,
        metrics=metrics,
        progress=progress,
        before=before,
        counties=counties,
        period=add_digests([c.period for c in counties]),
        cases=period_cases,
        base=changes.base if changes is not None else None,
        base_date=since,
        as_of=sm.as_of,
        revision=revision,
        settings=settings,
    )
