"""Stages 1 and 2 for one county folder, memoized: load its records and check them.

A county never depends on another county's records, so each folder is checked on its own
(load, checks, privacy scan). The outcome is kept in the per-county cache by its declared
inputs (see :class:`generator.build.inputs.CheckInputs`): a county whose folder did not change
is not loaded at all, and the pages about every county are rendered from its cached view.

A county folder whose times changed but not its bytes (a fresh checkout) only misses this
cache: its files still come from the per-file record cache, which falls back to content hashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.build.fingerprints import folder_signature
from generator.build.inputs import CheckInputs
from generator.build.store import CountyStore
from generator.build.workers import Workers
from generator.compute.figures import CountyDates
from generator.diagnostics import Diagnostic, Report
from generator.kinds import KINDS
from generator.load.config import Settings
from generator.load.ledger import CountyLedger, CountyView
from generator.load.loader import load_county
from generator.validate.checks import check_county, latest_checked_date
from generator.validate.privacy import county_sources, scan_files


@dataclass(frozen=True)
class CheckedCounty:
    """The outcome of loading and checking one county folder: what the rest of a build needs
    when the county itself is not loaded again."""

    view: CountyView
    dates: CountyDates
    last_activity: dt.date | None
    records: int
    diagnostics: list[Diagnostic]
    today: dt.date  # the day it was checked (dates after it are warned about)
    latest_checked: dt.date | None  # the newest date the checks compare with today

    def valid_on(self, today: dt.date) -> bool:
        """Whether checking the same files on ``today`` gives the same diagnostics."""
        latest = self.latest_checked
        return today == self.today or latest is None or latest <= min(today, self.today)


def _check(
    folder: Path,
    signature: str,
    settings: Settings | None,
    settings_key: str,
    today: dt.date,
    store: CountyStore,
) -> tuple[CheckedCounty, CountyLedger]:
    report = Report()
    records = store.records(folder.name)
    ledger = load_county(folder, report, records)
    records.save()
    if settings is not None:
        check_county(ledger, settings, report, today)
        scan_files(county_sources(folder), settings.site.privacy.allowed_numbers, report)
    checked = CheckedCounty(
        view=ledger.view(),
        dates=CountyDates.of(ledger),
        last_activity=max((a.date for a in ledger.activities.values()), default=None),
        records=sum(len(ledger.records(kind)) for kind in KINDS),
        diagnostics=report.diagnostics,
        today=today,
        latest_checked=latest_checked_date(ledger),
    )
    if settings is not None:  # without usable settings nothing was checked: not a result
        store.keep(folder.name, CheckInputs(signature, settings_key), checked)
    ledger.sources.clear()  # positions are for messages only: a large county's biggest part
    return checked, ledger


def reload_county(folder: Path, store: CountyStore) -> CountyLedger:
    """The records of a county checked earlier (from the record cache; no messages)."""
    ledger = load_county(folder, Report(), store.records(folder.name))
    ledger.sources.clear()
    return ledger


def check_folders(
    folders: list[Path],
    settings: Settings | None,
    settings_key: str,
    today: dt.date,
    store: CountyStore,
    workers: Workers,
    signatures: dict[str, str] | None = None,
) -> Iterator[tuple[CheckedCounty, CountyLedger | None, str, bool]]:
    """Load and check each county folder, or take its outcome from the cache: in order, the
    outcome, the records when read in this process (their positions dropped), the folder's
    signature, and whether it was read (not cached). When many must be read (a cold build),
    the workers read them and the records stay in the record cache, for the one job that
    computes and renders the county (see generator.build.county_jobs)."""
    known = signatures or {}
    cached = [_cached_check(f, settings_key, today, store, known.get(f.name)) for f in folders]
    misses = sum(1 for checked, _ in cached if checked is None)
    if settings is None or not workers.worth_it(misses):
        for folder, (checked, signature) in zip(folders, cached, strict=True):
            if checked is not None:
                yield checked, None, signature, False
            else:
                read = _check(folder, signature, settings, settings_key, today, store)
                yield *read, signature, True
        return
    jobs = [
        (f, signature, settings, settings_key, today, store)
        for f, (checked, signature) in zip(folders, cached, strict=True)
        if checked is None
    ]
    results = workers.pool.map(_check_job, jobs)
    for checked, signature in cached:
        yield (checked or next(results)), None, signature, checked is None


def _check_job(job: tuple) -> CheckedCounty:
    checked, _ = _check(*job)
    return checked  # the records stay behind, in the record cache


def _cached_check(
    folder: Path,
    settings_key: str,
    today: dt.date,
    store: CountyStore,
    signature: str | None = None,
) -> tuple[CheckedCounty | None, str]:
    signature = signature or folder_signature(folder)
    cached = store.fetch(folder.name, CheckInputs(signature, settings_key))
    if isinstance(cached, CheckedCounty) and cached.valid_on(today):
        return cached, signature
    return None, signature
