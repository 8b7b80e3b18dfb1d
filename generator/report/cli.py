"""``sitegen report export|import``: a county's figures carried to a city or province site.

Exit codes as everywhere: 0 success; 1 the data or the report has problems (every one listed,
nothing written); 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from generator.diagnostics import ConfigError, DataError, Report
from generator.entry.cli_output import data_option, print_diagnostics, refuse
from generator.load.loader import display_path
from generator.report.export import export_report
from generator.report.importing import import_report

_TEXT = {
    "exported": (
        "已导出{county}（{id}）的报送包：{path}（数据版本 {revision}，数据截至 {as_of}）",
        "Exported the report of {county} ({id}): {path} (data revision {revision}, as of {as_of})",
    ),
    "added": (
        "已导入{county}的报送（{note}）：{path}",
        "Imported the report of {county} ({note}): {path}",
    ),
    "updated": (
        "已用新的报送替换{county}的旧报送（{note}）：{path}",
        "Replaced the report of {county} with the newer one ({note}): {path}",
    ),
    "unchanged": (
        "{county}的这份报送已导入过，内容相同，没有改动：{path}",
        "This report of {county} was imported before and is unchanged: {path}",
    ),
    "dry-run": (
        "试运行（--dry-run）：检查通过，没有写入任何文件。",
        "Dry run (--dry-run): the report is fine; nothing was written.",
    ),
}


def _say(key: str, lang: str, **params: object) -> None:
    zh, en = _TEXT[key]
    click.echo((zh if lang == "zh" else en).format(**params))


@click.group(name="report")
def report_group() -> None:
    """县级报送：县导出报送包，市、省导入后与本站各县一起汇总。/ County reports."""


@report_group.command(name="export")
@click.option("--county", "county_id", required=True, metavar="ID", help="县编号 / county id")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="报送包文件（默认 ./<县编号>.report.zip）/ file (default ./<county>.report.zip)",
)
@data_option
@click.pass_obj
def export_command(obj: Any, county_id: str, out: Path | None, data: Path | None) -> None:
    """把一个县的指标、网格指标、月度数据和本期变化导出为带校验的报送包（.zip）。

    Write the county's figures (as its own site computes them), its 本期变化 since its last
    report tag, data revision, as_of and a checksum of every file into one .zip.
    """
    try:
        done = export_report(obj.project(data, None), county_id, out, obj.today)
    except DataError as exc:
        refuse(Report(exc.diagnostics), obj.lang)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    revision = done.commit or ("未纳入 git" if obj.lang == "zh" else "not in git")
    _say(
        "exported",
        obj.lang,
        county=done.county_name,
        id=done.county_id,
        path=display_path(done.path),
        revision=revision,
        as_of=done.as_of.isoformat(),
    )


@report_group.command(name="import")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查，不写文件 / check only, write nothing")
@data_option
@click.pass_obj
def import_command(obj: Any, bundle: Path, dry_run: bool, data: Path | None) -> None:
    """检查一个县的报送包并放入 reports/；sitegen build 随后把该县与本站各县一起展示和汇总。

    Check a county's report as untrusted input and place it under reports/ (beside data/);
    the next build shows the county alongside the ledger counties and rolls it up.
    """
    report = Report()
    done = import_report(obj.project(data, None), bundle, dry_run, report)
    if done is None:
        refuse(report, obj.lang)
    print_diagnostics(report.diagnostics, obj.lang)  # warnings only
    if dry_run:
        _say("dry-run", obj.lang)
        return
    name = done.report.meta.county.name
    note = done.report.source_note()
    _say(done.status, obj.lang, county=name, note=note, path=display_path(done.path))
