"""Find a sheet's header row and the field of each column.

Clerks' sheets put a title (and often a group header such as 基本情况) above the real header
row, so the header row is the one among the first rows whose cells name the most fields.
A mapping file (``--mapping``) names the field of headers no synonym covers::

    # 表头: 字段（字段名或中文标题；留空表示这一列不导入）
    企业（单位）全称: name
    所在片区: grid
    联系电话:
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Location, Report
from generator.entry.columns import (
    ROW_NUMBER_HEADERS,
    FieldSpec,
    find_spec,
    header_index,
    normalize_header,
)
from generator.entry.spreadsheet import Sheet
from generator.kinds import KIND_LABELS
from generator.load.ledger import RecordSource
from generator.load.loader import read_file

HEADER_SEARCH_ROWS = 20
IGNORE = object()  # a mapping entry without a field: the column is left out on purpose


@dataclass
class Columns:
    """The header row of a sheet and the field each of its columns fills (1 = column A)."""

    header_row: int
    fields: dict[int, FieldSpec] = field(default_factory=dict)

    def column_of(self, spec_name: str) -> int | None:
        return next((c for c, s in self.fields.items() if s.name == spec_name), None)


@dataclass
class HeaderMapping:
    """A ``--mapping`` file: header text -> field name or title (None: leave the column out)."""

    entries: dict[str, str | None] = field(default_factory=dict)
    source: RecordSource | None = None


def read_mapping(path: Path, report: Report) -> HeaderMapping:
    display, parsed = read_file(path, report)
    if parsed is None:
        return HeaderMapping()
    if not isinstance(parsed.value, dict):
        report.error(Location(display, 1, 1), "import-mapping-format")
        return HeaderMapping()
    source = RecordSource(display, parsed)
    mapping = HeaderMapping(source=source)
    for header, target in parsed.value.items():
        if target is not None and not isinstance(target, str):
            report.error(source.at(header), "import-mapping-format")
            continue
        mapping.entries[header.strip()] = target
    return mapping


def match_columns(
    sheet: Sheet, kind: str, specs: list[FieldSpec], mapping: HeaderMapping, report: Report
) -> Columns | None:
    index = header_index(kind, specs)
    mapped = _resolve_mapping(mapping, index, kind, specs, report)

    def spec_of(value: object) -> FieldSpec | object | None:
        if value is None:
            return None
        key = normalize_header(value)
        return mapped[key] if key in mapped else find_spec(index, value)

    best_row, best_score = 0, 0
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        score = len({id(s) for s in map(spec_of, row) if isinstance(s, FieldSpec)})
        if score > best_score:
            best_row, best_score = number, score
    if not best_row:
        titles = "、".join(s.title for s in specs if s.required) or specs[1].title
        report.error(
            sheet.at(0),
            "import-no-header",
            kind=(KIND_LABELS[kind], kind),
            examples=titles,
            rows=HEADER_SEARCH_ROWS,
        )
        return None
    columns = Columns(best_row)
    seen: dict[str, int] = {}
    for column, value in enumerate(sheet.rows[best_row - 1], start=1):
        spec = spec_of(value)
        if value is None or spec is IGNORE:
            continue
        if not isinstance(spec, FieldSpec):
            if str(value).strip().lower() not in ROW_NUMBER_HEADERS:
                report.warning(
                    sheet.at(best_row, column), "import-unknown-column", header=str(value).strip()
                )
            continue
        if spec.name in seen:
            report.error(
                sheet.at(best_row, column),
                "import-duplicate-column",
                header=str(value).strip(),
                field=spec.name,
                other=sheet.at(best_row, seen[spec.name]),
            )
            continue
        seen[spec.name] = column
        columns.fields[column] = spec
    return columns


def _resolve_mapping(
    mapping: HeaderMapping,
    index: dict[str, FieldSpec],
    kind: str,
    specs: list[FieldSpec],
    report: Report,
) -> dict[str, FieldSpec | object]:
    resolved: dict[str, FieldSpec | object] = {}
    for header, target in mapping.entries.items():
        if target is None:
            resolved[normalize_header(header)] = IGNORE
            continue
        spec = next((s for s in specs if s.name == target.strip()), None) or find_spec(
            index, target
        )
        if spec is None:
            where = mapping.source.at(header) if mapping.source else Location("--mapping")
            allowed = "、".join(f"{s.name}（{s.title}）" for s in specs)
            report.error(
                where,
                "import-mapping-field",
                value=target,
                kind=(KIND_LABELS[kind], kind),
                allowed=allowed,
            )
            continue
        resolved[normalize_header(header)] = spec
    return resolved
