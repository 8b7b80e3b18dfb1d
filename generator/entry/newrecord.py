"""Create one new record file (``sitegen new``) from answers given as text.

Answers are read like spreadsheet cells (快递物流 or express_logistics, 2025年6月12日, ``a、b``
lists), checked with the same models and ledger checks as the data — each problem placed at
its option (``--industry: unknown-code: ...``) — and written as a commented file that does not
exist yet. The id rule is the import's (:mod:`generator.entry.record_ids`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.diagnostics import Location, Report
from generator.entry.cells import (
    CellError,
    Lookup,
    is_blank,
    known_code,
    read_cell,
    read_count,
    split_list,
)
from generator.entry.columns import field_specs, normalize_header
from generator.entry.incoming import Incoming, valid_county, validate_incoming, validate_model
from generator.entry.record_ids import derive_id, ids_by_key, natural_key
from generator.entry.recordfiles import create_file, with_flow_lists
from generator.entry.scaffold import KIND_LABELS, case_text, record_text
from generator.fields import code_fields
from generator.kinds import FOLDERS, KINDS, NAMED_KINDS
from generator.library.cases import CaseMeta
from generator.load.config import load_settings
from generator.load.loader import display_path
from generator.models import County
from generator.project import Project
from generator.values import ID_RE

MODELS: dict[str, type[BaseModel]] = {"county": County, **KINDS, "case": CaseMeta}
# Kinds whose records a new file lists where it refers to them: a county has few of them.
LISTED_KINDS = ("grid", "service_center")


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def create_record(
    project: Project,
    kind: str,
    county_id: str | None,
    answers: dict[str, str],
    today: dt.date,
    report: Report,
) -> Path | None:
    """Write the new file and return its path, or None after reporting why not."""
    model = MODELS[kind]
    if kind == "county":
        return _new_county(project, answers, report)
    found = valid_county(project, county_id or "", today, report)
    if found is None:
        return None
    county, settings = found
    lookup = Lookup(settings.codes, county.id)
    for k in NAMED_KINDS:
        lookup.names[k] = {normalize_header(r.name): i for i, r in county.records(k).items()}
        lookup.ids[k] = set(county.records(k))
    item = read_answers(kind, model, answers, lookup, report)
    if kind == "case":
        item.values["county"] = county.id
        item.values.setdefault("date", today)  # a write-up is dated the day it is begun
        case_id = answers.get("id") or f"{county.id}-{_digest(item.values.get('title'))}"
        path = project.content_dir / "cases" / f"{case_id}.md"
        _free(path, "id" in answers, kind, case_id, report)
        meta = validate_model(item, model, settings, report)
        if report.errors or meta is None:
            return None
        values = {n: getattr(meta, n) for n in model.model_fields if n in item.values}
        create_file(path, case_text(values, model, settings.codes))
        return path
    records = county.records(kind)
    key = natural_key(kind, item.values)
    record_id = answers.get("id") or ids_by_key(kind, records).get(key or "")
    if record_id is None:
        taken = {i: natural_key(kind, r.model_dump()) for i, r in records.items()}
        record_id = derive_id(kind, item.values, taken) or "new"
    path = project.data_dir / county.id / FOLDERS[kind] / f"{record_id}.yaml"
    if record_id in records:
        path = Path(county.sources[(kind, record_id)].path)
    _free(path, "id" in answers, kind, record_id, report, exists=record_id in records)
    item.values["id"] = record_id
    item.places[("id",)] = Location("--id")
    validate_incoming([item], county, settings, today, report)
    if report.errors or item.record is None:
        return None
    values = {n: getattr(item.record, n) for n in model.model_fields if n in item.values}
    del values["id"]  # the file name
    values = with_flow_lists(model, values)
    known = {k: {i: r.name for i, r in county.records(k).items()} for k in LISTED_KINDS}
    create_file(path, record_text(kind, model, values, settings.codes, known))
    return path


def _new_county(project: Project, answers: dict[str, str], report: Report) -> Path | None:
    settings = load_settings(project.config_dir, report)
    if settings is None:
        return None
    county_id = answers.get("id", "")
    if not ID_RE.match(county_id):
        report.error(Location("--id"), "invalid-id", value=county_id)
        return None
    path = project.data_dir / county_id / "county.yaml"
    _free(path.parent, True, "county", county_id, report)
    item = read_answers("county", County, answers, Lookup(settings.codes), report)
    item.values["id"], item.places[("id",)] = county_id, Location("--id")
    county = validate_model(item, County, settings, report)
    if report.errors or county is None:
        return None
    values = {n: getattr(county, n) for n in County.model_fields if n in item.values and n != "id"}
    create_file(path, record_text("county", County, values, settings.codes))
    return path


def _free(
    path: Path, id_given: bool, kind: str, record_id: str, report: Report, exists: bool = False
) -> bool:
    if not (exists or path.exists()):
        return True
    where = Location("--id" if id_given else option_name("name"))
    report.error(
        where,
        "new-record-exists",
        kind=(KIND_LABELS[kind], kind),
        id=record_id,
        path=display_path(path),
    )
    return False


def _digest(text: object) -> str:
    return hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:8]


def read_answers(
    kind: str, model: type[BaseModel], answers: dict[str, str], lookup: Lookup, report: Report
) -> Incoming:
    """Answers read as field values, each placed at its option (``--visited-on``)."""
    specs = {s.path[0]: s for s in field_specs(kind, lookup.codes, model) if len(s.path) == 1}
    item = Incoming(kind, {}, {(): Location(f"sitegen new {kind.replace('_', '-')}")})
    for name in model.model_fields:
        text = answers.get(name)
        if name == "id" or text is None or is_blank(text):
            continue
        where = Location(option_name(name))
        item.places[(name,)] = where
        try:
            if name in specs:
                value: Any = read_cell(specs[name], text, lookup)
            else:
                value = _counts(code_fields(model)[name], text, lookup)
        except CellError as exc:
            exc.report_at(report, where)
            item.unreadable.add(name)
            continue
        item.values[name] = value
        keys = (
            value
            if isinstance(value, dict)
            else range(len(value))
            if isinstance(value, list)
            else ()
        )
        for key in keys:
            item.places[(name, key)] = where
    return item


def _counts(code_list: str, text: str, lookup: Lookup) -> dict[str, object]:
    """``needs_collected=6、收集反馈=2``: code (or label) = count pairs."""
    result = {}
    for pair in split_list(text):
        key, _, count = pair.replace("：", "=").replace(":", "=").partition("=")
        result[known_code(code_list, key.strip(), lookup)] = read_count(count)
    return result
