"""``sitegen report export``: one county's figures, as its own site computes them, in a bundle.

The county is checked and computed exactly as ``sitegen build`` does (same data date, same
months, same code); the series then runs over the county's whole dated span (see
generator.report.bundle). Same data, same bytes: the files are canonical JSON and the zip's
times are the data date (generator.library.bundle.write_bundle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.build.checked import load_and_validate
from generator.build.dated import report_base
from generator.compute.changes import county_changes, load_county_at
from generator.compute.figures import CountyDates, Series, compute_county, data_date, site_months
from generator.compute.history import (
    activities_per_month,
    monthly_metrics,
    months_between,
    needs_per_month,
    snapshot,
)
from generator.compute.metrics import county_metrics
from generator.diagnostics import DataError, Location, Report
from generator.library.bundle import write_bundle
from generator.load.gitinfo import data_revision
from generator.load.ledger import CountyLedger
from generator.messages import listed
from generator.project import Project
from generator.report.bundle import (
    CHANGES,
    COUNTY,
    FIGURES,
    FORMAT,
    canonical_json,
    changes_document,
    series_document,
)


@dataclass(frozen=True)
class Exported:
    county_id: str
    county_name: str
    path: Path
    commit: str | None
    as_of: dt.date


def export_report(project: Project, county_id: str, out: Path | None, today: dt.date) -> Exported:
    """Write the county's report bundle (default ``<county>.report.zip``). DataError when the
    data has errors (nothing written) or the county is not in it."""
    checked = load_and_validate(project, today)
    unit = next((u for u in checked.units if u.id == county_id), None)
    if unit is None:
        report = Report()
        report.error(
            Location(str(project.data_dir)),
            "report-unknown-county",
            value=county_id,
            allowed=listed([u.id for u in checked.units], county_id),
        )
        raise DataError(report.diagnostics)
    if checked.report.errors:
        raise DataError(checked.report.diagnostics)
    settings = checked.settings
    revision = data_revision(project.data_dir, dirty=checked.git_dirty)
    dates = [u.checked.dates for u in checked.units]
    as_of = data_date(dates, revision.date.date() if revision.date else None)
    months = site_months(dates, as_of)
    ledger = checked.county_ledger(unit)
    figures = compute_county(ledger, settings, months, as_of)  # as the county's own site
    span, before = _span(ledger, months, as_of)
    series = Series(
        span,
        monthly_metrics(ledger, span),
        activities_per_month(ledger, span),
        needs_per_month(ledger, span),
    )
    own = CountyDates.of(ledger)
    files = {
        COUNTY: canonical_json(
            {
                "county": ledger.county.model_dump(mode="json", exclude_none=True),
                "grids": [
                    g.model_dump(mode="json", exclude_none=True) for g in ledger.grids.values()
                ],
            }
        ),
        FIGURES: canonical_json(
            {
                "metrics": figures.metrics,
                "grids": figures.grids,
                "by_industry": figures.by_industry,
                "by_kind": figures.by_kind,
                "series": series_document(series),
                "before": before,
                "dates": {
                    "first_campaign": _iso(own.first_campaign),
                    "first_record": _iso(own.first_record),
                    "last_record": _iso(own.last_record),
                },
            }
        ),
    }
    base = report_base(project, settings, None)
    meta: dict = {
        "format": FORMAT,
        "county": {"id": ledger.id, "name": ledger.county.name},
        "revision": {
            "commit": revision.commit,
            "date": revision.date.date().isoformat() if revision.date else None,
            "as_of": as_of.isoformat(),
            "dirty": revision.dirty,
        },
        "generator": __version__,
        "base": None,
    }
    if base is not None:
        old = load_county_at(project.data_dir, base.commit, county_id, Report())
        files[CHANGES] = canonical_json(changes_document(county_changes(old, ledger)))
        meta["base"] = {
            "tag": base.revision,
            "commit": base.commit[:7],
            "date": base.date.date().isoformat(),
        }
    target = out or Path(f"{county_id}.report.zip")
    write_bundle(target, meta, files, as_of)
    return Exported(ledger.id, ledger.county.name, target, revision.commit, as_of)


def _span(ledger: CountyLedger, months, as_of: dt.date):
    """The months from the county's first dated record to its last (at least the site's
    months), and its figures before the first of them."""
    own = CountyDates.of(ledger)
    first = min(d for d in (own.first_record, months[0].start() if months else as_of) if d)
    last = max(d for d in (own.last_record, as_of) if d)
    span = months_between(first, last)
    before = county_metrics(snapshot(ledger, span[0].start() - dt.timedelta(days=1)))
    return span, before


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
