"""``sitegen followups``: the follow-up list (台账体检) for clerks, as ``file:line: rule: detail``
lines or as the CSV of the site's download."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.build.checked import load_and_validate
from generator.compute.figures import data_date
from generator.compute.followups import RULES_BY_CODE, Followup, county_followups
from generator.entry.cli_output import EXIT_USAGE, data_option, refuse, say, unknown_county
from generator.load.gitinfo import data_revision, last_commit_dates
from generator.load.loader import display_path
from generator.messages import listed
from generator.render.downloads import followup_rows, followups_csv


@click.command("followups")
@data_option
@click.option("--county", "county_id", metavar="ID", help="只列这个县 / only this county")
@click.option("--grid", "grid_id", metavar="ID", help="只列这个网格 / only this grid")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "csv"]),
    default="text",
    show_default=True,
    help="text：每行 文件:行号: 规则: 情况；csv：与网站下载的 followups.csv 相同的列 / "
    "lines for people, or the CSV of the site's download",
)
@click.pass_obj
def followups_command(
    obj, data: Path | None, county_id: str | None, grid_id: str | None, output_format: str
) -> None:
    """台账体检：列出各网格需要跟进的组织、党组织和诉求（规则见方法说明页）。/ List what each
    grid must follow up (the follow-up rules of the methodology page)."""
    project = obj.project(data, None)
    checked = load_and_validate(project, obj.today)
    if checked.report.errors:
        refuse(checked.report, obj.lang, "followups.invalid")
    units = checked.units
    if county_id is not None:
        ids = [u.id for u in units]
        if county_id not in ids:
            unknown_county(county_id, ids, obj.lang)
        units = [u for u in units if u.id == county_id]
    if grid_id is not None:
        grids = sorted({g for u in units for g in u.checked.view.grids})
        if grid_id not in grids:
            where = (
                (f"{units[0].checked.view.county.name}", f"{units[0].id}: ")
                if county_id
                else ("", "")
            )
            _usage(obj.lang, "unknown-grid", value=grid_id, allowed=listed(grids, grid_id),
                   where=where)  # fmt: skip
    revision = data_revision(project.data_dir, dirty=checked.git_dirty)
    revision_day = revision.date.date() if revision.date else None
    as_of = data_date([u.checked.dates for u in checked.units], revision_day)
    in_git = checked.git_dirty is not None
    commits = last_commit_dates(project.data_dir, [u.id for u in units]) if in_git else None
    root = display_path(project.data_dir)
    items: list[Followup] = []
    for unit in units:
        last = commits.get(unit.id, {}) if commits is not None else None
        found = county_followups(
            checked.county_ledger(unit), checked.settings.site.followups, as_of, root, last
        )
        items += [x for x in found if grid_id is None or x.grid == grid_id]
    if output_format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(followups_csv([followup_rows(items)]))  # as the download
    else:
        for x in items:
            click.echo(f"{x.file}:{x.line}: {x.rule}: {x.detail}（{x.name}）")
    counts = {code: sum(1 for x in items if x.rule == code) for code in RULES_BY_CODE}
    shown = "，".join(f"{RULES_BY_CODE[c].label} {n}" for c, n in counts.items() if n)
    shown_en = ", ".join(f"{c} {n}" for c, n in counts.items() if n)
    zh, en = (f"：{shown}", f": {shown_en}") if items else ("", "")
    say("followups.summary", obj.lang, err=True, total=len(items), as_of=as_of,
        counts=zh if obj.lang == "zh" else en)  # fmt: skip
    if commits is None:
        say("followups.stale-skipped", obj.lang, err=True)


def _usage(lang: str, key: str, **params: object) -> None:
    localized = {k: (v[0] if lang == "zh" else v[1]) if isinstance(v, tuple) else v
                 for k, v in params.items()}  # fmt: skip
    say(f"followups.{key}", lang, err=True, **localized)
    sys.exit(EXIT_USAGE)
