"""The .xlsx writer: the same sheets give the same bytes, whenever they are written."""

from __future__ import annotations

import datetime as dt
import io
import time

import openpyxl

from generator.render.workbook import Column, Sheet, workbook_bytes

SHEETS = [
    Sheet(
        "各县",
        [Column("县", "county_name", "text"), Column("组织覆盖率", "org_coverage_rate", "rate")],
        [["蒲县", 0.76], ["集贤县", None]],
    )
]
STAMP = dt.datetime(2025, 10, 31)


def test_same_sheets_give_the_same_bytes_at_any_time(monkeypatch):
    first = workbook_bytes(SHEETS, STAMP)
    later = time.time() + 86_400 * 3
    monkeypatch.setattr(time, "time", lambda: later)
    assert workbook_bytes(SHEETS, STAMP) == first
    assert workbook_bytes(SHEETS, STAMP + dt.timedelta(days=1)) != first


def test_rates_are_percentages_and_missing_values_empty_cells():
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(SHEETS, STAMP)))
    sheet = workbook["各县"]
    assert sheet["B2"].value == 0.76 and sheet["B2"].number_format == "0.0%"
    assert sheet["B3"].value is None
    assert sheet.freeze_panes == "B2"
    assert workbook.properties.modified == STAMP


def test_every_cell_reads_back_as_written_text_as_text():
    """The data rows are written as sheet XML by the tool (openpyxl makes the rest): what a
    reader opens is what the sheet holds, cell by cell, however odd the text."""
    odd = ["=1+1", " 前后有空格 ", 'A&B <c> "d"', "tab\there", "bell\x07gone", "", "-1", "a\r\nb"]
    columns = [Column("名称", "name", "text"), Column("个数", "n", "count"),
               Column("比例", "r", "rate"), Column("均值", "m", "decimal")]  # fmt: skip
    rows = [[text, n, n / 7 if n else None, n * 1.25] for n, text in enumerate(odd)]
    sheets = [Sheet("检查", columns, rows, frozen=2), Sheet("空表", columns, [])]
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(sheets, STAMP)))
    sheet = workbook["检查"]
    assert sheet.max_row == len(rows) + 1 and sheet.dimensions == "A1:D9"
    assert sheet.auto_filter.ref == "A1:D9" and sheet.freeze_panes == "C2"
    for number, (text, n, rate, mean) in enumerate(rows, 2):
        cells = sheet[number]
        expected = text.replace("\x07", "") or None  # a control character is dropped
        assert cells[0].value == expected, number
        assert cells[0].data_type == "s" or expected is None, number  # "" is an empty cell
        assert (cells[1].value, cells[1].number_format) == (n, "#,##0")
        # 16 significant digits, as openpyxl writes a number
        assert cells[2].value == (float(f"{rate:.16g}") if rate else None)
        assert cells[2].number_format == "0.0%"
        assert (cells[3].value, cells[3].number_format) == (mean, "0.0")
    assert [c.value for c in sheet[1]] == ["名称", "个数", "比例", "均值"] and sheet["A1"].font.b
    assert workbook["空表"].max_row == 1
