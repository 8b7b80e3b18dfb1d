"""The Makefile's set-up: `make site` installs what building needs, `make test` the test tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def planned(target: str, venv: Path) -> str:
    """The commands ``make TARGET`` would run for a virtualenv that does not exist yet."""
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, f"VENV={venv}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def test_make_site_installs_the_tool_without_the_test_tools(tmp_path):
    commands = planned("site", tmp_path / "venv")
    assert "pip install --quiet -e .\n" in commands
    assert "[test]" not in commands
    assert "sitegen build" in commands


def test_make_test_adds_the_test_tools(tmp_path):
    commands = planned("test", tmp_path / "venv")
    assert 'pip install --quiet -e ".[test]"' in commands
    assert commands.index("-e .\n") < commands.index('-e ".[test]"')
    assert "pytest" in commands


def test_make_test_lints_then_checks_types_then_tests(tmp_path):
    bin_dir = tmp_path / "venv" / "bin"
    commands = planned("test", tmp_path / "venv").splitlines()

    def first(command: str) -> int:
        return next(i for i, line in enumerate(commands) if line.startswith(f"{bin_dir}/{command}"))

    assert first("ruff check") < first("mypy") < first("python -m pytest")


def test_a_site_virtualenv_gains_the_test_tools_once(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()  # as `make site` leaves it
    commands = planned("lint", venv)
    assert '-e ".[test]"' in commands and "-m venv" not in commands
