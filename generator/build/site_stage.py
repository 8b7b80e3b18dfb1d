"""Stages 3 and 4 for the pages about every county: the site's figures from the counties',
then its pages, the theme's revision script, and the documents sent upward."""

from __future__ import annotations

from generator.brief.build_step import FORM_TEMPLATE, site_figures, write_documents
from generator.build.cache import cache_root
from generator.build.checked import Checked
from generator.build.county_jobs import CountyResult
from generator.build.dated import Dated
from generator.compute.changes import Changes
from generator.compute.figures import SiteMetrics, site_metrics
from generator.project import Project
from generator.render.pages import render_site
from generator.render.renderer import ChartDrawing, Renderer
from generator.render.theme import REVISION_SCRIPT, revision_script


def compute_site(checked: Checked, counties: dict[str, CountyResult], dated: Dated) -> SiteMetrics:
    """Stage 3 for the site: its figures, regions' and the whole's, from the counties'."""
    figures = {county_id: c.rendered.figures for county_id, c in counties.items()}
    return site_metrics(figures, checked.settings, dated.months, dated.as_of, checked.regions)


def render_site_pages(
    project: Project,
    checked: Checked,
    counties: dict[str, CountyResult],
    changes: Changes | None,
    sm: SiteMetrics,
    dated: Dated,
    renderer: Renderer,
) -> ChartDrawing | None:
    """Stage 4 for the pages about every county, then the charts and the clean-up. Many new
    charts are left drawing (see Renderer.finish)."""
    rendered = {county_id: c.rendered for county_id, c in counties.items()}
    renderer.copy_tree(project.assets_dir, "assets")
    render_site(
        checked.roster,
        checked.regions,
        checked.settings,
        sm,
        checked.cases,
        dated.revision,
        changes,
        renderer,
        county_charts={county_id: r.charts for county_id, r in rendered.items()},
        recent={county_id: r.recent for county_id, r in rendered.items()},
        downloads={county_id: r.downloads for county_id, r in rendered.items()},
        scanned={county_id: r.scanned for county_id, r in rendered.items()},
        followup_xml={county_id: r.followup_xml for county_id, r in rendered.items()},
        form_download=(project.config_dir / FORM_TEMPLATE).is_file(),
        reported=frozenset(r.id for r in checked.reports),
        followups={
            county_id: (r.followups, r.followup_summary)
            for county_id, r in rendered.items()
            if r.followup_summary is not None  # report counties have no records to follow up
        },
    )
    zone = checked.settings.site.timezone
    renderer.write_file(REVISION_SCRIPT, revision_script(dated.revision, zone))
    # the brief and the form sent upward, from the same figures (downloads page)
    figures = {county_id: r.figures for county_id, r in rendered.items()}
    periods = {unit.id: counties[unit.id].period for unit in checked.units}
    upward = site_figures(checked, figures, sm, dated.months, changes, dated.revision, periods)
    write_documents(upward, renderer, cache_root(project.root) / "brief", project.config_dir)
    return renderer.finish(draw_later=True)
