"""Progress over time, from the dates the ledger already holds (pure).

A county "as of" a day keeps every grid and organization of today's ledger (the base the
campaign must cover), but only what had happened by that day:

- a party organization counts from its ``established_on``;
- instructors count from the organization's ``visited_on`` (the ledger has no assignment
  date; an organization without a visit date counts from the start);
- activities count from their ``date``; needs from ``raised_on``, resolved from ``resolved_on``.

Every metric of :mod:`generator.compute.metrics` is then computed on that snapshot, so a monthly
series means exactly what the current figure means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator.compute.metrics import Metrics, county_metrics
from generator.fields import Dated, dated_fields
from generator.kinds import KINDS
from generator.load.ledger import CountyLedger


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def end(self) -> dt.date:
        return self.next().start() - dt.timedelta(days=1)

    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def __lt__(self, other: Month) -> bool:
        return (self.year, self.month) < (other.year, other.month)

    def __le__(self, other: Month) -> bool:
        return (self.year, self.month) <= (other.year, other.month)


def record_dates(county: CountyLedger) -> list[dt.date]:
    """Every date the series counts from (fields declared ``dated="campaign"`` or "history")."""
    return _dates(county, "history", "campaign")


def campaign_dates(county: CountyLedger) -> list[dt.date]:
    """Dates of the campaign's own work: visits, activities, needs. A series starts at the first
    of them; party organizations founded years earlier count from that first month."""
    return _dates(county, "campaign")


def _dates(county: CountyLedger, *parts: Dated) -> list[dt.date]:
    return [
        value
        for kind, model in KINDS.items()
        for record in county.records(kind).values()
        for name in dated_fields(model, *parts)
        if (value := getattr(record, name)) is not None
    ]


def months_between(first: dt.date, last: dt.date) -> list[Month]:
    months, month = [], Month.of(first)
    while month <= Month.of(last):
        months.append(month)
        month = month.next()
    return months


def snapshot(county: CountyLedger, day: dt.date) -> CountyLedger:
    """The county as it stood at the end of ``day`` (see the module docstring)."""
    orgs = {
        oid: o
        if o.visited_on is None or o.visited_on <= day
        else o.model_copy(update={"instructors": None})
        for oid, o in county.orgs.items()
    }
    needs = {}
    for nid, n in county.needs.items():
        if n.raised_on > day:
            continue
        if n.resolved_on is not None and n.resolved_on > day:
            n = n.model_copy(update={"status": "in_progress", "resolved_on": None})
        needs[nid] = n
    return replace(
        county,
        orgs=orgs,
        party_orgs={k: p for k, p in county.party_orgs.items() if p.established_on <= day},
        activities={k: a for k, a in county.activities.items() if a.date <= day},
        needs=needs,
    )


def monthly_metrics(county: CountyLedger, months: list[Month]) -> list[Metrics]:
    """The county's metrics at the end of each month."""
    return [county_metrics(snapshot(county, m.end())) for m in months]


def activities_per_month(county: CountyLedger, months: list[Month]) -> list[dict[str, int]]:
    """Activities held in each month (not cumulative), per type code."""
    counts: list[dict[str, int]] = [{} for _ in months]
    index = {m: i for i, m in enumerate(months)}
    for a in county.activities.values():
        i = index.get(Month.of(a.date))
        if i is not None:
            counts[i][a.type] = counts[i].get(a.type, 0) + 1
    return counts


def needs_per_month(county: CountyLedger, months: list[Month]) -> list[tuple[int, int]]:
    """(raised, resolved) in each month."""
    index = {m: i for i, m in enumerate(months)}
    raised, resolved = [0] * len(months), [0] * len(months)
    for n in county.needs.values():
        if (i := index.get(Month.of(n.raised_on))) is not None:
            raised[i] += 1
        if n.resolved_on and (i := index.get(Month.of(n.resolved_on))) is not None:
            resolved[i] += 1
    return list(zip(raised, resolved, strict=True))
