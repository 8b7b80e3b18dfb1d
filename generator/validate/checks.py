"""Stage 2, validate: what a single record cannot know on its own.

References between records, code lists from ``site_config`` and dates after today (all three
as the field registry declares them: :mod:`generator.fields`), the rules that tie fields
together (a resolved need has a resolved date), target metric names, and warnings for what is
suspicious but possible. Pure: the ledger, settings and today's date come in as arguments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from markupsafe import escape

from generator import fields
from generator.compute.metrics import METRICS_BY_NAME
from generator.diagnostics import Location, Report
from generator.fields import NO_ROLE, FieldRole, markdown_fields
from generator.kinds import FOLDERS, KIND_LABELS, KINDS
from generator.load.config import CODE_LIST_LABELS, Settings
from generator.load.ledger import CountyLedger, Ledger, RecordSource
from generator.markdown_safe import md_block
from generator.messages import suggestion, unknown_code
from generator.models import County, Need, Org, PartyOrg, Target
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
    for name in markdown_fields(County):
        _check_markdown(getattr(c.county, name), c.source, (name,), report)
    for kind, model in KINDS.items():
        roles = {name: role for name, role in fields.roles(model).items() if role != NO_ROLE}
        markdown = markdown_fields(model)
        for record_id, record in c.records(kind).items():
            source = c.source_of(kind, record_id)
            for name, role in roles.items():
                _check_field(c, settings, source, name, role, getattr(record, name), report, today)
            for name in markdown:
                _check_markdown(getattr(record, name), source, (name,), report)
            RULES.get(kind, _no_rule)(c, record, source, report)
    if c.county.division_code is not None and not re.fullmatch(r"\d{6}", c.county.division_code):
        report.error(
            c.source.at("division_code"), "invalid-division-code", value=c.county.division_code
        )


def _check_field(
    c: CountyLedger,
    settings: Settings,
    source: RecordSource,
    name: str,
    role: FieldRole,
    value: object,
    report: Report,
    today: dt.date,
) -> None:
    """What the field registry declares: references exist, codes are listed, dates are past."""
    if value is None:
        return
    if role.ref is not None:
        ids = value if isinstance(value, list) else [value]
        for i, record_id in enumerate(ids):
            if not c.exists(role.ref, record_id):
                report.error(
                    source.at(name, i) if isinstance(value, list) else source.at(name),
                    "unknown-reference",
                    value=record_id,
                    target=(KIND_LABELS[role.ref], role.ref.replace("_", " ")),
                    county=c.id,
                    folder=FOLDERS[role.ref],
                )
    if role.code_list is not None:
        codes = getattr(settings.codes, role.code_list)
        keyed = isinstance(value, dict)  # code -> count: the codes are the keys
        for code in list(value) if isinstance(value, dict) else [value]:
            assert isinstance(code, str)  # the models' code fields are text, or keyed by text
            if code not in codes:
                report.error(
                    source.key_at(name, code) if keyed else source.at(name),
                    "unknown-code",
                    **unknown_code(CODE_LIST_LABELS[role.code_list], code, codes),
                )
    if role.dated is not None and isinstance(value, dt.date) and value > today:
        report.warning(source.at(name), "date-in-future", value=value, today=today)


def _no_rule(c: CountyLedger, record: Any, source: RecordSource, report: Report) -> None:
    pass


def _org_rules(c: CountyLedger, org: Org, source: RecordSource, report: Report) -> None:
    if org.employees is not None and (org.party_members or 0) > org.employees:
        report.warning(
            source.at("party_members"),
            "members-exceed-employees",
            party_members=org.party_members,
            employees=org.employees,
        )


def _party_org_rules(c: CountyLedger, po: PartyOrg, source: RecordSource, report: Report) -> None:
    covered = [c.orgs[o] for o in po.covers if o in c.orgs]
    if po.kind is None and len({o.kind for o in covered}) > 1:
        report.error(
            source.at("covers"),
            "mixed-party-org-kind",
            orgs=(
                "、".join(f"{o.id}：{o.kind}" for o in covered),
                ", ".join(f"{o.id}: {o.kind}" for o in covered),
            ),
        )
    if covered and all(o.status == "closed" for o in covered):
        report.warning(source.at("covers"), "covers-only-closed")


def _need_rules(c: CountyLedger, need: Need, source: RecordSource, report: Report) -> None:
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


# The rules that tie one record's fields (or records) together, per kind.
RULES: dict[str, Callable[[CountyLedger, Any, RecordSource, Report], None]] = {
    "org": _org_rules,
    "party_org": _party_org_rules,
    "need": _need_rules,
}


def _check_targets(
    targets: dict[str, Target], source: RecordSource, loc: tuple, report: Report
) -> None:
    for name, target in targets.items():
        metric = METRICS_BY_NAME.get(name)
        if metric is not None and metric.is_breakdown:
            report.error(source.key_at(*loc, name), "target-breakdown-metric", value=name)
        elif metric is None:
            names = [m.name for m in METRICS_BY_NAME.values() if not m.is_breakdown]
            hint = suggestion(name, names)
            report.error(source.key_at(*loc, name), "unknown-metric", value=name, suggestion=hint)
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
    dates = [
        value
        for kind, model in KINDS.items()
        for record in c.records(kind).values()
        for name in fields.dated_fields(model)
        if (value := getattr(record, name)) is not None
    ]
    return max(dates, default=None)
