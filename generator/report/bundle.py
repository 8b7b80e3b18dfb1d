"""The county report bundle: one .zip with a county's figures as its own site computes them.

    bundle.yaml    who, which data revision, as of when, which sitegen, each file's checksum
    county.json    the county record and its grids (data standard v1 fields)
    figures.json   metrics, grid metrics, breakdowns, the monthly series (see below)
    changes.json   本期变化 since the county's last report tag (absent without one)

The series runs from the month of the county's first dated record to the month of its last (or
its ``as_of``), and ``before`` holds the figures before the first month: nothing dated happens
outside that span, so a site with a longer time line extends the series exactly.

This module holds the format and how it is written; reading it, as untrusted input, is
:mod:`generator.report.reading` (the files and the county) and
:mod:`generator.report.figures_check` (the figures and the changes).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.compute.changes import CountyChanges
from generator.compute.figures import CountyDates, CountyFigures, Series
from generator.compute.metrics import Metrics
from generator.library.bundle import META
from generator.load.ledger import CountyView
from generator.values import Count, Id, IsoDate, Text

FORMAT = "sitegen-county-report/1"
SUFFIX = ".report.zip"  # reports/<county>.report.zip
COUNTY, FIGURES, CHANGES = "county.json", "figures.json", "changes.json"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a province-sized county's figures are well under 1 MB
LIMITS = {META: 1024 * 1024, COUNTY: MAX_FILE_BYTES, FIGURES: MAX_FILE_BYTES}
LIMITS[CHANGES] = MAX_FILE_BYTES


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ReportCountyMeta(StrictModel):
    id: Id = Field(title="县编号")
    name: Text = Field(title="县名称")


class ReportRevision(StrictModel):
    commit: Text | None = Field(None, title="数据版本（git 提交号）")
    date: IsoDate | None = Field(None, title="数据版本的日期")
    as_of: IsoDate = Field(title="数据截至")
    dirty: bool = Field(False, title="含未提交的修改")


class ReportBase(StrictModel):
    tag: Text = Field(title="上期报告标签")
    commit: Text = Field(title="上期报告的数据版本")
    date: IsoDate = Field(title="上期报告的日期")


class ReportFile(StrictModel):
    path: Text
    sha256: Text
    bytes: Count


class ReportMeta(StrictModel):
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
