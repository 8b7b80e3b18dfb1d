"""Turn the rows of one sheet into incoming records of one kind.

A row's values come from its mapped columns only. A row that matches a record already in the
ledger (by 编号, else by natural key, see :mod:`generator.entry.record_ids`) starts from that record:
columns the sheet does not have keep their values, an empty cell clears its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Location, Report
from generator.entry.cells import CellError, Lookup, is_blank, read_cell
from generator.entry.columns import normalize_header
from generator.entry.headers import Columns
from generator.entry.incoming import Incoming
from generator.entry.record_ids import derive_id, ids_by_key, natural_key
from generator.entry.spreadsheet import Sheet
from generator.kinds import KINDS
from generator.load.ledger import CountyLedger, RecordSource

TOTAL_ROW_MARKERS = {"合计", "总计", "小计", "合计:", "总计:"}


@dataclass
class SheetRow:
    """One data row: the record it makes, and the ledger record it replaces (if any)."""

    row: int
    incoming: Incoming
    existing_source: RecordSource | None


def read_rows(
    sheet: Sheet,
    kind: str,
    columns: Columns,
    county: CountyLedger,
    lookup: Lookup,
    report: Report,
) -> list[SheetRow]:
    existing = county.records(kind)
    keys = ids_by_key(kind, existing)
    taken: dict[str, str | None] = {
        i: natural_key(kind, r.model_dump()) for i, r in existing.items()
    }
    first_row: dict[str, int] = {}
    rows: list[SheetRow] = []
    first_column = min(columns.fields, default=1)
    for number in range(columns.header_row + 1, len(sheet.rows) + 1):
        cells = sheet.rows[number - 1]
        values = {c: cells[c - 1] if c <= len(cells) else None for c in columns.fields}
        if all(is_blank(v) for v in values.values()):
            continue
        if any(isinstance(v, str) and normalize_header(v) in TOTAL_ROW_MARKERS for v in cells):
            report.warning(sheet.at(number, first_column), "import-total-row")
            continue
        read, cleared, unreadable = _read_cells(sheet, number, columns, values, lookup, report)
        record_id = _record_id(kind, read, keys, taken)
        if record_id is None:
            record_id = f"row-{number}"  # no key: the missing fields are reported below
        elif record_id in first_row:
            report.error(
                sheet.at(number, first_column),
                "import-duplicate-row",
                other=first_row[record_id],
                id=record_id,
            )
            continue
        first_row[record_id] = number
        taken[record_id] = natural_key(kind, read)
        source = county.sources.get((kind, record_id)) if record_id in existing else None
        merged = _merge(_file_values(source), read, cleared)
        merged["id"] = record_id
        places: dict[tuple[str | int, ...], Location] = {(): sheet.at(number, first_column)}
        for column, spec in columns.fields.items():
            places[spec.path] = sheet.at(number, column)
            if spec.shape in ("choices", "refs"):  # every item of a list is in the one cell
                for index in range(len(merged.get(spec.path[0]) or ())):
                    places[(spec.path[0], index)] = sheet.at(number, column)
        incoming = Incoming(kind, _ordered(kind, merged), places, unreadable)
        rows.append(SheetRow(number, incoming, source))
    return rows


def _read_cells(
    sheet: Sheet,
    number: int,
    columns: Columns,
    values: dict[int, Any],
    lookup: Lookup,
    report: Report,
) -> tuple[dict[str, Any], set[tuple[str, ...]], set[str]]:
    """(values read, paths of empty cells, fields whose cell cannot be read) of one row."""
    read: dict[str, Any] = {}
    cleared: set[tuple[str, ...]] = set()
    unreadable: set[str] = set()
    for column, spec in columns.fields.items():
        value = values[column]
        if is_blank(value):
            cleared.add(spec.path)
            continue
        try:
            converted = read_cell(spec, value, lookup)
        except CellError as exc:
            exc.report_at(report, sheet.at(number, column))
            unreadable.add(spec.path[0])
            continue
        if len(spec.path) == 2:
            read.setdefault(spec.path[0], {})[spec.path[1]] = converted
        else:
            read[spec.path[0]] = converted
    return read, cleared, unreadable


def _record_id(
    kind: str, read: dict[str, Any], keys: dict[str, str], taken: dict[str, str | None]
) -> str | None:
    given = read.pop("id", None)
    if given is not None:
        return str(given)
    key = natural_key(kind, read)
    if key is not None and key in keys:
        return keys[key]
    return derive_id(kind, read, taken)


def _file_values(source: RecordSource | None) -> dict[str, Any]:
    """The record as its file has it (fields it leaves out stay left out)."""
    if source is None:
        return {}
    value: Any = source.parsed.value
    for part in source.prefix:
        value = value[part]
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in value.items()}


def _merge(base: dict[str, Any], read: dict[str, Any], cleared: set[tuple[str, ...]]):
    merged = dict(base)
    for path in cleared:
        if len(path) == 2 and isinstance(merged.get(path[0]), dict):
            merged[path[0]].pop(path[1], None)
            if not merged[path[0]]:
                del merged[path[0]]
        elif len(path) == 1:
            merged.pop(path[0], None)
    for name, value in read.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    return merged


def _ordered(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    order = list(KINDS[kind].model_fields)
    return dict(sorted(values.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
