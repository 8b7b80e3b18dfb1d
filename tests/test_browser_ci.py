"""In CI a browser test never passes by skipping: a missing Chromium or tool fails the run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from browsing import missing  # noqa: E402


def test_a_missing_browser_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: no chromium"):
        missing("no chromium")


def test_a_missing_browser_is_skipped_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        missing("no chromium")


def test_ci_runs_with_ci_true():
    assert "export CI=true" in (Path(__file__).resolve().parents[1] / ".ci/run").read_text()
