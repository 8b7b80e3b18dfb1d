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
import multiprocessing
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import __version__
from generator.build.cache import store_pickle
from generator.build.workers import process_pool
from generator.compute.changes import CountyChanges, county_changes, load_county_at, run_git
from generator.validate.checks import check_county, latest_checked_date
from generator.compute.followups import (
    Followup,
    FollowupSummary,
    county_followups,
    followed_up,
    summarize,
)
from generator.compute.figures import CountyDates, CountyFigures, compute_county
from generator.load.config import Followups, Settings
from generator.load.gitinfo import last_commit_dates
from generator.diagnostics import Diagnostic, Report
from generator.render.downloads import county_blocks
from generator.render.search_words import FILE as WORDS
from generator.render.search_words import county_words
from generator.compute.history import Month
from generator.kinds import KINDS
from generator.load.ledger import CountyLedger, CountyView
from generator.library.cases import Case
from generator.load.loader import display_path, load_county
from generator.models import Activity
from generator.render.pages import recent_activities, render_county
from generator.validate.privacy import county_sources, scan_files
from generator.build.record_cache import RecordCache
from generator.render.renderer import ChartRef, Renderer
from generator.compute.regions import Place

VERSION = 1


@functools.cache
def code_fingerprint() -> str:
    """The generator's own code: a cached result from other code is never reused."""
    root = Path(__file__).parent.parent  # the whole generator package, not only build/
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
    entries: list[object] = [display_path(folder)]  # the folder's name, then its entries

    def walk(path: str, prefix: str) -> None:
        try:
            found = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            entries.append((prefix, "unreadable", exc.errno))
            return
        for entry in found:
            if entry.name[0] == ".":
                continue
            try:
                if entry.is_dir():
                    entries.append((prefix + entry.name, "folder"))
                    walk(entry.path, f"{prefix}{entry.name}/")
                    continue
                st = entry.stat()
            except OSError:
                entries.append((prefix + entry.name, "gone"))
                continue
            entries.append((entry.name, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))

    walk(str(folder), "")
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def git_signatures(data_dir: Path) -> tuple[dict[str, str], bool | None]:
    """Signatures of the county folders from git, for a data folder in a git work tree: each
    folder's tree id at HEAD plus every file that differs from it (modified, new, deleted or
    ignored, with its size and times). Git compares the files with HEAD quickly (its index
    remembers them), and a fresh clone of the same commit gets the same signatures, so a
    cache restored in CI still applies. Empty when git cannot tell: then folder_signature.

    Also returns whether the data has uncommitted changes (None: not in git).
    """
    prefix = run_git(data_dir, "rev-parse", "--show-prefix")
    status = run_git(
        data_dir,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",
        "--no-renames",
        "--",
        ".",
    )
    if prefix.returncode != 0 or status.returncode != 0:
        return {}, None
    listed = run_git(data_dir, "ls-tree", "-z", "HEAD", "--", ".")  # fails before a first commit
    trees = {}
    for line in listed.stdout.split("\0") if listed.returncode == 0 else []:
        meta, _, name = line.partition("\t")
        if name and meta.split()[1:2] == ["tree"]:
            trees[name] = meta.split()[2]
    base = prefix.stdout.strip()
    changed: dict[str, list[tuple]] = {}
    dirty = False
    for entry in status.stdout.split("\0"):
        if len(entry) < 4 or not entry[3:].startswith(base):
            continue
        code, path = entry[:2], entry[3 + len(base) :]
        dirty = dirty or code != "!!"
        county, _, rest = path.partition("/")
        if not county:  # the data folder itself is ignored by git: walk its folders
            return {}, dirty
        where = data_dir / path
        if path.endswith("/"):  # an ignored folder: what is in it
            state: object = folder_signature(where)
        else:
            try:
                st = where.stat()
                state = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
            except OSError:
                state = "gone"
        changed.setdefault(county, []).append((code, rest, state))
    signatures = {
        county: hashlib.sha256(
            repr(
                ("git", display_path(data_dir / county), trees.get(county), sorted(found))
            ).encode()
        ).hexdigest()
        for county in trees.keys() | changed.keys()
        for found in [changed.get(county, [])]
    }
    return signatures, dirty


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
        store_pickle(self.root / county_id / f"{name}.pickle", (key, value))

    def prune(self, county_ids: set[str]) -> None:
        """Forget counties that are no longer in the data."""
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir() and folder.name not in county_ids:
                    shutil.rmtree(folder, ignore_errors=True)


def _check(
    folder: Path,
    signature: str,
    settings: Settings | None,
    settings_key: str,
    today: dt.date,
    store: CountyStore,
) -> tuple[CheckedCounty, CountyLedger]:
    key = key_of("checked", signature, settings_key)
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
    signatures: dict[str, str] | None = None,
) -> Iterator[tuple[CheckedCounty, CountyLedger | None, str, bool]]:
    """Load and check each county folder, or take its outcome from the cache: in order, the
    outcome, the records when read in this process (their positions dropped), the folder's
    signature, and whether it was read (not cached). When
    many must be read (a cold build), two processes read them and the records stay in the
    cache (each county is loaded again when needed)."""
    known = signatures or {}
    cached = [_cached_check(f, settings_key, today, store, known.get(f.name)) for f in folders]
    misses = sum(1 for checked, _ in cached if checked is None)
    if misses < POOL_MIN or settings is None or _workers() < 2:
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
    with _pool() as pool:
        results = pool.map(_check_job, jobs)
        for checked, signature in cached:
            yield (checked or next(results)), None, signature, checked is None


POOL_MIN = 8  # fewer counties to read or render than this: one process is quicker


def _workers() -> int:
    return min(2, os.cpu_count() or 1)


def _pool() -> ProcessPoolExecutor:
    # spawn, not fork: the parent may hold many counties and matplotlib state
    return process_pool(_workers())


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
    cached = store.get(folder.name, "checked", key_of("checked", signature, settings_key))
    if isinstance(cached, CheckedCounty) and cached.valid_on(today):
        return cached, signature
    return None, signature


@dataclass(frozen=True)
class RenderedCounty:
    """A county's computed figures and rendered files, kept in the cache with their key."""

    figures: CountyFigures
    charts: list[ChartRef]
    recent: list[Activity]
    paths: list[str]  # docs files (pages and charts)
    downloads: dict[str, str]  # its part of each download (see downloads.county_blocks)
    followups: list[Followup]  # what its grids must follow up (台账体检)
    followup_summary: FollowupSummary | None  # None: a county that came as a report


@dataclass(frozen=True)
class FollowupInputs:
    """What 本期变化 needs to count a county's followed-up items: its items now, and how the
    last report's are computed (the thresholds, the data folder as files are named, git)."""

    current: list[Followup]
    limits: Followups
    data_root: str
    as_of: dt.date
    in_git: bool

    def key(self) -> tuple:
        return (self.as_of, repr(self.limits), self.data_root, self.in_git)


@dataclass(frozen=True)
class Base:
    """The revision of the last report, which 本期变化 compares with."""

    revision: str  # as given
    commit: str  # full id
    date: dt.datetime


@dataclass
class CountyJob:
    """Compute and render one county (in this process or a worker)."""

    folder: Path
    signature: str
    key: str
    settings: Settings
    months: list[Month]
    as_of: dt.date
    cases: list[Case]  # the county's own
    store: CountyStore
    ledger: CountyLedger | None = None  # when already loaded
    data_root: str = "data"  # the data folder as follow-ups name files (its path in git)
    # Each file's last commit date (see gitinfo.last_commit_dates); None: not in git.
    last_commits: dict[str, dt.date] | None = None
    place: Place | None = None  # its province and city (its pages link to them)


@dataclass(frozen=True)
class RendererSetup:
    """What a worker needs to make a Renderer like the build's."""

    templates_dir: Path
    docs_dir: Path
    settings: Settings
    chart_cache: Path | None = None
    compiled_cache: Path | None = None

    def make(self) -> Renderer:
        return Renderer(
            self.templates_dir,
            self.docs_dir,
            self.settings,
            chart_cache=self.chart_cache,
            compiled_cache=self.compiled_cache,
        )


def render_job(job: CountyJob, renderer: Renderer) -> RenderedCounty:
    """Compute the county's figures and render its pages; the result is cached."""
    ledger = job.ledger if job.ledger is not None else reload_county(job.folder, job.store)
    figures = compute_county(ledger, job.settings, job.months, job.as_of)
    limits = job.settings.site.followups
    items = county_followups(ledger, limits, job.as_of, job.data_root, job.last_commits)
    summary = summarize(ledger, items, stale_checked=job.last_commits is not None)
    with renderer.track() as paths:
        charts = render_county(
            ledger, figures, job.settings, job.cases, job.as_of, renderer, items, summary, job.place
        )
    rendered = RenderedCounty(
        figures,
        charts,
        recent_activities(ledger),
        sorted(paths),
        {
            **county_blocks(ledger.view(), figures, job.settings, items, summary),
            WORDS: county_words(ledger),
        },
        items,
        summary,
    )
    job.store.put(job.folder.name, "rendered", job.key, rendered)
    return rendered


def render_jobs(
    jobs: list[CountyJob], renderer: Renderer, setup: RendererSetup
) -> Iterator[RenderedCounty]:
    """``render_job`` for each job, in order; by two processes when there are many (each
    writes its pages, and its charts are left for ``renderer`` to draw)."""
    if len(jobs) < POOL_MIN or _workers() < 2:
        for job in jobs:
            yield render_job(job, renderer)
            job.ledger = None
        return
    for job in jobs:
        job.ledger = None  # a worker reads it again; sending it would cost as much
    with _pool() as pool:
        for rendered, changed, pending in pool.map(_render_in_worker, jobs, [setup] * len(jobs)):
            renderer.adopt(rendered.paths, changed, pending)
            yield rendered


_worker_renderer: dict[tuple[Path, Path], Renderer] = {}  # a worker serves one build


def _render_in_worker(job: CountyJob, setup: RendererSetup):
    where = (setup.templates_dir, setup.docs_dir)
    renderer = _worker_renderer.get(where)
    if renderer is None:
        renderer = _worker_renderer[where] = setup.make()
    renderer.reset()
    rendered = render_job(job, renderer)
    return rendered, set(renderer.changed), renderer.take_pending()


def county_change(
    data_dir: Path,
    store: CountyStore,
    folder: Path,
    signature: str,
    base: Base,
    ledger: Callable[[], CountyLedger],
    followups: FollowupInputs,
) -> tuple[CountyChanges, int]:
    """One county's changes since ``base`` and the errors of its data then (cached); with the
    follow-up items of the last report followed up since."""
    key = key_of("changes", signature, base.commit, followups.key())
    cached = store.get(folder.name, "changes", key)
    if cached is not None:
        return cached
    found = Report()
    old = load_county_at(data_dir, base.commit, folder.name, found)
    now = ledger()
    change = county_changes(old, now)
    if old is not None:
        limits, root = followups.limits, followups.data_root
        commits = last_commit_dates(data_dir, [folder.name], base.commit) if followups.in_git else None
        last = commits.get(folder.name, {}) if commits is not None else None
        before = county_followups(old, limits, base.date.date(), root, last)
        records = {(kind, rid) for kind in ("org", "party_org", "need") for rid in now.records(kind)}
        change = replace(change, followed_up=followed_up(before, followups.current, records))
    result = change, len(found.errors)
    store.put(folder.name, "changes", key, result)
    return result
