"""Per-county build units, memoized: a county whose files did not change costs (almost) nothing.

A county never depends on another county's records, so each county folder is checked on its
own (load, checks, privacy scan) and then computed and rendered on its own (figures, series,
its pages and charts). Both results are kept in the build cache under ``counties/<id>/``,
keyed by the folder's *signature* (every file's name, size, inode and times) and by whatever
else they depend on: the generator's code, site_config, the page templates, the data date.
A county whose key is unchanged is not loaded at all: the pages about every county are
rendered from its cached view and figures (see :mod:`generator.pipeline`).

A county folder whose times changed but not its bytes (a fresh checkout) only misses this
cache: its files still come from the per-file record cache, which falls back to content hashes.
Like the rest of the build cache, these are pickles: as trusted as the checkout itself, and
simply rebuilt when unreadable or from another version.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import __version__
from generator.checks import check_county, latest_checked_date
from generator.compute import CountyDates
from generator.config import Settings
from generator.diagnostics import Diagnostic, Report
from generator.ledger import CountyLedger, CountyView
from generator.loader import display_path, load_county
from generator.models import KINDS
from generator.privacy import county_sources, scan_files
from generator.record_cache import RecordCache

VERSION = 1


@functools.cache
def code_fingerprint() -> str:
    """The generator's own code: a cached result from other code is never reused."""
    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def tree_fingerprint(*folders: Path) -> str:
    """Every file under ``folders`` (names and bytes): site_config, the page templates."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A cache key from plain values (str, int, dates, tuples)."""
    return hashlib.sha256(repr((VERSION, code_fingerprint(), parts)).encode()).hexdigest()


def folder_signature(folder: Path) -> str:
    """Every entry under ``folder`` (hidden ones aside) with its size, inode and times, and the
    folder as messages name it: any edit, addition, removal or rename changes it."""
    digest = hashlib.sha256(display_path(folder).encode() + b"\n")

    def walk(path: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            digest.update(f"!{prefix}:{exc.errno}\n".encode())
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = prefix + entry.name
            try:
                if entry.is_dir():
                    digest.update(f"D{name}\n".encode())
                    walk(entry.path, name + "/")
                    continue
                st = entry.stat()
            except OSError:
                digest.update(f"?{name}\n".encode())
                continue
            line = f"F{name}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n"
            digest.update(line.encode())

    walk(str(folder), "")
    return digest.hexdigest()


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


class CountyStore:
    """Cached per-county results under ``root/<county id>/<name>.pickle``, each with its key."""

    def __init__(self, root: Path, read_existing: bool = True):
        self.root = root
        self.read_existing = read_existing  # False for --clean: compute all, then store

    def records(self, county_id: str) -> RecordCache:
        """The per-file record cache of one county."""
        path = self.root / county_id / "records.pickle"
        return RecordCache(path, code_fingerprint(), self.read_existing)

    def get(self, county_id: str, name: str, key: str) -> Any | None:
        if not self.read_existing:
            return None
        try:
            with (self.root / county_id / f"{name}.pickle").open("rb") as handle:
                found_key, value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None
        except (ImportError, IndexError, KeyError):  # written by other code
            return None
        return value if found_key == key else None

    def put(self, county_id: str, name: str, key: str, value: object) -> None:
        folder = self.root / county_id
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.partial"
        with partial.open("wb") as handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(folder / f"{name}.pickle")

    def prune(self, county_ids: set[str]) -> None:
        """Forget counties that are no longer in the data."""
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir() and folder.name not in county_ids:
                    shutil.rmtree(folder, ignore_errors=True)


def check_folder(
    folder: Path,
    settings: Settings | None,
    settings_key: str,
    today: dt.date,
    store: CountyStore,
) -> tuple[CheckedCounty, CountyLedger | None, str]:
    """Load and check one county folder, or take the outcome from the cache.

    Returns the outcome, the county's records when they were loaded (None from the cache; the
    records' file positions are dropped once checked), and the folder's signature.
    """
    signature = folder_signature(folder)
    key = key_of("checked", signature, settings_key)
    cached = store.get(folder.name, "checked", key)
    if isinstance(cached, CheckedCounty) and cached.valid_on(today):
        return cached, None, signature
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
        store.put(folder.name, "checked", key, checked)
    ledger.sources.clear()  # positions are for messages only: a large county's biggest part
    return checked, ledger, signature


def reload_county(folder: Path, store: CountyStore) -> CountyLedger:
    """The records of a county checked earlier (from the record cache; no messages)."""
    ledger = load_county(folder, Report(), store.records(folder.name))
    ledger.sources.clear()
    return ledger
