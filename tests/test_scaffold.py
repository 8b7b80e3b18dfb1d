"""``sitegen new``: a new file that is valid as written and explains every field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.diagnostics import Report
from generator.library.cases import load_cases
from generator.load.loader import load_ledger

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder of its own (case write-ups go to its content/)."""
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "content" / "cases").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--project", ".", "--lang", "zh", "new", *args], input=input)


def loaded(project: Path):
    report = Report()
    ledger = load_ledger(project / "data", report)
    assert not report.errors, [d.format() for d in report.errors]
    return ledger


def created(result: Result) -> Path:
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip().removeprefix("已新建 / created: "))


def test_new_org_from_flags_reads_labels_and_chinese_dates(project: Path):
    done = new(
        "org",
        "--county",
        "puxian",
        "--name",
        "蒲县新开快递",
        "--kind",
        "新经济组织",
        "--industry",
        "快递物流",
        "--grid",
        "第一摸排责任区（蒲城镇城东片）",
        "--visited-on",
        "2025年6月12日",
        "--six-clears",
        "经营运行清、职工队伍清",
        "--employees",
        "8",
    )

    path = created(done)
    assert path.parent == Path("data/puxian/orgs") and path.name.startswith("org-")
    org = loaded(project).county("puxian").orgs[path.stem]
    assert (org.kind, org.industry, org.grid, org.employees) == (
        "economic",
        "express_logistics",
        "zone-chengdong",
        8,
    )
    text = path.read_text(encoding="utf-8")
    assert (
        "# 行业（industry），必填：行业代码表中的代码\n# 可选：express_logistics 快递物流、" in text
    )
    assert "\n# party_members:\n" in text  # optional fields are there, commented out
    assert "\n# status: operating\n" in text


def test_uncommenting_the_optional_fields_keeps_the_file_valid(project: Path):
    path = created(
        new(
            "org",
            "--county",
            "puxian",
            "--name",
            "新店",
            "--kind",
            "economic",
            "--industry",
            "other",
        )
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^# ([a-z_]+:)", r"\1", text), encoding="utf-8")
    org = loaded(project).county("puxian").orgs[path.stem]
    assert org.status == "operating" and org.party_members is None


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("grid", ["--name", "城北片区", "--kind", "社区网格", "--workers", "3"]),
        (
            "party-org",
            [
                "--name",
                "联合党支部",
                "--mode",
                "联合组建",
                "--established-on",
                "2025-07-01",
                "--covers",
                "express-shunda、express-kuaile",
            ],
        ),
        (
            "activity",
            [
                "--date",
                "2025/6/12",
                "--type",
                "实地走访",
                "--title",
                "走访",
                "--outputs",
                "收集需求=6、feedback_collected=2",
                "--summary",
                "第一行\n第二行",
            ],
        ),
        (
            "need",
            [
                "--raised-on",
                "2025-06-01",
                "--summary",
                "路灯不亮",
                "--status",
                "已解决",
                "--resolved-on",
                "2025年6月3日",
            ],
        ),
        (
            "service-center",
            ["--name", "城东党群服务中心", "--opening-hours", "5+2", "--figures", "功能室=3"],
        ),
    ],
)
def test_every_kind_makes_a_valid_file(project: Path, kind: str, args: list[str]):
    path = created(new(kind, "--county", "puxian", *args))
    assert path.read_text(encoding="utf-8").startswith("# ")
    county = loaded(project).county("puxian")
    assert path.stem in county.records(kind.replace("-", "_"))


def test_mistakes_are_placed_at_their_options_and_nothing_is_written(project: Path):
    before = sorted(project.rglob("*.yaml"))

    done = new(
        "org",
        "--county",
        "puxian",
        "--name",
        "蒲县坏店",
        "--kind",
        "x",
        "--industry",
        "卖菜",
        "--visited-on",
        "2025年2月30日",
        "--grid",
        "zone-nowhere",
    )

    assert done.exit_code == 1
    assert [line.split(": ")[:2] for line in done.stderr.splitlines()[:-1]] == [
        ["--industry", "unknown-code"],
        ["--kind", "invalid-choice"],
        ["--visited-on", "import-impossible-date"],
        ["--grid", "unknown-reference"],  # a consequence-kind message comes after the others
    ]
    assert sorted(project.rglob("*.yaml")) == before


def test_an_existing_record_is_not_created_twice(project: Path):
    done = new("grid", "--county", "puxian", "--name", "第一摸排责任区（蒲城镇城东片）")
    assert done.exit_code == 1
    assert done.stderr.startswith(
        "--name: new-record-exists: 网格 “zone-chengdong” 已存在（data/puxian/grids/zone-chengdong.yaml）"
    )


def test_missing_values_without_a_terminal_are_a_usage_error(project: Path):
    done = new("org", "--county", "puxian", "--name", "新店")
    assert done.exit_code == 2
    assert "缺少 --kind --industry（或加 -i 逐项回答）" in done.stderr


def test_interactive_questions(project: Path):
    answers = "\n".join(["新店", "乱写", "other", "", "", "", "", "", "", ""]) + "\n"
    done = new("org", "--county", "puxian", "-i", input=answers)
    assert done.exit_code == 1  # 乱写 is no kind: said at its option
    assert "--kind: invalid-choice" in done.stderr

    answers = "\n".join(["新店", "新社会组织", "社会服务", "", "", "", "3", "", "", ""]) + "\n"
    path = created(new("org", "--county", "puxian", "-i", input=answers))
    org = loaded(project).county("puxian").orgs[path.stem]
    assert (org.kind, org.industry, org.party_members) == ("social", "social_services", 3)


def test_new_county(project: Path):
    path = created(new("county", "--id", "xinxian", "--name", "新县", "--division-code", "141099"))
    assert path == Path("data/xinxian/county.yaml")
    county = loaded(project).county("xinxian").county
    assert (county.name, county.division_code) == ("新县", "141099")
    assert "# task_force:\n#   convener: 县委副书记" in path.read_text(encoding="utf-8")

    again = new("county", "--id", "xinxian", "--name", "新县")
    assert again.exit_code == 1 and "new-record-exists" in again.stderr


def test_new_case(project: Path):
    path = created(
        new(
            "case",
            "--county",
            "jixian",
            "--title",
            "商圈党建新做法",
            "--themes",
            "商圈党建、党群服务",
        )
    )
    assert path.parent == Path("content/cases") and path.name.startswith("jixian-")
    report = Report()
    cases = load_cases(project / "content" / "cases", loaded(project), report)
    assert not report.errors, [d.format() for d in report.errors]
    assert cases[0].meta.themes == ["商圈党建", "党群服务"]
    assert "## 做法" in path.read_text(encoding="utf-8")
