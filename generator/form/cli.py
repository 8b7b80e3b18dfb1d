"""``sitegen form TEMPLATE.xlsx``: the superior's statistics form, filled from the figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.brief.cli import gather, period_option, say
from generator.diagnostics import DataError
from generator.entry.cli_output import data_option, print_diagnostics
from generator.form.make import TemplateUnreadable, fill_form
from generator.messages import text

EXIT_DATA = 1


@click.command(name="form")
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_option
@period_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件（默认 <模板名>-<日期>.xlsx）/ output .xlsx",
)
@click.pass_obj
def form_command(
    obj,
    template: Path,
    data: Path | None,
    period: str | None,
    compare_to: str | None,
    out: Path | None,
) -> None:
    """按上级报表模板（.xlsx）填报：{{ overall.orgs_total }}、每县一行的 {{ row.name }}……

    Fill the superior's form template with the figures of the reporting period."""
    site = gather(obj, data, period, compare_to)
    out = out or Path(f"{template.stem}-{site.sm.as_of.isoformat()}.xlsx")
    try:
        filled = fill_form(template.read_bytes(), template.name, site)
    except TemplateUnreadable as exc:
        message = text("form.unreadable", obj.lang, path=template, error=exc)
        raise click.UsageError(message) from exc
    except DataError as exc:
        print_diagnostics(exc.diagnostics, obj.lang)
        click.echo(text("form.refused", obj.lang, errors=len(exc.diagnostics)), err=True)
        sys.exit(EXIT_DATA)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(filled)
    say("written", obj.lang, path=out)
