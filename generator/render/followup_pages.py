"""The county ledger (every organization) and its follow-up list (台账体检), and the pieces of
them the county and grid pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from generator.compute.followups import (
    COMPLETENESS_RULES,
    MIN_MEMBERS,
    RULES,
    RULES_BY_CODE,
    UNGRIDDED,
    Followup,
    FollowupSummary,
    months_before,
)
from generator.load.config import Followups, Settings
from generator.load.ledger import CountyLedger
from generator.render.renderer import Renderer

STALE_SKIPPED = (
    "数据文件夹不在 git 仓库中，无法得知各台账文件最后一次提交的日期，“台账久未更新”本次没有检查。"
)


def ledger_path(county_id: str) -> str:
    return f"counties/{county_id}/orgs/index.md"


def followups_path(county_id: str) -> str:
    return f"counties/{county_id}/followups/index.md"


@dataclass(frozen=True)
class GridSection:
    """One grid's follow-ups on the list (a printed page), by rule."""

    id: str | None
    name: str
    rules: list[tuple[str, list[Followup]]]  # (rule code, items), declaration order

    @property
    def items(self) -> list[Followup]:
        return [item for _, items in self.rules for item in items]

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.rules)


def grid_sections(county: CountyLedger, items: list[Followup]) -> list[GridSection]:
    """The items (already by grid, then rule) as sections; grids without items left out."""
    sections: list[GridSection] = []
    for item in items:
        if not sections or sections[-1].id != item.grid:
            name = county.grids[item.grid].name if item.grid else UNGRIDDED
            sections.append(GridSection(item.grid, name, []))
        rules = sections[-1].rules
        if not rules or rules[-1][0] != item.rule:
            rules.append((item.rule, []))
        rules[-1][1].append(item)
    return sections


def edit_link(template: str | None, item: Followup) -> str | None:
    """``site_config`` ``edit_url`` filled in for the item's file and line."""
    if not template:
        return None
    return template.format(path=quote(item.file, safe="/"), line=item.line)


def render_ledger_pages(
    county: CountyLedger,
    items: list[Followup],
    summary: FollowupSummary,
    settings: Settings,
    r: Renderer,
    common: dict,
) -> None:
    """``/counties/<county>/orgs/`` and ``/counties/<county>/followups/``."""
    covered_by: dict[str, list[str]] = {}
    for po in county.party_orgs.values():
        for oid in po.covers:
            covered_by.setdefault(oid, []).append(po.name)
    rules_of: dict[str, list[str]] = {}
    for item in items:
        if item.kind == "org" and item.rule not in rules_of.get(item.id, []):
            rules_of.setdefault(item.id, []).append(item.rule)
    context = {
        "c": county,
        "summary": summary,
        "rules": RULES_BY_CODE,
        "stale_skipped": STALE_SKIPPED,
        **common,
    }
    r.page(
        ledger_path(county.id),
        "county_orgs.md.j2",
        orgs=list(county.orgs.values()),
        covered_by=covered_by,
        rules_of=rules_of,
        **context,
    )
    r.page(
        followups_path(county.id),
        "county_followups.md.j2",
        sections=grid_sections(county, items),
        edit_url=lambda item: edit_link(settings.site.edit_url, item),
        **context,
    )


def rule_docs(limits: Followups) -> list[tuple[str, str, str, str]]:
    """(label, code, record kind, definition) of every rule, thresholds filled in."""
    kinds = {"org": "组织台账", "party_org": "党组织", "need": "诉求"}
    return [(r.label, r.code, kinds[r.kind], r.stated(limits)) for r in RULES]


def worked_example(limits: Followups, as_of: dt.date) -> list[str]:
    """The boundaries of the dated rules on the site's own data date, and a completeness rate
    worked by hand: computed with the same functions as the rules."""
    visit = months_before(as_of, limits.visit_months)
    need = as_of - dt.timedelta(days=limits.need_days)
    stale = months_before(as_of, limits.stale_months)
    day = dt.timedelta(days=1)
    labels = [RULES_BY_CODE[code].label for code in COMPLETENESS_RULES]
    return [
        f"数据截至 {as_of}：{visit} 实地核查过的组织恰好 {limits.visit_months} 个月，不算超期未走访；"
        f"{visit - day} 核查的算超期。",
        f"{need} 提出、尚未解决的诉求恰好 {limits.need_days} 天，不算超期；{need - day} 提出的算超期。",
        f"台账文件最后一次提交在 {stale} 的不算久未更新，在 {stale - day} 的算久未更新。",
        f"党员 {MIN_MEMBERS} 名、只有联合组建党组织覆盖的组织计入应建未建；"
        f"党员 {MIN_MEMBERS - 1} 名的党支部计入党员不足三人。",
        f"台账完整率：某县在册组织 40 个，{labels[0]} 6 个、{labels[1]} 4 个，其中 2 个两项都有，"
        f"有问题的组织共 6 + 4 − 2 = 8 个；台账完整率 =（40 − 8）÷ 40 = 80.0%。",
    ]
