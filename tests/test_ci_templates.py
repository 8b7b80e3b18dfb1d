"""The CI templates shipped for counties: valid YAML that runs the commands sitegen has."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_github_workflow_validates_and_publishes():
    flow = yaml.safe_load((ROOT / "ci-templates/github/workflows/progress-site.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "sitegen validate --strict --format github" in runs  # warnings block too
    assert any(r.startswith("sitegen build") for r in runs)
    assert steps[0]["with"]["fetch-depth"] == 0
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_gitlab_ci_reports_code_quality_and_publishes_pages():
    ci = yaml.safe_load((ROOT / "ci-templates/gitlab-ci.yml").read_text())
    assert "--format codequality" in ci["validate"]["script"][0]
    assert ci["validate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["pages"]["script"] == ["sitegen build --out public"]


def test_ci_formats_locate_errors(tmp_path):
    data = tmp_path / "data" / "demo"
    (data / "orgs").mkdir(parents=True)
    (data / "county.yaml").write_text("name: 示例县\n", encoding="utf-8")
    (data / "orgs" / "a.yaml").write_text("name: 甲\nkind: economic\nindustry: nope\n", "utf-8")

    def run(fmt: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "generator", "--project", str(ROOT), "validate",
             "--data", str(tmp_path / "data"), "--format", fmt],
            capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip

    github = run("github")
    assert github.returncode == 1
    annotation = "::error file=data/demo/orgs/a.yaml,line=3,col=11::unknown-code:"
    assert f"\n{annotation}" in github.stdout
    quality = run("codequality")
    [issue] = [i for i in json.loads(quality.stdout) if i["check_name"] == "unknown-code"]
    assert issue["location"] == {"path": "data/demo/orgs/a.yaml", "lines": {"begin": 3}}
    assert issue["severity"] == "major"


GITHUB = ROOT / "ci-templates/github/workflows/progress-site.yml"
GITLAB = ROOT / "ci-templates/gitlab-ci.yml"


@pytest.mark.parametrize(
    ("template", "schema"), [(GITHUB, "github-workflows"), (GITLAB, "gitlab-ci")]
)
def test_templates_pass_the_ci_services_schemas_offline(template, schema):
    # check-jsonschema ships these schemas: a dead proxy proves nothing is downloaded
    offline = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}",
         str(template)],
        capture_output=True, text=True, env=offline,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_a_github_deployment_is_never_cancelled_half_way():
    flow = yaml.safe_load(GITHUB.read_text())
    assert "concurrency" not in flow  # not one group over build and deployment
    assert flow["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False
    build = flow["jobs"]["build"]["concurrency"]
    assert build["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_both_templates_keep_pip_and_sitegen_caches():
    flow = yaml.safe_load(GITHUB.read_text())
    [cache] = [
        s for s in flow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/cache")
    ]
    assert cache["with"]["path"].split() == ["~/.cache/pip", ".cache/sitegen"]
    assert cache["with"]["restore-keys"]  # a new commit starts from the last cache
    ci = yaml.safe_load(GITLAB.read_text())
    assert ci["cache"]["paths"] == [".cache/pip", ".cache/sitegen"]
    assert ci["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"


def test_gitlab_makes_one_pipeline_per_push_and_deploys_one_at_a_time():
    ci = yaml.safe_load(GITLAB.read_text())
    rules = ci["workflow"]["rules"]
    assert {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"} in rules
    assert ci["pages"]["interruptible"] is False and ci["pages"]["resource_group"] == "pages"


def _install_commands(lines: str, **variables: str) -> str:
    """What the template's install step runs, with pip replaced by echo."""
    env = {"PATH": os.environ["PATH"], "SITEGEN_REQUIREMENT": "two-coverages-sitegen"}
    env.update(variables)
    script = lines.replace("pip install", "echo pip install")
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env).stdout


@pytest.mark.parametrize("template", ["github", "gitlab"])
def test_intranet_runners_install_from_a_mirror_or_a_wheelhouse(template):
    if template == "github":
        flow = yaml.safe_load(GITHUB.read_text())
        [step] = [s for s in flow["jobs"]["build"]["steps"] if s.get("name") == "Install sitegen"]
        lines = step["run"]
    else:
        lines = "\n".join(yaml.safe_load(GITLAB.read_text())["before_script"])
    assert _install_commands(lines) == "pip install two-coverages-sitegen\n"
    assert (
        _install_commands(lines, SITEGEN_WHEELHOUSE="/srv/wheels")
        == "pip install --no-index --find-links /srv/wheels two-coverages-sitegen\n"
    )
    assert (
        _install_commands(lines, SITEGEN_INDEX_URL="http://pypi.intranet/simple")
        == "pip install --index-url http://pypi.intranet/simple two-coverages-sitegen\n"
    )
