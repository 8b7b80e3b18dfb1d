"""The CI templates shipped for counties: valid YAML that runs the commands sitegen has."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
