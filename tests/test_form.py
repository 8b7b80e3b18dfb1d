"""sitegen form: the superior's form template filled from the figures, re-read with openpyxl
and opened by LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import PatternFill

from generator.diagnostics import Report
from generator.form.fill import Entry, FormFigures, fill
from generator.load.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "site_config" / "form-template.xlsx"


def sitegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), *args],
        capture_output=True, text=True, timeout=600, cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("form") / "报表.xlsx"
    done = sitegen("form", str(TEMPLATE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def metrics(tmp_path_factory) -> dict:
    from generator.compute.figures import compute_site
    from generator.load.loader import load_ledger

    report = Report()
    settings = load_settings(ROOT / "site_config", report)
    ledger = load_ledger(ROOT / "data", report)
    sm = compute_site(ledger, settings, dt.date(2026, 11, 27))
    return {"overall": sm.overall, **sm.counties}


def test_the_sample_form_filled(filled, metrics):
    book = load_workbook(filled)
    ws = book["报表"]
    jixian, puxian, o = metrics["jixian"], metrics["puxian"], metrics["overall"]
    # one row per county in site order, numbered; rates as fractions in a percentage format
    assert [c.value for c in ws[4]][:4] == [
        1,
        "集贤县",
        jixian["orgs_total"],
        jixian["party_orgs_total"],
    ]
    assert [c.value for c in ws[5]][:4] == [
        2,
        "蒲县",
        puxian["orgs_total"],
        puxian["party_orgs_total"],
    ]
    assert ws["E5"].value == puxian["org_coverage_rate"] and ws["E5"].number_format == "0.0%"
    assert ws["H5"].value == puxian["outputs"]["people_checked"]
    # the total row moved down, its sums now over both counties; the overall rates filled in
    assert ws["A6"].value == "合计" and ws["C6"].value == "=SUM(C4:C5)"
    assert ws["G6"].value == "=SUM(G4:G5)" and ws["E6"].value == o["org_coverage_rate"]
    assert ws["E6"].number_format == "0.0%" and ws["C6"].number_format == "#,##0"
    # text with placeholders inside, a formula citing a figure, the other sheet's reference
    assert (
        ws["A7"].value
        == f"全部在册组织：{o['orgs_total']} 个，组织覆盖率 {o['org_coverage_rate'] * 100:.1f}%。"
    )
    assert ws["C8"].value == f"=SUM(C4:C5)-{o['orgs_total']}"
    assert book["说明"]["B2"].value == "=报表!C6"
    # merged cells, row heights and the print area moved with their rows; the title kept
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:H1", "A2:H2", "A6:B6", "A7:H7", "A8:B8"}
    assert ws.row_dimensions[1].height == 32 and ws.row_dimensions[6].height == 22
    assert ws.row_dimensions[5].height == ws.row_dimensions[4].height == 20
    assert ws.print_area == "'报表'!$A$1:$H$8"
    assert ws["A2"].value.startswith("数据截至：") and "{{" not in ws["A2"].value
    assert ws["A1"].font.bold and ws["A3"].border.left.style == "thin"


def test_same_data_same_bytes(filled, tmp_path):
    again = tmp_path / "again.xlsx"
    assert sitegen("form", str(TEMPLATE), "--out", str(again)).returncode == 0
    assert again.read_bytes() == filled.read_bytes()


def figures(rows: int) -> FormFigures:
    settings = load_settings(ROOT / "site_config", Report())
    entries = [
        Entry(f"c{i}", f"{i}号县", {"orgs_total": 10 * i, "org_coverage_rate": i / 10,
                                    "outputs": {"people_checked": i}})
        for i in range(1, rows + 1)
    ]  # fmt: skip
    overall = Entry("overall", "合计", {"orgs_total": 60, "org_coverage_rate": 0.5, "outputs": {}})
    return FormFigures(overall, {e.id: e for e in entries}, entries, dt.date(2026, 11, 27),
                       "abc1234", settings.codes)  # fmt: skip


def test_three_rows_with_their_formulas_and_what_is_below(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "表"
    ws.append(["名称", "组织", "覆盖率", "每组织比对"])
    ws.append(["{{ row.name }}", "{{ row.orgs_total }}", "{{ row.org_coverage_rate }}", "=D2"])
    ws["E2"] = "=B2*C2"  # a formula of the repeated row: follows its row
    ws["A3"] = "合计"
    ws["B3"] = "=SUM(B2:B2)"
    ws["B4"] = "=B3+B$2+$B$3"  # below: absolute or not, points at the same cells
    ws["B1"] = "=COUNT(B2:B2)"  # above the row, over it: grows
    ws.merge_cells("C3:D3")
    ws.row_dimensions[4].height = 40
    fill(book, figures(3), "t.xlsx", report := Report())
    assert report.diagnostics == []
    assert [ws.cell(r, 1).value for r in range(2, 5)] == ["1号县", "2号县", "3号县"]
    assert [ws.cell(r, 5).value for r in range(2, 5)] == ["=B2*C2", "=B3*C3", "=B4*C4"]
    assert ws["A5"].value == "合计" and ws["B5"].value == "=SUM(B2:B4)"
    assert ws["B6"].value == "=B5+B$2+$B$5" and ws["B1"].value == "=COUNT(B2:B4)"
    assert {str(r) for r in ws.merged_cells.ranges} == {"C5:D5"}
    assert ws.row_dimensions[6].height == 40


def conditional_template() -> Workbook:
    """A form whose rates turn red below target, with a total row flagged by a formula."""
    book = Workbook()
    ws = book.active
    ws.title = "表"
    ws.append(["名称", "组织", "覆盖率"])
    ws.append(["{{ row.name }}", "{{ row.orgs_total }}", "{{ row.org_coverage_rate }}"])
    ws.append(["合计", "=SUM(B2:B2)", "{{ overall.org_coverage_rate }}"])
    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    ws.conditional_formatting.add("C2", CellIsRule(operator="lessThan", formula=["0.25"], fill=red))
    ws.conditional_formatting.add("B3", FormulaRule(formula=["$B3>50"], fill=red))  # below
    ws.conditional_formatting.add("B2", FormulaRule(formula=["B2>$B$3/2"], fill=red))
    book.create_sheet("说明").conditional_formatting.add(
        "A1", FormulaRule(formula=["表!$B$3>0"], fill=red)
    )
    return book


def test_conditional_formats_reach_the_copies_and_move_with_what_is_below():
    book = conditional_template()
    fill(book, figures(3), "t.xlsx", report := Report())
    assert report.diagnostics == []
    ws = book["表"]
    formats = {str(f.sqref): [r.formula for r in f.rules] for f in ws.conditional_formatting}
    assert formats == {"C2:C4": [["0.25"]], "B5": [["$B5>50"]], "B2:B4": [["B2>$B$5/2"]]}
    [notes] = [[r.formula for r in f.rules] for f in book["说明"].conditional_formatting]
    assert notes == [["表!$B$5>0"]]


def test_libreoffice_applies_the_moved_conditional_formats(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is needed")
    book = conditional_template()
    fill(book, figures(3), "t.xlsx", Report())
    book.save(tmp_path / "t.xlsx")
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "fods", "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "t.fods").is_file(), done.stderr
    saved = (tmp_path / "t.fods").read_text(encoding="utf-8")
    # LibreOffice read each format over its area and rule, and kept it when it saved
    ranges = re.findall(r'calcext:target-range-address="([^"]+)"', saved)
    assert sorted(r.replace("$", "").replace("'", "") for r in ranges) == [
        "表.B2:表.B4",
        "表.B5:表.B5",
        "表.C2:表.C4",
        "说明.A1:说明.A1",
    ]
    conditions = re.findall(r'calcext:value="([^"]+)"', saved)
    assert conditions == [
        "&lt;0.25",
        "formula-is([.$B5]&gt;50)",
        "formula-is([.B2]&gt;[.$B$5]/2)",
        "formula-is([$表.$B$5]&gt;0)",
    ]


def test_unknown_metrics_counties_and_code_are_errors_naming_the_cell():
    book = Workbook()
    ws = book.active
    ws.title = "报表"
    ws["A1"] = "{{ overall.orgs_totl }}"
    ws["B2"] = "合计：{{ nowhere.orgs_total }}"
    ws["C3"] = "{{ row.outputs.no_such }}"
    ws["D4"] = "{{ overall.orgs_total | int }}"
    ws["E5"] = "{% for x in y %}"
    fill(book, figures(2), "上级报表.xlsx", report := Report())
    found = {(str(d.location), d.code) for d in report.errors}
    assert found == {
        ("上级报表.xlsx 报表!A1", "form-unknown-metric"),
        ("上级报表.xlsx 报表!B2", "form-unknown-area"),
        ("上级报表.xlsx 报表!C3", "case-figure-code"),
        ("上级报表.xlsx 报表!C4", "case-figure-code"),  # the row repeats: each copy is named
        ("上级报表.xlsx 报表!D5", "form-placeholder-syntax"),
        ("上级报表.xlsx 报表!E6", "form-placeholder-syntax"),
    }
    text = {d.location.path[-2:]: d.format() for d in report.errors}
    assert "orgs_total" in text["A1"]  # did you mean
    assert "c1" in text["B2"]


def test_the_command_refuses_a_bad_template(tmp_path):
    book = Workbook()
    book.active.title = "报表"
    book.active["B3"] = "{{ puxain.orgs_total }}"
    template = tmp_path / "模板.xlsx"
    book.save(template)
    done = sitegen("form", str(template), "--out", str(tmp_path / "out.xlsx"))
    assert done.returncode == 1
    assert "模板.xlsx 报表!B3: form-unknown-area" in done.stderr and "puxian" in done.stderr
    assert not (tmp_path / "out.xlsx").exists()
    (tmp_path / "not.xlsx").write_text("不是工作簿", encoding="utf-8")
    done = sitegen("form", str(tmp_path / "not.xlsx"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "not.xlsx" in done.stderr


def test_libreoffice_opens_and_computes_it(filled, metrics, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is needed")
    # cells as shown (formats applied), formulas computed by LibreOffice
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", csv_filter, "--outdir", str(tmp_path), str(filled)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sheets = {
        p.stem.split("-", 1)[1]: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv")
    }
    assert sheets, f"LibreOffice read no workbook (is Calc installed?): {done.stderr}"
    rows = [line.split(",") for line in sheets["报表"].splitlines()]
    o, puxian = metrics["overall"], metrics["puxian"]
    assert rows[4][:3] == ["2", "蒲县", str(puxian["orgs_total"])]
    assert rows[4][4] == f"{puxian['org_coverage_rate'] * 100:.1f}%"  # 76.0%
    assert rows[5][2] == str(o["orgs_total"])  # =SUM(C4:C5), computed
    assert rows[7][2] == "0"  # the check formula: counties' sum less the total
    assert f"合计在册组织,{o['orgs_total']}" in sheets["说明"]
