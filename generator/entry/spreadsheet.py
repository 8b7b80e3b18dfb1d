"""Read the spreadsheets clerks actually keep: .xlsx (openpyxl) and .csv.

A sheet comes back as a plain grid of cell values, row 1 first, with merged cells filled in
(a header merged over two columns, a grid name merged down five rows: every covered cell gets
the value) and trailing empty rows dropped. Where a value came from is a :class:`CellLocation`
printed as Excel writes it: ``台账.xlsx 组织!C7``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from generator.diagnostics import Location, Problem

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
_PLAIN_SHEET_NAME = re.compile(r"^\w+$")
_XML_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class CellLocation(Location):
    """A cell of a sheet: ``line`` is the row, ``column`` the column (1 = A); 0 = unknown."""

    sheet: str = ""

    def __str__(self) -> str:
        sheet = self.sheet
        if sheet and not _PLAIN_SHEET_NAME.match(sheet):
            sheet = "'" + sheet.replace("'", "''") + "'"
        if not self.line:
            return f"{self.path} {sheet}".rstrip()
        cell = (
            f"{column_letter(self.column)}{self.line}"
            if self.column
            else f"{self.line}:{self.line}"
        )
        return f"{self.path} {sheet}!{cell}" if sheet else f"{self.path}!{cell}"


class SpreadsheetError(Problem):
    """The file cannot be read as a spreadsheet."""


@dataclass
class Sheet:
    """One sheet's cells as values; ``rows[0]`` is row 1. CSV files have one, unnamed in places."""

    name: str
    display: str  # the file as shown in messages
    rows: list[list[object]] = field(default_factory=list)
    shown_name: str = ""  # the sheet name in locations ("" for CSV: the file is the sheet)
    epoch: dt.datetime = dt.datetime(1899, 12, 30)  # day 0 of Excel serial dates
    hidden: bool = False

    def at(self, row: int, column: int = 0) -> CellLocation:
        return CellLocation(self.display, row, column, self.shown_name)

    @property
    def is_empty(self) -> bool:
        return not any(v is not None for row in self.rows for v in row)


def read_workbook(path: Path, display: str) -> list[Sheet]:
    """Every sheet of ``path`` in workbook order; raises SpreadsheetError when it cannot."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path, display)]
    if suffix not in XLSX_SUFFIXES:
        raise SpreadsheetError("import-file-format", suffix=suffix or "（无扩展名）")
    return _read_xlsx(path, display)


# An .xlsx is a zip of XML parts; Excel and WPS never declare a DTD in them. A declaration
# (an entity bomb, an external entity reading a file of this machine) is refused before any
# part is parsed: openpyxl would otherwise read its entities as empty text (lxml) or stop with
# an error of its own. Also as UTF-16, which XML allows.
_DECLARATIONS = tuple(
    word.encode(encoding) for word in ("<!DOCTYPE", "<!ENTITY") for encoding in _XML_ENCODINGS
)
_XML_PARTS = (".xml", ".rels", ".vml")


def _refuse_declarations(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith(_XML_PARTS) and _declares(archive, info):
                    raise SpreadsheetError("import-file-entities", part=info.filename[:60])
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError):
        return  # not a readable zip: openpyxl says why, below


def _declares(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            if any(word in tail + chunk for word in _DECLARATIONS):
                return True
            tail = chunk[-32:]
    return False


def _read_xlsx(path: Path, display: str) -> list[Sheet]:
    import openpyxl  # imported here: only import and export need it
    from openpyxl.utils.exceptions import InvalidFileException

    _refuse_declarations(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it ignores (data validation, conditional styles).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        ParseError,
        KeyError,
        ValueError,
        OSError,
        EOFError,
    ) as exc:  # fmt: skip  (defusedxml's refusal of entities is a ValueError)
        reason = str(exc) or type(exc).__name__
        raise SpreadsheetError("import-file-unreadable", reason=reason) from exc
    epoch = dt.datetime(1904, 1, 1) if workbook.epoch.year == 1904 else dt.datetime(1899, 12, 30)
    sheets = []
    for ws in workbook.worksheets:
        rows = _real_rows(ws)
        for merged in ws.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        sheet = Sheet(ws.title, display, _clean(rows), ws.title, epoch, ws.sheet_state != "visible")
        sheets.append(sheet)
    workbook.close()
    return sheets


def _read_csv(path: Path, display: str) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SpreadsheetError("import-file-unreadable", reason=reason) from exc
    # Excel and WPS on Chinese Windows save "CSV" in GBK unless told to use UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError("import-file-unreadable", reason="不是 UTF-8 或 GBK 编码的文本")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[list[object]] = [
        [value if value.strip() else None for value in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return Sheet(path.stem, display, _clean(rows))


def _clean(rows: list[list[object]]) -> list[list[object]]:
    """Blank text becomes None; trailing empty rows go (formatting often reaches row 1000)."""
    cleaned = [[None if isinstance(v, str) and not v.strip() else v for v in row] for row in rows]
    while cleaned and all(v is None for v in cleaned[-1]):
        cleaned.pop()
    return cleaned


MAX_CELLS = 2_000_000  # rows x columns a ledger sheet may span (a county's ledger is far less)


def _real_rows(ws) -> list[list[object]]:
    """The sheet's values, bounded by its cells that hold something: one stray cell at
    XFD1048576 must not make a grid of 17 billion cells."""
    filled = [key for key, cell in ws._cells.items() if cell.value is not None]
    merged = [(r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    rows = max((r for r, _ in filled + merged), default=0)
    cols = max((c for _, c in filled + merged), default=0)
    if rows * cols > MAX_CELLS:
        far = max(filled, key=lambda key: key[0] * key[1])
        from openpyxl.utils import get_column_letter

        raise SpreadsheetError(
            "import-file-unreadable",
            reason=(
                f"工作表“{ws.title}”的内容一直延伸到 {get_column_letter(far[1])}{far[0]}，"
                "超出台账表格的大小——请删除远处多余的单元格",
                f"sheet “{ws.title}” reaches {get_column_letter(far[1])}{far[0]}, "
                "beyond any ledger - delete the stray far-away cells",
            ),
        )
    grid: list[list[object]] = [[None] * cols for _ in range(rows)]
    for r, c in filled:
        grid[r - 1][c - 1] = ws._cells[(r, c)].value
    return grid
