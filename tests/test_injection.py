"""Issue 15, item 9: what clerks open never runs what the data says: formula-looking text in
the exported workbook stays text, and file names cannot forge CI workflow commands."""

from __future__ import annotations

import pytest

from generator.cli.ci_formats import github_annotation
from generator.diagnostics import Diagnostic, Location


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
)
def test_formula_looking_text_is_exported_as_text(name, tmp_path):
    import openpyxl

    from generator.entry.exporter import as_text

    book = openpyxl.Workbook()
    book.active.append([name])
    as_text(book.active["A1"])
    book.save(tmp_path / "a.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "a.xlsx").active["A1"]
    assert (cell.value, cell.data_type) == (name, "s")
    xml = __import__("zipfile").ZipFile(tmp_path / "a.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml


@pytest.mark.parametrize(
    "path",
    [
        "data/px/orgs/a\n::error file=x::forged.yaml",
        "data/px/orgs/a\r\n::warning::x.yaml",
        "data/px/orgs/a,line=1::x.yaml",
        "data/px/orgs/100%0A::error::x.yaml",
    ],
)
def test_file_names_cannot_forge_workflow_commands(path):
    line = github_annotation(Diagnostic(Location(path, 1, 1), "file-empty"), "zh")
    assert "\n" not in line and "\r" not in line
    command, place, _ = line.split("::", 2)[0], *line.split("::", 2)[1:]
    assert command == "" and place.startswith("error file=")
    assert place.count(",") == 2 and "::" not in place  # only ,line= and ,col= of its own
