"""Stage 3, compute: every number the site shows, from the validated ledger (pure).

Current metrics per county, grid and overall; org breakdowns; monthly series from the dated
records; and each target's progress status. ``as_of`` (the data's date) comes in as an
argument: nothing here reads a file or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.compute.history import (
    Month,
    activities_per_month,
    campaign_dates,
    monthly_metrics,
    months_between,
    needs_per_month,
    record_dates,
)
from generator.compute.metrics import (
    Metrics,
    county_metrics,
    grid_metrics,
    number_of,
    org_breakdown,
    overall_metrics,
)
from generator.compute.progress import Progress, assess
from generator.compute.regions import Region, group_regions
from generator.load.config import Settings
from generator.load.ledger import CountyLedger, CountyView, Ledger
from generator.models import Target


@dataclass(frozen=True)
class Series:
    """A county's (or the overall) monthly figures, oldest month first."""

    months: list[Month]
    metrics: list[Metrics]  # cumulative, at each month's end
    activities: list[dict[str, int]]  # held in the month, per type
    needs: list[tuple[int, int]]  # (raised, resolved) in the month
    last_record: dt.date | None = None  # the newest date in the records (None: no dated record)


def unrecorded_from(series: Series) -> int | None:
    """The first of the trailing months in which nothing was recorded (no activity, no need
    raised or resolved, no figure changed); None when the last month has records."""
    start = len(series.months)
    while start > 1 and _quiet(series, start - 1):
        start -= 1
    return start if start < len(series.months) else None


def _quiet(series: Series, i: int) -> bool:
    return (
        not any(series.activities[i].values())
        and series.needs[i] == (0, 0)
        and series.metrics[i] == series.metrics[i - 1]
    )


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
    regions: dict[str, RegionFigures] = field(default_factory=dict)  # by region id


@dataclass(frozen=True)
class RegionFigures:
    """A city's or province's figures: sums over its counties, rates computed from the sums."""

    region: Region
    metrics: Metrics
    series: Series
    progress: dict[str, Progress]


def effective_targets(
    settings: Settings, county: CountyLedger | CountyView | None
) -> dict[str, Target]:
    """Site-wide targets, overridden by the county's own."""
    targets = dict(settings.site.targets)
    if county is not None:
        targets.update(county.county.targets)
    return targets


@dataclass(frozen=True)
class CountyDates:
    """The dates of one county that frame the whole site's time line (see compute_site)."""

    first_campaign: dt.date | None
    first_record: dt.date | None
    last_record: dt.date | None

    @classmethod
    def of(cls, county: CountyLedger) -> CountyDates:
        campaign, records = campaign_dates(county), record_dates(county)
        return cls(
            min(campaign, default=None), min(records, default=None), max(records, default=None)
        )


@dataclass(frozen=True)
class CountyFigures:
    """One county's figures: what its own pages show and the site's totals add up."""

    metrics: Metrics
    grids: dict[str, Metrics]  # by grid id, in the county's grid order
    by_industry: dict[str, Metrics]
    by_kind: dict[str, Metrics]
    series: Series
    progress: dict[str, Progress]


def data_date(dates: Iterable[CountyDates], revision_date: dt.date | None) -> dt.date:
    """The date the figures describe: the data commit's date, else the newest record date."""
    if revision_date is not None:
        return revision_date
    return max((d.last_record for d in dates if d.last_record), default=dt.date(1970, 1, 1))


# The longest series, in months: ten years of monthly figures are more than a page can show,
# and an old date (a party organization founded in 1950) must not make every series (and the
# build) a thousand months long. What is older counts in the first month, as it stood then.
MAX_SERIES_MONTHS = 120


def site_months(dates: Iterable[CountyDates], as_of: dt.date) -> list[Month]:
    """The months of every series: from the campaign's first dated work (else the first record
    date) up to ``as_of``, at most MAX_SERIES_MONTHS of them."""
    dates = list(dates)
    firsts = [d.first_campaign for d in dates if d.first_campaign and d.first_campaign <= as_of]
    firsts = firsts or [d.first_record for d in dates if d.first_record and d.first_record <= as_of]
    return months_between(min(firsts, default=as_of), as_of)[-MAX_SERIES_MONTHS:]


def compute_county(
    c: CountyLedger, settings: Settings, months: list[Month], as_of: dt.date
) -> CountyFigures:
    series = Series(
        months,
        monthly_metrics(c, months),
        activities_per_month(c, months),
        needs_per_month(c, months),
        max(record_dates(c), default=None),
    )
    return CountyFigures(
        metrics=county_metrics(c),
        grids={g: grid_metrics(c, g) for g in c.grids},
        by_industry=org_breakdown(c, "industry"),
        by_kind=org_breakdown(c, "kind"),
        series=series,
        progress=_progress(effective_targets(settings, c), series, as_of),
    )


def compute_site(ledger: Ledger, settings: Settings, as_of: dt.date) -> SiteMetrics:
    """Every figure of the site, from a whole ledger in memory."""
    months = site_months((CountyDates.of(c) for c in ledger.counties), as_of)
    figures = {c.id: compute_county(c, settings, months, as_of) for c in ledger.counties}
    regions = group_regions((c.id, c.county) for c in ledger.counties)
    return site_metrics(figures, settings, months, as_of, regions)


def site_metrics(
    figures: dict[str, CountyFigures],
    settings: Settings,
    months: list[Month],
    as_of: dt.date,
    regions: Iterable[Region] = (),
) -> SiteMetrics:
    """The site's figures from its counties' (in county order): totals are sums of counts with
    every rate computed again from them; likewise for each region's counties."""
    series = {county_id: f.series for county_id, f in figures.items()}
    overall_series = combined_series(list(series.values()), months)
    targets = effective_targets(settings, None)
    return SiteMetrics(
        overall=overall_metrics(f.metrics for f in figures.values()),
        counties={county_id: f.metrics for county_id, f in figures.items()},
        grids={(cid, g): m for cid, f in figures.items() for g, m in f.grids.items()},
        by_industry={county_id: f.by_industry for county_id, f in figures.items()},
        by_kind={county_id: f.by_kind for county_id, f in figures.items()},
        series=series,
        overall_series=overall_series,
        progress={county_id: f.progress for county_id, f in figures.items()},
        overall_progress=_progress(targets, overall_series, as_of),
        as_of=as_of,
        regions={
            r.id: region_figures(r, [figures[c] for c in r.counties], targets, months, as_of)
            for r in regions
        },
    )


def region_figures(
    region: Region,
    figures: list[CountyFigures],
    targets: dict[str, Target],
    months: list[Month],
    as_of: dt.date,
) -> RegionFigures:
    """A region's figures from its counties' (the site-wide targets apply to it)."""
    series = combined_series([f.series for f in figures], months)
    return RegionFigures(
        region,
        overall_metrics(f.metrics for f in figures),
        series,
        _progress(targets, series, as_of),
    )


def combined_series(series: list[Series], months: list[Month]) -> Series:
    """The monthly series of several counties together: counts summed, rates recomputed."""
    return Series(
        months,
        [overall_metrics(s.metrics[i] for s in series) for i in range(len(months))],
        [_merge(s.activities[i] for s in series) for i in range(len(months))],
        [
            (sum(s.needs[i][0] for s in series), sum(s.needs[i][1] for s in series))
            for i in range(len(months))
        ],
        max((s.last_record for s in series if s.last_record), default=None),
    )


def target_progress(
    targets: dict[str, Target], series: Series, as_of: dt.date
) -> dict[str, Progress]:
    """Each target's status on ``as_of``, from the monthly series."""
    return _progress(targets, series, as_of)


def _progress(targets: dict[str, Target], series: Series, as_of: dt.date) -> dict[str, Progress]:
    # The pace is read from the months that have records: months after the last record say
    # "nothing recorded since", not "no progress" (the rule on the methodology page).
    recorded = series.metrics[: unrecorded_from(series) or len(series.metrics)]
    return {
        name: assess([number_of(m, name) for m in recorded], t.value, t.due, as_of)
        for name, t in targets.items()
    }


def _merge(counts) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return total
