"""``sitegen export --xlsx``: the ledger back to a workbook, and that workbook back to records."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.diagnostics import Report
from generator.kinds import KINDS
from generator.load.loader import load_ledger

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(ROOT), "--lang", "zh", *args])


def ledger(folder: Path):
    report = Report()
    loaded = load_ledger(folder, report)
    assert not report.errors, [d.format() for d in report.errors]
    return loaded


def test_one_sheet_per_kind_with_chinese_headers(data: Path):
    done = sitegen("export", "--county", "puxian", "--xlsx", "puxian.xlsx", "--data", "data")

    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("已导出 网格 6 条、组织（一企一档） 103 条、党组织 50 条")
    book = openpyxl.load_workbook("puxian.xlsx")
    assert book.sheetnames == ["网格", "组织", "党组织", "活动", "诉求", "党群服务中心", "说明"]
    orgs = book["组织"]
    assert [c.value for c in orgs[1]] == [
        "编号",
        "名称",
        "类别",
        "行业",
        "所属网格编号",
        "经营状态",
        "从业人员数",
        "党员数",
        "实地核查日期",
        "选派党建工作指导员数",
        "“六清”已摸清项",
    ]
    assert orgs.max_row == 1 + 103
    row = {c.value: v.value for c, v in zip(orgs[1], orgs[2], strict=True)}
    assert row["类别"] in ("新经济组织", "新社会组织")  # labels, not codes
    activities = book["活动"]
    headers = [c.value for c in activities[1]]
    assert "收集需求(项)" in headers and "说明" in headers  # one column per output code
    dates = [r[1] for r in activities.iter_rows(min_row=2)]
    assert all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in dates)


def test_importing_an_export_into_an_empty_county_reproduces_every_record(data: Path):
    assert (
        sitegen("export", "--county", "jixian", "--xlsx", "jx.xlsx", "--data", "data").exit_code
        == 0
    )
    original = ledger(data).county("jixian")
    for folder in (data / "jixian").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)

    done = sitegen("import", "jx.xlsx", "--county", "jixian", "--data", "data")

    assert done.exit_code == 0, done.output
    assert "已写入 202 个文件。" in done.stdout
    rebuilt = ledger(data).county("jixian")
    for kind in KINDS:
        assert rebuilt.records(kind) == original.records(kind), kind


def test_importing_an_export_over_its_ledger_changes_nothing(data: Path):
    before = {p: p.read_bytes() for p in sorted(data.rglob("*.yaml"))}
    for county in ("puxian", "jixian"):
        assert (
            sitegen("export", "--county", county, "--xlsx", "x.xlsx", "--data", "data").exit_code
            == 0
        )

        done = sitegen("import", "x.xlsx", "--county", county, "--data", "data")

        assert done.exit_code == 0, done.output
        assert "修改 0 条" in done.stdout and "新增 0 条" in done.stdout
        assert "已写入 0 个文件。" in done.stdout
    assert {p: p.read_bytes() for p in sorted(data.rglob("*.yaml"))} == before


def test_an_edited_export_changes_only_the_edited_records(data: Path):
    sitegen("export", "--county", "jixian", "--xlsx", "jx.xlsx", "--data", "data")
    book = openpyxl.load_workbook("jx.xlsx")
    needs = book["诉求"]
    headers = [c.value for c in needs[1]]
    needs.cell(2, headers.index("办理状态") + 1).value = "办理中"
    needs.cell(2, headers.index("解决日期") + 1).value = None
    need_id = needs.cell(2, 1).value
    book.save("jx.xlsx")

    done = sitegen("import", "jx.xlsx", "--county", "jixian", "--kind", "needs", "--data", "data")

    assert done.exit_code == 0, done.output
    assert "新增 0 条，修改 1 条，不变 42 条" in done.stdout
    assert "      status（办理状态）：resolved -> in_progress" in done.stdout
    need = ledger(data).county("jixian").needs[need_id]
    assert (need.status, need.resolved_on) == ("in_progress", None)


def test_several_counties_need_county(data: Path):
    done = sitegen("export", "--xlsx", "x.xlsx", "--data", "data")
    assert done.exit_code == 2
    assert "请用 --county 指定县：jixian、puxian" in done.stderr
    assert not Path("x.xlsx").exists()
