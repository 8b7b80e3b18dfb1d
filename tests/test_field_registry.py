"""The field registry: a field declared once on its model reaches every part that reads fields.

A throwaway model adds two optional fields to the organization ledger, each declared in one
place (a ``field(...)`` line), and the test shows that the JSON Schema, the spreadsheet import
and export, the scaffolded file, the loader and the ledger checks all pick them up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.diagnostics import Report
from generator.entry.columns import field_specs
from generator.entry.scaffold import record_text
from generator.entry.schema import schema_files
from generator.fields import dated_fields, field, references
from generator.kinds import BY_NAME, FOLDERS, KIND_LABELS, KINDS, TABLE, import_order
from generator.load.config import CodeLists
from generator.load.loader import load_ledger
from generator.models import Org
from generator.values import Id, IsoDate

ROOT = Path(__file__).resolve().parents[1]


class OrgWithHall(Org):
    """组织台账（一企一档、一社一册）。"""

    hall: Id | None = field(
        None,
        title="联系阵地编号",
        description="常去的党群服务中心",
        ref="service_center",
        headers=("联系阵地", "所属阵地"),
    )
    rechecked_on: IsoDate | None = field(
        None, title="复核日期", dated="checked", headers=("复核时间",)
    )


@pytest.fixture
def hall_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KINDS, "org", OrgWithHall)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {
        "county.yaml": "name: 蒲县\n",
        "service_centers/center-a.yaml": "name: 城东党群服务中心\n",
        "orgs/shunda.yaml": (
            "name: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\nhall: center-a\n"
        ),
    }
    for name, text in files.items():
        path = tmp_path / "data" / "px" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(ROOT), "--lang", "zh", *args])


def test_the_json_schema_describes_a_new_field(hall_field):
    record = schema_files(CodeLists())["org.schema.json"]["definitions"]["record"]
    assert record["properties"]["hall"]["description"] == "联系阵地编号（hall）：常去的党群服务中心"
    assert record["properties"]["rechecked_on"]["anyOf"][0]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"
    assert "hall" not in record.get("required", [])


def test_a_new_file_explains_a_new_field(hall_field):
    text = record_text("org", OrgWithHall, {"name": "x"}, CodeLists())
    assert (
        "# 联系阵地编号（hall）：常去的党群服务中心。填写本县党群服务中心的编号\n# hall:\n" in text
    )


def test_the_loader_and_the_checks_read_a_new_field(hall_field, project):
    (project / "data/px/orgs/other.yaml").write_text(
        "name: 另一家\nkind: social\nindustry: other\nhall: center-b\nrechecked_on: 2031-01-01\n",
        encoding="utf-8",
    )
    done = sitegen("validate", "--data", "data")
    assert done.exit_code == 1, done.output
    assert (
        "data/px/orgs/other.yaml:4:7: unknown-reference: 党群服务中心编号 “center-b” 不存在"
        in done.output
    )
    assert "data/px/orgs/other.yaml:5:15: date-in-future: 警告：日期 2031-01-01" in done.output


def test_export_and_import_carry_a_new_field(hall_field, project):
    report = Report()
    assert load_ledger(project / "data", report).county("px").orgs["shunda"].hall == "center-a"
    done = sitegen("export", "--county", "px", "--xlsx", "px.xlsx", "--data", "data")
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(project / "px.xlsx")["组织"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("联系阵地编号") + 1).value == "center-a"

    book = openpyxl.Workbook()
    book.active.title = "组织"
    book.active.append(["企业名称", "类别", "行业", "所属阵地", "复核时间"])
    book.active.append(["蒲县新店", "新经济组织", "快递物流", "center-a", dt.date(2025, 7, 1)])
    book.save(project / "new.xlsx")
    done = sitegen("import", "new.xlsx", "--county", "px", "--data", "data")
    assert done.exit_code == 0, done.output
    org = next(
        o
        for o in load_ledger(project / "data", Report()).county("px").orgs.values()
        if o.name == "蒲县新店"
    )
    assert (org.hall, org.rechecked_on) == ("center-a", dt.date(2025, 7, 1))


def test_a_new_field_has_its_column(hall_field):
    specs = {s.name: s for s in field_specs("org", CodeLists())}
    assert (specs["hall"].shape, specs["hall"].target) == ("ref", "service_center")
    assert specs["rechecked_on"].shape == "date"


def test_the_kinds_table_names_every_kind_once():
    assert [k.name for k in TABLE] == list(KINDS) == list(FOLDERS)
    assert set(KIND_LABELS) == {"county", *KINDS}
    assert len({k.folder for k in TABLE}) == len({k.sheet for k in TABLE}) == len(TABLE)
    for kind in TABLE:
        assert set(kind.key) <= set(kind.model.model_fields), kind.name
        for target in references(kind.model).values():
            assert import_order().index(target) < import_order().index(kind.name)
    assert import_order() == ("service_center", "grid", "org", "party_org", "activity", "need")
    assert BY_NAME["need"].key[0] in dated_fields(BY_NAME["need"].model)


def _standard_rows() -> dict[str, tuple[str, str]]:
    """Kind -> (required, optional) cells of the kinds table in DATA-STANDARD.md."""
    rows = {}
    for line in (ROOT / "DATA-STANDARD.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].split(" ")[0] in {"county", *KINDS}:
            rows[cells[0].split(" ")[0]] = (cells[1], cells[2])
    return rows


def _top_level_names(cell: str) -> set[str]:
    """Backticked names outside brackets: `a` (`x`, `y`), `b` {`c`} -> {a, b}."""
    depth, names, i = 0, set(), 0
    while i < len(cell):
        char = cell[i]
        depth += char in "({"
        depth -= char in ")}"
        if char == "`":
            end = cell.index("`", i + 1)
            if depth == 0:
                names.add(cell[i + 1 : end])
            i = end
        i += 1
    return names


@pytest.mark.parametrize("kind", ["county", *KINDS])
def test_data_standard_lists_every_field_of_the_registry(kind):
    from generator.models import County

    model = County if kind == "county" else KINDS[kind]
    required, optional = _standard_rows()[kind]
    fields_ = model.model_fields
    assert _top_level_names(required) == {n for n, f in fields_.items() if f.is_required()} - {"id"}
    documented = _top_level_names(optional) - ({"id"} if kind == "county" else set())
    assert documented == {n for n, f in fields_.items() if not f.is_required()}
