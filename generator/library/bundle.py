"""The case bundle: one .zip that carries a case from one site to another.

    bundle.yaml     what the case is and where it comes from (:class:`BundleMeta`)
    case.md         the case file as written, ``figure()`` citations included
    images/...      the images it shows, at the paths case.md uses (content/cases/images/...)

Writing is deterministic: entries in a fixed order with the data's date as their time, so the
same case and data give the same bytes. Reading treats the bundle as untrusted input: a path
that is absolute, climbs out (``..``), is a link or is not one of the above is refused, as are
encrypted entries and files over the size limits, before anything is unpacked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.diagnostics import Location, Report
from generator.library.images import IMAGES, MAX_BYTES
from generator.values import Count, Id, IsoDate, Text

FORMAT = "sitegen-case-bundle/1"
META, CASE = "bundle.yaml", "case.md"
MAX_ENTRIES = 200
# What a damaged or foreign .zip raises while it is opened or read (a bad deflate stream is a
# zlib.error, a cut one an EOFError, an unknown compression or version NotImplementedError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError)
MAX_TEXT_BYTES = 1024 * 1024  # bundle.yaml, case.md
MAX_IMAGE_BYTES = 10 * MAX_BYTES  # the build warns above MAX_BYTES; a bundle refuses above this
MAX_TOTAL_BYTES = 50 * 1024 * 1024
# A frozen figure lands in the case text: nothing but a number may come in that way.
FIGURE_TEXT = re.compile(r"(?:[0-9][0-9,]*(?:\.[0-9]+)?%?|—)")
_SAFE_PART = re.compile(r"[^\x00-\x1f\x7f/\\:*?\"<>|]+")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class BundleCounty(_Model):
    id: Text = Field(title="县编号")
    name: Text = Field(title="县名称")
    province: Text | None = None
    city: Text | None = None


class BundleRevision(_Model):
    commit: Text | None = Field(None, title="数据版本（git 提交号）")
    as_of: IsoDate = Field(title="数据截至")


class BundleFigure(_Model):
    """The value a ``figure()`` citation had at export, to freeze it on import."""

    county: Text
    metric: Text
    grid: Text | None = None
    label: Text
    text: Text  # as the source site showed it: "42", "2,046", "76.0%", "—" (see FIGURE_TEXT)


class BundleFile(_Model):
    path: Text
    sha256: Text
    bytes: Count


class BundleMeta(_Model):
    format: Literal["sitegen-case-bundle/1"] = Field(title="格式")
    id: Id = Field(title="案例编号")
    title: Text = Field(title="标题")
    county: BundleCounty = Field(title="来源县")
    revision: BundleRevision = Field(title="数据版本")
    exported_at: IsoDate = Field(title="导出日期", description="数据版本的日期，不是导出时的时钟")
    site: Text | None = Field(None, title="来源网站")
    attribution: Text = Field(title="来源与署名")
    figures: list[BundleFigure] = Field(default_factory=list, title="引用的数字")
    files: list[BundleFile] = Field(title="文件")


class _Dumper(yaml.SafeDumper):
    """Plain YAML a clerk can read: no &anchors / *aliases for repeated values."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_yaml(value: object) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bundle(target: Path, meta: dict, files: dict[str, bytes], day: dt.date) -> None:
    """``files``: bundle path -> bytes (case.md, images/...). ``meta`` gets their checksums."""
    meta = {
        **meta,
        "files": [
            {"path": p, "sha256": sha256(d), "bytes": len(d)} for p, d in sorted(files.items())
        ],
    }
    text = dump_yaml(meta)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path, data in [(META, text.encode("utf-8")), *sorted(files.items())]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3  # unix, whatever machine wrote it
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    partial.replace(target)


@dataclass
class Unpacked:
    """The entries of a bundle that passed the safety checks, by path."""

    display: str
    files: dict[str, bytes] = field(default_factory=dict)

    def at(self, path: str, line: int = 0, column: int = 0) -> Location:
        return Location(f"{self.display}/{path}", line, column)


def _case_entry(name: str) -> int | None:
    """A case bundle's entries and their size limits (None: not allowed in the bundle)."""
    if name.startswith(IMAGES + "/"):
        return MAX_IMAGE_BYTES
    return MAX_TEXT_BYTES if name in (META, CASE) else None


def read_bundle(
    path: Path,
    display: str,
    report: Report,
    entry_limit: Callable[[str], int | None] = _case_entry,
    required: tuple[str, ...] = (META, CASE),
    kind: str = "bundle",
) -> Unpacked | None:
    """The bundle's files, or None after reporting why it may not be used.

    ``entry_limit``: the size limit of an entry by its path, None for a path the bundle may
    not hold (a case bundle's by default; a county report passes its own). ``kind``: the
    message codes' prefix ("bundle": a case bundle, "report": a county report).
    """
    unpacked = Unpacked(display)
    errors = len(report.errors)
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        report.error(Location(display), f"{kind}-unreadable", reason=str(exc))
        return None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            report.error(Location(display), f"{kind}-too-many", count=len(infos), limit=MAX_ENTRIES)
            return None
        total = 0
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            if not _safe_name(name):
                report.error(unpacked.at(name), f"{kind}-unsafe-path", value=name)
            elif stat.S_ISLNK(info.external_attr >> 16):
                report.error(unpacked.at(name), f"{kind}-symlink", value=name)
            elif info.flag_bits & 0x1:
                report.error(unpacked.at(name), f"{kind}-unreadable", reason="encrypted entry")
            elif entry_limit(name) is None:
                report.error(unpacked.at(name), f"{kind}-unexpected-file", value=name)
            elif name in unpacked.files:
                report.error(unpacked.at(name), f"{kind}-duplicate-entry", value=name)
            else:
                limit = entry_limit(name) or 0
                data = _read(archive, info, limit, unpacked, report, kind)
                if data is not None:
                    total += len(data)
                    unpacked.files[name] = data
            if total > MAX_TOTAL_BYTES:
                report.error(
                    Location(display),
                    f"{kind}-too-large",
                    value=display,
                    size=_mb(total),
                    limit=_mb(MAX_TOTAL_BYTES),
                )
                return None
    for name in required:
        if name not in unpacked.files and len(report.errors) == errors:
            report.error(Location(display), f"{kind}-missing-file", value=name)
    return None if len(report.errors) > errors else unpacked


def _read(archive, info, limit: int, unpacked: Unpacked, report: Report, kind: str) -> bytes | None:
    name = info.filename
    data = b""
    if info.file_size <= limit:
        try:
            with archive.open(info) as entry:
                data = entry.read(limit + 1)  # never trust the declared size alone
        except ZIP_ERRORS as exc:
            report.error(unpacked.at(name), f"{kind}-unreadable", reason=str(exc))
            return None
    if info.file_size > limit or len(data) > limit:
        size = _mb(max(info.file_size, len(data)))
        report.error(
            unpacked.at(name), f"{kind}-too-large", value=name, size=size, limit=_mb(limit)
        )
        return None
    return data


def _safe_name(name: str) -> bool:
    """A relative path inside the bundle: no root, no drive, no backslash, no ``..``."""
    parts = name.split("/")
    return (
        not name.startswith("/")
        and posixpath.normpath(name) == name
        and all(
            _SAFE_PART.fullmatch(p) and p not in (".", "..") and not p.startswith(".")
            for p in parts
        )
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


M = TypeVar("M", bound=BaseModel)


class Listed(Protocol):
    """A file as bundle.yaml lists it (BundleFile, ReportFile)."""

    @property
    def path(self) -> str: ...
    @property
    def sha256(self) -> str: ...


def read_meta(unpacked: Unpacked, model: type[M], report: Report, kind: str = "bundle") -> M | None:
    """bundle.yaml checked against ``model`` (located errors); None when it fails. The caller
    then checks the files it lists (check_listed)."""
    from generator.load.ledger import RecordSource  # the loader imports this module's users
    from generator.load.schema_errors import report_validation_error
    from generator.load.yamlsource import parse_yaml

    display = unpacked.at(META).path
    parsed = parse_yaml(unpacked.files[META].decode("utf-8", "replace"), display, report)
    if parsed is None or not isinstance(parsed.value, dict):
        if parsed is not None:
            report.error(Location(display, 1, 1), f"{kind}-meta")
        return None
    try:
        meta = model.model_validate(parsed.value)
    except ValidationError as exc:
        report_validation_error(exc, model, RecordSource(display, parsed), report)
        return None
    return meta


def check_listed(
    unpacked: Unpacked, files: Sequence[Listed], report: Report, kind: str = "bundle"
) -> bool:
    """Every other file of the bundle against the checksum bundle.yaml lists for it."""
    listed = {f.path: f for f in files}
    errors = len(report.errors)
    for name, data in unpacked.files.items():
        entry = listed.get(name)
        if name != META and (entry is None or entry.sha256 != sha256(data)):
            report.error(unpacked.at(name), f"{kind}-checksum", value=name)
    for name in sorted(set(listed) - set(unpacked.files)):
        report.error(unpacked.at(name), f"{kind}-missing-file", value=name)
    return len(report.errors) == errors
