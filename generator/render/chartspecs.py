"""Which charts the pages show, as chart specs built from computed figures (pure)."""

from __future__ import annotations

from generator.compute.figures import Series as MonthlySeries
from generator.compute.figures import SiteMetrics, unrecorded_from
from generator.compute.metrics import Metrics, count_of, number_of
from generator.load.config import Settings
from generator.load.ledger import CountyView
from generator.models import Target
from generator.render.chartdata import ChartSpec, Series

TOP_ACTIVITY_TYPES = 3  # + "其他": the chart has at most 4 colours


def _target(targets: dict[str, Target], name: str) -> float | None:
    return targets[name].value if name in targets else None


def _rates(values, targets) -> tuple[Series, Series]:
    """Both coverage rates, each with its own target (60% and 90% are different lines)."""
    return (
        Series("组织覆盖率", values("org_coverage_rate"), _target(targets, "org_coverage_rate")),
        Series("工作覆盖率", values("work_coverage_rate"), _target(targets, "work_coverage_rate")),
    )


def county_comparison(
    counties: list[CountyView], sm: SiteMetrics, targets, title: str = "各县覆盖率"
) -> ChartSpec:
    def values(name: str) -> tuple[float | None, ...]:
        return tuple(number_of(sm.counties[c.id], name) for c in counties)

    return ChartSpec(
        title=title,
        categories=tuple(c.county.name for c in counties),
        series=_rates(values, targets),
        percent=True,
        horizontal=len(counties) > 6,
    )


def party_orgs_by_county(counties: list[CountyView], sm: SiteMetrics) -> ChartSpec:
    return ChartSpec(
        title="各县党组织数（按组织类别）",
        categories=tuple(c.county.name for c in counties),
        series=(
            Series(
                "新经济组织",
                tuple(count_of(sm.counties[c.id], "party_orgs_economic") for c in counties),
            ),
            Series(
                "新社会组织",
                tuple(count_of(sm.counties[c.id], "party_orgs_social") for c in counties),
            ),
        ),
        unit="个",
        stacked=True,
        horizontal=len(counties) > 6,
    )


def coverage_over_time(name: str, series: MonthlySeries, targets) -> ChartSpec:
    return ChartSpec(
        title=f"{name}覆盖率变化（按月累计）",
        categories=tuple(m.label() for m in series.months),
        series=_rates(lambda name: tuple(number_of(m, name) for m in series.metrics), targets),
        percent=True,
        line=True,
        unrecorded_from=unrecorded_from(series),
    )


def party_orgs_over_time(name: str, series: MonthlySeries) -> ChartSpec:
    return ChartSpec(
        title=f"{name}党组织数变化（按月累计）",
        categories=tuple(m.label() for m in series.months),
        series=(
            Series(
                "新经济组织党组织",
                tuple(count_of(m, "party_orgs_economic") for m in series.metrics),
            ),
            Series(
                "新社会组织党组织", tuple(count_of(m, "party_orgs_social") for m in series.metrics)
            ),
        ),
        unit="个",
        line=True,
        unrecorded_from=unrecorded_from(series),
    )


def activities_per_month(name: str, series: MonthlySeries, settings: Settings) -> ChartSpec:
    totals: dict[str, int] = {}
    for month in series.activities:
        for code, n in month.items():
            totals[code] = totals.get(code, 0) + n
    top = sorted(totals, key=lambda code: (-totals[code], code))[:TOP_ACTIVITY_TYPES]
    rest = [code for code in totals if code not in top]
    columns = [
        Series(
            settings.codes.label("activity_type", code),
            tuple(month.get(code, 0) for month in series.activities),
        )
        for code in top
    ]
    if rest:
        columns.append(
            Series(
                "其他",
                tuple(sum(m.get(c, 0) for c in rest) for m in series.activities),
                muted=True,
            )
        )
    return ChartSpec(
        title=f"{name}每月活动次数",
        categories=tuple(m.label() for m in series.months),
        series=tuple(columns),
        unit="次",
        stacked=True,
        unrecorded_from=unrecorded_from(series),
    )


def needs_per_month(name: str, series: MonthlySeries) -> ChartSpec:
    return ChartSpec(
        title=f"{name}每月诉求提出与解决",
        categories=tuple(m.label() for m in series.months),
        series=(
            Series("提出", tuple(n[0] for n in series.needs)),
            Series("解决", tuple(n[1] for n in series.needs)),
        ),
        unit="项",
        unrecorded_from=unrecorded_from(series),
    )


def grid_coverage(county: CountyView, metrics: dict[str, Metrics], targets) -> ChartSpec:
    """``metrics``: the county's grid metrics by grid id."""
    grids = list(county.grids.values())

    def values(name: str) -> tuple:
        return tuple(metrics[g.id][name] for g in grids)

    return ChartSpec(
        title=f"{county.county.name}各网格覆盖率",
        categories=tuple(g.name for g in grids),
        series=_rates(values, targets),
        percent=True,
        horizontal=True,
    )


def industry_coverage(name: str, industries: dict[str, Metrics], settings: Settings) -> ChartSpec:
    codes = list(industries)
    m = [industries[c] for c in codes]
    return ChartSpec(
        title=f"{name}各行业组织覆盖情况",
        categories=tuple(settings.codes.label("industry", c) for c in codes),
        series=(
            Series("已建党组织", tuple(count_of(x, "orgs_org_covered") for x in m)),
            Series(
                "仅工作覆盖",
                tuple(
                    count_of(x, "orgs_work_covered") - count_of(x, "orgs_org_covered") for x in m
                ),
            ),
            Series(
                "尚未覆盖",
                tuple(count_of(x, "orgs_total") - count_of(x, "orgs_work_covered") for x in m),
                muted=True,
            ),
        ),
        unit="个",
        horizontal=True,
        stacked=True,
    )


def county_charts(county: CountyView, figures, settings: Settings, targets) -> list[ChartSpec]:
    """The charts of a county's page, from its figures alone (``figures``: CountyFigures), so
    a county that comes as a report gets the same charts as from its ledger."""
    name, series, m = county.county.name, figures.series, figures.metrics
    found = []
    if series.months:
        found.append(coverage_over_time(name, series, targets))
    if county.grids:
        found.append(grid_coverage(county, figures.grids, targets))
    if figures.by_industry:
        found.append(industry_coverage(name, figures.by_industry, settings))
    if series.months and m["party_orgs_total"]:
        found.append(party_orgs_over_time(name, series))
    if series.months and m["activities_total"]:
        found.append(activities_per_month(name, series, settings))
    if series.months and m["needs_total"]:
        found.append(needs_per_month(name, series))
    return found
