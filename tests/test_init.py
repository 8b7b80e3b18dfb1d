"""``sitegen init``: a county's own ledger repository that builds at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "clerk",
    "GIT_AUTHOR_EMAIL": "clerk@example.invalid",
    "GIT_COMMITTER_NAME": "clerk",
    "GIT_COMMITTER_EMAIL": "clerk@example.invalid",
}


def sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, env=ENV
    )


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("init")
    done = sitegen(
        "init", "daning", "--county", "daning", "--name", "大宁县", "--province", "山西省",
        "--city", "临汾市", "--division-code", "141030", "--ci", "gitlab", cwd=where,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return where / "daning"


def test_init_writes_a_county_of_its_own(county):
    record = yaml.safe_load((county / "data/daning/county.yaml").read_text(encoding="utf-8"))
    assert record == {
        "name": "大宁县",
        "province": "山西省",
        "city": "临汾市",
        "division_code": "141030",
    }
    site = yaml.safe_load((county / "site_config/site.yaml").read_text(encoding="utf-8"))
    assert site["sample_data"] is False
    assert site["brief"]["issuer"] == "大宁县新兴领域“两个覆盖”工作专班"
    for folder in ("grids", "orgs", "party_orgs", "activities", "needs", "service_centers"):
        assert (county / "data/daning" / folder).is_dir(), folder
    assert (county / "content/cases").is_dir()
    assert (county / ".gitlab-ci.yml").is_file() and not (county / ".github").exists()
    settings = json.loads((county / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (county / schema).is_file(), schema
    readme = (county / "README.md").read_text(encoding="utf-8")
    assert "git tag report-" in readme and "sitegen validate" in readme and "daning" in readme
    assert "site/" in (county / ".gitignore").read_text(encoding="utf-8").split()
    # nothing of the sample
    assert not (county / "data/puxian").exists() and not list(
        (county / "content/cases").glob("*.md")
    )


def test_init_makes_a_first_commit(county):
    files = subprocess.run(
        ["git", "-C", str(county), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "data/daning/county.yaml" in files and "data/daning/orgs/.gitkeep" in files
    status = subprocess.run(
        ["git", "-C", str(county), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == ""


def test_the_new_repository_validates_and_builds_at_once(county):
    checked = sitegen("validate", cwd=county)
    assert checked.returncode == 0, checked.stderr
    assert "1 个县，0 条记录" in checked.stdout
    built = sitegen("build", cwd=county)
    assert built.returncode == 0, built.stderr
    page = (county / "site/counties/daning/index.html").read_text(encoding="utf-8")
    assert "大宁县" in page
    assert "虚构" not in (county / "site/index.html").read_text(encoding="utf-8")
    assert "warning" not in built.stderr.lower() and "警告" not in built.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--county", "Da Ning", "--name", "大宁县"], "--county"),
        (["--county", "daning", "--name", "大宁县", "--division-code", "1410"], "--division-code"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, args, message):
    done = sitegen("init", "new", *args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / "new").exists()


def test_a_folder_that_is_not_empty_is_left_alone(tmp_path):
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "notes.txt").write_text("重要", encoding="utf-8")
    done = sitegen("init", "ledger", "--county", "daning", "--name", "大宁县", cwd=tmp_path)
    assert done.returncode == 2 and "不是空文件夹" in done.stderr
    assert [p.name for p in (tmp_path / "ledger").iterdir()] == ["notes.txt"]


def test_the_github_ci_file(tmp_path):
    done = sitegen("init", "x", "--county", "x", "--name", "某县", "--ci", "github", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x/.github/workflows/progress-site.yml").is_file()
    assert shutil.which("git") is None or (tmp_path / "x/.git").is_dir()
