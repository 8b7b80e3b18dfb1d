"""台账体检: what each grid must follow up next, as pure rules over one county's records.

Each rule is declared once (code, Chinese label, the definition stated on the methodology page
with the thresholds of ``site_config`` ``followups:``) next to the code that finds its items.
Input: the county's records with their lines, the data date (``as_of``) and, for
``ledger-stale``, the date of each file's last commit (None when the data is not in git: the
rule is then skipped). Nothing here reads a file, git or the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from generator.load.config import Followups
from generator.load.ledger import CountyLedger
from generator.models import Org, Record

UNGRIDDED = "未划分网格"
MIN_MEMBERS = 3  # a party organization needs three full members; three make a branch worth building


@dataclass(frozen=True)
class Followup:
    """One thing to follow up: a record, the rule it meets, and where its file says so."""

    county: str
    grid: str | None  # None: the record names no grid
    rule: str
    kind: str  # org, party_org, need
    id: str
    name: str
    detail: str
    file: str  # as shown: the data folder's path, county folder, file
    line: int
    org: str | None  # the ledger row it belongs to (an org id); None for a need

    @property
    def key(self) -> tuple[str, str, str]:
        return self.rule, self.kind, self.id


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter:
    six months before 31 August is 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Facts:
    """What the rules look at: one county's records, the data date, thresholds, commit dates."""

    county: CountyLedger
    as_of: dt.date
    limits: Followups
    last_commits: dict[str, dt.date] | None  # file (relative to the county folder) -> date

    @cached_property
    def live_orgs(self) -> list[Org]:
        return [o for o in self.county.orgs.values() if o.status != "closed"]

    @cached_property
    def covered(self) -> frozenset[str]:
        return frozenset(o for po in self.county.party_orgs.values() for o in po.covers)

    @cached_property
    def standalone(self) -> frozenset[str]:
        party_orgs = self.county.party_orgs.values()
        return frozenset(o for po in party_orgs if po.mode == "standalone" for o in po.covers)


Found = Iterable[tuple[Record, str, str]]  # (record, detail, the field whose line is named)


def _visit_overdue(f: Facts) -> Found:
    due = months_before(f.as_of, f.limits.visit_months)
    for o in f.live_orgs:
        if o.visited_on is None:
            yield o, "没有实地核查记录（visited_on 未填）", ""
        elif o.visited_on < due:
            months = f.limits.visit_months
            yield o, f"最近一次实地核查 {o.visited_on}，已超过 {months} 个月", "visited_on"


def _should_build(f: Facts) -> Found:
    for o in f.live_orgs:
        if (o.party_members or 0) >= MIN_MEMBERS and o.id not in f.standalone:
            joint = "，目前为联合组建覆盖" if o.id in f.covered else ""
            yield o, f"党员 {o.party_members} 名，尚未单独组建党组织{joint}", "party_members"


def _uncovered(f: Facts) -> Found:
    for o in f.live_orgs:
        if o.id not in f.covered and (o.instructors or 0) < 1:
            yield o, "未建党组织，也未选派党建工作指导员", ""


def _branch_too_small(f: Facts) -> Found:
    for po in f.county.party_orgs.values():
        if po.members is not None and po.members < MIN_MEMBERS:
            yield po, f"党员 {po.members} 名，不足 {MIN_MEMBERS} 名", "members"


def _need_overdue(f: Facts) -> Found:
    due = f.as_of - dt.timedelta(days=f.limits.need_days)
    for n in f.county.needs.values():
        if n.status != "resolved" and n.raised_on < due:
            days = (f.as_of - n.raised_on).days
            state = {"open": "待办", "in_progress": "办理中"}[n.status]
            yield n, f"{n.raised_on} 提出，{days} 天未解决（{state}）", "status"


def _ledger_incomplete(f: Facts) -> Found:
    titles = Org.model_fields
    for o in f.live_orgs:
        missing = [name for name in f.limits.required_fields if getattr(o, name) in (None, [])]
        if missing:
            names = "、".join(f"{titles[m].title}（{m}）" for m in missing)
            yield o, f"缺少：{names}", ""


def _ledger_stale(f: Facts) -> Found:
    if f.last_commits is None:
        return
    due = months_before(f.as_of, f.limits.stale_months)
    for o in f.county.orgs.values():
        file = f.county.lines[("org", o.id)].file
        last = f.last_commits.get(file)
        if last is not None and last < due:
            months = f.limits.stale_months
            yield o, f"台账文件最后一次提交于 {last}，已超过 {months} 个月未更新", ""


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    kind: str  # the record kind it looks at
    definition: str  # formatted with the thresholds (str.format of Followups' fields)
    find: Callable[[Facts], Found]

    def stated(self, limits: Followups) -> str:
        values = limits.model_dump()
        values["required_fields"] = "、".join(limits.required_fields)
        return self.definition.format(**values, min_members=MIN_MEMBERS)


RULES: tuple[Rule, ...] = (
    Rule(
        "visit-overdue",
        "超期未走访",
        "org",
        "在册组织没有实地核查日期（visited_on），或最近一次核查早于数据日期 {visit_months} 个自然月以上"
        "（恰好 {visit_months} 个月不算超期）。",
        _visit_overdue,
    ),
    Rule(
        "should-build",
        "应建未建",
        "org",
        "党员（party_members）{min_members} 名及以上、没有被单独组建党组织覆盖的在册组织，"
        "即“应建未建数”指标统计的组织。",
        _should_build,
    ),
    Rule(
        "uncovered",
        "尚未覆盖",
        "org",
        "既没有被党组织覆盖（组织覆盖），也没有选派党建工作指导员（工作覆盖）的在册组织。",
        _uncovered,
    ),
    Rule(
        "branch-too-small",
        "党员不足三人",
        "party_org",
        "填写了党员数（members）且少于 {min_members} 名的党组织。",
        _branch_too_small,
    ),
    Rule(
        "need-overdue",
        "诉求超期",
        "need",
        "状态不是已解决、提出日期（raised_on）早于数据日期 {need_days} 天以上的诉求"
        "（恰好 {need_days} 天不算超期）。",
        _need_overdue,
    ),
    Rule(
        "ledger-incomplete",
        "台账缺项",
        "org",
        "缺少必填项（{required_fields}）中任何一项的在册组织。",
        _ledger_incomplete,
    ),
    Rule(
        "ledger-stale",
        "台账久未更新",
        "org",
        "台账文件在 git 中的最后一次提交（作者日期）早于数据日期 {stale_months} 个自然月以上的组织；"
        "数据不在 git 仓库中时不检查。",
        _ledger_stale,
    ),
)
RULES_BY_CODE = {r.code: r for r in RULES}
# The rules behind 台账完整率: a live org meeting neither has a complete, recently checked ledger.
COMPLETENESS_RULES = ("ledger-incomplete", "visit-overdue")


def county_followups(
    county: CountyLedger,
    limits: Followups,
    as_of: dt.date,
    root: str,
    last_commits: dict[str, dt.date] | None,
) -> list[Followup]:
    """Every follow-up of the county, by grid (in the county's grid order, ungridded last),
    then rule (in declaration order), then file and line. ``root``: the data folder as paths
    are shown (``data``)."""
    facts = Facts(county, as_of, limits, last_commits)
    items = []
    for rule in RULES:
        for record, detail, field in rule.find(facts):
            items.append(_item(county, root, rule, record, detail, field))
    grid_order = {g: i for i, g in enumerate(county.grids)}
    rule_order = {r.code: i for i, r in enumerate(RULES)}
    items.sort(
        key=lambda x: (
            grid_order.get(x.grid, len(grid_order)) if x.grid else len(grid_order),
            rule_order[x.rule],
            x.file,
            x.line,
        )
    )
    return items


def _item(county, root, rule, record, detail, field) -> Followup:
    lines = county.lines[(rule.kind, record.id)]
    if rule.kind == "org":
        grid, org, name = record.grid, record.id, record.name
    elif rule.kind == "party_org":
        covered = [county.orgs[o] for o in record.covers if o in county.orgs]
        grid = next((o.grid for o in covered if o.grid), None)
        org, name = (covered[0].id if covered else None), record.name
    else:
        grid, org, name = record.grid, None, record.summary
    file = "/".join(p for p in (root, county.id, lines.file) if p)
    line = lines.line_of(field) if field else lines.line
    return Followup(county.id, grid, rule.code, rule.kind, record.id, name, detail, file, line, org)


@dataclass(frozen=True)
class FollowupSummary:
    """What pages about every county show of one county's follow-ups."""

    by_rule: dict[str, int]  # every rule checked, in declaration order
    live_orgs: int
    complete_orgs: int  # live orgs meeting none of COMPLETENESS_RULES
    stale_checked: bool  # False: the data is not in git

    @property
    def ledger_complete_rate(self) -> float | None:
        return self.complete_orgs / self.live_orgs if self.live_orgs else None

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


def summarize(county: CountyLedger, items: list[Followup], stale_checked: bool) -> FollowupSummary:
    counts = Counter(x.rule for x in items)
    rules = [r.code for r in RULES if stale_checked or r.code != "ledger-stale"]
    incomplete = {x.id for x in items if x.rule in COMPLETENESS_RULES}
    live = [o for o in county.orgs.values() if o.status != "closed"]
    complete = sum(1 for o in live if o.id not in incomplete)
    return FollowupSummary({r: counts[r] for r in rules}, len(live), complete, stale_checked)


def followed_up(
    before: Iterable[Followup],
    after: Iterable[Followup],
    records: set[tuple[str, str]] | None = None,
) -> dict[str, int]:
    """Items of the last report that are gone now (visited, covered, resolved...), per rule.
    ``records``: the (kind, id) of the records there now; an item whose record was deleted was
    not followed up, it is simply gone (本期变化 lists the deletion)."""
    now = {x.key for x in after}
    gone = Counter(
        x.rule
        for x in before
        if x.key not in now and (records is None or (x.kind, x.id) in records)
    )
    return {r.code: gone[r.code] for r in RULES if gone[r.code]}
