"""The data revision a site is built from: git is the audit trail of the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.gitrun import run_git

DEFAULT_ZONE = "Asia/Shanghai"  # site_config's default (load.config)


@dataclass(frozen=True)
class Revision:
    commit: str | None  # short commit id; None when the data is not in a git repository
    date: dt.datetime | None  # commit time (UTC)
    dirty: bool = False  # uncommitted changes under the data folder

    def describe(self, timezone: str | None = None) -> str:
        """The revision as "数据更新于 2026-11-27 21:02（北京时间），版本 162e03d": the time in
        ``timezone``, the site's (site_config ``timezone``; None: its default), never UTC unless
        the site says so."""
        if self.commit is None:
            return "数据版本：未纳入 git 版本管理"
        dirty = "（含未提交的修改）" if self.dirty else ""
        if self.date is None:
            return f"数据版本 {self.commit}{dirty}"
        timezone = timezone or DEFAULT_ZONE
        local = self.date.astimezone(zone(timezone))
        name = ZONE_NAMES.get(timezone, timezone)
        return f"数据更新于 {local:%Y-%m-%d %H:%M}（{name}），版本 {self.commit}{dirty}"


ZONE_NAMES = {"Asia/Shanghai": "北京时间", "Asia/Urumqi": "乌鲁木齐时间", "UTC": "UTC"}


def zone(name: str) -> dt.tzinfo:
    """The IANA zone ``name``; Asia/Shanghai also without a time-zone database (UTC+8)."""
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if name == "Asia/Shanghai":
            return dt.timezone(dt.timedelta(hours=8), "CST")
        raise ValueError(f"未知的时区 {name!r}（例如 Asia/Shanghai）") from None


def data_revision(data_dir: Path, dirty: bool | None = None) -> Revision:
    """The last commit that touched ``data_dir`` (or HEAD), read with plain ``git``.

    ``dirty``: whether the data has uncommitted changes, when the caller already asked git.
    """

    def git(*args: str) -> str | None:
        done = run_git(data_dir, *args)
        return done.stdout.strip() if done.returncode == 0 else None

    line = git("log", "-1", "--format=%h %ct", "--", ".") or git("log", "-1", "--format=%h %ct")
    if not line:
        return Revision(None, None)
    commit, stamp = line.split()
    if dirty is None:
        dirty = bool(git("status", "--porcelain", "--", "."))
    return Revision(commit, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC), dirty=dirty)


def _commits_of_files(
    data_dir: Path, counties: Iterable[str], *since: str
) -> list[tuple[dt.date, str, str]] | None:
    """(author date, county folder, file relative to it) for each file of each commit over
    the county folders, newest commit first, from one ``git log``; ``since`` starts it at a
    revision or limits it (``--since=...``). None when git cannot tell (no work tree, no git)."""
    done = run_git(
        data_dir, "-c", "core.quotepath=false", "log", *since, "--relative", "--no-renames",
        "--format=%x00%as", "--name-only", "--", *(f"{c}/" for c in counties),
    )  # fmt: skip
    if done.returncode != 0:
        return None
    found = []
    day = None
    for line in done.stdout.splitlines():
        if line.startswith("\0"):
            day = dt.date.fromisoformat(line[1:].strip())
            continue
        county, _, file = line.partition("/")
        if day is not None and file:
            found.append((day, county, file))
    return found


def last_commit_dates(
    data_dir: Path, counties: list[str], revision: str | None = None
) -> dict[str, dict[str, dt.date]] | None:
    """For each county folder, the author date of the last commit of each of its files
    (paths relative to the county folder) at ``revision`` (default HEAD), from one ``git log``
    over those folders. None when the data folder is not in a git work tree (or git is
    missing)."""
    if not counties:
        return {}
    commits = _commits_of_files(data_dir, counties, *([revision] if revision else []))
    if commits is None:
        return None
    found: dict[str, dict[str, dt.date]] = {c: {} for c in counties}
    for day, county, file in commits:
        if county in found:
            found[county].setdefault(file, day)  # newest first: the first seen is the last
    return found


def committed_since(data_dir: Path, files: dict[str, set[str]], since: dt.date) -> set[str]:
    """Of ``files`` (county folder -> its files, relative to the folder), the counties with a
    file whose last commit was authored on or after ``since``: one ``git log`` that walks only
    the commits since then. Empty when there is nothing to look at or git cannot tell."""
    if not files:
        return set()
    # --since reads committer dates, a day early; the authors' dates are compared below.
    start = (since - dt.timedelta(days=1)).isoformat()
    commits = _commits_of_files(data_dir, sorted(files), f"--since={start}") or []
    return {c for day, c, file in commits if day >= since and file in files.get(c, ())}


def data_path(data_dir: Path, root: Path) -> str:
    """The data folder as follow-ups name its files: its path in the git repository (what an
    edit link needs), else its path from the project folder (else its name)."""
    done = run_git(data_dir, "rev-parse", "--show-prefix")
    if done.returncode == 0:
        return done.stdout.strip().rstrip("/")
    try:
        return data_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return data_dir.name
