"""Git as the audit trail: revisions on pages, and "本期变化" between report tags."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from generator.compute.changes import compare, load_ledger_at
from generator.diagnostics import ConfigError, Report
from generator.load.loader import load_ledger

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "县委组织部",
        "GIT_AUTHOR_EMAIL": "ledger@example.invalid",
        "GIT_COMMITTER_NAME": "县委组织部",
        "GIT_COMMITTER_EMAIL": "ledger@example.invalid",
        "GIT_AUTHOR_DATE": "2025-10-01T08:00:00+08:00",
        "GIT_COMMITTER_DATE": "2025-10-01T08:00:00+08:00",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A ledger repository with two report periods: tag report-2025-q3, then three changes."""
    repo = tmp_path / "ledger"
    data = repo / "data" / "demo"
    write(data / "county.yaml", "name: 示例县\n")
    write(data / "grids" / "g1.yaml", "name: 第一网格\nworkers: 2\n")
    write(
        data / "orgs" / "kd.yaml",
        "name: 快递站\nkind: economic\nindustry: express_logistics\n"
        "grid: g1\nemployees: 10\nparty_members: 1\n",
    )
    write(
        data / "orgs" / "wm.yaml",
        "name: 外卖站\nkind: economic\nindustry: food_delivery\ngrid: g1\nemployees: 8\n",
    )
    write(data / "needs" / "n1.yaml", "raised_on: 2025-08-01\nsummary: 需要充电桩\nstatus: open\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "第三季度台账")
    git(repo, "tag", "report-2025-q3")
    # The next period: one org changes, one is added with a party org, a need is resolved.
    write(
        data / "orgs" / "kd.yaml",
        "name: 快递站\nkind: economic\nindustry: express_logistics\n"
        "grid: g1\nemployees: 12\nparty_members: 3\n",
    )
    write(
        data / "orgs" / "wl.yaml",
        "name: 物流园\nkind: economic\nindustry: trucking\n"
        "grid: g1\nemployees: 30\nparty_members: 4\n",
    )
    write(
        data / "party_orgs" / "wl-branch.yaml",
        "name: 物流园党支部\nmode: standalone\nestablished_on: 2025-09-20\ncovers: [wl]\n",
    )
    write(
        data / "needs" / "n1.yaml",
        "raised_on: 2025-08-01\nsummary: 需要充电桩\nstatus: resolved\nresolved_on: 2025-09-15\n",
    )
    (data / "orgs" / "wm.yaml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "第四季度：新建物流园党支部")
    return repo


def test_record_level_changes_between_revisions(repo):
    report = Report()
    base, commit, _ = load_ledger_at(repo / "data", "report-2025-q3", report)
    current = load_ledger(repo / "data", Report())
    counties, before, after = compare(base, current)
    assert report.diagnostics == []
    assert commit == git(repo, "rev-parse", "--short=7", "report-2025-q3")
    [demo] = counties
    changes = {(r.kind, r.id, r.change): r.fields for r in demo.records}
    assert changes == {
        ("org", "kd", "changed"): [("employees", 10, 12), ("party_members", 1, 3)],
        ("org", "wl", "added"): [],
        ("org", "wm", "removed"): [],
        ("party_org", "wl-branch", "added"): [],
        ("need", "n1", "changed"): [
            ("resolved_on", None, "2025-09-15"),
            ("status", "open", "resolved"),
        ],
    }
    assert (before["orgs_total"], after["orgs_total"]) == (2, 2)
    assert (before["party_orgs_total"], after["party_orgs_total"]) == (0, 1)
    assert (before["org_coverage_rate"], after["org_coverage_rate"]) == (0.0, 0.5)
    assert (before["needs_resolved"], after["needs_resolved"]) == (0, 1)
    assert (before["standalone_gap"], after["standalone_gap"]) == (0, 1)  # kd now has 3 members


def build(repo: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "build",
         "--data", str(repo / "data"), "--out", str(out), *extra],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def page(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_changes_page_uses_the_latest_report_tag(repo, tmp_path):
    done = build(repo, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    text = page(tmp_path / "site", "changes")
    assert "与上期报告 report-2025-q3" in text
    assert "党组织数 0 1 +1" in text
    assert "组织覆盖率 0.0% 50.0% +50.0 个百分点" in text
    # fields by their Chinese names, codes by their labels (a reader's words, not YAML keys)
    assert "组织台账 kd 快递站 修改 从业人员数：10 → 12；党员数：1 → 3" in text
    assert "组织台账 wm 外卖站 删除" in text
    assert "诉求 n1 需要充电桩 修改 解决日期：（空） → 2025-09-15；办理状态：待办 → 已解决" in text
    # 台账体检: the need overdue at the report is resolved; wm's items went with its deletion,
    # kd is still unvisited and uncovered
    assert "本期已跟进：诉求超期 1 项。" in text
    assert "规则 示例县 合计 诉求超期 1 1" in text
    # Every page names the data revision it was built from, through one shared script.
    head = git(repo, "rev-parse", "--short", "HEAD")
    assert f"版本 {head}" in revision_shown(tmp_path / "site")
    for path in ("", "counties/demo", "changes", "methodology"):
        html = (tmp_path / "site" / path / "index.html").read_text(encoding="utf-8")
        assert 'id="sitegen-revision"' in html and "assets/javascripts/revision.js" in html, path


def revision_shown(site: Path) -> str:
    return (site / "assets" / "javascripts" / "revision.js").read_text(encoding="utf-8")


def test_compare_to_a_given_revision(repo, tmp_path):
    done = build(repo, tmp_path / "site", "--compare-to", "HEAD")
    assert done.returncode == 0, done.stderr
    assert "记录没有变化" in page(tmp_path / "site", "changes")


def test_without_a_report_tag_the_page_says_how_to_make_one(repo, tmp_path):
    git(repo, "tag", "-d", "report-2025-q3")
    done = build(repo, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert "还没有可对比的上期报告" in page(tmp_path / "site", "changes")


def test_shallow_clone_without_the_revision_is_a_clear_usage_error(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    done = build(clone, tmp_path / "site", "--compare-to", "HEAD~1")
    assert done.returncode == 2
    assert "浅克隆" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_data_outside_git_is_said_plainly(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "jixian", data / "jixian")
    with pytest.raises(ConfigError, match="不在 git 仓库中"):
        load_ledger_at(data, "HEAD", Report())
    done = build(tmp_path, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert "数据版本：未纳入 git 版本管理" in revision_shown(tmp_path / "site")


def test_of_two_report_tags_made_in_the_same_second_the_later_period_is_the_newest(repo):
    """A script may tag two periods at once: their dates tie, and the later name is newest
    (git's own order for a tie put report-2025-q3 first, at random in CI)."""
    from generator.compute.changes import latest_report_tag, report_tags

    git(repo, "tag", "report-2025-q4")  # the same committer date as report-2025-q3's commit
    assert latest_report_tag(repo / "data", "report-*") == "report-2025-q4"
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    assert report_tags(repo / "data", "report-*", merged=first) == ["report-2025-q3"]
