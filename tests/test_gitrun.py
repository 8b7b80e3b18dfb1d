"""One git runner: every git call has the same timeout and the same rule for failures."""

from __future__ import annotations

import re
from pathlib import Path

from generator import gitrun
from generator.load.gitinfo import data_revision

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def test_no_module_starts_git_but_the_runner():
    starts_git = re.compile(r"""subprocess\.\w+\(\s*\[\s*["']git["']""")
    offenders = [
        path.relative_to(GENERATOR).as_posix()
        for path in GENERATOR.rglob("*.py")
        if path.name != "gitrun.py" and starts_git.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_missing_git_is_a_failed_result(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    done = gitrun.run_git(tmp_path, "status")
    assert done.returncode == gitrun.GIT_MISSING and done.stderr
    assert data_revision(tmp_path).commit is None  # a site without a revision, no traceback


def test_a_stuck_git_times_out(tmp_path, monkeypatch):
    fake = tmp_path / "git"
    fake.write_text("#!/bin/sh\nexec /bin/sleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(gitrun, "GIT_TIMEOUT", 0.2)
    done = gitrun.run_git(tmp_path, "log")
    assert done.returncode == gitrun.GIT_MISSING and "timed out" in done.stderr
