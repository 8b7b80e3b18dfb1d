"""What changed since the last report: metric deltas and record-level changes between two
revisions of the ledger, read from git (the audit trail)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.compute.metrics import METRICS, Metrics, county_metrics, overall_metrics
from generator.diagnostics import ConfigError, Report
from generator.gitrun import run_git
from generator.kinds import KINDS
from generator.load.ledger import CountyLedger, Ledger
from generator.load.loader import load_county, load_ledger
from generator.validate.privacy import redact_tree

SCALAR_METRICS = [m.name for m in METRICS if not m.is_breakdown]


@dataclass(frozen=True)
class RecordChange:
    kind: str
    id: str
    change: str  # "added" | "removed" | "changed"
    name: str = ""
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (field, old, new)


@dataclass(frozen=True)
class CountyChanges:
    id: str
    name: str
    before: Metrics | None  # None: the county is new
    after: Metrics | None  # None: the county was removed
    records: list[RecordChange]
    # 台账体检: items of the last report followed up since (gone, their record still there)
    followed_up: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Changes:
    base: str  # the revision compared against, as given
    base_commit: str
    base_date: dt.datetime
    overall_before: Metrics
    overall_after: Metrics
    counties: list[CountyChanges]
    base_errors: int  # problems in the old data (its figures may be incomplete)


# Newest first: by the tag's (or its commit's) date, and between tags of the same second (a
# script tagging two periods at once) by name, report-2026-11 before report-2025-10. git takes
# the last --sort as the first key.
NEWEST_FIRST = ("--sort=-refname", "--sort=-creatordate")


def report_tags(data_dir: Path, pattern: str, merged: str | None = None) -> list[str]:
    """Report tags, newest first (only those reachable from ``merged`` when given)."""
    merge = ["--merged", merged] if merged is not None else []
    done = run_git(data_dir, "tag", "--list", pattern, *NEWEST_FIRST, *merge)
    return done.stdout.split() if done.returncode == 0 else []


def latest_report_tag(data_dir: Path, pattern: str) -> str | None:
    tags = report_tags(data_dir, pattern)
    return tags[0] if tags else None


def resolve_base(data_dir: Path, revision: str) -> tuple[str, dt.datetime]:
    """The full commit id and time of ``revision``; ConfigError when git cannot give it."""
    inside = run_git(data_dir, "rev-parse", "--show-prefix")
    if inside.returncode != 0:
        raise ConfigError(
            f"数据文件夹 {data_dir} 不在 git 仓库中，无法与版本 {revision} 对比 / "
            f"{data_dir} is not in a git repository"
        )
    found = run_git(data_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        shallow = run_git(data_dir, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        hint = (
            "本地仓库是浅克隆（shallow clone），缺少该版本：请先 git fetch --unshallow "
            "或 git fetch origin tag <标签>"
            if shallow
            else "请检查版本号或标签名是否正确"
        )
        raise ConfigError(
            f"找不到要对比的版本 {revision}——{hint} / revision {revision} is not "
            "in this repository" + (" (shallow clone: fetch it first)" if shallow else "")
        )
    commit = found.stdout.strip()
    stamp = run_git(data_dir, "show", "-s", "--format=%ct", commit).stdout.strip()
    return commit, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)


def load_ledger_at(
    data_dir: Path, revision: str, report: Report
) -> tuple[Ledger, str, dt.datetime]:
    """The data folder as it was at ``revision``; ConfigError when git cannot give it."""
    commit, date = resolve_base(data_dir, revision)
    with _checkout(data_dir, commit, ".") as root:
        ledger = load_ledger(root, report)
    return ledger, commit[:7], date


def base_county_ids(data_dir: Path, commit: str) -> list[str]:
    """The county folders of the data folder at ``commit`` (folder names, in id order)."""
    # Run inside the data folder, ls-tree lists that folder's entries at the commit.
    done = run_git(data_dir, "ls-tree", "-d", "--name-only", commit)
    names = done.stdout.split("\n") if done.returncode == 0 else []
    return sorted(name for name in names if name and not name.startswith("."))


def load_county_at(
    data_dir: Path, commit: str, county_id: str, report: Report
) -> CountyLedger | None:
    """One county folder as it was at ``commit``; None when it did not exist then."""
    with _checkout(data_dir, commit, county_id) as root:
        folder = root / county_id
        return load_county(folder, report) if folder.is_dir() else None


@contextlib.contextmanager
def _checkout(data_dir: Path, commit: str, path: str) -> Iterator[Path]:
    """``path`` of the data folder at ``commit``, written to a temporary folder."""
    # Run inside the data folder, `git archive REV -- path` holds paths relative to it.
    archive = run_git(data_dir, "archive", "--format=tar", commit, "--", path, binary=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-base-") as work:
        root = Path(work)
        if archive.returncode == 0:  # an empty tree at that revision gives no archive: no data
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(root, filter="data")
            redact_tree(root)  # what 本期变化 shows of an old revision passes the privacy guard
        yield root


def compare(base: Ledger, current: Ledger) -> tuple[list[CountyChanges], Metrics, Metrics]:
    """Pure: metric deltas and record changes per county, plus overall metrics before/after."""
    before = {c.id: c for c in base.counties}
    after = {c.id: c for c in current.counties}
    result = [
        county_changes(before.get(county_id), after.get(county_id))
        for county_id in sorted(before.keys() | after.keys())
    ]
    return result, *overall_change(result)


def overall_change(counties: list[CountyChanges]) -> tuple[Metrics, Metrics]:
    """The overall metrics before and after, from the counties'."""
    return (
        overall_metrics(c.before for c in counties if c.before),
        overall_metrics(c.after for c in counties if c.after),
    )


def county_changes(old: CountyLedger | None, new: CountyLedger | None) -> CountyChanges:
    """One county's metric deltas and record changes (pure; at least one side is given)."""
    either = new or old
    assert either is not None
    return CountyChanges(
        either.id,
        either.county.name,
        county_metrics(old) if old else None,
        county_metrics(new) if new else None,
        _record_changes(old, new),
    )


def _record_changes(old: CountyLedger | None, new: CountyLedger | None) -> list[RecordChange]:
    changes = []
    if old is not None and new is not None:
        fields = _field_changes(
            old.county.model_dump(mode="json"), new.county.model_dump(mode="json")
        )
        if fields:
            changes.append(RecordChange("county", new.id, "changed", new.county.name, fields))
    for kind in KINDS:
        a = old.records(kind) if old else {}
        b = new.records(kind) if new else {}
        for rid in sorted(a.keys() | b.keys()):
            if rid not in a:
                changes.append(RecordChange(kind, rid, "added", _name(b[rid])))
            elif rid not in b:
                changes.append(RecordChange(kind, rid, "removed", _name(a[rid])))
            else:
                fields = _field_changes(
                    a[rid].model_dump(mode="json"), b[rid].model_dump(mode="json")
                )
                if fields:
                    changes.append(RecordChange(kind, rid, "changed", _name(b[rid]), fields))
    return changes


def _name(record) -> str:
    name = getattr(record, "name", None) or getattr(record, "title", None)
    return str(name or getattr(record, "summary", ""))


def _field_changes(old: dict, new: dict) -> list[tuple[str, object, object]]:
    return [
        (k, old.get(k), new.get(k))
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]
