"""The loaded ledger: validated records of every county, and where each one came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from generator.diagnostics import Location
from generator.kinds import FOLDERS
from generator.load.yamlsource import Parsed, Path_
from generator.models import (
    Activity,
    County,
    Grid,
    Need,
    Org,
    PartyOrg,
    Record,
    ServiceCenter,
)

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RecordSource:
    """Where a record lives: its file and the positions of its values (``prefix`` in a list file)."""

    path: str
    parsed: Parsed
    prefix: Path_ = ()

    def at(self, *loc: str | int) -> Location:
        """The position of the value at ``loc`` inside the record, or the nearest enclosing one."""
        full = (*self.prefix, *loc)
        while True:
            if full in self.parsed.values_at:
                line, column = self.parsed.values_at[full]
                return Location(self.path, line, column)
            if not full:
                return Location(self.path)
            full = full[:-1]

    def key_at(self, *loc: str | int) -> Location:
        """The position of the field name at ``loc`` (for unknown or duplicate fields)."""
        full = (*self.prefix, *loc)
        if full in self.parsed.keys_at:
            line, column = self.parsed.keys_at[full]
            return Location(self.path, line, column)
        return self.at(*loc)

    def already_reported(self, *loc: str | int) -> bool:
        full = (*self.prefix, *loc)
        return any(full[:n] in self.parsed.reported for n in range(len(full) + 1))


@dataclass(frozen=True)
class RecordLines:
    """Where a record is, kept after its full positions are let go: its file (relative to the
    county folder), its first line and the line of each field written in it. Follow-ups name
    ``file:line`` with it."""

    file: str
    line: int
    fields: dict[str, int]

    @classmethod
    def of(cls, source: RecordSource, file: str, names: Iterable[str]) -> RecordLines:
        start = source.at().line or 1
        fields = {}
        for name in names:
            full = (*source.prefix, name)
            if full in source.parsed.keys_at:
                fields[name] = source.parsed.keys_at[full][0]
        return cls(file, start, fields)

    def line_of(self, name: str) -> int:
        """The line of field ``name``, else of the record."""
        return self.fields.get(name, self.line)


@dataclass
class CountyLedger:
    """One county's records, each kind keyed by id: grids, orgs and party organizations in
    reading order (load.ordering), the other kinds in file order."""

    id: str
    county: County
    source: RecordSource
    grids: dict[str, Grid] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    party_orgs: dict[str, PartyOrg] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    needs: dict[str, Need] = field(default_factory=dict)
    service_centers: dict[str, ServiceCenter] = field(default_factory=dict)
    sources: dict[tuple[str, str], RecordSource] = field(default_factory=dict)
    lines: dict[tuple[str, str], RecordLines] = field(default_factory=dict)
    # (kind, id) of records that exist but were refused (their errors already reported): a
    # reference to one is not reported again as "does not exist".
    refused: set[tuple[str, str]] = field(default_factory=set)

    def exists(self, kind: str, record_id: str) -> bool:
        return record_id in self.records(kind) or (kind, record_id) in self.refused

    def records(self, kind: str) -> dict:
        return getattr(self, FOLDERS[kind])  # the attribute is named after the folder

    def source_of(self, kind: str, record_id: str) -> RecordSource:
        return self.sources[(kind, record_id)]

    def view(self) -> CountyView:
        return CountyView(self.id, self.county, dict(self.grids))


@dataclass(frozen=True)
class CountyView:
    """What pages about many counties need of one: its county record and grids, not its orgs.

    A build keeps one per county in its cache, so pages about all counties are rendered without
    loading the counties whose files did not change.
    """

    id: str
    county: County
    grids: dict[str, Grid]


@dataclass
class Ledger:
    """Every county of a data folder, ordered by county id."""

    counties: list[CountyLedger]

    def county(self, county_id: str) -> CountyLedger | None:
        return next((c for c in self.counties if c.id == county_id), None)


@dataclass
class Roster:
    """Every county of a data folder as a view (see CountyView), ordered by county id."""

    counties: list[CountyView]

    def county(self, county_id: str) -> CountyView | None:
        return next((c for c in self.counties if c.id == county_id), None)
