"""``sitegen export --xlsx``: a county's ledger as a workbook, one sheet per record kind.

The sheets are named and headed as ``sitegen import`` reads them (组织, 党组织...; 编号 first,
then each field's Chinese title, one column per output or figure code), so importing an export
reproduces the same records. Codes are written as their Chinese labels (快递物流, 新经济组织),
lists as ``a、b``, dates as Excel dates; ids stay ids, so references survive the round trip.
"""

from __future__ import annotations

from pathlib import Path

from generator.entry.cells import to_cell
from generator.entry.columns import FieldSpec, field_specs
from generator.kinds import BY_NAME, KINDS
from generator.load.config import CodeLists
from generator.load.ledger import CountyLedger

NOTES = (
    "本表由 sitegen export 生成，可以修改后用 sitegen import 导回。",
    "“编号”列用来对应已有记录：不要修改已有编号；新增记录可以不填编号。",
    "表头不要改名；日期写成 2025-06-12 或 2025年6月12日；多项内容用顿号“、”分隔。",
    "类别、行业、状态等可以填代码或中文名称（例如 express_logistics 或 快递物流）。",
    "表中删除的行不会从台账中删除：删除记录请删除对应的 YAML 文件。",
)
_DATE_FORMAT = "yyyy-mm-dd"


def export_workbook(county: CountyLedger, codes: CodeLists, path: Path) -> dict[str, int]:
    """Write ``path``; returns the number of records per kind."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook comes with
    counts = {}
    for kind in KINDS:
        specs = field_specs(kind, codes)
        records = county.records(kind)
        sheet = workbook.create_sheet(BY_NAME[kind].sheet)
        sheet.append([spec.title for spec in specs])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in records.values():
            sheet.append([_value(spec, record, codes) for spec in specs])
        for column, spec in enumerate(specs, start=1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = _width(spec)
            for cell in sheet[letter][1:]:
                if spec.shape == "date":
                    cell.number_format = _DATE_FORMAT
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                as_text(cell)
        sheet.freeze_panes = "B2"
        counts[kind] = len(records)
    notes = workbook.create_sheet("说明")
    for line in NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return counts


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell) -> None:
    """Text that looks like a formula (``=HYPERLINK(...)``) stays text: stored as a string and
    marked as typed with a leading quote, so Excel and LibreOffice never evaluate it."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _value(spec: FieldSpec, record: object, codes: CodeLists) -> object:
    value = getattr(record, spec.path[0])
    if len(spec.path) == 2:
        value = (value or {}).get(spec.path[1])
    return to_cell(spec, value, codes)


def _width(spec: FieldSpec) -> float:
    if spec.shape in ("text", "refs", "choices") and spec.path[0] in ("name", "title", "summary"):
        return 36
    return max(10, min(24, 2.2 * len(spec.title) + 2))
