"""What the commands that read the data share: the --data option, how problems are printed,
and how an export or an import of a bundle (a case, a county's report) ends."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from generator.diagnostics import ConfigError, DataError, Diagnostic, Report
from generator.entry.incoming import UsageProblem
from generator.messages import listed, render_message, text

EXIT_DATA, EXIT_USAGE = 1, 2
T = TypeVar("T")


_DATA_TYPE = click.Path(exists=True, file_okay=False, path_type=Path)
_DATA_HELP = "数据文件夹（默认 ./data）/ data folder (default ./data)"
data_option = click.option("--data", type=_DATA_TYPE, help=_DATA_HELP)


def data_param() -> click.Option:
    return click.Option(["--data"], type=_DATA_TYPE, help=_DATA_HELP)


def say(key: str, lang: str, err: bool = False, **params: object) -> None:
    """Print the catalog text ``key`` (:mod:`generator.texts`) in ``lang``."""
    click.echo(text(key, lang, **params), err=err)


def print_diagnostics(diagnostics: list[Diagnostic], lang: str) -> None:
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        click.echo(d.format(lang), err=True)


def usage_error(problem: UsageProblem, lang: str) -> click.UsageError:
    return click.UsageError(render_message(problem.code, problem.params, lang))


def refuse(report: Report, lang: str, key: str = "data.refused") -> NoReturn:
    """Print every problem and the catalog's ``key`` (counts), and stop with exit code 1."""
    print_diagnostics(report.diagnostics, lang)
    say(key, lang, err=True, errors=len(report.errors), warnings=len(report.warnings))
    sys.exit(EXIT_DATA)


def unknown_county(value: str, known: list[str], lang: str) -> NoReturn:
    """There is no county ``value``: name the ones there are (look-alikes first), exit 2."""
    zh, en = listed(known, value)
    say("data.unknown-county", lang, err=True, value=value, allowed=zh if lang == "zh" else en)
    sys.exit(EXIT_USAGE)


def revision_shown(commit: str | None, lang: str) -> str:
    """A data revision as the commands print it (the data may not be in git)."""
    return commit or text("data.not-in-git", lang)


def exported(make: Callable[[], T], lang: str) -> T:
    """An export's outcome: bad data lists every problem (exit 1), a bad argument exit 2."""
    try:
        return make()
    except DataError as exc:
        refuse(Report(exc.diagnostics), lang)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def imported(done: T | None, report: Report, dry_run: bool, command: str, lang: str) -> T | None:
    """An import's outcome to tell (None: nothing more to say): refused with every problem
    (exit 1), else its warnings, and for a dry run the catalog's ``<command>.dry-run``."""
    if done is None:
        refuse(report, lang)
    print_diagnostics(report.diagnostics, lang)  # warnings only
    if dry_run:
        say(f"{command}.dry-run", lang)
        return None
    return done
