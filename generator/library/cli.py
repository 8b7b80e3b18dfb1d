"""``sitegen case export|import``: share a case write-up with another county's site.

Exit codes as everywhere: 0 success; 1 the data or the bundle has problems (every one listed,
nothing written); 2 usage error (no such case, a bad --as id).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from generator.diagnostics import Report
from generator.entry.cli_output import data_option, exported, imported, revision_shown, say
from generator.library.export import export_case
from generator.library.importing import import_case
from generator.load.loader import display_path
from generator.values import ID_RE


def _say(key: str, lang: str, err: bool = False, **params: object) -> None:
    say(f"case.{key}", lang, err, **params)


@click.group(name="case")
def case_group() -> None:
    """案例在县与县之间分享：导出为案例包，导入到另一个网站。/ Share case write-ups."""


@case_group.command(name="export")
@click.argument("case_id", metavar="CASE")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="案例包文件（默认 ./<案例编号>.case.zip）/ bundle file (default ./<case>.case.zip)",
)
@data_option
@click.pass_obj
def export_command(obj: Any, case_id: str, out: Path | None, data: Path | None) -> None:
    """把一个案例（content/cases/<CASE>.md）连同图片、来源县和数据版本导出为案例包。

    Write the case CASE, its images, source county and data revision into one .zip bundle.
    """
    case_id = case_id.removesuffix(".md").rsplit("/", 1)[-1]
    project = obj.project(data, None)
    shared = exported(lambda: export_case(project, case_id, out, obj.today), obj.lang)
    _say(
        "exported",
        obj.lang,
        id=shared.case_id,
        county=shared.county_name,
        revision=revision_shown(shared.revision, obj.lang),
        path=display_path(shared.path),
    )


@case_group.command(name="import")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "new_id", metavar="ID", help="以另一个案例编号导入 / import under this id")
@click.option("--dry-run", is_flag=True, help="只检查，不写文件 / check only, write nothing")
@click.pass_obj
def import_command(obj: Any, bundle: Path, new_id: str | None, dry_run: bool) -> None:
    """导入另一个县导出的案例包到 content/cases/：检查内容安全，保留署名，不覆盖其他案例。

    Import a case bundle into content/cases/: checked like the site's own cases, attribution
    kept, figures frozen to their exported values, never overwriting a different case.
    """
    if new_id is not None and not ID_RE.match(new_id):
        raise click.BadParameter(
            "只能用小写字母、数字和连字符，例如 puxian-three-ways-2 / lowercase, digits, hyphens",
            param_hint="--as",
        )
    report = Report()
    found = import_case(obj.project(None, None), bundle, new_id, dry_run, report)
    shared = imported(found, report, dry_run, "case", obj.lang)
    if shared is None:
        return
    path = display_path(shared.path)
    _say(shared.status, obj.lang, id=shared.case_id, county=shared.county_name, path=path)
