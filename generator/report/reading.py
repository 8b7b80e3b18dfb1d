"""Reading a county report bundle as untrusted input: the case bundle's checks
(generator.library.bundle: paths, links, sizes, entry count, checksums), then each file's
schema with located errors, consistent ids, and the privacy scan of every string; the figures
themselves are checked by :mod:`generator.report.figures_check`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from generator.compute.changes import CountyChanges, RecordChange
from generator.diagnostics import Report
from generator.library.bundle import META, Unpacked, check_listed, read_bundle, read_meta
from generator.load.ledger import CountyView
from generator.load.schema_errors import report_validation_error
from generator.load.yamlsource import Parsed, parse_yaml
from generator.models import County, Grid
from generator.report.bundle import (
    CHANGES,
    COUNTY,
    FIGURES,
    LIMITS,
    CountyReport,
    ReportMeta,
    StrictModel,
)
from generator.report.figures_check import COUNTY_METRICS, FiguresCheck, source_at
from generator.validate.privacy import scan_text
from generator.values import ID_RE, Text


def _limit(name: str) -> int | None:
    return LIMITS.get(name)


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
    checked = FiguresCheck(unpacked, positions, report)
    figures = checked.figures(figures_doc, view)
    changes = _changes(checked, changes_doc, view) if changes_doc is not None else None
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
        report_validation_error(
            exc, County, source_at(unpacked, positions, COUNTY, "county"), report
        )
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
                exc, Grid, source_at(unpacked, positions, COUNTY, "grids", index), report
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


def _changes(check: FiguresCheck, doc: object, view: CountyView) -> CountyChanges | None:
    """changes.json: the figures before and after, and the records changed."""
    name = CHANGES
    if not isinstance(doc, dict) or set(doc) != {"before", "after", "records"}:
        check.report.error(
            check.unpacked.at(name),
            "report-mismatch",
            value="changes.json 应有 before、after、records",
        )
        return None
    before = (
        None
        if doc["before"] is None
        else check.metrics(doc["before"], COUNTY_METRICS, name, doc, "before")
    )
    after = (
        None
        if doc["after"] is None
        else check.metrics(doc["after"], COUNTY_METRICS, name, doc, "after")
    )
    records = []
    for i, item in enumerate(doc["records"] if isinstance(doc["records"], list) else [None]):
        try:
            record = _Change.model_validate(item)
        except ValidationError as exc:
            report_validation_error(
                exc,
                _Change,
                source_at(check.unpacked, check.positions, name, "records", i),
                check.report,
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


class _Change(StrictModel):
    kind: Literal["county", "grid", "org", "party_org", "activity", "need", "service_center"]
    id: Text
    change: Literal["added", "removed", "changed"]
    name: str = ""
    fields: list[tuple[str, object, object]] = Field(default_factory=list)
