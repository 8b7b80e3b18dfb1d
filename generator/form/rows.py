"""Repeat a template row of a worksheet, as Excel inserts rows: what is below moves down with
its merged cells, row heights, validations and conditional formats, and every formula in the
workbook still points at the same cells (openpyxl moves cell values only).

A reference to a row below the template row moves down; a range that holds the template row
grows over its copies (a total ``SUM(C5:C5)`` under a one-row template then adds up every
county); references above stay. The copies' own formulas are translated row by row.
"""

from __future__ import annotations

import copy
import re

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.formula.translate import Translator
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

_CELL = re.compile(r"^(\$?[A-Za-z]{1,3})?(\$?)(\d+)$")


def _shift_part(part: str, row: int, by: int, grow: bool) -> str:
    """One side of a reference (``C7``, ``$C$7``, ``7``); ``grow``: the range's end."""
    match = _CELL.match(part)
    if match is None:
        return part  # a whole column (A), a name: rows do not matter
    column, dollar, number = match.group(1) or "", match.group(2), int(match.group(3))
    if number > row or (grow and number == row):
        number += by
    return f"{column}{dollar}{number}"


def shift_reference(ref: str, row: int, by: int) -> str:
    """``ref`` (no sheet) after ``by`` rows are inserted under ``row``."""
    if ":" not in ref:
        return _shift_part(ref, row, by, grow=False)
    start, end = ref.split(":", 1)
    first, last = _row_of(start), _row_of(end)
    grows = first is not None and last is not None and first <= row <= last
    return f"{_shift_part(start, row, by, False)}:{_shift_part(end, row, by, grows)}"


def _row_of(part: str) -> int | None:
    match = _CELL.match(part)
    return int(match.group(3)) if match else None


def _sheet_of(token: str) -> tuple[str | None, str]:
    if "!" not in token:
        return None, token
    sheet, ref = token.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref


def shift_formula(formula: str, host: str, sheet: str, row: int, by: int) -> str:
    """A formula of sheet ``host`` after ``by`` rows are inserted under ``row`` of ``sheet``."""
    tokens = Tokenizer(formula)
    changed = False
    for token in tokens.items:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        named, ref = _sheet_of(token.value)
        if (named or host) != sheet:
            continue
        moved = shift_reference(ref, row, by)
        if moved != ref:
            token.value = token.value[: len(token.value) - len(ref)] + moved
            changed = True
    return tokens.render() if changed else formula


def moved_area(ref: str, row: int, by: int) -> str:
    """A range the copies of ``row`` belong to when it holds that row (a validation or a
    conditional format of the template row reaches its copies): below it, it moves down."""
    cells = CellRange(ref)
    if cells.min_row > row:
        cells.shift(row_shift=by)
    elif cells.max_row >= row:
        cells.expand(down=by)
    return cells.coord


def _moved_areas(ranges: MultiCellRange, row: int, by: int) -> MultiCellRange:
    return MultiCellRange([moved_area(str(r), row, by) for r in ranges.ranges])


def _move_conditional_formats(book: Workbook, sheet: Worksheet, row: int, by: int) -> None:
    """Each conditional format of ``sheet`` over its moved area; every rule's formula (of any
    sheet) still pointing at the same cells."""
    for ws in book.worksheets:
        moved = ConditionalFormattingList()
        for formatting in ws.conditional_formatting:
            area = formatting.sqref
            if ws is sheet:
                area = _moved_areas(area, row, by)
            for rule in formatting.rules:
                rule.formula = [
                    shift_formula("=" + f, ws.title, sheet.title, row, by)[1:]
                    for f in rule.formula or []
                ]
                moved.add(str(area), rule)
        ws.conditional_formatting = moved


def repeat_row(book: Workbook, sheet: Worksheet, row: int, times: int) -> None:
    """Make ``row`` of ``sheet`` ``times`` rows (``times`` >= 1): copies go under it."""
    by = times - 1
    if by <= 0:
        return
    for ws in book.worksheets:  # every formula that may point into the moved rows
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = shift_formula(cell.value, ws.title, sheet.title, row, by)
    for name in list(book.defined_names.values()):
        if name.value and not name.value.startswith("#"):
            name.value = shift_formula("=" + name.value, "", sheet.title, row, by)[1:]
    merged = list(sheet.merged_cells.ranges)
    heights = {r: copy.copy(d) for r, d in sheet.row_dimensions.items() if r > row}
    sheet.insert_rows(row + 1, by)
    for number in heights:
        sheet.row_dimensions.pop(number, None)
    for number, dimension in heights.items():
        dimension.index = number + by
        sheet.row_dimensions[number + by] = dimension
    template = sheet.row_dimensions.get(row)
    for cell_range in merged:
        if cell_range.min_row > row:
            cell_range.shift(0, by)
        elif cell_range.min_row <= row < cell_range.max_row:
            cell_range.expand(down=by)
    for offset in range(1, times):
        target = row + offset
        if template is not None and template.height is not None:
            sheet.row_dimensions[target].height = template.height
        for cell in sheet[row]:
            assert cell.column is not None  # a cell read from a row knows its column
            copied = sheet.cell(row=target, column=cell.column)
            # The whole style at once, as openpyxl's own copy_worksheet does; the stubs leave
            # the private style array out.
            copied._style = copy.copy(cell._style)  # type: ignore[union-attr]
            value = cell.value
            if cell.data_type == "f" and isinstance(value, str):
                value = Translator(value, origin=cell.coordinate).translate_formula(
                    copied.coordinate
                )
            copied.value = value
        for cell_range in merged:
            if cell_range.min_row == cell_range.max_row == row:
                sheet.merge_cells(
                    start_row=target, end_row=target,
                    start_column=cell_range.min_col, end_column=cell_range.max_col,
                )  # fmt: skip
    for validation in sheet.data_validations.dataValidation:
        validation.sqref = _moved_areas(validation.sqref, row, by)
    _move_conditional_formats(book, sheet, row, by)
    area = sheet.print_area
    if area:
        parts = [part.split("!")[-1] for part in area.split(",")]
        sheet.print_area = [shift_reference(part, row, by) for part in parts]
