"""Stage 3, compute: the metrics of the data standard, as pure functions (records in, numbers out).

Each metric is declared once, with its Chinese label and definition next to the code that
computes it; the methodology page is rendered from these same declarations, so the page and
the numbers cannot drift apart. Overall figures add up the counties' counts and recompute
every rate from those sums (rates are never averaged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from generator.load.ledger import CountyLedger
from generator.models import Activity, Grid, Need, Org, PartyOrg, ServiceCenter

Value = int | float | dict[str, int] | None
Metrics = dict[str, Value]

SCOPES_ALL = ("county", "grid", "overall")


@dataclass(frozen=True)
class MetricDef:
    name: str
    label: str
    unit: str
    definition: str
    compute: Callable[[Scope], Value] | None = None
    ratio_of: tuple[str, str] | None = None  # (numerator, denominator) for rates
    scopes: tuple[str, ...] = SCOPES_ALL

    @property
    def is_rate(self) -> bool:
        return self.ratio_of is not None

    @property
    def is_breakdown(self) -> bool:
        return self.unit == "breakdown"


@dataclass(frozen=True)
class Scope:
    """The records one set of metrics is computed over (a county, or one grid of it).

    ``covering`` holds *all* party organizations of the county: whether an org is covered
    does not depend on the grid the party organization was filed under.
    """

    orgs: tuple[Org, ...]
    party_orgs: tuple[PartyOrg, ...]
    covering: tuple[PartyOrg, ...]
    party_org_kinds: dict[str, str | None]
    grids: tuple[Grid, ...]
    activities: tuple[Activity, ...]
    needs: tuple[Need, ...]
    service_centers: tuple[ServiceCenter, ...]

    @cached_property
    def live_orgs(self) -> tuple[Org, ...]:
        return tuple(o for o in self.orgs if o.status != "closed")

    @cached_property
    def org_covered_ids(self) -> frozenset[str]:
        return frozenset(oid for po in self.covering for oid in po.covers)

    @cached_property
    def standalone_covered_ids(self) -> frozenset[str]:
        return frozenset(
            oid for po in self.covering if po.mode == "standalone" for oid in po.covers
        )


def _n(value: int | None) -> int:
    return value or 0


def _party_orgs_of_kind(kind: str) -> Callable[[Scope], int]:
    return lambda s: sum(1 for po in s.party_orgs if s.party_org_kinds.get(po.id) == kind)


def _party_orgs_of_mode(mode: str) -> Callable[[Scope], int]:
    return lambda s: sum(1 for po in s.party_orgs if po.mode == mode)


def _sum_mappings(mappings: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for mapping in mappings:
        total.update(mapping)
    return dict(sorted(total.items()))


METRICS: tuple[MetricDef, ...] = (
    MetricDef(
        "orgs_total",
        "在册组织数",
        "个",
        "状态不是注销（closed）的组织（在册组织）数量。",
        lambda s: len(s.live_orgs),
    ),
    MetricDef(
        "orgs_closed",
        "已注销组织数",
        "个",
        "状态为注销（closed）的组织数量。",
        lambda s: sum(1 for o in s.orgs if o.status == "closed"),
    ),
    MetricDef(
        "orgs_visited",
        "已实地核查组织数",
        "个",
        "填写了实地核查日期（visited_on）的在册组织数量。",
        lambda s: sum(1 for o in s.live_orgs if o.visited_on is not None),
    ),
    MetricDef(
        "party_orgs_total",
        "党组织数",
        "个",
        "党组织记录数量。县级为全部记录；网格级为覆盖了本网格至少一个组织的党组织。",
        lambda s: len(s.party_orgs),
    ),
    MetricDef(
        "party_orgs_economic",
        "新经济组织党组织数",
        "个",
        "类别为新经济组织（economic）的党组织数量；未填类别时取所覆盖组织的类别。",
        _party_orgs_of_kind("economic"),
    ),
    MetricDef(
        "party_orgs_social",
        "新社会组织党组织数",
        "个",
        "类别为新社会组织（social）的党组织数量；未填类别时取所覆盖组织的类别。",
        _party_orgs_of_kind("social"),
    ),
    MetricDef(
        "party_orgs_standalone",
        "单独组建党组织数",
        "个",
        "组建方式为单独组建（standalone）的党组织数量。",
        _party_orgs_of_mode("standalone"),
    ),
    MetricDef(
        "party_orgs_joint",
        "联合组建党组织数",
        "个",
        "组建方式为联合组建（joint）的党组织数量。",
        _party_orgs_of_mode("joint"),
    ),
    MetricDef(
        "orgs_org_covered",
        "组织覆盖组织数",
        "个",
        "被至少一个党组织列入覆盖范围（covers）的在册组织数量。",
        lambda s: sum(1 for o in s.live_orgs if o.id in s.org_covered_ids),
    ),
    MetricDef(
        "orgs_work_covered",
        "工作覆盖组织数",
        "个",
        "已组织覆盖，或选派了至少 1 名党建工作指导员（instructors ≥ 1）的在册组织数量。",
        lambda s: sum(
            1 for o in s.live_orgs if o.id in s.org_covered_ids or _n(o.instructors) >= 1
        ),
    ),
    MetricDef(
        "org_coverage_rate",
        "组织覆盖率",
        "rate",
        "组织覆盖组织数 ÷ 在册组织数；在册组织数为 0 时无数据。",
        ratio_of=("orgs_org_covered", "orgs_total"),
    ),
    MetricDef(
        "work_coverage_rate",
        "工作覆盖率",
        "rate",
        "工作覆盖组织数 ÷ 在册组织数；在册组织数为 0 时无数据。",
        ratio_of=("orgs_work_covered", "orgs_total"),
    ),
    MetricDef(
        "standalone_gap",
        "应建未建数",
        "个",
        "党员 3 名及以上、但没有被任何单独组建（standalone）党组织覆盖的在册组织数量。",
        lambda s: sum(
            1
            for o in s.live_orgs
            if _n(o.party_members) >= 3 and o.id not in s.standalone_covered_ids
        ),
    ),
    MetricDef(
        "instructors",
        "党建工作指导员",
        "名",
        "在册组织的选派指导员人数（instructors）之和。",
        lambda s: sum(_n(o.instructors) for o in s.live_orgs),
    ),
    MetricDef(
        "party_members",
        "党员数",
        "名",
        "在册组织的党员数（party_members）之和。",
        lambda s: sum(_n(o.party_members) for o in s.live_orgs),
    ),
    MetricDef(
        "grids_total",
        "网格数",
        "个",
        "网格（摸排责任区）数量；网格级为 1。",
        lambda s: len(s.grids),
    ),
    MetricDef(
        "grid_workers",
        "网格员",
        "人",
        "各网格网格员人数（workers）之和。",
        lambda s: sum(_n(g.workers) for g in s.grids),
    ),
    MetricDef(
        "merchants",
        "商户数",
        "户",
        "各网格商户数（merchants）之和。",
        lambda s: sum(_n(g.merchants) for g in s.grids),
    ),
    MetricDef(
        "households",
        "住户数",
        "户",
        "各网格住户数（households）之和。",
        lambda s: sum(_n(g.households) for g in s.grids),
    ),
    MetricDef(
        "activities_total",
        "活动数",
        "次",
        "活动记录数量。网格级为填写了本网格的活动。",
        lambda s: len(s.activities),
    ),
    MetricDef(
        "activities_by_type",
        "各类活动数",
        "breakdown",
        "按活动类型代码分别统计的活动记录数量（只列出出现过的类型）。",
        lambda s: dict(sorted(Counter(a.type for a in s.activities).items())),
    ),
    MetricDef(
        "outputs",
        "活动成果",
        "breakdown",
        "按成果代码分别把各活动的成果数量（outputs）相加。",
        lambda s: _sum_mappings(a.outputs for a in s.activities),
    ),
    MetricDef(
        "needs_total",
        "诉求数",
        "项",
        "诉求记录数量。网格级为填写了本网格的诉求。",
        lambda s: len(s.needs),
    ),
    MetricDef(
        "needs_resolved",
        "已解决诉求数",
        "项",
        "状态为已解决（resolved）的诉求数量。",
        lambda s: sum(1 for n in s.needs if n.status == "resolved"),
    ),
    MetricDef(
        "needs_resolution_rate",
        "诉求解决率",
        "rate",
        "已解决诉求数 ÷ 诉求数；没有诉求时无数据。",
        ratio_of=("needs_resolved", "needs_total"),
    ),
    MetricDef(
        "figures",
        "阵地建设",
        "breakdown",
        "按阵地数据代码分别把各党群服务中心的数据（figures）相加（县级和全站）。",
        lambda s: _sum_mappings(c.figures for c in s.service_centers),
        scopes=("county", "overall"),
    ),
)
METRICS_BY_NAME = {m.name: m for m in METRICS}


def _ratio(metrics: Metrics, numerator: str, denominator: str) -> float | None:
    den = count_of(metrics, denominator)
    return count_of(metrics, numerator) / den if den else None


def compute(scope: Scope, level: str) -> Metrics:
    """Every metric of ``level`` ("county" or "grid") over ``scope``, in declaration order."""
    result: Metrics = {}
    for m in METRICS:
        if level not in m.scopes:
            continue
        if m.ratio_of:
            result[m.name] = _ratio(result, *m.ratio_of)
        else:
            assert m.compute is not None, f"{m.name} has neither a ratio nor a compute"
            result[m.name] = m.compute(scope)
    return result


def party_org_kinds(county: CountyLedger) -> dict[str, str | None]:
    """Each party organization's kind: its own ``kind``, else the kind of the orgs it covers."""
    kinds: dict[str, str | None] = {}
    for po in county.party_orgs.values():
        covered = {county.orgs[o].kind for o in po.covers if o in county.orgs}
        kinds[po.id] = po.kind or (covered.pop() if len(covered) == 1 else None)
    return kinds


def county_metrics(county: CountyLedger) -> Metrics:
    party_orgs = tuple(county.party_orgs.values())
    scope = Scope(
        orgs=tuple(county.orgs.values()),
        party_orgs=party_orgs,
        covering=party_orgs,
        party_org_kinds=party_org_kinds(county),
        grids=tuple(county.grids.values()),
        activities=tuple(county.activities.values()),
        needs=tuple(county.needs.values()),
        service_centers=tuple(county.service_centers.values()),
    )
    return compute(scope, "county")


def grid_metrics(county: CountyLedger, grid_id: str) -> Metrics:
    orgs = tuple(o for o in county.orgs.values() if o.grid == grid_id)
    org_ids = {o.id for o in orgs}
    all_party_orgs = tuple(county.party_orgs.values())
    scope = Scope(
        orgs=orgs,
        party_orgs=tuple(po for po in all_party_orgs if org_ids.intersection(po.covers)),
        covering=all_party_orgs,
        party_org_kinds=party_org_kinds(county),
        grids=(county.grids[grid_id],),
        activities=tuple(a for a in county.activities.values() if a.grid == grid_id),
        needs=tuple(n for n in county.needs.values() if n.grid == grid_id),
        service_centers=(),
    )
    return compute(scope, "grid")


def overall_metrics(per_county: Iterable[Metrics]) -> Metrics:
    """Sum the counties' counts and breakdowns, then recompute every rate from the sums."""
    per_county = list(per_county)
    result: Metrics = {}
    for m in METRICS:
        if m.ratio_of:
            result[m.name] = _ratio(result, *m.ratio_of)
        elif m.is_breakdown:
            result[m.name] = _sum_mappings(breakdown_of(c, m.name) for c in per_county)
        else:
            result[m.name] = sum(count_of(c, m.name) for c in per_county)
    return result


def org_breakdown(county: CountyLedger, field: str) -> dict[str, Metrics]:
    """County metrics restricted to the orgs with each value of ``field`` (industry, kind)."""
    groups: dict[str, list[Org]] = {}
    for org in county.orgs.values():
        groups.setdefault(getattr(org, field), []).append(org)
    all_party_orgs = tuple(county.party_orgs.values())
    kinds = party_org_kinds(county)
    result = {}
    for value, orgs in sorted(groups.items()):
        ids = {o.id for o in orgs}
        scope = Scope(
            orgs=tuple(orgs),
            party_orgs=tuple(po for po in all_party_orgs if ids.intersection(po.covers)),
            covering=all_party_orgs,
            party_org_kinds=kinds,
            grids=(),
            activities=(),
            needs=(),
            service_centers=(),
        )
        result[value] = compute(scope, "grid")
    return result


def target_gap(metrics: Metrics, metric: str, target: float) -> float | None:
    """How far the metric is from its target (>= 0 means reached); None without data."""
    value = metrics.get(metric)
    if value is None or isinstance(value, dict):
        return None
    return value - target


# Typed reads of one metric. A Metrics dict holds three kinds of value (counts, rates and
# breakdowns, told apart by the metric's declaration); these say which one the caller expects,
# so a count is not used as a breakdown by mistake.


def count_of(metrics: Metrics, name: str) -> int:
    """The count ``name`` (a KeyError if it was not computed at this level)."""
    value = metrics[name]
    assert isinstance(value, int), f"{name} is not a count: {value!r}"
    return value


def number_of(metrics: Metrics, name: str) -> float | None:
    """A count or rate ``name``; None without a value (a rate over 0, or not computed here)."""
    value = metrics.get(name)
    assert not isinstance(value, dict), f"{name} is a breakdown, not a number"
    return value


def breakdown_of(metrics: Metrics, name: str) -> dict[str, int]:
    """The breakdown ``name`` (code -> count); empty when it is not computed here."""
    value = metrics.get(name) or {}
    assert isinstance(value, dict), f"{name} is not a breakdown: {value!r}"
    return value


def value_of(metrics: Metrics, name: str, code: str | None = None) -> float | None:
    """A count or rate; with ``code``, that code's count in the breakdown ``name`` (0 if none)."""
    if code:
        return breakdown_of(metrics, name).get(code, 0)
    return number_of(metrics, name)
