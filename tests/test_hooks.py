"""The git hooks on a temporary repository with real commits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "GIT_AUTHOR_NAME": "clerk",
    "GIT_AUTHOR_EMAIL": "clerk@example.invalid",
    "GIT_COMMITTER_NAME": "clerk",
    "GIT_COMMITTER_EMAIL": "clerk@example.invalid",
    "PATH": "/usr/bin:/bin",
}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=ENV)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "ledger"
    shutil.copytree(ROOT / "data" / "jixian", repo / "data" / "jixian")
    git(repo, "init", "-q", "-b", "main")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "hook", "install",
         "--data", str(repo / "data"), "--out", str(tmp_path / "site")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pre-commit" in done.stdout and "post-commit" in done.stdout
    return repo


def test_a_commit_with_bad_data_is_refused_with_located_errors(repo, tmp_path):
    bad = repo / "data" / "jixian" / "orgs" / "new-shop.yaml"
    bad.write_text("name: 新商户\nkind: economic\nindustry: shop\n", encoding="utf-8")
    git(repo, "add", "-A")
    done = git(repo, "commit", "-q", "-m", "新增商户", check=False)
    assert done.returncode != 0
    assert "new-shop.yaml:3:11: unknown-code:" in done.stderr
    assert git(repo, "rev-list", "--all", check=False).stdout == ""  # nothing committed
    assert not (tmp_path / "site").exists()


def test_a_good_commit_rebuilds_the_site(repo, tmp_path):
    git(repo, "add", "-A")
    done = git(repo, "commit", "-q", "-m", "集贤县台账")
    assert "正在重新生成网站" in done.stdout + done.stderr  # git shows hook output on stderr
    index = tmp_path / "site" / "counties" / "jixian" / "index.html"
    assert index.is_file()
    head = git(repo, "rev-parse", "--short", "HEAD").stdout.strip()
    revision = tmp_path / "site" / "assets" / "javascripts" / "revision.js"
    assert head in revision.read_text(encoding="utf-8")  # every page shows the new revision


def test_a_commit_without_data_changes_skips_both_hooks(repo, tmp_path):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "台账")
    shutil.rmtree(tmp_path / "site")
    (repo / "README.txt").write_text("说明", encoding="utf-8")
    git(repo, "add", "README.txt")
    done = git(repo, "commit", "-q", "-m", "说明")
    assert "sitegen" not in done.stdout + done.stderr
    assert not (tmp_path / "site").exists()


def test_foreign_hooks_are_not_overwritten(repo):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "hook", "install",
         "--data", str(repo / "data")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
