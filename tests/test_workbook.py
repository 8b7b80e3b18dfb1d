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
