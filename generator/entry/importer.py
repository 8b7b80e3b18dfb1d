"""``sitegen import``: a clerk's spreadsheet -> one YAML file per record, checked first.

read the workbook -> pick the sheet(s) -> find the header row and columns -> read the rows ->
validate them as records of the county (models + ledger checks) -> compare with the ledger ->
a plan of what is added, changed and unchanged -> write (unless it is a dry run).
Nothing is written when any row is invalid; importing the same sheet again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, Report
from generator.entry.cells import Lookup
from generator.entry.columns import field_specs, normalize_header
from generator.entry.headers import Columns, HeaderMapping, match_columns, read_mapping
from generator.entry.incoming import UsageProblem, missing_field, valid_county, validate_incoming
from generator.entry.recordfiles import RecordWrite, with_flow_lists, write_records
from generator.entry.sheetrows import SheetRow, read_rows
from generator.entry.spreadsheet import CellLocation, Sheet, SpreadsheetError, read_workbook
from generator.kinds import BY_NAME, FOLDERS, KINDS, NAMED_KINDS, import_order
from generator.load.ledger import CountyLedger
from generator.load.loader import display_path
from generator.project import Project

# Sheets are read so that what a record refers to is read before it (a grid names its center).
IMPORT_ORDER = import_order()


@dataclass
class Change:
    kind: str
    record_id: str
    label: str
    status: str  # added, changed or unchanged
    write: RecordWrite
    diffs: list[tuple[str, Any, Any]] = field(default_factory=list)


@dataclass
class _Job:
    """One sheet imported as one kind of record."""

    kind: str
    sheet: Sheet
    columns: Columns
    rows: list[SheetRow]


@dataclass
class ImportPlan:
    changes: list[Change] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)  # kind -> ledger records not in the sheet
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (kind, sheet name)

    def having(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]


def kind_of(name: str) -> str | None:
    """The record kind a --kind value or a sheet name stands for (orgs, org, 组织...)."""
    key = normalize_header(name)
    for kind in BY_NAME.values():
        names = (kind.name, kind.folder, kind.sheet, kind.label)
        if key in {normalize_header(n) for n in names}:
            return kind.name
    return None


def plan_import(
    project: Project,
    county_id: str,
    path: Path,
    kind: str | None,
    sheet_name: str | None,
    mapping_path: Path | None,
    today: dt.date,
    report: Report,
) -> ImportPlan | None:
    """What importing ``path`` would do, or None (after reporting why) when it must not."""
    found_county = valid_county(project, county_id, today, report)
    if found_county is None:
        return None
    county, settings = found_county
    mapping = read_mapping(mapping_path, report) if mapping_path else HeaderMapping()
    try:
        sheets = read_workbook(path, display_path(path))
    except SpreadsheetError as exc:
        exc.report_at(report, Location(display_path(path)))
        return None
    lookup = Lookup(settings.codes, county_id)
    for k in NAMED_KINDS:
        records = county.records(k)
        lookup.names[k] = {normalize_header(r.name): i for i, r in records.items()}
        lookup.ids[k] = set(records)
    plan, jobs, found = ImportPlan(), [], Report()
    for kind_, sheet in choose_sheets(sheets, kind, sheet_name):
        columns = match_columns(sheet, kind_, field_specs(kind_, settings.codes), mapping, found)
        if columns is None:
            continue
        lookup.epoch = sheet.epoch
        job = _Job(kind_, sheet, columns, read_rows(sheet, kind_, columns, county, lookup, found))
        jobs.append(job)
        plan.sheets.append((kind_, sheet.name))
        if kind_ in lookup.names:  # later sheets may name these records (覆盖组织: 名称)
            for row in job.rows:
                name, record_id = row.incoming.values.get("name"), row.incoming.values["id"]
                if isinstance(name, str):
                    lookup.names[kind_][normalize_header(name)] = record_id
                lookup.ids[kind_].add(record_id)
    validate_incoming([r.incoming for j in jobs for r in j.rows], county, settings, today, found)
    report.diagnostics += _placed(found.diagnostics, jobs)
    if report.errors:
        return None
    for job in jobs:
        for row in job.rows:
            change = _change(project, county, job.kind, row, report)
            if change is not None:
                plan.changes.append(change)
        mentioned = {c.record_id for c in plan.changes if c.kind == job.kind}
        plan.kept[job.kind] = len(set(county.records(job.kind)) - mentioned)
    return None if report.errors else plan


def apply_plan(plan: ImportPlan) -> int:
    writes = [c.write for c in plan.changes if c.status != "unchanged"]
    write_records(writes)
    return len(writes)


def choose_sheets(
    sheets: list[Sheet], kind: str | None, sheet_name: str | None
) -> list[tuple[str, Sheet]]:
    names = "、".join(s.name for s in sheets)
    if sheet_name is not None:
        chosen = [s for s in sheets if normalize_header(s.name) == normalize_header(sheet_name)]
        if not chosen:
            raise UsageProblem("import-sheet-missing", sheet=sheet_name, sheets=names)
        sheet_kind = kind or kind_of(chosen[0].name)
        if sheet_kind is None:
            raise UsageProblem("import-kind-needed", sheets=names)
        return [(sheet_kind, chosen[0])]
    if kind is not None:
        named = [s for s in sheets if kind_of(s.name) == kind]
        filled = [s for s in sheets if not s.is_empty and not s.hidden]
        if named or len(filled) == 1:
            return [(kind, (named or filled)[0])]
        raise UsageProblem("import-sheet-choose", sheets=names)
    jobs = [(k, s) for s in sheets if (k := kind_of(s.name)) is not None and not s.is_empty]
    if not jobs:
        raise UsageProblem("import-kind-needed", sheets=names)
    return sorted(jobs, key=lambda job: IMPORT_ORDER.index(job[0]))


def _placed(diagnostics: list[Diagnostic], jobs: list[_Job]) -> list[Diagnostic]:
    """Missing fields point at their empty cell; a column missing altogether is said once."""
    by_sheet: dict[tuple[str, str | None], _Job] = {
        (job.sheet.display, job.sheet.shown_name): job for job in jobs
    }
    placed: list[Diagnostic] = []
    missing_columns: dict[tuple[int, str], int] = {}
    for d in diagnostics:
        where = d.location
        job = by_sheet.get((where.path, getattr(where, "sheet", None)))
        name = missing_field(d)
        if name is None or job is None or not isinstance(where, CellLocation):
            placed.append(d)
        elif (column := job.columns.column_of(name)) is not None:
            placed.append(Diagnostic(job.sheet.at(where.line, column), d.code, d.params))
        else:
            key = (jobs.index(job), name)
            missing_columns[key] = missing_columns.get(key, 0) + 1
    for (index, name), count in missing_columns.items():
        job = jobs[index]
        title = KINDS[job.kind].model_fields[name].title or name
        where = job.sheet.at(job.columns.header_row, min(job.columns.fields, default=1))
        params = {"field": name, "label": title, "rows": count}
        placed.append(Diagnostic(where, "import-missing-column", params))
    return placed


def _change(
    project: Project, county: CountyLedger, kind: str, row: SheetRow, report: Report
) -> Change | None:
    record = row.incoming.record
    assert record is not None  # only called once every row has validated (no errors)
    model_fields = list(KINDS[kind].model_fields)
    values = {name: getattr(record, name) for name in model_fields if name in row.incoming.values}
    values = with_flow_lists(KINDS[kind], values)
    label = str(
        getattr(record, "name", None)
        or getattr(record, "title", None)
        or getattr(record, "summary", "")
    )[:40]
    existing = county.records(kind).get(record.id)
    if existing is None:
        path = project.data_dir / county.id / FOLDERS[kind] / f"{record.id}.yaml"
        if path.exists():
            report.error(row.incoming.places[()], "import-file-exists", path=display_path(path))
            return None
        return Change(kind, record.id, label, "added", RecordWrite(path, values))
    source = row.existing_source
    assert source is not None  # the ledger has the record: the row read it from there
    write = RecordWrite(Path(source.path), values, source)
    diffs = [
        (name, getattr(existing, name), getattr(record, name))
        for name in model_fields
        if getattr(existing, name) != getattr(record, name)
    ]
    return Change(kind, record.id, label, "changed" if diffs else "unchanged", write, diffs)
