"""Scenario folders of bad data, each with the exact diagnostics ``sitegen validate`` must print.

Layout of a scenario (``tests/scenarios/<name>/``):

- ``data/<county>/...``: a minimal data folder holding one defect (``many-defects``: several);
- ``content/cases/*.md`` when the defect is in a case write-up;
- ``expected.txt``: the exact diagnostic lines on stderr, in the order they are printed;
- ``args.txt`` (optional): the command line after ``sitegen``; default :data:`DEFAULT_ARGS`.

Each scenario runs as its own project: the folder is copied to a temporary directory, the
repository's ``site_config/`` is added (unless the scenario brings its own), and the command
runs there with ``--project .`` and ``--data data``. So paths read ``data/px/orgs/x.yaml:7:12``,
and the repository's own cases (about other counties) stay out of it. To reproduce one by hand::

    cp -r tests/scenarios/<name> /tmp/s && cp -r site_config /tmp/s/ && cd /tmp/s
    sitegen --project . validate --data data
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli.main import cli
from generator.load.yamlsource import MAX_FILE_BYTES
from generator.project import TODAY_VAR

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
DEFAULT_ARGS = "--project . validate --data data"
VALID = "valid-minimal"
# "Today" for every scenario, so date warnings read the same on any day.
TODAY = dt.date(2026, 1, 15)


def _oversized_org() -> bytes:
    """A well-formed record padded with comments to one byte over the size limit."""
    head = "name: 蒲县顺达快递\nkind: economic\nindustry: express_logistics\n".encode()
    pad = b"# padding\n" * ((MAX_FILE_BYTES - len(head)) // 10 + 1)
    return (head + pad)[: MAX_FILE_BYTES + 1]


# Files too big to keep in the repository, written into the scenario's copy before it runs.
GENERATED: dict[str, dict[str, Callable[[], bytes]]] = {
    "file-too-large": {"data/px/orgs/big.yaml": _oversized_org},
}

DIAGNOSTIC = re.compile(r"^(?P<where>[^\s:]+(?::\d+:\d+)?): (?P<code>[a-z0-9-]+): ")


def scenario_names() -> list[str]:
    return sorted(p.name for p in SCENARIOS.iterdir() if (p / "data").is_dir())


def scenario_args(name: str) -> str:
    args_file = SCENARIOS / name / "args.txt"
    return args_file.read_text(encoding="utf-8").strip() if args_file.exists() else DEFAULT_ARGS


def expected_lines(name: str) -> list[str]:
    path = SCENARIOS / name / "expected.txt"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def run_scenario(
    name: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, args: str | None = None
) -> Result:
    """Copy scenario ``name`` into ``workdir`` as a project and run ``sitegen`` there."""
    project = workdir / name
    shutil.copytree(SCENARIOS / name, project)
    if not (project / "site_config").exists():
        shutil.copytree(ROOT / "site_config", project / "site_config")
    for rel, make in GENERATED.get(name, {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(make())
    monkeypatch.chdir(project)
    runner = CliRunner(env={TODAY_VAR: TODAY.isoformat()})  # the build date, as any user gives it
    result = runner.invoke(cli, shlex.split(args or scenario_args(name)))
    # Bad data must never surface as a Python exception: only click's normal exit.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"sitegen raised on scenario {name}") from result.exception
    assert "Traceback" not in result.output
    return result


def split_stderr(result: Result) -> tuple[list[str], list[str]]:
    """(diagnostic lines, the summary lines after them)."""
    lines = result.stderr.splitlines()
    diagnostics = [line for line in lines if DIAGNOSTIC.match(line)]
    rest = lines[len(diagnostics) :]
    assert lines[: len(diagnostics)] == diagnostics, "summary lines must follow the diagnostics"
    return diagnostics, rest


def assert_failure_summary(summary: list[str], diagnostics: list[str], lang: str, strict: bool):
    """The closing lines count the errors and warnings (their wording is the CLI's business)."""
    warning = "警告：" if lang == "zh" else "warning: "
    warnings = sum(1 for line in diagnostics if f": {warning}" in line)
    errors = len(diagnostics) - warnings
    counts = (
        f"发现 {errors} 个错误、{warnings} 个警告"
        if lang == "zh"
        else f"{errors} error(s), {warnings} warning(s)"
    )
    strict_line = (
        "（--strict：警告也按错误处理）" if lang == "zh" else "(--strict: warnings count as errors)"
    )
    assert summary[0].startswith(counts), summary
    assert summary[1:] == ([strict_line] if strict and warnings else [])


BAD = [name for name in scenario_names() if name != VALID]


@pytest.mark.parametrize("name", BAD)
def test_bad_data_is_refused_with_exact_located_messages(name, tmp_path, monkeypatch):
    expected = expected_lines(name)
    assert expected, f"tests/scenarios/{name}/expected.txt is missing or empty"
    result = run_scenario(name, tmp_path, monkeypatch)
    diagnostics, summary = split_stderr(result)
    assert diagnostics == expected
    args = scenario_args(name)
    lang = "en" if "--lang en" in args else "zh"
    assert_failure_summary(summary, expected, lang, strict="--strict" in args)
    assert result.exit_code == 1
    assert result.stdout == ""


def test_valid_minimal_passes(tmp_path, monkeypatch):
    result = run_scenario(VALID, tmp_path, monkeypatch)
    assert result.stderr == ""
    assert "1 个县，8 条记录" in result.stdout  # every record of the folder, none dropped
    assert result.exit_code == 0


@pytest.mark.parametrize("name", BAD)
def test_every_scenario_reads_the_same_in_english(name, tmp_path, monkeypatch):
    """Same places and codes in both languages; every English text renders."""
    args = scenario_args(name).replace("--lang en ", "").replace("--project . ", "")
    zh = run_scenario(name, tmp_path / "zh", monkeypatch, f"--project . --lang zh {args}")
    en = run_scenario(name, tmp_path / "en", monkeypatch, f"--project . --lang en {args}")
    zh_lines, _ = split_stderr(zh)
    en_lines, en_summary = split_stderr(en)
    prefixes = [DIAGNOSTIC.match(line).group(0) for line in zh_lines]
    assert [DIAGNOSTIC.match(line).group(0) for line in en_lines] == prefixes
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese text in English
    for line in en_lines:
        text = line[DIAGNOSTIC.match(line).end() :]
        assert not cjk.search(_without_quoted_data(text)), line
    assert_failure_summary(en_summary, en_lines, "en", strict="--strict" in args)
    assert en.exit_code == 1


def _without_quoted_data(text: str) -> str:
    """Drop the user's own text, which is quoted in “…” or '…' and may well be Chinese."""
    return re.sub(r"“[^”]*”|'[^']*'", "", text)


def test_warnings_alone_do_not_fail_without_strict(tmp_path, monkeypatch):
    """The ``warnings`` scenario fails only under --strict (its args.txt); without it: exit 0."""
    assert "--strict" in scenario_args("warnings")
    result = run_scenario("warnings", tmp_path, monkeypatch, DEFAULT_ARGS)
    assert result.stderr.splitlines() == expected_lines("warnings")
    assert "1 个县，2 条记录" in result.stdout
    assert result.exit_code == 0


def test_the_build_date_is_the_one_given(tmp_path, monkeypatch):
    """SITEGEN_TODAY is the day the checks compare dates with; a day that is no date is a
    usage error (exit 2), not a traceback."""
    project = tmp_path / "warnings"
    shutil.copytree(SCENARIOS / "warnings", project)
    shutil.copytree(ROOT / "site_config", project / "site_config")
    monkeypatch.chdir(project)
    later = CliRunner(env={TODAY_VAR: "2099-02-01"}).invoke(cli, shlex.split(DEFAULT_ARGS))
    assert "date-in-future" not in later.stderr
    assert any("date-in-future" in line for line in expected_lines("warnings"))
    wrong = CliRunner(env={TODAY_VAR: "15.01.2026"}).invoke(cli, shlex.split(DEFAULT_ARGS))
    assert wrong.exit_code == 2
    assert "SITEGEN_TODAY" in wrong.stderr and "Traceback" not in wrong.output


def test_scenario_folders_are_complete():
    """Every scenario has data with a county folder, and nothing else is lying around."""
    for name in scenario_names():
        folder = SCENARIOS / name
        counties = [p for p in (folder / "data").iterdir() if p.is_dir()]
        assert counties, name
        extra = {p.name for p in folder.iterdir()} - {
            "data",
            "content",
            "expected.txt",
            "args.txt",
            "site_config",
        }
        assert not extra, f"{name}: unexpected {sorted(extra)}"
    assert VALID in scenario_names()


def test_the_installed_command_prints_the_same(tmp_path):
    """Through ``python -m generator`` (the real entry point), in a fresh process."""
    name = "many-defects"
    project = tmp_path / name
    shutil.copytree(SCENARIOS / name, project)
    shutil.copytree(ROOT / "site_config", project / "site_config")
    done = subprocess.run(
        [sys.executable, "-m", "generator", *shlex.split(DEFAULT_ARGS)],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    lines = done.stderr.splitlines()
    assert lines[:-1] == expected_lines(name)
    assert_failure_summary(lines[-1:], expected_lines(name), "zh", strict=False)
    assert done.returncode == 1
