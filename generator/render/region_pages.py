"""The pages of cities and provinces (``/regions/<id>/``) and the regions index, from the
counties' figures the build keeps (never their records)."""

from __future__ import annotations

from generator.compute.figures import SiteMetrics, effective_targets
from generator.compute.regions import CITY, PROVINCE, Region
from generator.load.config import Settings
from generator.load.ledger import Roster
from generator.render import chartspecs as specs
from generator.render.renderer import ChartRef, Renderer


def coverage_chart(charts: list[ChartRef]) -> ChartRef | None:
    """A county's coverage-over-time chart among its charts (every county's is drawn on the
    same months and the same 0–100% axis, so they line up as small multiples)."""
    return next((ref for ref in charts if ref.spec.line and ref.spec.percent), None)


def render_regions(
    roster: Roster,
    regions: list[Region],
    settings: Settings,
    sm: SiteMetrics,
    r: Renderer,
    common: dict,
    county_charts: dict[str, list[ChartRef]],
) -> None:
    """A page per region present, and the index of them all (an empty state without any)."""
    targets = effective_targets(settings, None)
    by_id = {region.id: region for region in regions}
    views = {c.id: c for c in roster.counties}
    for region in regions:
        counties = [views[c] for c in region.counties]
        figures = sm.regions[region.id]
        charts = []
        if figures.series.months:
            charts.append(r.chart(specs.coverage_over_time(region.name, figures.series, targets)))
        charts.append(
            r.chart(specs.county_comparison(counties, sm, targets, f"{region.name}各县覆盖率"))
        )
        cities = [c for c in regions if c.level == CITY and c.parent == region.id]
        parent = by_id.get(region.parent) if region.parent else None
        city_of = {cid: c for c in cities for cid in c.counties}
        r.page(
            region.path(),
            "region.md.j2",
            region=region,
            parent=parent,
            cities=cities,
            city_of=city_of,
            counties=counties,
            m=figures.metrics,
            targets=targets,
            progress=figures.progress,
            last_record=figures.series.last_record,
            charts=charts,
            multiples=[(c, coverage_chart(county_charts.get(c.id, []))) for c in counties],
            **common,
        )
    r.page(
        "regions/index.md",
        "regions.md.j2",
        provinces=[x for x in regions if x.level == PROVINCE],
        orphan_cities=[x for x in regions if x.level == CITY and x.parent is None],
        regions=regions,
        counties=roster.counties,
        **common,
    )


def city_groups(roster: Roster, regions: list[Region]) -> list[tuple[Region | None, list]]:
    """The site's counties by city, in region order; counties in no city last (None). Empty
    when the site has fewer than two cities (pages then list the counties as one table)."""
    cities = [r for r in regions if r.level == CITY]
    if len(cities) < 2:
        return []
    views = {c.id: c for c in roster.counties}
    groups: list[tuple[Region | None, list]] = [
        (city, [views[c] for c in city.counties]) for city in cities
    ]
    placed = {c for city in cities for c in city.counties}
    rest = [c for c in roster.counties if c.id not in placed]
    if rest:
        groups.append((None, rest))
    return groups
