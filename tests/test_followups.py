"""The follow-up rules (台账体检) on small hand-written ledgers, at their boundaries."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from generator.compute.followups import (
    RULES,
    county_followups,
    followed_up,
    months_before,
    summarize,
)
from generator.diagnostics import Report
from generator.load.config import Followups
from generator.load.gitinfo import last_commit_dates
from generator.load.loader import load_county
from tests.conftest import write_tree

AS_OF = dt.date(2026, 12, 2)
LIMITS = Followups()
ROOT = Path(__file__).resolve().parent.parent

COUNTY = {"county.yaml": "name: 示例县\n", "grids/g1.yaml": "name: 第一网格\n"}


def org(name: str = "顺达快递", **fields: object) -> str:
    """An org file: name, kind, industry, then grid (line 4), employees, party_members,
    visited_on (line 7) unless given otherwise (None leaves a field out)."""
    lines = [f"name: {name}", "kind: economic", "industry: express_logistics"]
    fields = {"grid": "g1", "employees": 10, "party_members": 1, "visited_on": "2026-11-01"} | {
        k: v for k, v in fields.items()
    }
    lines += [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "\n".join(lines) + "\n"


def load(tmp_path: Path, files: dict[str, str]):
    folder = write_tree(tmp_path / "data" / "demo", {**COUNTY, **files})
    report = Report()
    county = load_county(folder, report)
    assert not report.errors, report.diagnostics
    return county


def found(tmp_path, files, rule, as_of=AS_OF, limits=LIMITS, last_commits=None):
    county = load(tmp_path, files)
    items = county_followups(county, limits, as_of, "data", last_commits)
    return [x for x in items if x.rule == rule]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(dt.date(2026, 12, 2), 6) == dt.date(2026, 6, 2)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2028, 8, 31), 6) == dt.date(2028, 2, 29)
    assert months_before(dt.date(2026, 3, 15), 12) == dt.date(2025, 3, 15)


def test_visit_overdue_at_exactly_six_months_is_not_overdue(tmp_path):
    items = found(
        tmp_path,
        {
            "orgs/on-time.yaml": org(visited_on="2026-06-02"),  # exactly 6 months
            "orgs/late.yaml": org(visited_on="2026-06-01"),  # a day more
            "orgs/never.yaml": org(visited_on=None),
            "orgs/closed.yaml": org(visited_on=None, status="closed"),
        },
        "visit-overdue",
    )
    assert [(x.id, x.line) for x in items] == [("late", 7), ("never", 1)]
    assert items[0].detail == "最近一次实地核查 2026-06-01，已超过 6 个月"
    assert items[0].file == "data/demo/orgs/late.yaml"
    assert items[1].detail == "没有实地核查记录（visited_on 未填）"


def test_visit_months_comes_from_the_settings(tmp_path):
    files = {"orgs/a.yaml": org(visited_on="2026-09-01")}
    assert found(tmp_path, files, "visit-overdue") == []
    three = Followups(visit_months=3)
    assert [x.id for x in found(tmp_path, files, "visit-overdue", limits=three)] == ["a"]


def test_should_build_from_three_members_unless_a_standalone_branch_covers(tmp_path):
    items = found(
        tmp_path,
        {
            "orgs/two.yaml": org(party_members=2),
            "orgs/three.yaml": org(party_members=3),
            "orgs/joint.yaml": org(party_members=5),
            "orgs/built.yaml": org(party_members=4),
            "party_orgs/p.yaml": "name: 顺达党支部\nmode: standalone\nestablished_on: 2025-05-01\n"
            "covers: [built]\n",
            "party_orgs/j.yaml": "name: 联合党支部\nmode: joint\nestablished_on: 2025-05-01\n"
            "covers: [joint, two]\n",
        },
        "should-build",
    )
    assert [x.id for x in items] == ["joint", "three"]
    assert items[0].detail == "党员 5 名，尚未单独组建党组织，目前为联合组建覆盖"
    assert items[1].line == 6  # party_members


def test_uncovered_means_neither_party_org_nor_instructor(tmp_path):
    items = found(
        tmp_path,
        {
            "orgs/bare.yaml": org(),
            "orgs/instructed.yaml": org(instructors=1),
            "orgs/zero.yaml": org(instructors=0),
            "orgs/covered.yaml": org(),
            "party_orgs/p.yaml": "name: 党支部\nmode: joint\nestablished_on: 2025-05-01\n"
            "covers: [covered]\n",
        },
        "uncovered",
    )
    assert [x.id for x in items] == ["bare", "zero"]


def test_branch_too_small_below_three_members_only_when_given(tmp_path):
    branch = "name: {n}\nmode: standalone\nestablished_on: 2025-05-01\ncovers: [a]\n"
    items = found(
        tmp_path,
        {
            "orgs/a.yaml": org(),
            "party_orgs/two.yaml": branch.format(n="两人支部") + "members: 2\n",
            "party_orgs/three.yaml": branch.format(n="三人支部") + "members: 3\n",
            "party_orgs/unknown.yaml": branch.format(n="未填支部"),
        },
        "branch-too-small",
    )
    assert [(x.id, x.kind, x.line, x.org, x.grid) for x in items] == [
        ("two", "party_org", 5, "a", "g1")
    ]
    assert items[0].detail == "党员 2 名，不足 3 名"


def test_need_overdue_after_thirty_days_unless_resolved(tmp_path):
    needs = """
    - id: exactly
      raised_on: 2026-11-02
      summary: 需要充电桩
      status: open
    - id: late
      raised_on: 2026-11-01
      summary: 需要快递柜
      status: in_progress
      grid: g1
    - id: done
      raised_on: 2026-01-01
      summary: 需要停车位
      status: resolved
      resolved_on: 2026-02-01
    """
    items = found(tmp_path, {"needs/2026.yaml": needs}, "need-overdue")
    assert [(x.id, x.name, x.line, x.grid, x.org) for x in items] == [
        ("late", "需要快递柜", 8, "g1", None)  # its status line
    ]
    assert items[0].detail == "2026-11-01 提出，31 天未解决（办理中）"


def test_ledger_incomplete_names_each_missing_required_field(tmp_path):
    files = {
        "orgs/full.yaml": org(),
        "orgs/gaps.yaml": org(employees=None, grid=None),
        "orgs/closed.yaml": org(employees=None, status="closed"),
    }
    items = found(tmp_path, files, "ledger-incomplete")
    assert [x.id for x in items] == ["gaps"]
    assert items[0].detail == "缺少：从业人员数（employees）、所属网格编号（grid）"
    assert items[0].grid is None
    visited = Followups(required_fields=["instructors"])
    assert len(found(tmp_path, files, "ledger-incomplete", limits=visited)) == 2


def test_items_go_by_grid_then_rule_with_ungridded_last(tmp_path):
    county = load(
        tmp_path,
        {
            "grids/g0.yaml": "name: 零号网格\n",
            "orgs/a.yaml": org(grid=None, visited_on=None),
            "orgs/b.yaml": org(grid="g1", party_members=3, visited_on=None),
            "orgs/c.yaml": org(grid="g0", employees=None),
        },
    )
    items = county_followups(county, LIMITS, AS_OF, "data", None)
    assert [(x.grid, x.rule, x.id) for x in items] == [
        ("g0", "uncovered", "c"),
        ("g0", "ledger-incomplete", "c"),
        ("g1", "visit-overdue", "b"),
        ("g1", "should-build", "b"),
        ("g1", "uncovered", "b"),
        (None, "visit-overdue", "a"),
        (None, "uncovered", "a"),
        (None, "ledger-incomplete", "a"),
    ]
    summary = summarize(county, items, stale_checked=False)
    assert "ledger-stale" not in summary.by_rule
    assert summary.by_rule["uncovered"] == 3
    assert (summary.live_orgs, summary.complete_orgs) == (3, 0)


def test_completeness_rate_counts_orgs_without_gaps_or_overdue_visits(tmp_path):
    county = load(
        tmp_path,
        {
            "orgs/ok.yaml": org(),
            "orgs/uncovered-but-complete.yaml": org(party_members=0),
            "orgs/late.yaml": org(visited_on="2025-01-01"),
            "orgs/gap.yaml": org(employees=None),
        },
    )
    items = county_followups(county, LIMITS, AS_OF, "data", None)
    summary = summarize(county, items, stale_checked=True)
    assert summary.ledger_complete_rate == pytest.approx(0.5)


def test_followed_up_counts_what_disappeared_per_rule(tmp_path):
    files = {"orgs/a.yaml": org(visited_on=None), "orgs/b.yaml": org(visited_on=None)}
    before = county_followups(load(tmp_path, files), LIMITS, AS_OF, "data", None)
    files["orgs/a.yaml"] = org(visited_on="2026-11-30", instructors=1)
    after = county_followups(load(tmp_path, files), LIMITS, AS_OF, "data", None)
    assert followed_up(before, after) == {"visit-overdue": 1, "uncovered": 1}


def test_every_rule_states_its_thresholds():
    limits = Followups(visit_months=4, need_days=20, stale_months=9)
    stated = " ".join(r.stated(limits) for r in RULES)
    for text in ("4 个自然月", "20 天", "9 个自然月", "employees"):
        assert text in stated
    assert len({r.code for r in RULES}) == 7


# --- ledger-stale on a real git history ---------------------------------------------------


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        stamp = f"{date}T10:00:00+08:00"
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_ledger_stale_from_each_files_last_commit(tmp_path):
    repo = tmp_path
    write_tree(
        repo / "data" / "demo",
        {
            **COUNTY,
            "orgs/old.yaml": org(),
            "orgs/boundary.yaml": org(),
            "orgs/fresh.yaml": org(),
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", "data/demo/county.yaml", "data/demo/grids", "data/demo/orgs/old.yaml")
    git(repo, "commit", "-q", "-m", "old", date="2025-11-01")
    git(repo, "add", "data/demo/orgs/boundary.yaml")
    git(repo, "commit", "-q", "-m", "boundary", date="2025-12-02")  # exactly 12 months
    git(repo, "add", "data/demo/orgs/fresh.yaml")
    git(repo, "commit", "-q", "-m", "fresh", date="2025-10-01")
    (repo / "data/demo/orgs/fresh.yaml").write_text(org(employees=11), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "updated", date="2026-11-20")
    write_tree(repo / "data" / "demo", {"orgs/new.yaml": org()})  # not committed: no date

    dates = last_commit_dates(repo / "data", ["demo"])
    assert dates == {
        "demo": {
            "county.yaml": dt.date(2025, 11, 1),
            "grids/g1.yaml": dt.date(2025, 11, 1),
            "orgs/old.yaml": dt.date(2025, 11, 1),
            "orgs/boundary.yaml": dt.date(2025, 12, 2),
            "orgs/fresh.yaml": dt.date(2026, 11, 20),
        }
    }
    county = load(repo, {})
    items = county_followups(county, LIMITS, AS_OF, "data", dates["demo"])
    stale = [x for x in items if x.rule == "ledger-stale"]
    assert [(x.id, x.detail) for x in stale] == [
        ("old", "台账文件最后一次提交于 2025-11-01，已超过 12 个月未更新")
    ]


def test_ledger_stale_is_skipped_outside_git(tmp_path):
    write_tree(tmp_path / "data" / "demo", {**COUNTY, "orgs/a.yaml": org()})
    assert last_commit_dates(tmp_path / "data", ["demo"]) is None
    county = load(tmp_path, {})
    items = county_followups(county, LIMITS, AS_OF, "data", None)
    assert not [x for x in items if x.rule == "ledger-stale"]


# --- settings --------------------------------------------------------------------------------


def settings_with(tmp_path: Path, extra: str):
    import shutil

    from generator.load.config import load_settings
    from tests.conftest import ROOT

    config = tmp_path / "site_config"
    shutil.copytree(ROOT / "site_config", config)
    with (config / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    report = Report()
    return load_settings(config, report), report, (config / "site.yaml").read_text().count("\n")


def test_thresholds_are_read_from_site_config(tmp_path):
    settings, report, _ = settings_with(
        tmp_path, "followups:\n  visit_months: 3\n  required_fields: [grid]\n"
    )
    assert not report.diagnostics
    assert settings.site.followups == Followups(visit_months=3, required_fields=["grid"])


def test_a_required_field_that_orgs_do_not_have_is_a_located_error(tmp_path):
    _, report, lines = settings_with(tmp_path, "followups:\n  required_fields: [grid, phone]\n")
    [error] = report.errors
    assert (error.code, error.location.line, error.location.column) == ("invalid-choice", lines, 27)
    assert "phone" in error.format("zh") and "employees" in error.format("zh")


def test_an_edit_url_without_path_is_a_located_error(tmp_path):
    _, report, lines = settings_with(tmp_path, "edit_url: https://git.example.org/edit/{file}\n")
    [error] = report.errors
    assert (error.code, error.location.line) == ("invalid-value", lines)
    assert "{path}" in error.format("zh")


# --- the pages' edit links ------------------------------------------------------------------


def test_followups_link_to_the_ledger_row_and_to_the_edit_url(tmp_path, site_settings):
    from generator.render.followup_pages import render_ledger_pages
    from generator.render.pages import county_context
    from generator.render.renderer import Renderer
    from tests.conftest import ROOT

    listed = (
        "# 城东片区\n- id: a\n  name: 顺达快递\n  kind: economic\n  industry: express_logistics\n"
    )
    county = load(tmp_path, {"orgs/城东.yaml": listed})
    items = county_followups(county, LIMITS, AS_OF, "data", None)
    summary = summarize(county, items, stale_checked=False)
    template = "https://git.example.org/zzb/ledger/-/edit/main/{path}#L{line}"
    site = site_settings.site.model_copy(update={"edit_url": template})
    settings = site_settings.model_copy(update={"site": site})
    docs = tmp_path / "docs"
    renderer = Renderer(ROOT / "templates", docs, settings)
    common = {**county_context(AS_OF), "rules": {r.code: r for r in RULES}, "summary": summary}
    render_ledger_pages(county, items, summary, settings, renderer, common)
    page = (docs / "counties/demo/followups/index.md").read_text(encoding="utf-8")
    edit = "https://git.example.org/zzb/ledger/-/edit/main/data/demo/orgs/%E5%9F%8E%E4%B8%9C.yaml"
    assert f'<a class="followup-edit" href="{edit}#L2">编辑</a>' in page  # the item's line
    assert '<a href="../orgs/index.md#org-a">顺达快递</a>' in page  # (html_blocks resolves it)
    assert "<code>data/demo/orgs/城东.yaml:2</code>" in page
    assert "“台账久未更新”本次没有检查" in page
    ledger = (docs / "counties/demo/orgs/index.md").read_text(encoding="utf-8")
    assert '<span id="org-a"></span>顺达快递' in ledger
    settings_without = site_settings
    render_ledger_pages(county, items, summary, settings_without, renderer, common)
    page = (docs / "counties/demo/followups/index.md").read_text(encoding="utf-8")
    assert "followup-edit" not in page and "| 编辑 |" not in page


# --- sitegen followups ---------------------------------------------------------------------------


def sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    import sys

    from tests.conftest import ROOT

    command = [sys.executable, "-m", "generator", "--project", str(ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_the_command_lists_a_data_folder_outside_git(tmp_path):
    orgs = {"orgs/a.yaml": org(visited_on="2025-01-01"), "orgs/b.yaml": org(instructors=1)}
    write_tree(tmp_path / "data" / "demo", {**COUNTY, **orgs})
    done = sitegen("followups", "--data", "data", cwd=tmp_path)  # data date: b's visit
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [  # paths as the clerk's editor finds them from here
        "data/demo/orgs/a.yaml:7: visit-overdue: 最近一次实地核查 2025-01-01，已超过 6 个月（顺达快递）",
        "data/demo/orgs/a.yaml:1: uncovered: 未建党组织，也未选派党建工作指导员（顺达快递）",
    ]
    assert "“台账久未更新”（ledger-stale）没有检查" in done.stderr


def test_the_command_refuses_invalid_data_with_located_errors(tmp_path):
    write_tree(tmp_path / "data" / "demo", {**COUNTY, "orgs/a.yaml": org(employees=-1)})
    done = sitegen("followups", "--data", "data", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert "data/demo/orgs/a.yaml:5:12: negative-count:" in done.stderr
    assert "请按上面的提示修改后再做台账体检" in done.stderr


def test_ledger_stale_after_a_commit_and_its_revert_is_not_read_from_the_cache(tmp_path):
    """A commit and its revert give the county its old git tree back, but the file's last
    commit is now the revert: the cached result of the old tree must not be shown."""
    import sys

    repo = tmp_path / "repo"
    write_tree(repo / "data" / "demo", {**COUNTY, "orgs/old.yaml": org(), "orgs/b.yaml": org()})
    git(repo, "init", "-q")
    git(repo, "add", "data/demo/county.yaml", "data/demo/grids", "data/demo/orgs/old.yaml")
    git(repo, "commit", "-q", "-m", "old", date="2025-06-01")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "today", date="2026-11-20")
    env = {**os.environ, "SITEGEN_CACHE": str(tmp_path / "cache")}

    def stale_ids() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--project", str(ROOT), "build",
             "--data", str(repo / "data"), "--out", str(tmp_path / "site")],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        rows = (tmp_path / "site/downloads/followups.csv").read_text(encoding="utf-8-sig")
        return sorted(line.split(",")[4] for line in rows.splitlines() if "ledger-stale" in line)

    assert stale_ids() == ["old"]
    (repo / "data/demo/orgs/old.yaml").write_text(org(employees=12), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit", date="2026-11-20")
    git(repo, "revert", "--no-edit", "HEAD", date="2026-11-20")
    assert stale_ids() == []  # old.yaml was committed today (by the revert)
