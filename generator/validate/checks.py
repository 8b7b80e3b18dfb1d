"""Stage 2, validate: what a single record cannot know on its own.

References between records, code lists from ``site_config``, the rules that tie fields
together (a resolved need has a resolved date), target metric names, and warnings for what is
suspicious but possible. Pure: the ledger, settings and today's date come in as arguments.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from markupsafe import escape

from generator.compute.metrics import METRICS_BY_NAME
from generator.diagnostics import Location, Report
from generator.load.config import CODE_LIST_LABELS, Settings
from generator.load.ledger import CountyLedger, Ledger, RecordSource
from generator.messages import KIND_LABELS_ZH
from generator.models import FOLDERS, Target
from generator.render.markdown_safe import md_block
from generator.validate.markdown_guard import first_unsafe, links_in

# Raw HTML and script links are not allowed in Markdown fields: they would run in readers' browsers.
UNSAFE_MARKDOWN = re.compile(
    r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript\s*:|vbscript\s*:|data\s*:text/html", re.I
)


def check_ledger(ledger: Ledger, settings: Settings, report: Report, today: dt.date) -> None:
    check_site(settings, report)
    for county in ledger.counties:
        check_county(county, settings, report, today)


def check_site(settings: Settings, report: Report) -> None:
    """What site_config alone can get wrong (its targets)."""
    if settings.source is not None:
        _check_targets(settings.site.targets, settings.source, ("targets",), report)


def check_county(c: CountyLedger, settings: Settings, report: Report, today: dt.date) -> None:
    """Everything about one county: it never depends on another county's records."""
    _check_targets(c.county.targets, c.source, ("targets",), report)
    _check_markdown(c.county.summary, c.source, ("summary",), report)

    def ref(
        kind: str, record_id: str, target_kind: str, value: str | None, *loc: str | int
    ) -> None:
        if value is not None and not c.exists(target_kind, value):
            report.error(
                c.source_of(kind, record_id).at(*loc),
                "unknown-reference",
                value=value,
                target=(KIND_LABELS_ZH[target_kind], target_kind.replace("_", " ")),
                county=c.id,
                folder=FOLDERS[target_kind],
            )

    def code(
        kind: str, record_id: str, code_list: str, value: str, *loc: str | int, key: bool = False
    ) -> None:
        codes = getattr(settings.codes, code_list)
        if value not in codes:
            source = c.source_of(kind, record_id)
            where = source.key_at(*loc) if key else source.at(*loc)
            allowed_zh = "、".join(f"{k}（{v}）" for k, v in codes.items())
            report.error(
                where,
                "unknown-code",
                codelist=CODE_LIST_LABELS[code_list],
                value=value,
                allowed=(allowed_zh, ", ".join(codes)),
            )

    def future(kind: str, record_id: str, value: dt.date | None, field: str) -> None:
        # Keep latest_checked_date below in step with the fields checked here.
        if value is not None and value > today:
            report.warning(
                c.source_of(kind, record_id).at(field), "date-in-future", value=value, today=today
            )

    for record_id, grid in c.grids.items():
        ref("grid", record_id, "service_center", grid.service_center, "service_center")
    for record_id, org in c.orgs.items():
        ref("org", record_id, "grid", org.grid, "grid")
        code("org", record_id, "industry", org.industry, "industry")
        future("org", record_id, org.visited_on, "visited_on")
        if org.employees is not None and (org.party_members or 0) > org.employees:
            report.warning(
                c.source_of("org", record_id).at("party_members"),
                "members-exceed-employees",
                party_members=org.party_members,
                employees=org.employees,
            )
    for record_id, po in c.party_orgs.items():
        for i, org_id in enumerate(po.covers):
            ref("party_org", record_id, "org", org_id, "covers", i)
        future("party_org", record_id, po.established_on, "established_on")
        covered = [c.orgs[o] for o in po.covers if o in c.orgs]
        if po.kind is None and len({o.kind for o in covered}) > 1:
            report.error(
                c.source_of("party_org", record_id).at("covers"),
                "mixed-party-org-kind",
                orgs=(
                    "、".join(f"{o.id}：{o.kind}" for o in covered),
                    ", ".join(f"{o.id}: {o.kind}" for o in covered),
                ),
            )
        if covered and all(o.status == "closed" for o in covered):
            report.warning(c.source_of("party_org", record_id).at("covers"), "covers-only-closed")
    for record_id, act in c.activities.items():
        ref("activity", record_id, "grid", act.grid, "grid")
        for i, org_id in enumerate(act.orgs):
            ref("activity", record_id, "org", org_id, "orgs", i)
        code("activity", record_id, "activity_type", act.type, "type")
        for output in act.outputs:
            code("activity", record_id, "output", output, "outputs", output, key=True)
        future("activity", record_id, act.date, "date")
        _check_markdown(act.summary, c.source_of("activity", record_id), ("summary",), report)
    for record_id, need in c.needs.items():
        ref("need", record_id, "grid", need.grid, "grid")
        source = c.source_of("need", record_id)
        if need.status == "resolved" and need.resolved_on is None:
            report.error(source.at("status"), "resolved-on-required")
        if need.status != "resolved" and need.resolved_on is not None:
            report.error(source.key_at("resolved_on"), "resolved-on-not-allowed")
        if need.resolved_on is not None and need.resolved_on < need.raised_on:
            report.error(
                source.at("resolved_on"),
                "resolved-before-raised",
                resolved_on=need.resolved_on,
                raised_on=need.raised_on,
            )
        future("need", record_id, need.raised_on, "raised_on")
        future("need", record_id, need.resolved_on, "resolved_on")
    for record_id, center in c.service_centers.items():
        for figure in center.figures:
            code("service_center", record_id, "figure", figure, "figures", figure, key=True)
        future("service_center", record_id, center.opened_on, "opened_on")
    if c.county.division_code is not None and not re.fullmatch(r"\d{6}", c.county.division_code):
        report.error(
            c.source.at("division_code"), "invalid-division-code", value=c.county.division_code
        )


def _check_targets(
    targets: dict[str, Target], source: RecordSource, loc: tuple, report: Report
) -> None:
    for name, target in targets.items():
        metric = METRICS_BY_NAME.get(name)
        if metric is not None and metric.is_breakdown:
            report.error(source.key_at(*loc, name), "target-breakdown-metric", value=name)
        elif metric is None:
            names = [m.name for m in METRICS_BY_NAME.values() if not m.is_breakdown]
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            suggestion = (
                (f"，是否想写 “{close[0]}”？", f", did you mean “{close[0]}”?")
                if close
                else ("", "")
            )
            report.error(
                source.key_at(*loc, name), "unknown-metric", value=name, suggestion=suggestion
            )
        elif metric.is_rate and not 0 <= target.value <= 1:
            report.error(
                source.at(*loc, name, "value"),
                "rate-out-of-range",
                metric=name,
                value=f"{target.value:g}",
            )


def _check_markdown(text: str | None, source: RecordSource, loc: tuple, report: Report) -> None:
    if text is None:
        return
    match = UNSAFE_MARKDOWN.search(text)
    if match:
        where = _place_in_text(source, loc, match.group(0), text.count("\n") + 2)
        report.error(where, "unsafe-markdown", snippet=match.group(0)[:40])
        return
    # Only a link, an image or an attribute list can make markup of data text (md_block
    # escapes raw HTML and makes braces inert): rendered with attribute lists working, the
    # text must pass the allow-list unchanged, so an attribute list is reported, not hidden.
    unsafe = first_unsafe(str(escape(text))) if "[" in text or "{" in text else None
    if unsafe is not None:
        line = text.split("\n")[unsafe.line].strip()
        where = _place_in_text(source, loc, line[:20], text.count("\n") + 2)
        report.error(where, "unsafe-markdown", snippet=unsafe.snippet)
        return
    # A data text lands on several pages (county, activities, brief): a relative link or image
    # would point somewhere else from each, and MkDocs' strict build stops on it.
    for target in links_in(str(md_block(text))) if "[" in text else []:
        if not re.match(r"(https?|mailto):", target, re.I):
            where = _place_in_text(source, loc, target[:20], text.count("\n") + 2)
            report.error(where, "data-link-relative", value=target[:60])


def _place_in_text(source: RecordSource, loc: tuple, snippet: str, span: int) -> Location:
    """Where ``snippet`` is within the ``span`` lines of a text value, else the value's start.

    A summary is often a block (``summary: |``) of many lines: point at the offending one.
    """
    start = source.at(*loc)
    lines = source.parsed.lines
    if not start.line:
        return start
    for number in range(start.line, min(len(lines), start.line + span) + 1):
        skip = start.column - 1 if number == start.line else 0
        column = lines[number - 1].lower().find(snippet.lower(), skip)
        if column >= 0:
            return Location(start.path, number, column + 1)
    return start


def latest_checked_date(c: CountyLedger) -> dt.date | None:
    """The newest date ``check_county`` compares with today: when today is past it, the
    county's checks come out the same whatever today is."""
    dates = [o.visited_on for o in c.orgs.values() if o.visited_on]
    dates += [po.established_on for po in c.party_orgs.values()]
    dates += [a.date for a in c.activities.values()]
    dates += [n.raised_on for n in c.needs.values()]
    dates += [n.resolved_on for n in c.needs.values() if n.resolved_on]
    dates += [s.opened_on for s in c.service_centers.values() if s.opened_on]
    return max(dates, default=None)
