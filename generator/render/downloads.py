"""Downloads: the same figures as the pages, as JSON and CSV (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from generator.compute.figures import CountyFigures, Series, SiteMetrics
from generator.compute.followups import Followup, FollowupSummary
from generator.compute.metrics import METRICS, Metrics, value_of
from generator.compute.regions import Region
from generator.load.config import Settings
from generator.load.gitinfo import Revision
from generator.load.ledger import CountyView, Roster
from generator.markdown_safe import csv_cell


def metrics_json(
    roster: Roster,
    sm: SiteMetrics,
    revision: Revision,
    blocks: dict[str, str] | None = None,
    regions: Iterable[Region] = (),
) -> bytes:
    """``blocks``: counties' entries already serialized (see county_blocks), by county id."""
    blocks = blocks or {}
    entries = [
        blocks.get(c.id)
        or _nested(metrics_entry(c, sm.counties[c.id], {g: sm.grids[(c.id, g)] for g in c.grids}))
        for c in roster.counties
    ]
    document = {
        "as_of": sm.as_of.isoformat(),
        "overall": sm.overall,
        "counties": entries,
        "data_revision": revision.commit,
        "regions": [region_entry(r, sm) for r in regions],
    }
    return _document(document)


def region_entry(region: Region, sm: SiteMetrics) -> dict:
    """A city or province in metrics.json (``parent``: a city's province id, else null)."""
    return {
        "id": region.id,
        "name": region.name,
        "level": region.level,
        "parent": region.parent,
        "division_code": region.code,
        "counties": list(region.counties),
        "metrics": sm.regions[region.id].metrics,
    }


def regions_csv(regions: Iterable[Region], sm: SiteMetrics, settings: Settings) -> bytes:
    """One row per province and city, the columns of counties.csv after the region's own."""
    columns = _flat_columns(settings, False)
    head: list[object] = [
        "region_id",
        "region_name",
        "level",
        "parent_id",
        "counties",
        "county_ids",
    ]
    rows: list[list[object]] = [head + [name for name, _, _ in columns]]
    for r in regions:
        rows.append(
            [r.id, r.name, r.level, r.parent or "", len(r.counties), " ".join(r.counties)]
            + _values(sm.regions[r.id].metrics, columns)
        )
    return _csv_rows(rows).encode("utf-8-sig")


def metrics_entry(
    county: CountyView,
    metrics: Metrics,
    grids: dict[str, Metrics],
    followups: FollowupSummary | None = None,
) -> dict:
    entry = {
        "id": county.id,
        "name": county.county.name,
        "metrics": metrics,
        "grids": [
            {"id": g.id, "name": g.name, "metrics": grids[g.id]} for g in county.grids.values()
        ],
    }
    if followups is not None:  # 台账体检: the items per rule and 台账完整率
        entry["followups"] = {
            "by_rule": followups.by_rule,
            "ledger_complete_rate": followups.ledger_complete_rate,
        }
    return entry


def series_entry(county: CountyView, series: Series) -> dict:
    return {"id": county.id, "name": county.county.name, "months": _series_block(series)}


def county_blocks(
    county: CountyView,
    figures: CountyFigures,
    settings: Settings,
    followups: list[Followup] | None = None,
    summary: FollowupSummary | None = None,
) -> dict[str, str]:
    """The county's part of each download, serialized as it appears there (by file name): a
    build keeps them with the county's figures. A county that came as a report has no records
    here, so no follow-ups (``None``)."""
    entry = metrics_entry(county, figures.metrics, figures.grids, summary)
    return {
        "metrics.json": _nested(entry),
        "followups.csv": followup_rows(followups or []),
        "series.json": _nested(series_entry(county, figures.series)),
        "counties.csv": _metrics_rows(county, figures.metrics, figures.grids, settings, False),
        "grids.csv": _metrics_rows(county, figures.metrics, figures.grids, settings, True),
        "series.csv": _series_rows(county.id, county.county.name, figures.series),
    }


_LIST = "\x00sitegen-counties\x00"


def _nested(value: object) -> str:
    """``value`` as json.dumps(indent=2) writes it as an item of a top-level key's list."""
    return "    " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")


def _document(document: dict) -> bytes:
    """json.dumps(document, indent=2) whose "counties" list holds serialized entries."""
    entries = document["counties"]
    text = json.dumps({**document, "counties": _LIST}, ensure_ascii=False, indent=2)
    items = "[\n" + ",\n".join(entries) + "\n  ]" if entries else "[]"
    return (text.replace(json.dumps(_LIST), items, 1) + "\n").encode("utf-8")


FOLLOWUP_COLUMNS = ("county", "grid", "rule", "kind", "id", "name", "detail", "file", "line")


def followup_row(item: Followup) -> list[object]:
    """One item as a row of FOLLOWUP_COLUMNS (ids and codes, as the rest of the downloads)."""
    return [item.county, item.grid or "", item.rule, item.kind, item.id, item.name,
            item.detail, item.file, item.line]  # fmt: skip


def followup_rows(items: Iterable[Followup]) -> str:
    return _csv_rows(followup_row(x) for x in items)


def followups_csv(blocks: Iterable[str]) -> bytes:
    """followups.csv from each county's rows (see followup_rows), in the counties' order."""
    return (_csv_rows([list(FOLLOWUP_COLUMNS)]) + "".join(blocks)).encode("utf-8-sig")


def _flat_columns(settings: Settings, grids: bool) -> list[tuple[str, str, str | None]]:
    """(column, metric, code) for every metric; breakdowns get a column per code-list entry."""
    code_lists = {"activities_by_type": "activity_type", "outputs": "output", "figures": "figure"}
    columns = []
    for m in METRICS:
        if grids and "grid" not in m.scopes:
            continue
        if m.is_breakdown:
            for code in getattr(settings.codes, code_lists[m.name]):
                columns.append((f"{m.name}.{code}", m.name, code))
        else:
            columns.append((m.name, m.name, None))
    return columns


def metrics_csv(
    roster: Roster,
    sm: SiteMetrics,
    settings: Settings,
    grids: bool,
    blocks: dict[str, str] | None = None,
) -> bytes:
    """Counties (with an "overall" row) or grids, one metric per column; UTF-8 with BOM for Excel.
    ``blocks``: counties' rows already written (see county_blocks)."""
    blocks = blocks or {}
    columns = _flat_columns(settings, grids)
    head = ["county_id", "county_name"] + (["grid_id", "grid_name"] if grids else [])
    text = _csv_rows([head + [name for name, _, _ in columns]])
    for c in roster.counties:
        grid_metrics = {g: sm.grids[(c.id, g)] for g in c.grids}
        text += blocks.get(c.id) or _metrics_rows(
            c, sm.counties[c.id], grid_metrics, settings, grids
        )
    if not grids:
        text += _csv_rows([["overall", "全部", *_values(sm.overall, columns)]])
    return text.encode("utf-8-sig")


def _metrics_rows(
    county: CountyView,
    metrics: Metrics,
    grid_metrics: dict[str, Metrics],
    settings: Settings,
    grids: bool,
) -> str:
    columns = _flat_columns(settings, grids)
    if not grids:
        return _csv_rows([[county.id, county.county.name, *_values(metrics, columns)]])
    return _csv_rows(
        [county.id, county.county.name, g.id, g.name, *_values(grid_metrics[g.id], columns)]
        for g in county.grids.values()
    )


def _values(metrics: Metrics, columns: list[tuple[str, str, str | None]]) -> list[object]:
    out: list[object] = []
    for _, name, code in columns:
        value = value_of(metrics, name, code)
        out.append("" if value is None else value)
    return out


def _csv_rows(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def _series_block(series: Series) -> list[dict]:
    return [
        {
            "month": month.label(),
            "metrics": {k: v for k, v in metrics.items() if not isinstance(v, dict)},
            "activities_by_type": activities,
            "needs_raised": needs[0],
            "needs_resolved": needs[1],
        }
        for month, metrics, activities, needs in zip(
            series.months, series.metrics, series.activities, series.needs, strict=True
        )
    ]


def series_json(roster: Roster, sm: SiteMetrics, blocks: dict[str, str] | None = None) -> bytes:
    """Monthly series: cumulative metrics at each month's end, plus activities and needs per
    month. ``blocks``: counties' entries already serialized (see county_blocks)."""
    blocks = blocks or {}
    document = {
        "as_of": sm.as_of.isoformat(),
        "overall": _series_block(sm.overall_series),
        "counties": [
            blocks.get(c.id) or _nested(series_entry(c, sm.series[c.id])) for c in roster.counties
        ],
    }
    return _document(document)


def series_csv(roster: Roster, sm: SiteMetrics, blocks: dict[str, str] | None = None) -> bytes:
    """One row per county (and "overall") and month; one column per scalar metric.
    ``blocks``: counties' rows already written (see county_blocks)."""
    blocks = blocks or {}
    head = [
        "county_id",
        "county_name",
        "month",
        *_SCALARS,
        "needs_raised_in_month",
        "needs_resolved_in_month",
        "activities_in_month",
    ]
    text = _csv_rows([head])
    for c in roster.counties:
        text += blocks.get(c.id) or _series_rows(c.id, c.county.name, sm.series[c.id])
    text += _series_rows("overall", "全部", sm.overall_series)
    return text.encode("utf-8-sig")


_SCALARS = [m.name for m in METRICS if not m.is_breakdown]


def _series_rows(county_id: str, name: str, series: Series) -> str:
    return _csv_rows(
        [
            county_id,
            name,
            month.label(),
            *["" if metrics[n] is None else metrics[n] for n in _SCALARS],
            *needs,
            sum(activities.values()),
        ]
        for month, metrics, activities, needs in zip(
            series.months, series.metrics, series.activities, series.needs, strict=True
        )
    )
