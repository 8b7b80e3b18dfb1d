"""Reading a county report, part two: figures.json and changes.json, checked as untrusted
input (known metric names only, each value of its metric's type, the series month by month),
each problem reported at its line."""

from __future__ import annotations

import datetime as dt

from generator.compute.figures import CountyDates, CountyFigures, Series
from generator.compute.history import Month
from generator.compute.metrics import METRICS, Metrics
from generator.diagnostics import Location, Report
from generator.library.bundle import Unpacked
from generator.load.ledger import CountyView, RecordSource
from generator.report.bundle import FIGURES


def source_at(unpacked: Unpacked, positions: dict, name: str, *prefix: str | int) -> RecordSource:
    return RecordSource(unpacked.at(name).path, positions[name], tuple(prefix))


COUNTY_METRICS = [m for m in METRICS if "county" in m.scopes]
GRID_METRICS = [m for m in METRICS if "grid" in m.scopes]


class FiguresCheck:
    """Checks of figures.json and changes.json, each problem reported with its place."""

    def __init__(self, unpacked: Unpacked, positions: dict, report: Report):
        self.unpacked, self.positions, self.report = unpacked, positions, report

    def _at(self, name: str, doc: object, *loc: str | int) -> Location:
        return source_at(self.unpacked, self.positions, name, *loc).at()

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
                    source_at(self.unpacked, self.positions, name, *loc).key_at(key),
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
        metrics = self.metrics(doc["metrics"], COUNTY_METRICS, name, doc, "metrics")
        before = self.metrics(doc["before"], COUNTY_METRICS, name, doc, "before")
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
                found = self.metrics(value, GRID_METRICS, name, doc, "grids", gid)
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
                if (m := self.metrics(value, GRID_METRICS, name, doc, field, code)) is not None
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
            self.metrics(v, COUNTY_METRICS, name, top, "series", "metrics", i)
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
