"""Stages 1 and 2 of every command that reads the data: load and validate, county by county
through the cache (see :mod:`generator.build.county_check`), then the site's own files."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.cache import cache_root
from generator.build.county_check import CheckedCounty, check_folders, reload_county
from generator.build.fingerprints import git_signatures, tree_fingerprint
from generator.build.progress import stage, tick
from generator.build.reports import load_reports
from generator.build.store import CountyStore
from generator.build.workers import Workers
from generator.compute.figures import CountyDates
from generator.compute.regions import Place, Region, group_regions, place_counties
from generator.defaults import DEFAULTS
from generator.diagnostics import Report
from generator.library.cases import Case, load_cases
from generator.load.config import Settings, load_settings
from generator.load.ledger import CountyLedger, Ledger, Roster
from generator.load.loader import county_folders
from generator.project import Project
from generator.report.bundle import CountyReport
from generator.validate.checks import check_site
from generator.validate.privacy import published_sources, scan_files


@dataclass
class CountyUnit:
    """One county folder in a build: its checked outcome, and its records when loaded."""

    folder: Path
    signature: str  # of the folder's files (see fingerprints.folder_signature)
    checked: CheckedCounty
    ledger: CountyLedger | None  # None: unchanged since the cached check, not loaded

    @property
    def id(self) -> str:
        return self.folder.name


@dataclass
class Checked:
    """The outcome of the load and validate stages."""

    units: list[CountyUnit]
    settings: Settings
    settings_key: str  # fingerprint of site_config
    cases: list[Case]
    report: Report
    store: CountyStore
    git_dirty: bool | None = None  # uncommitted changes in the data (None: not known)
    reports: list[CountyReport] = field(default_factory=list)  # counties as reports

    @property
    def roster(self) -> Roster:
        """Ledger and report counties alike, by id."""
        views = [u.checked.view for u in self.units] + [r.view for r in self.reports]
        return Roster(sorted(views, key=lambda v: v.id))

    @property
    def dates(self) -> list[CountyDates]:
        return [u.checked.dates for u in self.units] + [r.dates for r in self.reports]

    @functools.cached_property
    def regions(self) -> list[Region]:
        """The site's provinces and cities (see generator.regions)."""
        return group_regions((v.id, v.county) for v in self.roster.counties)

    @functools.cached_property
    def places(self) -> dict[str, Place]:
        """Each county's province and city (its pages link to them)."""
        return place_counties((v.id, v.county) for v in self.roster.counties)

    def county_ledger(self, unit: CountyUnit) -> CountyLedger:
        """The unit's records: as loaded, else from the record cache."""
        return unit.ledger if unit.ledger is not None else reload_county(unit.folder, self.store)

    @functools.cached_property
    def ledger(self) -> Ledger:
        """Every county's records (loads the ones the check took from the cache)."""
        return Ledger([self.county_ledger(u) for u in self.units])


def load_and_validate(
    project: Project, today: dt.date, use_cache: bool = True, workers: Workers | None = None
) -> Checked:
    """Stages 1 and 2, county by county. Every problem found is in the report.

    ``use_cache``: take an unchanged county's outcome, and unchanged files' records, from the
    build cache (see generator.build.county_check and generator.build.record_cache).
    ``workers``: the build's processes (else this call starts its own when it needs them).
    """
    if workers is None:
        with Workers() as own:
            return load_and_validate(project, today, use_cache, own)
    report = Report()
    store = CountyStore(cache_root(project.root) / "counties", read_existing=use_cache)
    with stage("load and validate") as done:
        settings = load_settings(project.config_dir, report)
        if settings is not None:
            check_site(settings, report)
        # the project's site_config and the defaults it falls back on, file by file
        settings_key = tree_fingerprint(project.config_dir, DEFAULTS / "site_config")
        units = []
        read = 0
        folders = county_folders(project.data_dir, report)
        signatures, git_dirty = git_signatures(project.data_dir)
        checks = check_folders(folders, settings, settings_key, today, store, workers, signatures)
        for number, (folder, (checked, ledger, signature, fresh)) in enumerate(
            zip(folders, checks, strict=True), start=1
        ):
            read += fresh
            report.diagnostics.extend(checked.diagnostics)
            units.append(CountyUnit(folder, signature, checked, ledger))
            tick("load and validate", number, len(folders))
        store.prune({f.name for f in folders})
        reports = []
        if settings is not None:
            ledger_ids = {u.id: u.folder for u in units}
            reports = load_reports(project.reports_dir, settings, ledger_ids, report)
        views = [u.checked.view for u in units] + [r.view for r in reports]
        roster = Roster(sorted(views, key=lambda v: v.id))
        cases = load_cases(project.content_dir / "cases", roster, report, settings)
        if settings is not None:
            scan_files(
                published_sources(
                    project.data_dir, project.content_dir, skip=[u.id for u in units]
                ),
                settings.site.privacy.allowed_numbers,
                report,
            )
        records = sum(u.checked.records for u in units)
        done(
            f"{len(units)} counties ({read} read, {len(units) - read} unchanged), "
            f"{records} records, {len(cases)} cases; "
            f"{len(report.errors)} errors, {len(report.warnings)} warnings"
        )
    # settings is None only when site_config is unusable: an error in report, so no later stage runs.
    return Checked(units, settings, settings_key, cases, report, store, git_dirty, reports)  # type: ignore[arg-type]
