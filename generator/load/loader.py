"""Stage 1, load: read every county folder into validated records, reporting every problem.

Layout (data standard v1)::

    data/<county>/county.yaml
    data/<county>/{grids,orgs,party_orgs,activities,needs,service_centers}/*.yaml

A record file holds one record (a mapping; ``id`` defaults to the file name) or a list of
records (each with ``id``). Nothing is dropped in silence: a file that cannot be used is an
error, a stray file is a warning.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Location, Report
from generator.kinds import FOLDERS, KIND_LABELS, KINDS
from generator.load.ledger import CountyLedger, Ledger, RecordLines, RecordSource
from generator.load.ordering import reading_order
from generator.load.schema_errors import report_validation_error
from generator.load.yamlsource import Parsed, parse_yaml, read_text
from generator.messages import look_alikes, shorten, suggestion
from generator.models import County, Record
from generator.values import ID_RE

YAML_SUFFIXES = (".yaml", ".yml")


_Cached = TypeVar("_Cached")


class RecordCache(Protocol):
    """Where a build keeps each file's records (generator.build.record_cache): ``read`` on
    a miss, the cached records and their diagnostics (added to ``report``) on a hit."""

    def load(
        self, path: Path, key: str, report: Report, read: Callable[[Report], Iterable[_Cached]]
    ) -> list[_Cached]: ...


def display_path(path: Path) -> str:
    """The path as a clerk sees it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def read_file(path: Path, report: Report) -> tuple[str, Parsed | None]:
    display = display_path(path)
    text = read_text(path, display, report)
    return display, (parse_yaml(text, display, report) if text is not None else None)


def load_ledger(data_dir: Path, report: Report, cache: RecordCache | None = None) -> Ledger:
    return Ledger(
        [load_county(folder, report, cache) for folder in county_folders(data_dir, report)]
    )


def county_folders(data_dir: Path, report: Report) -> list[Path]:
    """The county folders of ``data_dir`` in id order; what else is there is reported."""
    entries = _entries(data_dir, report)
    folders = [p for p in entries if p.is_dir()]
    if not folders:
        report.error(Location(display_path(data_dir)), "no-counties")
    for path in entries:
        if path.is_file() and looks_like_record(path):
            report.error(Location(display_path(path)), "stray-data-file")
    counties = []
    for folder in folders:
        if not ID_RE.match(folder.name):
            report.error(Location(display_path(folder)), "invalid-county-folder", name=folder.name)
            continue
        counties.append(folder)
    return counties


def load_county(folder: Path, report: Report, cache: RecordCache | None = None) -> CountyLedger:
    """One county folder's records; every problem found goes to ``report``."""
    county_file = folder / "county.yaml"
    county: tuple[County, RecordSource] | None = None
    if county_file.is_symlink():  # refused by _entries below
        pass
    elif not county_file.is_file():
        report.error(Location(display_path(county_file)), "missing-county-file")
    else:
        county = _load_county_record(folder, county_file, report)
    if county is None:
        # A missing or broken county.yaml (already reported) still lets the county's records be
        # checked against each other, so every error is listed at once; a stand-in county keeps
        # its place (nothing is published: the run has an error).
        stand_in = County.model_construct(id=folder.name, name=folder.name)
        county = stand_in, RecordSource(display_path(county_file), Parsed(None))
    ledger = CountyLedger(folder.name, *county)
    seen: dict[tuple[str, str], RecordSource] = {}
    for entry in _entries(folder, report):
        known = entry.name == "county.yaml" or entry.name in FOLDERS.values()
        if not known:
            _stray(entry, report, folder)
    for kind, model in KINDS.items():
        kind_dir = folder / FOLDERS[kind]
        if kind_dir.is_symlink() or not kind_dir.exists():
            continue
        if not kind_dir.is_dir():  # its records would all be dropped
            report.error(Location(display_path(kind_dir)), "record-folder-is-file")
            continue
        for path in _entries(kind_dir, report):
            if not (path.is_file() and path.suffix in YAML_SUFFIXES):
                _stray(path, report, folder, kind_dir)
                continue
            records: Iterable[Loaded]
            if cache is None:
                records = _load_records(path, model, report)
            else:
                # The display path is in the key: cached messages name files as shown now.
                cache_key = f"{path.resolve()}|{display_path(path)}|{kind}"
                records = cache.load(
                    path, cache_key, report, functools.partial(_load_records, path, model)
                )
            for loaded in records:
                if isinstance(loaded[0], Refused):
                    ledger.refused.add((kind, loaded[0].id))
                    continue
                record, source = loaded
                key = (kind, record.id)
                if key in seen:
                    report.error(
                        source.at("id"),
                        "duplicate-id",
                        id=record.id,
                        kind=(KIND_LABELS[kind], kind.replace("_", " ")),
                        other=str(seen[key].at("id")),
                    )
                    continue
                seen[key] = source
                ledger.records(kind)[record.id] = record
                ledger.sources[key] = source
                ledger.lines[key] = RecordLines.of(
                    source, path.relative_to(folder).as_posix(), model.model_fields
                )
    # Grids, organizations and party organizations are listed everywhere (tables, charts,
    # downloads) in a reader's order, never in the order of their ids or files.
    ledger.grids = _in_reading_order(ledger.grids)
    ledger.orgs = _in_reading_order(ledger.orgs)
    ledger.party_orgs = _in_reading_order(ledger.party_orgs)
    return ledger


def _in_reading_order(records: dict) -> dict:
    def key(item: tuple) -> tuple:
        record_id, record = item
        return reading_order(record.name, getattr(record, "order", None), record_id)

    return dict(sorted(records.items(), key=key))


def _load_county_record(
    folder: Path, path: Path, report: Report
) -> tuple[County, RecordSource] | None:
    display, parsed = read_file(path, report)
    if parsed is None:
        return None
    if not isinstance(parsed.value, dict):
        report.error(
            Location(display, 1, 1), "top-level-type", found=_describe_top(parsed.value, echo=False)
        )
        return None
    source = RecordSource(display, parsed)
    values = dict(parsed.value)
    if "id" in values and values["id"] != folder.name and not source.already_reported("id"):
        # Reported, then checked as the folder's county, so the rest of its errors show too.
        report.error(source.at("id"), "county-id-mismatch", value=values["id"], folder=folder.name)
    values["id"] = folder.name
    county = _validate(County, values, source, report)
    return (county, source) if county is not None else None


@dataclass(frozen=True)
class Refused:
    """A record that exists but was refused (its errors are reported): only its id is kept."""

    id: str


# A record file's records as loaded: each checked record with its source, or a refused one
# (with no source when the file itself could not be read).
Loaded = tuple[Record, RecordSource] | tuple[Refused, RecordSource | None]
_Model = TypeVar("_Model", bound=BaseModel)


def _refused(record_id: object, source: RecordSource | None = None) -> Iterator[Loaded]:
    if isinstance(record_id, str) and ID_RE.match(record_id):
        yield Refused(record_id), source


def _load_records(path: Path, model: type[Record], report: Report) -> Iterator[Loaded]:
    display, parsed = read_file(path, report)
    if parsed is None:  # unreadable: a one-record file's name is still its id
        yield from _refused(path.stem)
        return
    value = parsed.value
    if isinstance(value, dict):
        source = RecordSource(display, parsed)
        values = dict(value)
        if "id" not in values:
            values["id"] = path.stem
            if not ID_RE.match(path.stem):
                report.error(Location(display), "invalid-file-name", value=path.stem)
                # The record is still checked (and then refused), so its other errors show too.
                parsed.reported.add(("id",))
        record = _validate(model, values, source, report)
        if record is not None:
            yield record, source
        else:
            yield from _refused(values["id"], source)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            source = RecordSource(display, parsed, (index,))
            if not isinstance(item, dict):
                report.error(source.at(), "list-item-type", found=_describe_top(item))
                continue
            if "id" not in item:
                report.error(source.at(), "missing-id")
                continue
            record = _validate(model, item, source, report)
            if record is not None:
                yield record, source
            else:
                yield from _refused(item["id"], source)
    else:
        report.error(
            Location(display, 1, 1), "top-level-type", found=_describe_top(value, echo=False)
        )
        yield from _refused(path.stem)


def _validate(
    model: type[_Model], values: dict, source: RecordSource, report: Report
) -> _Model | None:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        report_validation_error(exc, model, source, report)
        unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
        if len(unknown) < exc.error_count():
            return None
    # Only unknown fields (each reported once above): the record without them takes part in
    # every other check, so nothing else reports it as missing. The run still fails.
    try:
        return model.model_validate(functools.reduce(_without, unknown, values))
    except ValidationError:
        return None


def _without(values: dict, loc: tuple) -> dict:
    """``values`` (nested mappings copied, not changed) with the key at ``loc`` left out."""
    head, *rest = loc
    if not isinstance(values, dict) or head not in values:
        return values
    if not rest:
        return {k: v for k, v in values.items() if k != head}
    return {**values, head: _without(values[head], tuple(rest))}


def _entries(folder: Path, report: Report) -> list[Path]:
    """The folder's entries in name order, without hidden ones (.git, editor backups).

    A symbolic link is refused, never followed: it could publish a file from outside the
    data folder (and print its first line in an error), or loop back into the folder."""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        report.error(
            Location(display_path(folder)), "file-unreadable", reason=exc.strerror or str(exc)
        )
        return []
    for link in [p for p in entries if p.is_symlink()]:
        report.error(Location(display_path(link)), "symlink-refused")
    return [p for p in entries if not p.is_symlink()]


def _describe_top(value: object, echo: bool = True) -> tuple[str, str]:
    """What ``value`` is; its text only when ``echo``: a whole file that is one value may be
    anything but a ledger (a password file, a token), and messages end up in CI logs."""
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "一条记录", "a record"
    if not echo:
        return "单个值（内容不显示）", "a single value (not shown)"
    text = shorten(str(value))
    return f"单个值 “{text}”", f"a single value “{text}”"


def looks_like_record(path: Path) -> bool:
    """A file or folder that a clerk meant as records (x.YAML, x.yaml.txt, "x.yaml ", a folder
    of them), as opposed to clearly something else (a README, a photo, a spreadsheet)."""
    name = path.name.strip().lower()
    if name.endswith(YAML_SUFFIXES) or any(f"{s}." in name for s in YAML_SUFFIXES):
        return True
    if path.is_dir() and not path.is_symlink():
        with contextlib.suppress(OSError):
            return any(looks_like_record(p) for p in path.iterdir() if not p.is_dir())
    return False


def _stray(path: Path, report: Report, county: Path, kind_dir: Path | None = None) -> None:
    """An entry that is not read: an error when it looks like records (saying where they
    belong), else a warning with the folder it was probably meant to be."""
    if looks_like_record(path):
        if path.is_dir():
            close = look_alikes(path.name, list(FOLDERS.values()))
            target = kind_dir or county / (close[0] if close else "<文件夹>")
            expected = f"{display_path(target)}/"
        else:
            stem = re.split(r"\.ya?ml", path.name.strip(), maxsplit=1, flags=re.I)[0]
            target = kind_dir if kind_dir is not None else county / "<文件夹>"
            expected = f"{display_path(target)}/{stem}.yaml"
        report.error(Location(display_path(path)), "record-not-loaded", expected=expected)
        return
    folders = list(FOLDERS.values())
    hint = (
        suggestion(path.name, folders, "phrase.did-you-mean-folder") if path.is_dir() else ("", "")
    )
    report.warning(
        Location(display_path(path)),
        "stray-file",
        suggestion=hint,
        folders=("、".join(f"{f}/" for f in folders), ", ".join(f"{f}/" for f in folders)),
    )
