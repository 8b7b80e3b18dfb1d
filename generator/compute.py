"""Stage 3, compute: every number the site shows, from the validated ledger (pure).

Current metrics per county, grid and overall; org breakdowns; monthly series from the dated
records; and each target's progress status. ``as_of`` (the data's date) comes in as an
argument: nothing here reads a file or the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.config import Settings
from generator.history import (
    Month,
    activities_per_month,
    campaign_dates,
    monthly_metrics,
    months_between,
    needs_per_month,
    record_dates,
)
from generator.ledger import CountyLedger, Ledger
from generator.metrics import (
    Metrics,
    county_metrics,
    grid_metrics,
    org_breakdown,
    overall_metrics,
)
from generator.models import Target
from generator.progress import Progress, assess


@dataclass(frozen=True)
class Series:
    """A county's (or the overall) monthly figures, oldest month first."""

    months: list[Month]
    metrics: list[Metrics]  # cumulative, at each month's end
    activities: list[dict[str, int]]  # held in the month, per type
    needs: list[tuple[int, int]]  # (raised, resolved) in the month


@dataclass(frozen=True)
class SiteMetrics:
    overall: Metrics
    counties: dict[str, Metrics]
    grids: dict[tuple[str, str], Metrics]
    by_industry: dict[str, dict[str, Metrics]]
    by_kind: dict[str, dict[str, Metrics]]
    series: dict[str, Series]
    overall_series: Series
    progress: dict[str, dict[str, Progress]]
    overall_progress: dict[str, Progress]
    as_of: dt.date


def effective_targets(settings: Settings, county: CountyLedger | None) -> dict[str, Target]:
    """Site-wide targets, overridden by the county's own."""
    targets = dict(settings.site.targets)
    if county is not None:
        targets.update(county.county.targets)
    return targets


def data_date(ledger: Ledger, revision_date: dt.date | None) -> dt.date:
    """The date the figures describe: the data commit's date, else the newest record date."""
    if revision_date is not None:
        return revision_date
    dates = [d for c in ledger.counties for d in record_dates(c)]
    return max(dates, default=dt.date(1970, 1, 1))


def compute_site(ledger: Ledger, settings: Settings, as_of: dt.date) -> SiteMetrics:
    counties = {c.id: county_metrics(c) for c in ledger.counties}
    dates = [d for c in ledger.counties for d in campaign_dates(c) if d <= as_of]
    dates = dates or [d for c in ledger.counties for d in record_dates(c) if d <= as_of]
    months = months_between(min(dates, default=as_of), as_of)
    series = {
        c.id: Series(
            months,
            monthly_metrics(c, months),
            activities_per_month(c, months),
            needs_per_month(c, months),
        )
        for c in ledger.counties
    }
    overall_series = Series(
        months,
        [overall_metrics(s.metrics[i] for s in series.values()) for i in range(len(months))],
        [_merge(s.activities[i] for s in series.values()) for i in range(len(months))],
        [
            tuple(map(sum, zip(*(s.needs[i] for s in series.values()), strict=True))) or (0, 0)
            for i in range(len(months))
        ],
    )
    overall = overall_metrics(counties.values())
    return SiteMetrics(
        overall=overall,
        counties=counties,
        grids={(c.id, g): grid_metrics(c, g) for c in ledger.counties for g in c.grids},
        by_industry={c.id: org_breakdown(c, "industry") for c in ledger.counties},
        by_kind={c.id: org_breakdown(c, "kind") for c in ledger.counties},
        series=series,
        overall_series=overall_series,
        progress={
            c.id: _progress(effective_targets(settings, c), series[c.id], as_of)
            for c in ledger.counties
        },
        overall_progress=_progress(effective_targets(settings, None), overall_series, as_of),
        as_of=as_of,
    )


def _progress(targets: dict[str, Target], series: Series, as_of: dt.date) -> dict[str, Progress]:
    return {
        name: assess([m.get(name) for m in series.metrics], t.value, t.due, as_of)  # type: ignore[misc]
        for name, t in targets.items()
    }


def _merge(counts) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return total
