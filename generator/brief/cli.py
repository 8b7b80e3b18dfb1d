"""``sitegen brief``: the period brief as .docx (and PDF), from the site's own figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.brief.sources import (
    SiteFigures,
    base_of,
    figures_of,
    ledger_at,
    reports_at,
    tag_before,
)
from generator.build.cache import cache_root
from generator.build.checked import load_and_validate
from generator.compute.changes import report_tags
from generator.compute.figures import data_date
from generator.diagnostics import BuildError, ConfigError, Report
from generator.entry.cli_output import (
    EXIT_USAGE,
    data_option,
    print_diagnostics,
    refuse,
    unknown_county,
)
from generator.entry.cli_output import say as catalog_say
from generator.library.cases import load_cases
from generator.load.config import load_settings
from generator.load.gitinfo import Revision, data_revision
from generator.messages import text

EXIT_BUILD = 3


def say(key: str, lang: str, err: bool = False, **params: object) -> None:
    catalog_say(f"brief.{key}", lang, err, **params)


def period_option(f):
    f = click.option(
        "--compare-to",
        metavar="REV",
        help="与哪个版本对比（默认：该报告期之前的一个报告期标签）/ revision to compare with",
    )(f)
    return click.option(
        "--period",
        metavar="TAG",
        help="报告期标签，如 report-2025-q4（默认：最新的报告期标签；没有标签时为当前数据）/ "
        "reporting tag (default: the newest; the current data when there is none)",
    )(f)


def gather(obj, data: Path | None, period: str | None, compare_to: str | None) -> SiteFigures:
    """The figures of the reporting period: the data at ``period`` (default: the newest
    report tag) compared with ``compare_to`` (default: the report tag before it); without
    any report tag, the data folder as it is now. Exits with 1 on invalid data."""
    project = obj.project(data, None)
    report = Report()
    settings = load_settings(project.config_dir, report)
    if settings is None:
        refuse(report, obj.lang)
    pattern = settings.site.reporting.tag_pattern
    try:
        period = period or next(iter(report_tags(project.data_dir, pattern)), None)
        if period is None:
            checked = load_and_validate(project, obj.today)
            if checked.report.errors:
                refuse(checked.report, obj.lang)
            print_diagnostics(checked.report.warnings, obj.lang)
            revision = data_revision(project.data_dir, dirty=checked.git_dirty)
            as_of = data_date(checked.dates, revision.date.date() if revision.date else None)
            base = base_of(project.data_dir, compare_to) if compare_to else None
            site = figures_of(
                checked.ledger, settings, checked.cases, revision, as_of, base,
                checked.reports, _report_changes(project, checked.reports, base),
            )  # fmt: skip
        else:
            ledger, commit, date = ledger_at(project.data_dir, period)
            compare_to = compare_to or tag_before(project.data_dir, pattern, period)
            base = base_of(project.data_dir, compare_to) if compare_to else None
            # the counties that came as reports, as the site had them then (reports/ in git)
            reports = reports_at(project.data_dir, project.reports_dir, period, settings, ledger)
            roster_report = Report()
            from generator.load.ledger import Roster

            roster = Roster([c.view() for c in ledger.counties] + [r.view for r in reports])
            cases = load_cases(project.content_dir / "cases", roster, roster_report, settings)
            revision = Revision(commit, date)
            site = figures_of(
                ledger, settings, cases, revision, date.date(), base,
                reports, _report_changes(project, reports, base),
            )  # fmt: skip
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    shown = revision.commit or "—"
    current = text("brief.current", obj.lang)
    if site.changes is not None:
        say(
            "period",
            obj.lang,
            True,
            period=period or current,
            base=site.changes.base,
            revision=shown,
        )
    else:
        say("period-alone", obj.lang, True, period=period or current, revision=shown)
    return site


def _report_changes(project, reports, base) -> list:
    """The report counties' changes since ``base``, as 本期变化 shows them."""
    from generator.build.reports import report_change

    if base is None:
        return []
    return [report_change(project.reports_dir, found, base[1]) for found in reports]


def check_counties(site: SiteFigures, county_ids: tuple[str, ...], lang: str) -> None:
    known = [c.id for c in site.roster.counties]
    for county_id in county_ids:
        if county_id not in known:
            unknown_county(county_id, known, lang)


@click.command(name="brief")
@data_option
@click.option(
    "--county",
    "county_ids",
    multiple=True,
    metavar="ID",
    help="只写这个县（可重复；默认：全部县及各县情况）/ only this county (repeatable)",
)
@period_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件（默认 简报-<日期>.docx）/ output .docx",
)
@click.option(
    "--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（嵌入字体）/ also write a PDF"
)
@click.pass_obj
def brief_command(
    obj,
    data: Path | None,
    county_ids: tuple[str, ...],
    period: str | None,
    compare_to: str | None,
    out: Path | None,
    pdf: bool,
) -> None:
    """生成报告期工作简报（Word，GB/T 9704 公文格式）。/ Write the period brief (.docx)."""
    site = gather(obj, data, period, compare_to)
    check_counties(site, county_ids, obj.lang)
    chosen = list(dict.fromkeys(county_ids)) or None
    stem = "简报-" + ("-".join(chosen) + "-" if chosen else "") + site.sm.as_of.isoformat()
    out = out or Path(f"{stem}.docx")
    # python-docx and matplotlib (the brief's charts): imported by this command only, not by
    # every sitegen start (a rebuild from the post-commit hook paid 0.8 s for them)
    from generator.brief.make import make_brief
    from generator.brief.pdf import NoOffice, convert_to_pdf

    try:
        document = make_brief(site, chosen, cache_root(obj.root) / "brief-charts")
    except BuildError as exc:
        say("failed", obj.lang, err=True, error=exc)
        sys.exit(EXIT_BUILD)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(document)
    say("written", obj.lang, path=out)
    if pdf:
        try:
            convert_to_pdf(out, out.with_suffix(".pdf"))
        except NoOffice:
            say("no-office", obj.lang, err=True)
            sys.exit(EXIT_USAGE)
        except BuildError as exc:
            say("failed", obj.lang, err=True, error=exc)
            sys.exit(EXIT_BUILD)
        say("written", obj.lang, path=out.with_suffix(".pdf"))
