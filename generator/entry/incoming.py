"""Check records that come from outside the YAML files — spreadsheet rows, ``sitegen new``
answers — with the same models and ledger checks as the loader.

Each value knows where it came from (a cell, a command-line option), and every problem is
reported there. The records are checked as part of their county: a grid reference must name
one of its grids, a resolved need needs its date, a party organization must not mix kinds.
Only problems the incoming records bring are reported; the county's data must be valid already.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.build.checked import load_and_validate
from generator.diagnostics import ConfigError, Diagnostic, Location, Problem, Report
from generator.kinds import KINDS
from generator.load.config import Settings
from generator.load.ledger import CountyLedger, Ledger, RecordSource
from generator.load.loader import display_path, load_county
from generator.load.schema_errors import report_validation_error
from generator.load.yamlsource import Parsed, Path_
from generator.messages import listed
from generator.models import Record
from generator.project import Project
from generator.validate.checks import check_ledger
from generator.validate.privacy import scan_text

_HERE = "\x00incoming"


class UsageProblem(Problem, ConfigError):
    """The command line names something that is not there (exit 2); text from the catalog."""


def valid_county(
    project: Project, county_id: str, today: dt.date, report: Report
) -> tuple[CountyLedger, Settings] | None:
    """The county and the settings, when the county's data and the site config are valid.

    Records are only added to a county whose data is valid: then every problem found after
    adding them is one they bring. Other counties' problems do not matter here.
    """
    checked = load_and_validate(project, today)
    folder = display_path(project.data_dir / county_id)
    places = (folder + "/", display_path(project.config_dir) + "/")
    blocking = [
        d
        for d in checked.report.errors
        if d.location.path.startswith(places) or d.location.path == folder
    ]
    if blocking or checked.settings is None:
        report.diagnostics += blocking or checked.report.errors
        report.error(Location(folder), "entry-data-invalid", county=county_id)
        return None
    unit = next((u for u in checked.units if u.id == county_id), None)
    if unit is None:
        allowed = listed([u.id for u in checked.units], county_id)
        raise UsageProblem("unknown-county", value=county_id, allowed=allowed)
    # Read again with every value's place: the incoming records are checked along with them.
    county = load_county(unit.folder, Report(), checked.store.records(unit.id))
    return (
        county,
        checked.settings,
    )  # the stand-in file name of incoming records, replaced by their places


@dataclass
class Incoming:
    """One record from outside: its raw field values and the place of each value."""

    kind: str
    values: dict[str, Any]
    places: dict[Path_, Location]  # () is the record as a whole
    # Fields whose value could not be read (already reported): not reported again as missing.
    unreadable: set[str] = field(default_factory=set)
    record: Record | None = field(default=None, compare=False)


def validate_incoming(
    items: list[Incoming], county: CountyLedger, settings: Settings, today: dt.date, report: Report
) -> None:
    """Validate ``items`` (setting ``item.record`` when valid) as records of ``county``."""
    places: list[Location] = []
    found = Report()
    candidate = _copy(county)
    for item in items:
        source = _source(item, places)
        item.record = _validated(item, KINDS[item.kind], source, found)
        if item.record is not None:
            candidate.records(item.kind)[item.record.id] = item.record
            candidate.sources[(item.kind, item.record.id)] = source
    before, after = Report(), Report()
    check_ledger(Ledger([county]), settings, before, today)
    check_ledger(Ledger([candidate]), settings, after, today)
    known = {d.format() for d in before.diagnostics}
    found.diagnostics += [d for d in after.diagnostics if d.format() not in known]
    _place(found, places, report)
    scan_privacy(items, settings, report)


def validate_model(
    item: Incoming, model: type[BaseModel], settings: Settings, report: Report
) -> BaseModel | None:
    """Only the model's own rules (a county, a case's front matter): no ledger to check against."""
    places: list[Location] = []
    found = Report()
    record = _validated(item, model, _source(item, places), found)
    _place(found, places, report)
    scan_privacy([item], settings, report)
    return record


_Model = TypeVar("_Model", bound=BaseModel)


def _validated(
    item: Incoming, model: type[_Model], source: RecordSource, found: Report
) -> _Model | None:
    try:
        return model.model_validate(item.values)
    except ValidationError as exc:
        invalid = Report()
        report_validation_error(exc, model, source, invalid)
        found.diagnostics += [
            d for d in invalid.diagnostics if missing_field(d) not in item.unreadable
        ]
        return None


def missing_field(d: Diagnostic) -> str | None:
    """The field a ``missing-field`` diagnostic is about (None for other diagnostics)."""
    if d.code != "missing-field":
        return None
    field_name = d.params.get("field")
    return str(field_name[1] if isinstance(field_name, tuple) else field_name)


def _place(found: Report, places: list[Location], report: Report) -> None:
    for d in found.diagnostics:
        where = d.location
        if where.path == _HERE:
            where = places[where.line - 1] if where.line else Location("?")
        report.diagnostics.append(Diagnostic(where, d.code, d.params, d.severity))


def _source(item: Incoming, places: list[Location]) -> RecordSource:
    """A record source whose 'lines' number the places, so located checks can point at them."""
    values_at: dict[Path_, tuple[int, int]] = {}
    for path, where in item.places.items():
        places.append(where)
        values_at[path] = (len(places), 0)
    parsed = Parsed(item.values, values_at, dict(values_at), set(), [])
    return RecordSource(_HERE, parsed)


def _copy(county: CountyLedger) -> CountyLedger:
    return dataclasses.replace(
        county,
        grids=dict(county.grids),
        orgs=dict(county.orgs),
        party_orgs=dict(county.party_orgs),
        activities=dict(county.activities),
        needs=dict(county.needs),
        service_centers=dict(county.service_centers),
        sources=dict(county.sources),
    )


def scan_privacy(items: list[Incoming], settings: Settings, report: Report) -> None:
    """Resident ID and mobile numbers must not reach the site, from a cell any more than a file."""
    allowed_numbers = settings.site.privacy.allowed_numbers
    allowed = {re.sub(r"[^0-9Xx]", "", a) for a in allowed_numbers} | set(allowed_numbers)
    for item in items:
        for path, text in _texts(item.values, ()):
            found = Report()
            scan_text(text, "", allowed, found)
            where = item.places.get(path) or item.places.get(path[:1]) or item.places[()]
            for d in found.diagnostics:
                report.diagnostics.append(Diagnostic(where, d.code, d.params, d.severity))


def _texts(value: Any, path: Path_):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, (*path, index))
