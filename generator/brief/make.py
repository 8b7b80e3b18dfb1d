"""The brief's .docx from a revision's figures: choose the counties and charts, write the text,
lay it out (see content and docx_writer)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from generator.brief.content import Block, brief_blocks
from generator.brief.figures import brief_data
from generator.brief.sources import SiteFigures
from generator.build.fingerprints import key_of
from generator.compute.figures import effective_targets
from generator.render import chartspecs as specs
from generator.render.chartdata import ChartSpec


def brief_charts(site: SiteFigures, county_ids: list[str] | None) -> list[ChartSpec]:
    """Overall: both rates by county and their course; one county: its course and grids."""
    sm, settings = site.sm, site.settings
    chosen = [c for c in site.roster.counties if county_ids is None or c.id in county_ids]
    if len(chosen) == 1:
        view = chosen[0]
        targets = effective_targets(settings, view)
        charts = []
        if site.months:
            charts.append(specs.coverage_over_time(view.county.name, sm.series[view.id], targets))
        if view.grids:
            grids = {g: sm.grids[(view.id, g)] for g in view.grids}
            charts.append(specs.grid_coverage(view, grids, targets))
        return charts
    targets = effective_targets(settings, None)
    charts = [specs.county_comparison(chosen, sm, targets)]
    if county_ids is None and site.months:
        charts.append(specs.coverage_over_time("全部县", sm.overall_series, targets))
    return charts


def blocks_of(site: SiteFigures, county_ids: list[str] | None) -> list[Block]:
    data = brief_data(
        site.roster,
        site.settings,
        site.sm,
        site.changes,
        site.digests,
        site.cases,
        site.revision,
        county_ids=county_ids,
        figures=site.figures,
        months=site.months,
    )
    return brief_blocks(data, brief_charts(site, county_ids))


def make_brief(
    site: SiteFigures,
    county_ids: list[str] | None,
    chart_cache: Path | None,
    cache_dir: Path | None = None,
) -> bytes:
    """The .docx bytes. Charts are kept under ``chart_cache``; the document under
    ``cache_dir`` (the build's: only the newest is kept) by what it says, so a build whose
    figures did not change neither imports python-docx nor draws a chart."""
    return planned_brief(site, county_ids, chart_cache, cache_dir).make()


@dataclass(frozen=True)
class BriefPlan:
    """A brief whose text is decided and whose layout is still to do: ``make`` may run in
    another process (it pickles: blocks of text, chart specs and paths)."""

    blocks: list[Block]
    when: dt.datetime
    author: str
    chart_cache: Path | None
    path: Path | None  # where the document is kept (cache_dir/<key>.docx), if anywhere

    @property
    def cached(self) -> bytes | None:
        """The document, when a build already laid out these blocks."""
        if self.path is not None and self.path.is_file():
            return self.path.read_bytes()
        return None

    def make(self) -> bytes:
        cached = self.cached
        if cached is not None:
            return cached
        from generator.brief.docx_writer import write_docx  # python-docx: loaded when needed

        data = write_docx(self.blocks, self.when, self.author, self.chart_cache)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for old in self.path.parent.glob("*.docx"):
                old.unlink(missing_ok=True)
            partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
            partial.write_bytes(data)
            partial.replace(self.path)
        return data


def planned_brief(
    site: SiteFigures,
    county_ids: list[str] | None,
    chart_cache: Path | None,
    cache_dir: Path | None = None,
) -> BriefPlan:
    """The brief's text and where its document is kept (see make_brief)."""
    blocks = blocks_of(site, county_ids)
    author = site.settings.site.brief.issuer or site.settings.site.title
    key = key_of("brief-docx", repr(blocks), site.when, author)[:32]
    path = cache_dir / f"{key}.docx" if cache_dir is not None else None
    return BriefPlan(blocks, site.when, author, chart_cache, path)
