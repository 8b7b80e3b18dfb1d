"""``sitegen report export|import``: a county's figures carried to a city or province site.

Exit codes as everywhere: 0 success; 1 the data or the report has problems (every one listed,
nothing written); 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from generator.diagnostics import Report
from generator.entry.cli_output import data_option, exported, imported, revision_shown, say
from generator.load.loader import display_path
from generator.report.export import export_report
from generator.report.importing import import_report


def _say(key: str, lang: str, err: bool = False, **params: object) -> None:
    say(f"report.{key}", lang, err, **params)


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
    project = obj.project(data, None)
    done = exported(lambda: export_report(project, county_id, out, obj.today), obj.lang)
    revision = revision_shown(done.commit, obj.lang)
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
    found = import_report(obj.project(data, None), bundle, dry_run, report)
    done = imported(found, report, dry_run, "report", obj.lang)
    if done is None:
        return
    name = done.report.meta.county.name
    note = done.report.source_note()
    _say(done.status, obj.lang, county=name, note=note, path=display_path(done.path))
