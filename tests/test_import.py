"""``sitegen import``: the spreadsheets clerks keep, read into record files.

Every workbook here is made by the test with openpyxl, the way clerks' sheets look: a title row
merged across the top, a group header over the real one, Chinese headers and synonyms, dates as
Excel dates, serial numbers and 2025年6月12日 text, numbers stored as text, a merged grid cell,
a totals row, trailing empty rows — and rows with mistakes, which must all be reported at once
with their ``sheet!cell`` and nothing written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.diagnostics import Report
from generator.load.loader import load_ledger

ROOT = Path(__file__).resolve().parents[1]

COUNTY = {
    "county.yaml": "name: 蒲县\n",
    "grids/zone-east.yaml": "name: 城东片区\n",
    "grids/zone-west.yaml": "name: 城西片区\n",
    "orgs/express-shunda.yaml": (
        "# 一企一档\nname: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\n"
        "grid: zone-east\nemployees: 12\nparty_members: 2\n"
    ),
    "orgs/social-aixin.yaml": "name: 蒲县爱心协会\nkind: social\nindustry: social_services\n",
    "activities/2025-06.yaml": (
        "# 六月的活动\n"
        "- id: 2025-06-12-visit\n  date: 2025-06-12\n  type: field_visit\n  title: 城东走访\n"
        "  orgs: [express-shunda]\n  participants: 4\n"
        "\n# 下面是宣讲\n"
        "- id: 2025-06-20-lecture\n  date: 2025-06-20\n  type: theory_lecture\n  title: 理论宣讲\n"
    ),
    "needs/2025-06.yaml": (
        "- id: need-001\n  raised_on: 2025-06-12\n  summary: 门前停车难\n  status: open\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with one small county ``px``; the working folder, so paths print short."""
    for name, text in COUNTY.items():
        path = tmp_path / "data" / "px" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(ROOT), "--lang", "zh", *args])


def import_(*args: str) -> Result:
    return sitegen("import", *args, "--county", "px", "--data", "data")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.yaml"))
    }


def loaded(folder: Path):
    report = Report()
    ledger = load_ledger(folder, report)
    assert not report.errors, [d.format() for d in report.errors]
    return ledger.county("px")


def clerk_workbook(path: Path, rows: list[list[object]]) -> Path:
    """A 台账 sheet as clerks keep it: title row, group header, header row, data, junk below."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet["A1"] = "蒲县新兴领域组织台账（2025年6月）"
    sheet.merge_cells("A1:J1")
    sheet.append(
        ["序号", "基本情况", None, None, None, "党建情况", None, None, "走访日期", "联系电话"]
    )
    for cells in ("B2:E2", "F2:H2", "A2:A3", "I2:I3", "J2:J3"):
        sheet.merge_cells(cells)
    headers = ["企业名称", "类别", "行业", "所属网格", "党员人数", "从业人数", "六清"]
    for column, header in zip("BCDEFGH", headers, strict=True):
        sheet[f"{column}3"] = header
    for row in rows:
        sheet.append(row)
    for _ in range(6):  # formatted but empty rows, as Excel leaves them
        sheet.append([None] * 10)
    workbook.create_sheet("Sheet2")  # the empty default sheet
    workbook.save(path)
    return path


GOOD_ROWS = [
    [
        1,
        "蒲县新开快递",
        "新经济组织",
        "快递物流",
        "zone-east",
        "2",
        "12",
        "经营运行清、职工队伍清",
        dt.datetime(2025, 6, 12),
        "13912345678",
    ],
    [2, "蒲县鑫源外卖站", "新经济组织", "外卖配送", None, 3, 20.0, None, 45820, None],
    [
        3,
        "蒲县爱心助老协会",
        "新社会组织",
        "社会服务",
        "城西片区",
        "1",
        "5",
        None,
        "2025年6月12日",
        None,
    ],
    [None, "合计", None, None, None, 6, 37, None, None, None],
]
BAD_ROW = [
    4,
    "蒲县坏行",
    "经济",
    "卖菜",
    "zone-nowhere",
    "-1",
    "abc",
    "经营运行清，乱写",
    "2025年2月30日",
    None,
]


def test_awkward_sheet_imports_into_valid_record_files(project: Path):
    book = clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    sheet = openpyxl.load_workbook(book)["台账"]
    sheet.merge_cells("E4:E5")  # 所属网格 merged down over two rows
    sheet.parent.save(book)

    done = import_("台账.xlsx", "--kind", "orgs")

    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines() == [
        "台账.xlsx 台账!J3: import-unknown-column: 警告：“联系电话”列不是数据标准的字段，"
        "这一列没有导入——如果它对应某个字段，请在 --mapping 映射文件中写一行“联系电话: 字段名”",
        "台账.xlsx 台账!B7: import-total-row: 警告：这是合计行，没有导入",
    ]
    assert "新增 3 条，修改 0 条，不变 0 条；表中没有的 2 条现有记录保持不变。" in done.stdout
    assert "已写入 3 个文件。" in done.stdout
    orgs = {org.name: org for org in loaded(project / "data").orgs.values()}
    new = orgs["蒲县新开快递"]
    assert (new.kind, new.industry, new.grid) == ("economic", "express_logistics", "zone-east")
    assert (new.party_members, new.employees) == (2, 12)  # numbers stored as text
    assert new.six_clears == ["operations", "workforce"]
    assert new.visited_on == dt.date(2025, 6, 12)  # an Excel date
    assert orgs["蒲县鑫源外卖站"].visited_on == dt.date(2025, 6, 12)  # serial number 45820
    assert orgs["蒲县鑫源外卖站"].grid == "zone-east"  # from the merged cell above
    assert orgs["蒲县爱心助老协会"].visited_on == dt.date(2025, 6, 12)  # 2025年6月12日
    assert orgs["蒲县爱心助老协会"].grid == "zone-west"  # a grid named, not numbered
    assert "13912345678" not in "".join(snapshot(project / "data").values())


def test_every_bad_row_is_reported_with_its_cell_and_nothing_is_written(project: Path):
    clerk_workbook(project / "台账.xlsx", [*GOOD_ROWS[:2], BAD_ROW, BAD_ROW[:4] + [None] * 6])
    before = snapshot(project / "data")

    done = import_("台账.xlsx", "--kind", "orgs")

    assert done.exit_code == 1
    lines = done.stderr.splitlines()
    assert [line.split(": ")[0] + ": " + line.split(": ")[1] for line in lines[:-1]] == [
        "台账.xlsx 台账!J3: import-unknown-column",
        "台账.xlsx 台账!D6: unknown-code",
        "台账.xlsx 台账!F6: negative-count",
        "台账.xlsx 台账!G6: wrong-type",
        "台账.xlsx 台账!H6: invalid-choice",
        "台账.xlsx 台账!I6: import-impossible-date",
        "台账.xlsx 台账!B7: import-duplicate-row",
        "台账.xlsx 台账!D7: unknown-code",  # the repeated row's own mistake is said too
        "台账.xlsx 台账!E6: unknown-reference",  # a consequence-kind message comes last
    ]
    assert (
        lines[5]
        == "台账.xlsx 台账!I6: import-impossible-date: 日期 “2025年2月30日” 不存在——请检查年月日"
    )
    assert "这一行与第 6 行是同一条记录（编号 org-" in lines[6]
    assert lines[-1] == "发现 8 个错误、1 个警告。没有写入任何文件，请改正后重试。"
    assert snapshot(project / "data") == before


def test_reimporting_the_same_sheet_changes_nothing(project: Path):
    clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    assert import_("台账.xlsx", "--kind", "orgs").exit_code == 0
    after_first = snapshot(project / "data")

    again = import_("台账.xlsx", "--kind", "orgs")

    assert again.exit_code == 0
    assert "新增 0 条，修改 0 条，不变 3 条" in again.stdout
    assert "已写入 0 个文件。" in again.stdout
    assert snapshot(project / "data") == after_first


def test_a_row_without_id_matches_the_record_of_the_same_name(project: Path):
    """A hand-written record is found by its name: its file is updated, no duplicate is made."""
    rows = [[1, "蒲县顺达快递", "新经济组织", "快递物流", "zone-east", "2", "15", None, None, None]]
    clerk_workbook(project / "台账.xlsx", rows)

    done = import_("台账.xlsx", "--kind", "orgs")

    assert done.exit_code == 0, done.output
    assert "  ~ 修改 data/px/orgs/express-shunda.yaml  蒲县顺达快递" in done.stdout
    assert "      employees（从业人员数）：12 -> 15" in done.stdout
    text = (project / "data/px/orgs/express-shunda.yaml").read_text(encoding="utf-8")
    assert "employees: 15" in text and "party_members: 2" in text
    assert len(loaded(project / "data").orgs) == 2


def test_dry_run_shows_the_plan_and_writes_nothing(project: Path):
    rows = [[1, "蒲县顺达快递", "新经济组织", "快递物流", None, "2", "12", None, None, None]]
    clerk_workbook(project / "台账.xlsx", rows)
    before = snapshot(project / "data")

    done = import_("台账.xlsx", "--kind", "orgs", "--dry-run")

    assert done.exit_code == 0, done.output
    assert "      grid（所属网格编号）：zone-east -> （空）" in done.stdout
    assert "试运行（--dry-run）：没有写入任何文件。去掉 --dry-run 即可写入。" in done.stdout
    assert snapshot(project / "data") == before


def test_a_changed_record_in_a_list_file_is_replaced_in_place(project: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "活动"
    sheet.append(["编号", "日期", "活动类型", "标题", "参与人数", "收集需求"])
    sheet.append(["2025-06-20-lecture", "2025/6/20", "理论宣讲", "理论宣讲", "30", 2])
    sheet.append([None, dt.date(2025, 6, 25), "微党课", "微党课：快递小哥的一天", 12, None])
    workbook.save(project / "活动.xlsx")

    done = import_("活动.xlsx")  # the sheet's name says what it holds

    assert done.exit_code == 0, done.output
    text = (project / "data/px/activities/2025-06.yaml").read_text(encoding="utf-8")
    assert (
        text
        == COUNTY["activities/2025-06.yaml"]
        + "  participants: 30\n  outputs:\n    needs_collected: 2\n"
    )
    new = sorted((project / "data/px/activities").glob("2025-06-25-*.yaml"))
    assert len(new) == 1
    activities = loaded(project / "data").activities
    assert activities[new[0].stem].type == "micro_lesson"
    assert activities["2025-06-12-visit"].participants == 4


def test_cross_record_rules_are_checked_like_the_data(project: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["编号", "提出日期", "诉求内容", "办理状态", "办结日期"])
    sheet.append(["need-001", "2025-06-12", "门前停车难", "已解决", None])
    sheet.append([None, "2025-06-13", "路灯不亮", "办理中", "2025-06-14"])
    workbook.save(project / "诉求表.xlsx")

    done = import_("诉求表.xlsx", "--kind", "needs")

    assert done.exit_code == 1
    assert [line.split(": ")[:2] for line in done.stderr.splitlines()[:-1]] == [
        ["诉求表.xlsx Sheet!D2", "resolved-on-required"],
        ["诉求表.xlsx Sheet!E3", "resolved-on-not-allowed"],
    ]


def test_csv_in_gbk_with_a_mapping_file(project: Path):
    (project / "网格.csv").write_bytes(
        '片区名称,网格员数量,备注\n城南片区,3,\n城东片区,"2",新划\n'.encode("gb18030")
    )
    (project / "mapping.yaml").write_text(
        "# 表头: 字段\n片区名称: name\n网格员数量: workers\n备注:\n", encoding="utf-8"
    )

    done = import_("网格.csv", "--kind", "grids", "--mapping", "mapping.yaml")

    assert done.exit_code == 0, done.output
    assert done.stderr == ""  # 备注 is left out on purpose by the mapping
    grids = {g.name: g for g in loaded(project / "data").grids.values()}
    assert grids["城南片区"].workers == 3
    assert grids["城东片区"].workers == 2 and "zone-east" in loaded(project / "data").grids


def test_mapping_file_errors_are_located(project: Path):
    clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    (project / "mapping.yaml").write_text("企业名称: name\n联系电话: phone\n", encoding="utf-8")

    done = import_("台账.xlsx", "--kind", "orgs", "--mapping", "mapping.yaml")

    assert done.exit_code == 1
    assert done.stderr.splitlines()[0].startswith(
        "mapping.yaml:2:7: import-mapping-field: 映射文件中的字段 “phone” 不是组织（一企一档）的字段"
    )


def test_a_sheet_without_required_column_is_refused_once(project: Path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["名称", "党员数"])
    workbook.active.append(["蒲县新店", 1])
    workbook.active.append(["蒲县顺达快递", 3])  # exists: only its party_members change
    workbook.save(project / "orgs.xlsx")

    done = import_("orgs.xlsx", "--kind", "orgs")

    assert done.exit_code == 1
    assert [line.split(": ")[:2] for line in done.stderr.splitlines()[:-1]] == [
        ["orgs.xlsx Sheet!A1", "import-missing-column"],
        ["orgs.xlsx Sheet!A1", "import-missing-column"],
    ]
    assert "缺少必填列 “类别”（kind），有 1 行因此无法导入" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sheet", "没有这张表"], "表格里没有名为 “没有这张表” 的工作表——现有：台账、Sheet2"),
        ([], "工作表（台账、Sheet2）的名称看不出是哪类记录——请用 --kind 指定"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], message: str):
    clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    done = import_("台账.xlsx", *args)
    assert done.exit_code == 2
    assert message in done.stderr


def test_an_old_xls_file_is_refused_with_a_fix(project: Path):
    (project / "台账.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    done = import_("台账.xls", "--kind", "orgs")
    assert done.exit_code == 1
    assert done.stderr.startswith(
        "台账.xls: import-file-format: 不能读取 “.xls” 格式的表格——请在 Excel 或 WPS 中“另存为” .xlsx"
    )


def test_existing_errors_in_the_county_block_the_import(project: Path):
    (project / "data/px/orgs/broken.yaml").write_text(
        "name: 坏\nkind: economic\n", encoding="utf-8"
    )
    clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    done = import_("台账.xlsx", "--kind", "orgs")
    assert done.exit_code == 1
    assert "data/px/orgs/broken.yaml:1:1: missing-field" in done.stderr
    assert "data/px: entry-data-invalid: 县 “px” 的现有数据或网站配置有错误" in done.stderr


def test_the_real_command_line(project: Path):
    """``sitegen import`` as installed, in English."""
    import subprocess
    import sys

    clerk_workbook(project / "台账.xlsx", GOOD_ROWS)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--project",
            str(ROOT),
            "--lang",
            "en",
            "import",
            "台账.xlsx",
            "--county",
            "px",
            "--kind",
            "orgs",
            "--data",
            "data",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    assert "3 added, 0 changed, 0 unchanged; 2 existing record(s) not in the sheet are kept." in (
        done.stdout
    )


def test_csv_errors_name_the_file_and_cell(project: Path):
    (project / "orgs.csv").write_text(
        "名称,类别,行业,走访日期\n蒲县新店,经济,其他,2025-13-01\n", encoding="utf-8-sig"
    )
    done = import_("orgs.csv", "--kind", "orgs")
    assert done.exit_code == 1
    assert done.stderr.splitlines()[0] == (
        "orgs.csv!D2: import-impossible-date: 日期 “2025-13-01” 不存在——请检查年月日"
    )


def test_a_sheet_without_a_header_row_says_what_it_looks_for(project: Path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["甲", "乙"])
    workbook.active.append(["1", "2"])
    workbook.save(project / "x.xlsx")
    done = import_("x.xlsx", "--kind", "orgs")
    assert done.exit_code == 1
    assert done.stderr.splitlines()[0] == (
        "x.xlsx Sheet: import-no-header: 前 20 行里找不到组织（一企一档）台账的表头——表头行应有 "
        "名称、类别、行业 等列；表头名称特殊时，请用 --mapping 映射文件说明每列对应的字段"
    )
