"""The documents sent upward, written into each build's downloads: ``brief.docx`` (the brief
of the period under way: the data as built, compared with the last report as 本期变化 is)
and ``form.xlsx`` (the superior's form, when ``site_config/form-template.xlsx`` exists).

Only figures the build already has are used; each county's period counts are kept in the
per-county cache (see generator.build.county_jobs), and the documents and charts under
``.cache/brief/`` by what they say, so an unchanged build writes the same bytes without
python-docx being imported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.brief.figures import PeriodDigest
from generator.brief.make import planned_brief
from generator.brief.sources import SiteFigures
from generator.build.reports import report_digest
from generator.compute.changes import Changes
from generator.compute.figures import CountyFigures, SiteMetrics
from generator.compute.history import Month
from generator.form.make import cached_form
from generator.load.gitinfo import Revision

BRIEF_FILE = "downloads/brief.docx"
FORM_FILE = "downloads/form.xlsx"
FORM_TEMPLATE = "form-template.xlsx"  # in site_config/: the superior's form, if the site has one


def period_digests(
    checked: Any, ledger_counties: dict[str, PeriodDigest], since: dt.date | None, as_of: dt.date
) -> dict[str, PeriodDigest]:
    """Each county's activities, outputs and needs of the period: the ledger counties' as the
    build counted them (with their own records, see generator.build.county_jobs), and the
    report counties' from their reports."""
    digests = dict(ledger_counties)
    for county in getattr(checked, "reports", []):  # counties that came as reports
        digests[county.id] = report_digest(county, since, as_of)
    return digests


def site_figures(
    checked: Any,
    figures: dict[str, CountyFigures],
    sm: SiteMetrics,
    months: list[Month],
    changes: Changes | None,
    revision: Revision,
    periods: dict[str, PeriodDigest],
) -> SiteFigures:
    since = changes.base_date.date() if changes is not None else None
    digests = period_digests(checked, periods, since, sm.as_of)
    return SiteFigures(
        checked.roster, checked.settings, sm, figures, months, changes, digests, checked.cases,
        revision,
    )  # fmt: skip


def write_documents(site: SiteFigures, renderer: Any, cache_dir: Path, config_dir: Path) -> None:
    """brief.docx, and form.xlsx from site_config/form-template.xlsx when there is one (a
    placeholder it cannot fill stops the build with its ``sheet!cell``, exit 1)."""
    brief = planned_brief(site, None, cache_dir / "charts", cache_dir / "site")
    cached = brief.cached
    if cached is not None:
        renderer.write_file(BRIEF_FILE, cached)
    else:  # laid out by one of the build's processes while MkDocs builds the pages
        renderer.write_later(BRIEF_FILE, brief.make)
    template = config_dir / FORM_TEMPLATE
    if template.is_file():
        display = f"site_config/{FORM_TEMPLATE}"
        renderer.write_file(FORM_FILE, cached_form(template, display, site, cache_dir / "form"))
