"""What the data-entry commands share: the --data option and how problems are printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from generator.diagnostics import Diagnostic, Report
from generator.entry.incoming import UsageProblem
from generator.messages import render_message, text

EXIT_DATA = 1

_REFUSED = (
    "发现 {errors} 个错误、{warnings} 个警告。没有写入任何文件，请改正后重试。",
    "{errors} error(s), {warnings} warning(s). Nothing was written; fix them and try again.",
)


_DATA_TYPE = click.Path(exists=True, file_okay=False, path_type=Path)
_DATA_HELP = "数据文件夹（默认 ./data）/ data folder (default ./data)"
data_option = click.option("--data", type=_DATA_TYPE, help=_DATA_HELP)


def data_param() -> click.Option:
    return click.Option(["--data"], type=_DATA_TYPE, help=_DATA_HELP)


def echo_text(
    table: dict[str, tuple[str, str]], key: str, lang: str, err: bool = False, **params: object
) -> None:
    """Print the (zh, en) text ``table[key]`` in ``lang`` (a command's own table: the catalog's
    :func:`say` is the place for new texts)."""
    zh, en = table[key]
    click.echo((zh if lang == "zh" else en).format(**params), err=err)


def say(key: str, lang: str, err: bool = False, **params: object) -> None:
    """Print the catalog text ``key`` (:mod:`generator.texts`) in ``lang``."""
    click.echo(text(key, lang, **params), err=err)


def print_diagnostics(diagnostics: list[Diagnostic], lang: str) -> None:
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        click.echo(d.format(lang), err=True)


def usage_error(problem: UsageProblem, lang: str) -> click.UsageError:
    return click.UsageError(render_message(problem.code, problem.params, lang))


def refuse(report: Report, lang: str) -> NoReturn:
    """Print every problem and stop with exit code 1: nothing was written."""
    print_diagnostics(report.diagnostics, lang)
    zh, en = _REFUSED
    text = zh if lang == "zh" else en
    click.echo(text.format(errors=len(report.errors), warnings=len(report.warnings)), err=True)
    sys.exit(EXIT_DATA)
