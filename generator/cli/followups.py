"""``sitegen followups``: the follow-up list (台账体检) for clerks, as ``file:line: rule: detail``
lines or as the CSV of the site's download."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.build.checked import load_and_validate
from generator.compute.figures import data_date
from generator.compute.followups import RULES_BY_CODE, Followup, county_followups
from generator.entry.cli_output import data_option, echo_text, print_diagnostics
from generator.load.gitinfo import data_revision, last_commit_dates
from generator.load.loader import display_path
from generator.messages import listed
from generator.project import today
from generator.render.downloads import followup_rows, followups_csv

EXIT_DATA, EXIT_USAGE = 1, 2

TEXT = {
    "invalid": (
        "发现 {errors} 个错误、{warnings} 个警告，请按上面的提示修改后再做台账体检。",
        "{errors} error(s), {warnings} warning(s): fix them as the lines above say, then run "
        "the follow-ups again.",
    ),
    "unknown-county": (
        "没有县 “{value}”——可用的县：{allowed}",
        "there is no county “{value}” - available: {allowed}",
    ),
    "unknown-grid": (
        "{where}没有网格 “{value}”——可用的网格：{allowed}",
        "{where_en}there is no grid “{value}” - available: {allowed}",
    ),
    "summary": (
        "共 {total} 项待跟进（数据截至 {as_of}）{counts}",
        "{total} item(s) to follow up (data as of {as_of}){counts}",
    ),
    "stale-skipped": (
        "数据文件夹不在 git 仓库中，“台账久未更新”（ledger-stale）没有检查。",
        "the data folder is not in git: ledger-stale was not checked.",
    ),
}


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
    checked = load_and_validate(project, today())
    report = checked.report
    if report.errors:
        print_diagnostics(report.diagnostics, obj.lang)
        errors, warnings = len(report.errors), len(report.warnings)
        echo_text(TEXT, "invalid", obj.lang, err=True, errors=errors, warnings=warnings)
        sys.exit(EXIT_DATA)
    units = checked.units
    if county_id is not None:
        ids = [u.id for u in units]
        if county_id not in ids:
            _usage(obj.lang, "unknown-county", value=county_id, allowed=listed(ids, county_id))
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
                   where=where[0], where_en=where[1])  # fmt: skip
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
    echo_text(TEXT, "summary", obj.lang, err=True, total=len(items), as_of=as_of,
              counts=zh if obj.lang == "zh" else en)  # fmt: skip
    if commits is None:
        echo_text(TEXT, "stale-skipped", obj.lang, err=True)


def _usage(lang: str, key: str, **params: object) -> None:
    localized = {k: (v[0] if lang == "zh" else v[1]) if isinstance(v, tuple) else v
                 for k, v in params.items()}  # fmt: skip
    echo_text(TEXT, key, lang, err=True, **localized)
    sys.exit(EXIT_USAGE)
