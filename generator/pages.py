"""What goes on each page: turns the ledger and its metrics into page contexts and charts."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from generator.cases import Case
from generator.charts import ChartSpec, Series
from generator.config import Settings
from generator.gitinfo import Revision
from generator.ledger import CountyLedger, Ledger
from generator.markdown_safe import csv_cell
from generator.messages import KIND_LABELS_ZH
from generator.metrics import METRICS, Metrics
from generator.models import FOLDERS, KINDS, County, Target
from generator.render import Renderer

RECENT_ACTIVITIES = 10


@dataclass(frozen=True)
class SiteMetrics:
    """Everything stage 3 computed: overall, per county, per grid, and org breakdowns."""

    overall: Metrics
    counties: dict[str, Metrics]
    grids: dict[tuple[str, str], Metrics]
    by_industry: dict[str, dict[str, Metrics]] = field(default_factory=dict)
    by_kind: dict[str, dict[str, Metrics]] = field(default_factory=dict)


def county_path(county_id: str) -> str:
    return f"counties/{county_id}/index.md"


def grid_path(county_id: str, grid_id: str) -> str:
    return f"counties/{county_id}/grids/{grid_id}/index.md"


def effective_targets(settings: Settings, county: CountyLedger | None) -> dict[str, Target]:
    targets = dict(settings.site.targets)
    if county is not None:
        targets.update(county.county.targets)
    return targets


def render_pages(
    ledger: Ledger,
    settings: Settings,
    sm: SiteMetrics,
    cases: list[Case],
    revision: Revision,
    r: Renderer,
) -> None:
    common = {"revision": revision, "metric_defs": {m.name: m for m in METRICS}}
    counties = ledger.counties
    site_targets = effective_targets(settings, None)

    coverage_chart = r.chart(
        ChartSpec(
            title="各县覆盖率",
            categories=tuple(c.county.name for c in counties),
            series=(
                Series(
                    "组织覆盖率", tuple(sm.counties[c.id]["org_coverage_rate"] for c in counties)
                ),
                Series(
                    "工作覆盖率", tuple(sm.counties[c.id]["work_coverage_rate"] for c in counties)
                ),
            ),
            percent=True,
            target=site_targets["org_coverage_rate"].value
            if "org_coverage_rate" in site_targets
            else None,
        )
    )
    party_chart = r.chart(
        ChartSpec(
            title="各县党组织数（按组织类别）",
            categories=tuple(c.county.name for c in counties),
            series=(
                Series(
                    "新经济组织", tuple(sm.counties[c.id]["party_orgs_economic"] for c in counties)
                ),
                Series(
                    "新社会组织", tuple(sm.counties[c.id]["party_orgs_social"] for c in counties)
                ),
            ),
            unit="个",
            stacked=True,
        )
    )
    r.page(
        "index.md",
        "overview.md.j2",
        counties=counties,
        sm=sm,
        targets=site_targets,
        charts=[coverage_chart, party_chart],
        cases=cases[:5],
        **common,
    )
    r.page("counties/index.md", "counties.md.j2", counties=counties, sm=sm, **common)

    for county in counties:
        _render_county(
            county, settings, sm, [c for c in cases if c.meta.county == county.id], r, common
        )

    recent = sorted(
        ((c, a) for c in counties for a in c.activities.values()),
        key=lambda pair: (pair[1].date, pair[0].id, pair[1].id),
        reverse=True,
    )[: RECENT_ACTIVITIES * 2]
    r.page(
        "activities/index.md", "activities.md.j2", counties=counties, sm=sm, recent=recent, **common
    )
    r.page("cases/index.md", "cases.md.j2", cases=cases, ledger=ledger, **common)
    for case in cases:
        county = ledger.county(case.meta.county)
        r.page(f"cases/{case.id}/index.md", "case.md.j2", case=case, county=county, **common)
    r.page(
        "methodology/index.md",
        "methodology.md.j2",
        metrics=METRICS,
        settings=settings,
        targets=site_targets,
        standard=data_standard(),
        **common,
    )
    r.write_file("downloads/metrics.json", metrics_json(ledger, sm, revision))
    r.write_file("downloads/counties.csv", metrics_csv(ledger, sm, settings, grids=False))
    r.write_file("downloads/grids.csv", metrics_csv(ledger, sm, settings, grids=True))
    r.page("downloads/index.md", "downloads.md.j2", **common)


def _render_county(
    county: CountyLedger,
    settings: Settings,
    sm: SiteMetrics,
    cases: list[Case],
    r: Renderer,
    common: dict,
) -> None:
    metrics = sm.counties[county.id]
    targets = effective_targets(settings, county)
    grids = list(county.grids.values())
    charts = []
    if grids:
        charts.append(
            r.chart(
                ChartSpec(
                    title=f"{county.county.name}各网格覆盖率",
                    categories=tuple(g.name for g in grids),
                    series=(
                        Series(
                            "组织覆盖率",
                            tuple(sm.grids[(county.id, g.id)]["org_coverage_rate"] for g in grids),
                        ),
                        Series(
                            "工作覆盖率",
                            tuple(sm.grids[(county.id, g.id)]["work_coverage_rate"] for g in grids),
                        ),
                    ),
                    percent=True,
                    horizontal=True,
                    target=targets["org_coverage_rate"].value
                    if "org_coverage_rate" in targets
                    else None,
                )
            )
        )
    industries = sm.by_industry.get(county.id, {})
    if industries:
        codes = list(industries)
        charts.append(
            r.chart(
                ChartSpec(
                    title=f"{county.county.name}各行业组织覆盖情况",
                    categories=tuple(settings.codes.label("industry", code) for code in codes),
                    series=(
                        Series(
                            "已建党组织", tuple(industries[c]["orgs_org_covered"] for c in codes)
                        ),
                        Series(
                            "仅工作覆盖",
                            tuple(
                                industries[c]["orgs_work_covered"]
                                - industries[c]["orgs_org_covered"]
                                for c in codes
                            ),
                        ),
                        Series(
                            "尚未覆盖",
                            tuple(
                                industries[c]["orgs_total"] - industries[c]["orgs_work_covered"]
                                for c in codes
                            ),
                        ),
                    ),
                    unit="个",
                    horizontal=True,
                    stacked=True,
                )
            )
        )
    by_type = metrics["activities_by_type"] or {}
    if by_type:
        types = sorted(by_type, key=lambda t: (-by_type[t], t))
        charts.append(
            r.chart(
                ChartSpec(
                    title=f"{county.county.name}各类活动次数",
                    categories=tuple(settings.codes.label("activity_type", t) for t in types),
                    series=(Series("活动次数", tuple(by_type[t] for t in types)),),
                    unit="次",
                    horizontal=True,
                )
            )
        )
    activities = sorted(county.activities.values(), key=lambda a: (a.date, a.id), reverse=True)
    r.page(
        county_path(county.id),
        "county.md.j2",
        c=county,
        m=metrics,
        sm=sm,
        targets=targets,
        charts=charts,
        industries=industries,
        kinds=sm.by_kind.get(county.id, {}),
        activities=activities[:RECENT_ACTIVITIES],
        cases=cases,
        **common,
    )
    r.page(
        f"counties/{county.id}/activities/index.md",
        "county_activities.md.j2",
        c=county,
        activities=activities,
        **common,
    )
    for grid in grids:
        gm = sm.grids[(county.id, grid.id)]
        r.page(
            grid_path(county.id, grid.id),
            "grid.md.j2",
            c=county,
            g=grid,
            m=gm,
            targets=targets,
            orgs=[o for o in county.orgs.values() if o.grid == grid.id],
            party_orgs=[
                po
                for po in county.party_orgs.values()
                if any(county.orgs.get(o) and county.orgs[o].grid == grid.id for o in po.covers)
            ],
            covered_ids={o for po in county.party_orgs.values() for o in po.covers},
            activities=[a for a in activities if a.grid == grid.id],
            needs=[n for n in county.needs.values() if n.grid == grid.id],
            **common,
        )


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    title: str
    description: str


def data_standard() -> list[tuple[str, str, list[FieldDoc]]]:
    """(kind label, file pattern, fields) for every record kind, read from the models."""
    kinds = [("县", "data/县编号/county.yaml", County)] + [
        (KIND_LABELS_ZH[kind], f"data/县编号/{FOLDERS[kind]}/*.yaml", model)
        for kind, model in KINDS.items()
    ]
    result = []
    for label, pattern, model in kinds:
        fields = [
            FieldDoc(name, info.is_required(), info.title or "", info.description or "")
            for name, info in model.model_fields.items()
        ]
        result.append((label, pattern, fields))
    return result


def metrics_json(ledger: Ledger, sm: SiteMetrics, revision: Revision) -> bytes:
    document = {
        "overall": sm.overall,
        "counties": [
            {
                "id": c.id,
                "name": c.county.name,
                "metrics": sm.counties[c.id],
                "grids": [
                    {"id": g.id, "name": g.name, "metrics": sm.grids[(c.id, g.id)]}
                    for g in c.grids.values()
                ],
            }
            for c in ledger.counties
        ],
        "data_revision": revision.commit,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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


def metrics_csv(ledger: Ledger, sm: SiteMetrics, settings: Settings, grids: bool) -> bytes:
    """Counties (with an "overall" row) or grids, one metric per column; UTF-8 with BOM for Excel."""
    columns = _flat_columns(settings, grids)
    head = ["county_id", "county_name"] + (["grid_id", "grid_name"] if grids else [])
    rows: list[list[object]] = []

    def values(metrics: Metrics) -> list[object]:
        out: list[object] = []
        for _, name, code in columns:
            value = metrics.get(name)
            if code is not None:
                value = (value or {}).get(code, 0)  # type: ignore[union-attr]
            out.append("" if value is None else value)
        return out

    for c in ledger.counties:
        if grids:
            for g in c.grids.values():
                rows.append([c.id, c.county.name, g.id, g.name, *values(sm.grids[(c.id, g.id)])])
        else:
            rows.append([c.id, c.county.name, *values(sm.counties[c.id])])
    if not grids:
        rows.append(["overall", "全部", *values(sm.overall)])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head + [name for name, _, _ in columns])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")
