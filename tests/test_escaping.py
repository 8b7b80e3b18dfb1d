"""Hostile text in the ledger is shown as typed, never run: HTML, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

COUNTY = '<script>alert("county")</script>县'
GRID = "=1+2 *网格*|一 [点我](javascript:alert(1))"
ORG = "<img src=x onerror=alert(1)>公司"
NEED = "</td><script>alert(2)</script>诉求"
FORMULA_NEED = "=SUM(A1:A9)诉求"
ACTIVITY = "<script>alert(3)</script>宣讲 A&B | C &amp; *D*"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    county = base / "data" / "evil"
    for folder in ("grids", "orgs", "needs", "activities"):
        (county / folder).mkdir(parents=True)
    (county / "county.yaml").write_text(f"name: '{COUNTY}'\n", encoding="utf-8")
    (county / "grids" / "g1.yaml").write_text(f"name: '{GRID}'\n", encoding="utf-8")
    (county / "orgs" / "o1.yaml").write_text(
        f"name: '{ORG}'\nkind: economic\nindustry: internet\ngrid: g1\nvisited_on: 2025-09-01\n",
        encoding="utf-8",
    )
    (county / "needs" / "n1.yaml").write_text(
        f"raised_on: 2025-05-01\nsummary: '{NEED}'\nstatus: open\ngrid: g1\n", encoding="utf-8"
    )
    (county / "needs" / "n2.yaml").write_text(
        f"raised_on: 2025-05-02\nsummary: '{FORMULA_NEED}'\nstatus: open\n", encoding="utf-8"
    )
    (county / "activities" / "a1.yaml").write_text(
        f"date: 2025-06-01\ntype: policy_outreach\ntitle: '{ACTIVITY}'\ngrid: g1\n",
        encoding="utf-8",
    )
    out = base / "site"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "build"]
        + ["--data", str(base / "data"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out


def all_html(site: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_data_string_becomes_markup(hostile_site):
    html = all_html(hostile_site)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html.lower()
    assert "</td><script>" not in html


def test_data_strings_are_shown_as_typed(hostile_site):
    grid_page = (hostile_site / "counties" / "evil" / "grids" / "g1" / "index.html").read_text(
        encoding="utf-8"
    )
    text = visible_text(grid_page)
    for typed in (ORG, NEED, "*网格*|一", "[点我](javascript:alert(1))"):
        assert typed in text, typed
    county_page = (hostile_site / "counties" / "evil" / "index.html").read_text(encoding="utf-8")
    assert COUNTY in visible_text(county_page)


def test_csv_neutralizes_formulas(hostile_site):
    text = (hostile_site / "downloads" / "grids.csv").read_text(encoding="utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["grid_name"] == "'" + GRID
    assert row["county_name"] == COUNTY


def test_json_keeps_the_exact_strings(hostile_site):
    data = json.loads((hostile_site / "downloads" / "metrics.json").read_text(encoding="utf-8"))
    assert data["counties"][0]["name"] == COUNTY
    assert data["counties"][0]["grids"][0]["name"] == GRID


def test_xlsx_keeps_formula_looking_names_as_text(hostile_site):
    import zipfile

    import openpyxl

    path = hostile_site / "downloads" / "figures.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)  # no formula anywhere
    grid = openpyxl.load_workbook(path)["网格"]
    assert [grid.cell(2, 1).value, grid.cell(2, 2).value] == [COUNTY, GRID]
    assert grid.cell(2, 2).data_type == "s"


def test_ledger_and_followups_pages_show_names_as_typed(hostile_site):
    county = hostile_site / "counties" / "evil"
    ledger = visible_text((county / "orgs" / "index.html").read_text(encoding="utf-8"))
    assert ORG in ledger and "*网格*|一" in ledger
    followups = visible_text((county / "followups" / "index.html").read_text(encoding="utf-8"))
    for typed in (ORG, NEED, FORMULA_NEED, "data/evil/orgs/o1.yaml:1"):
        assert typed in followups, typed


def test_followups_csv_and_sheet_neutralize_formulas(hostile_site):
    import openpyxl

    text = (hostile_site / "downloads" / "followups.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["name"] for r in rows if r["kind"] == "need"} == {NEED, "'" + FORMULA_NEED}
    assert ORG in {r["name"] for r in rows}
    sheet = openpyxl.load_workbook(hostile_site / "downloads" / "figures.xlsx")["台账体检"]
    names = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert FORMULA_NEED in names  # text cells: shown as typed, never run (no <f> above)


def test_html_tables_escape_each_data_string_once(hostile_site):
    """The big tables are HTML from the templates (not Markdown tables): a data string lands
    HTML-escaped in its cell, once, with no Markdown escapes (no backslash before | or *)."""
    county = hostile_site / "counties" / "evil"
    activity = "<td>&lt;script&gt;alert(3)&lt;/script&gt;宣讲 A&amp;B | C &amp;amp; *D*</td>"
    for page in (county / "activities", county / "grids" / "g1", county):
        assert activity in (page / "index.html").read_text(encoding="utf-8"), page
    ledger = (county / "orgs" / "index.html").read_text(encoding="utf-8")
    assert '<td><span id="org-o1"></span>&lt;img src=x onerror=alert(1)&gt;公司</td>' in ledger
    grid_link = '<a href="../grids/g1/">=1+2 *网格*|一 [点我](javascript:alert(1))</a>'
    assert grid_link in ledger
    needs = (county / "index.html").read_text(encoding="utf-8")
    assert "<td>&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;诉求</td>" in needs
    followups = (county / "followups" / "index.html").read_text(encoding="utf-8")
    assert "<td>&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;诉求</td>" in followups
