"""The git hooks in a county's own repository (project and data together), with real commits:
the pre-commit hook checks exactly what is staged, the hooks survive a copy or a move, and
pulls, checkouts and template changes rebuild the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_hooks import ENV, git

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "scenarios" / "valid-minimal"
ORG = "data/px/orgs/express-shunda.yaml"


def sitegen(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(repo), *args],
        capture_output=True, text=True, cwd=repo, env={**os.environ, **ENV},
    )  # fmt: skip


def commit(repo: Path, message: str = "台账", *args: str) -> subprocess.CompletedProcess:
    return git(repo, "commit", "-q", "-m", message, *args, check=False)


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer holds {old!r}: the test edits nothing"
    file.write_text(text.replace(old, new), encoding="utf-8")


def county_page(repo: Path) -> str:
    return (repo / "site/counties/px/index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A ledger repository holding its project files, hooks installed, one commit built."""
    repo = tmp_path_factory.mktemp("base") / "ledger"
    for name in ("site_config", "templates", "content/assets"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(MINIMAL / "data", repo / "data")
    shutil.copytree(MINIMAL / "content" / "cases", repo / "content" / "cases")
    (repo / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    installed = sitegen(repo, "hook", "install")
    assert installed.returncode == 0, installed.stderr
    git(repo, "add", "-A")
    done = commit(repo)
    assert done.returncode == 0, done.stderr
    assert "正在重新生成网站" in done.stderr
    assert (repo / "site/counties/px/index.html").is_file()
    return repo


@pytest.fixture
def repo(base, tmp_path) -> Path:
    """A copy of the base repository: its hooks must work where it now is."""
    copy = tmp_path / "copy"
    shutil.copytree(base, copy, symlinks=True)
    return copy


def test_hooks_hold_no_absolute_paths_of_the_repository(base):
    for name in ("pre-commit", "post-commit", "post-merge", "post-checkout"):
        script = (base / ".git/hooks" / name).read_text(encoding="utf-8")
        assert str(base) not in script, name
        assert "hook run " + name in script


def test_installing_again_changes_nothing(repo):
    hooks = repo / ".git/hooks"
    before = {p.name: p.read_bytes() for p in hooks.iterdir() if not p.name.endswith(".sample")}
    assert set(before) == {"pre-commit", "post-commit", "post-merge", "post-checkout"}
    again = sitegen(repo, "hook", "install")
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_bytes() for p in hooks.iterdir() if not p.name.endswith(".sample")}
    assert after == before


def test_a_broken_staged_value_fixed_only_in_the_file_is_refused(repo):
    """The issue's repro: stage a broken value, fix the file without staging, commit."""
    subprocess.run(
        ["sh", "-c", f"sed -i 's/^employees: .*/employees: 三十/' {ORG} && git add -A && "
         f"sed -i 's/^employees: .*/employees: 30/' {ORG} && git commit -m x"],
        cwd=repo, env=ENV, capture_output=True, text=True,
    )  # fmt: skip
    assert git(repo, "log", "--format=%s").stdout.splitlines() == ["台账"]  # nothing committed
    done = commit(repo, "x")
    assert done.returncode != 0
    # located as the clerk knows the file, not in the hook's folder
    assert f"\n{ORG}:6:12: wrong-type:" in "\n" + done.stderr
    assert ".git/sitegen" not in done.stderr
    assert "暂存区" in done.stderr


def test_a_valid_staged_change_passes_beside_an_unstaged_broken_file(repo):
    edit(repo, ORG, "employees: 12", "employees: 13")
    git(repo, "add", ORG)
    edit(repo, "data/px/grids/zone-1.yaml", "name:", "name: [")  # broken, not staged
    done = commit(repo, "员工数")
    assert done.returncode == 0, done.stderr
    assert git(repo, "show", "HEAD:" + ORG).stdout.count("employees: 13") == 1


def test_a_one_file_change_rewrites_only_that_file(repo):
    edit(repo, ORG, "employees: 12", "employees: 14")
    git(repo, "add", ORG)
    assert commit(repo, "员工数").returncode == 0
    staged = repo / ".git/sitegen/staged"
    other = staged / "data/px/county.yaml"
    before = other.stat().st_mtime_ns
    edit(repo, ORG, "employees: 14", "employees: 15")
    git(repo, "add", ORG)
    assert commit(repo, "员工数").returncode == 0
    assert other.stat().st_mtime_ns == before
    assert "employees: 15" in (staged / ORG).read_text(encoding="utf-8")
    # a file removed from the index leaves the checked folder too
    git(repo, "rm", "-q", "data/px/needs/2025-06.yaml")
    assert commit(repo, "删除诉求").returncode == 0
    assert not (staged / "data/px/needs/2025-06.yaml").exists()


def test_a_moved_repository_still_checks_and_rebuilds(repo, tmp_path):
    moved = tmp_path / "elsewhere" / "ledger"
    moved.parent.mkdir()
    repo.rename(moved)
    edit(moved, ORG, "industry: express_logistics", "industry: nope")
    git(moved, "add", "-A")
    refused = commit(moved, "坏数据")
    assert refused.returncode == 1
    assert f"{ORG}:3:11: unknown-code:" in refused.stderr
    assert "Error" not in refused.stderr  # no click usage error from a stale path
    edit(moved, ORG, "industry: nope", "industry: express_logistics")
    edit(moved, ORG, "name: 蒲县顺达快递", "name: 蒲县迁址快递")
    git(moved, "add", "-A")
    done = commit(moved, "改名")
    assert done.returncode == 0, done.stderr
    assert "蒲县迁址快递" in county_page(moved)


def test_a_template_change_rebuilds_the_site(repo):
    edit(repo, "templates/pages/county.md.j2", "## 党组织", "## 党组织（模板已改）")
    git(repo, "add", "-A")
    done = commit(repo, "模板")
    assert "正在重新生成网站" in done.stderr
    assert "党组织（模板已改）" in county_page(repo)


def test_a_pull_and_a_checkout_rebuild_the_site(repo, tmp_path):
    clone = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    installed = sitegen(clone, "hook", "install")
    assert installed.returncode == 0, installed.stderr
    edit(repo, ORG, "name: 蒲县顺达快递", "name: 蒲县同事快递")
    git(repo, "add", "-A")
    assert commit(repo, "改名").returncode == 0
    pulled = git(clone, "pull", "-q", "--no-rebase", "origin", "main")
    assert "正在重新生成网站" in pulled.stderr
    assert "蒲县同事快递" in county_page(clone)
    switched = git(clone, "checkout", "-q", "HEAD~1")
    assert "正在重新生成网站" in switched.stderr
    assert "蒲县同事快递" not in county_page(clone)
