"""The figures a brief or a filled form is made from: a build's, or those of a reporting
period read from git (``sitegen brief --period TAG``).

Either way they come from the build's own functions: ``compute_county`` and ``site_metrics``
(what metrics.json is written from) and 本期变化's ``county_changes``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.brief.figures import PeriodDigest, period_digest
from generator.compute.changes import (
    Changes,
    CountyChanges,
    county_changes,
    load_ledger_at,
    overall_change,
    report_tags,
    resolve_base,
    run_git,
)
from generator.compute.figures import (
    CountyDates,
    CountyFigures,
    SiteMetrics,
    compute_county,
    site_metrics,
    site_months,
)
from generator.compute.history import Month
from generator.compute.regions import group_regions
from generator.diagnostics import ConfigError, Report
from generator.library.cases import Case
from generator.load.config import Settings
from generator.load.gitinfo import Revision
from generator.load.ledger import Ledger, Roster
from generator.report.bundle import CountyReport


@dataclass(frozen=True)
class SiteFigures:
    """Everything the brief and the form say, from one revision of the data."""

    roster: Roster
    settings: Settings
    sm: SiteMetrics
    figures: dict[str, CountyFigures]
    months: list[Month]
    changes: Changes | None  # since the last report (None: nothing to compare with)
    digests: dict[str, PeriodDigest]
    cases: list[Case]
    revision: Revision

    @property
    def when(self) -> dt.datetime:
        """The documents' date stamp: the data commit's time, else the data date."""
        if self.revision.date is not None:
            return self.revision.date
        return dt.datetime.combine(self.sm.as_of, dt.time(), tzinfo=dt.UTC)


def figures_of(
    ledger: Ledger,
    settings: Settings,
    cases: list[Case],
    revision: Revision,
    as_of: dt.date,
    base: tuple[str, str, dt.datetime, Ledger] | None,
    reports: Sequence[CountyReport] = (),
    report_changes: Sequence[CountyChanges] = (),
) -> SiteFigures:
    """A whole ledger's figures, compared with ``base`` (revision as given, commit, time,
    ledger) when given: as a build computes them. ``reports``: counties that came as reports
    (see generator.build.reports), shown and added up like the ledger's; ``report_changes``:
    their changes since ``base`` (see build.reports.report_change)."""
    from generator.build.reports import fitted, report_digest

    dates = [CountyDates.of(c) for c in ledger.counties] + [r.dates for r in reports]
    months = site_months(dates, as_of)
    figures = {c.id: compute_county(c, settings, months, as_of) for c in ledger.counties}
    for county_report in reports:
        figures[county_report.id] = fitted(county_report, settings, months, as_of)[0]
    views = sorted(
        [c.view() for c in ledger.counties] + [r.view for r in reports], key=lambda v: v.id
    )
    figures = {v.id: figures[v.id] for v in views}
    regions = group_regions((v.id, v.county) for v in views)
    sm = site_metrics(figures, settings, months, as_of, regions)
    changes = None
    since = None
    if base is not None:
        revision_name, commit, date, old = base
        before = {c.id: c for c in old.counties}
        now = {c.id: c for c in ledger.counties}
        found = [
            county_changes(before.get(cid), now.get(cid))
            for cid in sorted(before.keys() | now.keys())
        ]
        found = sorted([*found, *report_changes], key=lambda c: c.id)
        old_metrics, new_metrics = overall_change(found)
        changes = Changes(revision_name, commit[:7], date, old_metrics, new_metrics, found, 0)
        since = date.date()
    digests = {c.id: period_digest(c, since, as_of) for c in ledger.counties}
    digests.update({r.id: report_digest(r, since, as_of) for r in reports})
    roster = Roster(views)
    return SiteFigures(roster, settings, sm, figures, months, changes, digests, cases, revision)


def tag_before(data_dir: Path, pattern: str, revision: str) -> str | None:
    """The newest report tag before ``revision``: reachable from it, on another commit."""
    commit, _ = resolve_base(data_dir, revision)
    for tag in report_tags(data_dir, pattern, merged=commit):
        if resolve_base(data_dir, tag)[0] != commit:
            return tag
    return None


def ledger_at(data_dir: Path, revision: str) -> tuple[Ledger, str, dt.datetime]:
    """The data at ``revision`` (ConfigError when git lacks it or its data has errors)."""
    report = Report()
    ledger, commit, date = load_ledger_at(data_dir, revision, report)
    if report.errors:
        first = report.sorted()[0].format()
        raise ConfigError(
            f"版本 {revision} 的数据有 {len(report.errors)} 个错误，无法据此生成（第一个：{first}） / "
            f"the data at {revision} has {len(report.errors)} error(s)"
        )
    return ledger, commit, date


def reports_at(
    data_dir: Path, reports_dir: Path, revision: str, settings: Settings, ledger: Ledger
) -> list[CountyReport]:
    """The county reports the site had at ``revision`` (``reports/`` as committed then),
    checked as a build checks them (ConfigError when one is refused). None in git: none."""
    from generator.build.reports import load_reports
    from generator.report.bundle import SUFFIX

    where = Path(os.path.relpath(reports_dir, data_dir)).as_posix()  # git wants ./ or ../
    where = where if where.startswith(".") else f"./{where}"
    listed = run_git(data_dir, "ls-tree", "--name-only", revision, "--", f"{where}/")
    names = [Path(line).name for line in listed.stdout.splitlines() if line.endswith(SUFFIX)]
    report = Report()
    with tempfile.TemporaryDirectory(prefix="sitegen-reports-") as work:
        for name in names:
            shown = run_git(data_dir, "show", f"{revision}:{where}/{name}", binary=True)
            if shown.returncode == 0:
                (Path(work) / name).write_bytes(shown.stdout)
        ledger_ids = {c.id: data_dir / c.id for c in ledger.counties}
        found = load_reports(Path(work), settings, ledger_ids, report)
    if report.errors:
        first = report.sorted()[0].format()
        raise ConfigError(
            f"版本 {revision} 的 reports/ 里有报送包没有通过检查（第一个：{first}） / "
            f"a county report in reports/ at {revision} is refused"
        )
    return found


def base_of(data_dir: Path, revision: str) -> tuple[str, str, dt.datetime, Ledger]:
    ledger, _, _ = ledger_at(data_dir, revision)
    commit, date = resolve_base(data_dir, revision)
    return revision, commit, date, ledger
