"""County reports in a build: read from ``reports/`` beside the data folder, checked every
build (they are untrusted input), and fitted to the site's months and targets.

A report's figures are the county's own; what the importing site adds is only what depends on
the site: the series extended over the site's months (exact: nothing dated happens outside the
report's span, see generator.report.bundle) and each target's status on the site's data date.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path

from generator.compute.changes import CountyChanges, run_git
from generator.build.county_jobs import RenderedCounty
from generator.compute.figures import Series, target_progress
from generator.compute.regions import Place, trail
from generator.compute.history import Month
from generator.compute.metrics import breakdown_of, count_of
from generator.diagnostics import Location, Report
from generator.load.config import Settings
from generator.load.loader import display_path
from generator.report.bundle import SUFFIX, CountyReport
from generator.report.reading import read_report
from generator.render import chartspecs as specs
from generator.render.downloads import county_blocks
from generator.render.pages import county_context, county_path
from generator.render.renderer import Renderer


def load_reports(
    reports_dir: Path, settings: Settings, ledger_ids: dict[str, Path], report: Report
) -> list[CountyReport]:
    """Every report under ``reports_dir`` (``*.report.zip``), checked; the same county as a
    ledger folder (``ledger_ids``: id -> folder) or in two reports is an error."""
    if not reports_dir.is_dir():
        return []
    allowed = settings.site.privacy.allowed_numbers
    found: dict[str, CountyReport] = {}
    where: dict[str, Path] = {}
    for path in sorted(reports_dir.glob(f"*{SUFFIX}")):
        display = display_path(path)
        checked = read_report(path, display, report, allowed)
        if checked is None:
            continue
        if checked.id in ledger_ids:
            folder = display_path(ledger_ids[checked.id])
            report.error(Location(display), "report-ledger-clash", id=checked.id, folder=folder)
        elif checked.id in found:
            other = display_path(where[checked.id])
            report.error(Location(display), "report-duplicate", id=checked.id, other=other)
        else:
            found[checked.id] = checked
            where[checked.id] = path
    return [found[k] for k in sorted(found)]


def fitted(found: CountyReport, settings: Settings, months: list[Month], as_of: dt.date):
    """The report's figures on the site's months, its targets assessed on ``as_of``."""
    own = found.figures.series
    index = {m: i for i, m in enumerate(own.months)}
    metrics, activities, needs = [], [], []
    for month in months:
        i = index.get(month)
        if i is not None:
            metrics.append(own.metrics[i])
            activities.append(own.activities[i])
            needs.append(own.needs[i])
            continue
        # before the span: as before its first dated record; after: as at its end
        early = not own.months or month < own.months[0]
        metrics.append(found.before if early else own.metrics[-1])
        activities.append({})
        needs.append((0, 0))
    series = Series(months, metrics, activities, needs, found.dates.last_record)
    targets = {**settings.site.targets, **found.view.county.targets}
    return replace(found.figures, series=series, progress=target_progress(targets, series, as_of)), targets


def report_change(reports_dir: Path, found: CountyReport, commit: str) -> CountyChanges:
    """本期变化 of a report county: its figures in the report the site had at ``commit``
    against the current one, with the record changes the county reported (none when the
    report is the same one)."""
    old = _report_at(reports_dir, found.id, commit)
    records = found.changes.records if found.changes else []
    if old is not None and old.digest == found.digest:
        records = []
    before = old.figures.metrics if old is not None else None
    return CountyChanges(found.id, found.view.county.name, before, found.figures.metrics, records)


def _report_at(reports_dir: Path, county_id: str, commit: str) -> CountyReport | None:
    if not reports_dir.is_dir():
        return None
    shown = run_git(reports_dir, "show", f"{commit}:./{county_id}{SUFFIX}", binary=True)
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory(prefix="sitegen-report-") as work:
        path = Path(work) / f"{county_id}{SUFFIX}"
        path.write_bytes(shown.stdout)
        return read_report(path, path.name, Report())




def render_report_county(
    found: CountyReport,
    settings: Settings,
    months: list[Month],
    as_of: dt.date,
    renderer: Renderer,
    place: Place | None,
) -> RenderedCounty:
    """The page of a county that came as a report: its figures, targets, charts and grids,
    and whose data it is. Its entries in the downloads are made as a ledger county's."""
    figures, targets = fitted(found, settings, months, as_of)
    view = found.view
    with renderer.track() as paths:
        charts = [renderer.chart(s) for s in specs.county_charts(view, figures, settings, targets)]
        renderer.page(
            county_path(view.id),
            "report_county.md.j2",
            c=view,
            report=found,
            m=figures.metrics,
            grid_metrics=figures.grids,
            targets=targets,
            progress=figures.progress,
            last_record=figures.series.last_record,
            charts=charts,
            industries=figures.by_industry,
            kinds=figures.by_kind,
            trail=trail(view.county, place),
            **county_context(as_of),
        )
    downloads = county_blocks(view, figures, settings)
    # a report carries figures, not records: no follow-up items to list
    return RenderedCounty(figures, charts, [], sorted(paths), downloads, [], None)


def report_digest(found: CountyReport, since: dt.date | None, until: dt.date):
    """What a report county did in the period, for the brief and the form: the change of its
    cumulative counts (activities by type, outputs, needs) from the end of the last month
    before ``since`` (None: from the start) to its figures now. The report has month ends,
    not records: a period that does not start at a month's end counts from the one before."""
    from generator.brief.figures import PeriodDigest  # the brief's own type

    series, now = found.figures.series, found.figures.metrics
    then = found.before
    if since is None:
        then = {k: ({} if isinstance(v, dict) else 0) for k, v in now.items()}
    else:
        for month, metrics in zip(series.months, series.metrics, strict=True):
            if month.end() <= since:
                then = metrics

    def grown(name: str) -> dict[str, int]:
        old, new = breakdown_of(then, name), breakdown_of(now, name)
        return {k: new[k] - old.get(k, 0) for k in sorted(new) if new[k] - old.get(k, 0)}

    def change(name: str) -> int:
        return count_of(now, name) - count_of(then, name)

    return PeriodDigest(
        grown("activities_by_type"), grown("outputs"), change("needs_total"), change("needs_resolved")
    )
