"""The whole build, top to bottom: load -> validate -> compute -> render -> publish.

Everything is gathered and checked before anything is written; the published site is only
replaced once a complete new one exists (see :mod:`generator.publish.site`). The stages run
through the build layer (:mod:`generator.build`): the cache, whose keys are declared in
:mod:`generator.build.inputs`, and one pool of worker processes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.build.cache import BuildCache, cache_root, exclusive, exclusive_folder
from generator.build.checked import Checked, load_and_validate
from generator.build.county_jobs import RendererSetup
from generator.build.county_stage import run_counties, site_changes
from generator.build.dated import Dated
from generator.build.inputs import SiteInputs
from generator.build.memory import give_back
from generator.build.progress import stage
from generator.build.site_stage import compute_site, render_site_pages
from generator.build.workers import Workers
from generator.diagnostics import DataError, Report
from generator.project import Project
from generator.publish.publisher import Publisher
from generator.render.renderer import ChartDrawing
from generator.render.theme import theme_extra


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
    root = cache_root(project.root)
    # One build at a time per cache, and per --out (two projects may publish into one);
    # MkDocs warms up in a helper process meanwhile.
    with exclusive(root), exclusive_folder(project.out_dir.parent), Publisher() as publisher:
        with Workers() as workers:
            cache = BuildCache.open(root, clean=clean)
            checked = load_and_validate(project, today, not clean, workers)  # 1 load, 2 validate
            if checked.report.errors or (strict and checked.report.warnings):
                raise DataError(checked.report.diagnostics)
            dated = Dated.of(project, checked, compare_to)
            extra = theme_extra(checked.settings)
            site_key = SiteInputs.of(project, extra).key()
            previous = cache.previous_build(project.out_dir, site_key)
            setup = _setup(project, checked, cache)
            renderer = setup.make()
            renderer.trusted = cache.trusted_files()  # as the last published build left them
            renderer.pool = lambda: workers.pool  # many charts are drawn by the workers
            cache.forget()  # before a page is written: a kill from here on leaves nothing trusted
            publisher.stage(project.mkdocs_yml, project.out_dir, previous, cache.docs_dir)
            charts: ChartDrawing | None = None
            try:
                with stage("counties") as done:  # 3 compute and 4 render, county by county
                    counties = run_counties(project, checked, dated, renderer, setup, workers)
                    fresh = sum(1 for c in counties.values() if c.fresh)
                    done(f"{fresh} computed and rendered, {len(counties) - fresh} unchanged")
                with stage("site pages") as done:  # 3 and 4 for the pages about every county
                    sm = compute_site(checked, counties, dated)
                    base = dated.base
                    changes = site_changes(project, checked, base, counties) if base else None
                    charts = render_site_pages(
                        project, checked, counties, changes, sm, dated, renderer
                    )
                    done(
                        f"{len(renderer.produced)} files, {len(renderer.changed)} changed, "
                        f"{renderer.charts_drawn} charts drawn, {len(renderer.removed)} removed"
                    )
                del counties, sm, changes  # what the pages were made from, 90 MiB at province
                give_back()  # scale: MkDocs and Pagefind want the memory
                with stage("publish") as done:  # 5
                    build_id = publisher.build_site(
                        project.mkdocs_yml, cache.docs_dir, project.out_dir, extra=extra,
                        source_date_epoch=dated.epoch, changed=renderer.changed,
                        removed=renderer.removed, previous_build=previous, cache_dir=cache.root,
                        charts=charts, then=workers.close,  # MkDocs and Pagefind need the memory
                    )  # fmt: skip
                    done("incremental" if previous else "full MkDocs build")
            except BaseException:
                if charts is not None:
                    charts.cancel()
                cache.forget()
                raise
        cache.published(project.out_dir, build_id, site_key)
        if offline_zip is not None:
            from generator.publish.site import build_offline_zip  # MkDocs: imported when needed

            with stage("offline zip") as done:
                build_offline_zip(
                    project.mkdocs_yml, cache.docs_dir, offline_zip, extra=extra,
                    source_date_epoch=dated.epoch,
                )  # fmt: skip
                done(str(offline_zip))
    return checked.report


def _setup(project: Project, checked: Checked, cache: BuildCache) -> RendererSetup:
    return RendererSetup(
        project.templates_dir,
        cache.docs_dir,
        checked.settings,
        chart_cache=cache.charts_dir,
        compiled_cache=cache.root / "page-templates",
    )
