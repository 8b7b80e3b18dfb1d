"""The county report bundle: one .zip with a county's figures as its own site computes them.

    bundle.yaml    who, which data revision, as of when, which sitegen, each file's checksum
    county.json    the county record and its grids (data standard v1 fields)
    figures.json   metrics, grid metrics, breakdowns, the monthly series (see below)
    changes.json   本期变化 since the county's last report tag (absent without one)

The series runs from the month of the county's first dated record to the month of its last (or
its ``as_of``), and ``before`` holds the figures before the first month: nothing dated happens
outside that span, so a site with a longer time line extends the series exactly.

Reading treats the bundle as untrusted: the case bundle's checks (generator.library.bundle:
paths, links, sizes, entry count, checksums), then each file's schema with located errors,
known metric names only, consistent ids, and the privacy scan of every string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.compute.changes import CountyChanges, RecordChange
from generator.compute.figures import CountyDates, CountyFigures, Series
from generator.compute.history import Month
from generator.compute.metrics import METRICS, Metrics
from generator.diagnostics import Location, Report
from generator.library.bundle import META, Unpacked, check_listed, read_bundle, read_meta
from generator.load.ledger import CountyView, RecordSource
from generator.load.schema_errors import report_validation_error
from generator.load.yamlsource import Parsed, parse_yaml
from generator.models import County, Grid
from generator.validate.privacy import scan_text
from generator.values import ID_RE, Count, Id, IsoDate, Text

FORMAT = "sitegen-county-report/1"
SUFFIX = ".report.zip"  # reports/<county>.report.zip
COUNTY, FIGURES, CHANGES = "county.json", "figures.json", "changes.json"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a province-sized county's figures are well under 1 MB
_LIMITS = {META: 1024 * 1024, COUNTY: MAX_FILE_BYTES, FIGURES: MAX_FILE_BYTES}
_LIMITS[CHANGES] = MAX_FILE_BYTES


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ReportCountyMeta(_Model):
    id: Id = Field(title="县编号")
    name: Text = Field(title="县名称")


class ReportRevision(_Model):
    commit: Text | None = Field(None, title="数据版本（git 提交号）")
    date: IsoDate | None = Field(None, title="数据版本的日期")
    as_of: IsoDate = Field(title="数据截至")
    dirty: bool = Field(False, title="含未提交的修改")


class ReportBase(_Model):
    tag: Text = Field(title="上期报告标签")
    commit: Text = Field(title="上期报告的数据版本")
    date: IsoDate = Field(title="上期报告的日期")


class ReportFile(_Model):
    path: Text
    sha256: Text
    bytes: Count


class ReportMeta(_Model):
    format: Literal["sitegen-county-report/1"] = Field(title="格式")
    county: ReportCountyMeta = Field(title="报送县")
    revision: ReportRevision = Field(title="数据版本")
    generator: Text = Field(title="sitegen 版本")
    base: ReportBase | None = Field(None, title="本期变化对比的上期报告")
    files: list[ReportFile] = Field(title="文件")


@dataclass(frozen=True)
class CountyReport:
    """A checked county report: what a build needs to show the county and roll it up."""

    meta: ReportMeta
    view: CountyView
    figures: CountyFigures  # series over the report's own span (see align)
    before: Metrics  # the figures before the series' first month
    dates: CountyDates
    changes: CountyChanges | None
    digest: str  # of the bundle's bytes

    @property
    def id(self) -> str:
        return self.view.id

    def source_note(self) -> str:
        """ "据蒲县报送，数据版本 abc1234，2026-11-27"."""
        revision = self.meta.revision
        commit = (revision.commit or "")[:7] or "未纳入 git"
        return (
            f"据{self.meta.county.name}报送，数据版本 {commit}，{revision.date or revision.as_of}"
        )


# --- writing -----------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """The same value gives the same bytes (sorted keys, no floats re-rounded)."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def series_document(series: Series) -> dict:
    return {
        "months": [m.label() for m in series.months],
        "metrics": series.metrics,
        "activities": series.activities,
        "needs": [list(n) for n in series.needs],
    }


def changes_document(changes: CountyChanges) -> dict:
    return {
        "before": changes.before,
        "after": changes.after,
        "records": [
            {
                "kind": r.kind,
                "id": r.id,
                "change": r.change,
                "name": r.name,
                "fields": [[f, _plain(old), _plain(new)] for f, old, new in r.fields],
            }
            for r in changes.records
        ],
    }


def _plain(value: object) -> object:
    """A record field's value as JSON: dates as ISO text, models as mappings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- reading -----------------------------------------------------------------------------


def _limit(name: str) -> int | None:
    return _LIMITS.get(name)


def read_report(
    path: Path, display: str, report: Report, allowed_numbers: Iterable[str] = ()
) -> CountyReport | None:
    """The checked report in the bundle at ``path``, or None after reporting every problem.
    Its texts pass the privacy scan (``allowed_numbers``: the site's allowed list)."""

    errors = len(report.errors)
    unpacked = read_bundle(path, display, report, _limit, (META, COUNTY, FIGURES), "report")
    meta = read_meta(unpacked, ReportMeta, report, "report") if unpacked else None
    if unpacked is None or meta is None or len(report.errors) > errors:
        return None
    if not check_listed(unpacked, meta.files, report, "report"):
        return None
    positions: dict = {}
    county_doc = _json(unpacked, COUNTY, report, positions)
    figures_doc = _json(unpacked, FIGURES, report, positions)
    changes_doc = _json(unpacked, CHANGES, report, positions) if CHANGES in unpacked.files else None
    if county_doc is None or figures_doc is None or len(report.errors) > errors:
        return None
    # bundle.yaml's own texts (its checksums aside: hex digits are not personal numbers)
    texts = [meta.generator, meta.base.tag if meta.base else ""]
    scan_text("\n".join(texts), unpacked.at(META).path, allowed_numbers, report)
    for name in (COUNTY, CHANGES):  # the texts; figures.json holds numbers only (checked)
        if name in unpacked.files:
            text = unpacked.files[name].decode("utf-8")
            scan_text(text, unpacked.at(name).path, allowed_numbers, report)
    view = _county_view(county_doc, unpacked, positions, meta, report)
    if view is None:
        return None
    checked = _Figures(unpacked, positions, report)
    figures = checked.figures(figures_doc, view)
    changes = checked.changes(changes_doc, view) if changes_doc is not None else None
    if figures is None or len(report.errors) > errors:
        return None
    county_figures, before, dates = figures
    return CountyReport(
        meta,
        view,
        county_figures,
        before,
        dates,
        changes,
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _json(unpacked: Unpacked, name: str, report: Report, positions: dict) -> object | None:
    """A JSON file of the bundle; its positions (JSON is YAML) go into ``positions`` so
    that every later problem is reported at its line."""
    try:
        value = json.loads(unpacked.files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        report.error(unpacked.at(name), "report-json", value=name, reason=str(exc)[:200])
        return None
    parsed = parse_yaml(unpacked.files[name].decode("utf-8"), unpacked.at(name).path, Report())
    positions[name] = parsed if parsed is not None else Parsed(value)
    return value


def _source(unpacked: Unpacked, positions: dict, name: str, *prefix: str | int) -> RecordSource:
    return RecordSource(unpacked.at(name).path, positions[name], tuple(prefix))


def _county_view(
    doc: object, unpacked: Unpacked, positions: dict, meta: ReportMeta, report: Report
) -> CountyView | None:
    where = unpacked.at(COUNTY)
    if not isinstance(doc, dict) or set(doc) != {"county", "grids"}:
        report.error(where, "report-mismatch", value="county.json 应只有 county 和 grids 两项")
        return None
    errors = len(report.errors)
    try:
        county = County.model_validate(doc["county"])
    except ValidationError as exc:
        report_validation_error(exc, County, _source(unpacked, positions, COUNTY, "county"), report)
        county = None
    grids: dict[str, Grid] = {}
    if not isinstance(doc["grids"], list):
        report.error(where, "report-mismatch", value="county.json 的 grids 应为列表")
        return None
    for index, item in enumerate(doc["grids"]):
        try:
            grid = Grid.model_validate(item)
        except ValidationError as exc:
            report_validation_error(
                exc, Grid, _source(unpacked, positions, COUNTY, "grids", index), report
            )
            continue
        if grid.id in grids:
            report.error(where, "report-mismatch", value=f"网格编号 {grid.id} 重复")
        grids[grid.id] = grid
    if county is None or len(report.errors) > errors:
        return None
    if county.name != meta.county.name:
        report.error(
            where,
            "report-mismatch",
            value=f"county.json 的县名 {county.name} 与 bundle.yaml 的 {meta.county.name} 不一致",
        )
        return None
    if county.id != meta.county.id or not ID_RE.match(county.id):
        report.error(
            where,
            "report-mismatch",
            value=f"county.json 的县 {county.id} 与 bundle.yaml 的 {meta.county.id} 不一致",
        )
        return None
    return CountyView(county.id, county, grids)


_COUNTY_METRICS = [m for m in METRICS if "county" in m.scopes]
_GRID_METRICS = [m for m in METRICS if "grid" in m.scopes]


class _Figures:
    """Checks of figures.json and changes.json, each problem reported with its place."""

    def __init__(self, unpacked: Unpacked, positions: dict, report: Report):
        self.unpacked, self.positions, self.report = unpacked, positions, report

    def _at(self, name: str, doc: object, *loc: str | int) -> Location:
        return _source(self.unpacked, self.positions, name, *loc).at()

    def metrics(self, value: object, defs, name: str, doc: object, *loc) -> Metrics | None:
        if not isinstance(value, dict):
            self.report.error(
                self._at(name, doc, *loc),
                "report-bad-value",
                value=".".join(map(str, loc)),
                reason="应为指标表",
            )
            return None
        known = {m.name for m in defs}
        ok = True
        for key in value:
            if key not in known:
                self.report.error(
                    _source(self.unpacked, self.positions, name, *loc).key_at(key),
                    "report-unknown-metric",
                    value=str(key),
                )
                ok = False
        for m in defs:
            if m.name not in value:
                self.report.error(self._at(name, doc, *loc), "report-missing-metric", value=m.name)
                ok = False
                continue
            v = value[m.name]
            reason = _bad(m, v)
            if reason:
                self.report.error(
                    self._at(name, doc, *loc, m.name),
                    "report-bad-value",
                    value=m.name,
                    reason=reason,
                )
                ok = False
        return {m.name: value[m.name] for m in defs} if ok else None

    def figures(self, doc: object, view: CountyView):
        name = FIGURES
        keys = {"metrics", "grids", "by_industry", "by_kind", "series", "before", "dates"}
        if not isinstance(doc, dict) or set(doc) != keys:
            self.report.error(
                self.unpacked.at(name),
                "report-mismatch",
                value=f"figures.json 应有且只有 {', '.join(sorted(keys))}",
            )
            return None
        metrics = self.metrics(doc["metrics"], _COUNTY_METRICS, name, doc, "metrics")
        before = self.metrics(doc["before"], _COUNTY_METRICS, name, doc, "before")
        grids_doc = doc["grids"]
        grids: dict[str, Metrics] = {}
        if not isinstance(grids_doc, dict) or set(grids_doc) != set(view.grids):
            self.report.error(
                self._at(name, doc, "grids"),
                "report-mismatch",
                value="figures.json 的网格与 county.json 不一致",
            )
        else:
            for gid in view.grids:  # in the county's grid order (the JSON keys are sorted)
                value = grids_doc[gid]
                found = self.metrics(value, _GRID_METRICS, name, doc, "grids", gid)
                if found is not None:
                    grids[gid] = found
        breakdowns = {}
        for field in ("by_industry", "by_kind"):
            part = doc[field]
            if not isinstance(part, dict):
                self.report.error(
                    self._at(name, doc, field), "report-bad-value", value=field, reason="应为表"
                )
                continue
            breakdowns[field] = {
                str(code): m
                for code, value in part.items()
                if (m := self.metrics(value, _GRID_METRICS, name, doc, field, code)) is not None
            }
        series = self.series(doc["series"], doc)
        dates = self.dates(doc["dates"], doc)
        if metrics is None or before is None or series is None or dates is None:
            return None
        if len(breakdowns) < 2:
            return None
        figures = CountyFigures(
            metrics=metrics,
            grids=grids,
            by_industry=breakdowns["by_industry"],
            by_kind=breakdowns["by_kind"],
            series=series,
            progress={},  # assessed by the importing site (its targets, its date)
        )
        return figures, before, dates

    def series(self, doc: object, top: object) -> Series | None:
        name = FIGURES
        where = self._at(name, top, "series")
        if not isinstance(doc, dict) or set(doc) != {"months", "metrics", "activities", "needs"}:
            self.report.error(
                where, "report-mismatch", value="series 应有 months、metrics、activities、needs"
            )
            return None
        labels = doc["months"]
        months = []
        for label in labels if isinstance(labels, list) else [None]:
            try:
                year, month = str(label).split("-")
                months.append(Month(int(year), int(month)))
                assert 1 <= int(month) <= 12 and len(str(label)) == 7
            except (ValueError, AssertionError):
                self.report.error(
                    where,
                    "report-bad-value",
                    value="series.months",
                    reason=f"{label!r} 不是 YYYY-MM 月份",
                )
                return None
        if any(b != a.next() for a, b in zip(months, months[1:], strict=False)):
            self.report.error(
                where, "report-bad-value", value="series.months", reason="月份应逐月连续"
            )
            return None
        n = len(months)
        lists = [doc["metrics"], doc["activities"], doc["needs"]]
        if not all(isinstance(x, list) and len(x) == n for x in lists):
            self.report.error(where, "report-mismatch", value="series 各项的月数不一致")
            return None
        metrics = [
            self.metrics(v, _COUNTY_METRICS, name, top, "series", "metrics", i)
            for i, v in enumerate(doc["metrics"])
        ]
        activities = []
        for i, v in enumerate(doc["activities"]):
            if not isinstance(v, dict) or not all(
                isinstance(k, str) and _count(x) for k, x in v.items()
            ):
                self.report.error(
                    self._at(name, top, "series", "activities", i),
                    "report-bad-value",
                    value="series.activities",
                    reason="应为“活动类型: 次数”",
                )
                return None
            activities.append(dict(v))
        needs = []
        for i, v in enumerate(doc["needs"]):
            if not (isinstance(v, list) and len(v) == 2 and all(_count(x) for x in v)):
                self.report.error(
                    self._at(name, top, "series", "needs", i),
                    "report-bad-value",
                    value="series.needs",
                    reason="应为 [提出, 解决] 两个整数",
                )
                return None
            needs.append((v[0], v[1]))
        checked = [m for m in metrics if m is not None]
        if len(checked) < len(metrics):
            return None
        return Series(months, checked, activities, needs)

    def dates(self, doc: object, top: object) -> CountyDates | None:
        keys = ("first_campaign", "first_record", "last_record")
        where = self._at(FIGURES, top, "dates")
        if not isinstance(doc, dict) or set(doc) != set(keys):
            self.report.error(
                where,
                "report-mismatch",
                value="dates 应有 first_campaign、first_record、last_record",
            )
            return None
        found = []
        for key in keys:
            value = doc[key]
            try:
                found.append(None if value is None else dt.date.fromisoformat(value))
            except (TypeError, ValueError):
                self.report.error(
                    self._at(FIGURES, top, "dates", key),
                    "report-bad-value",
                    value=f"dates.{key}",
                    reason="应为 ISO 日期",
                )
                return None
        return CountyDates(*found)

    def changes(self, doc: object, view: CountyView) -> CountyChanges | None:
        name = CHANGES
        if not isinstance(doc, dict) or set(doc) != {"before", "after", "records"}:
            self.report.error(
                self.unpacked.at(name),
                "report-mismatch",
                value="changes.json 应有 before、after、records",
            )
            return None
        before = (
            None
            if doc["before"] is None
            else self.metrics(doc["before"], _COUNTY_METRICS, name, doc, "before")
        )
        after = (
            None
            if doc["after"] is None
            else self.metrics(doc["after"], _COUNTY_METRICS, name, doc, "after")
        )
        records = []
        for i, item in enumerate(doc["records"] if isinstance(doc["records"], list) else [None]):
            try:
                record = _Change.model_validate(item)
            except ValidationError as exc:
                report_validation_error(
                    exc,
                    _Change,
                    _source(self.unpacked, self.positions, name, "records", i),
                    self.report,
                )
                continue
            records.append(
                RecordChange(
                    record.kind,
                    record.id,
                    record.change,
                    record.name,
                    list(record.fields),
                )
            )
        return CountyChanges(view.id, view.county.name, before, after, records)


class _Change(_Model):
    kind: Literal["county", "grid", "org", "party_org", "activity", "need", "service_center"]
    id: Text
    change: Literal["added", "removed", "changed"]
    name: str = ""
    fields: list[tuple[str, object, object]] = Field(default_factory=list)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _bad(metric, value: object) -> str:
    """Why ``value`` cannot be the metric's value ("" when it can)."""
    if metric.is_breakdown:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _count(v) for k, v in value.items()
        ):
            return "应为“代码: 非负整数”的表"
        return ""
    if metric.is_rate:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            return "比率应为 0 到 1 之间的数或 null"
        return ""
    return "" if _count(value) else "应为非负整数"
