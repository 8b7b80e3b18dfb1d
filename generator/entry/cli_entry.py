"""The data-entry commands: ``sitegen import``, ``export``, ``schema`` and ``new``.

They share the exit codes of :mod:`generator.cli.main`: 0 success, 1 invalid data (every problem
listed, nothing written), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from generator.diagnostics import Location, Report
from generator.entry.cli_new import new_group
from generator.entry.cli_output import (
    EXIT_DATA,
    data_option,
    print_diagnostics,
    refuse,
    usage_error,
)
from generator.entry.cli_output import (
    say as catalog_say,
)
from generator.entry.exporter import export_workbook
from generator.entry.importer import ImportPlan, apply_plan, kind_of, plan_import
from generator.entry.incoming import UsageProblem, valid_county
from generator.entry.schema import SCHEMA_DIR, render, schema_files
from generator.kinds import FOLDERS, KIND_LABELS, KINDS
from generator.load.config import load_settings
from generator.load.loader import display_path
from generator.messages import listed
from generator.messages import text as catalog_text

MAX_LISTED_ADDED = 30  # a first import adds hundreds: the changes are what needs reading


def say(key: str, lang: str, err: bool = False, **params: object) -> None:
    catalog_say(f"entry.{key}", lang, err, **params)


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--county", required=True, help="县编号，例如 puxian / county id")
@click.option(
    "--kind",
    type=click.Choice([*FOLDERS.values(), *KINDS]),
    help="记录类型（缺省时按工作表名称：组织、党组织、活动……）/ record kind",
)
@click.option("--sheet", help="工作表名称（缺省时自动选择）/ sheet name")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="表头映射文件（每行“表头: 字段”）/ YAML file mapping headers to fields",
)
@click.option("--dry-run", is_flag=True, help="只列出将要新增和修改的记录，不写文件 / plan only")
@data_option
@click.pass_obj
def import_command(
    obj: Any,
    file: Path,
    county: str,
    kind: str | None,
    sheet: str | None,
    mapping: Path | None,
    dry_run: bool,
    data: Path | None,
) -> None:
    """从 Excel（.xlsx）或 .csv 台账导入记录，每条记录写成一个 YAML 文件。

    Import records from a spreadsheet, one YAML file per record, after checking every row.
    """
    report = Report()
    kind = kind_of(kind) if kind else None
    try:
        plan = plan_import(
            obj.project(data, None), county, file, kind, sheet, mapping, obj.today, report
        )
    except UsageProblem as problem:
        raise usage_error(problem, obj.lang) from problem
    if plan is None:
        refuse(report, obj.lang)
    print_diagnostics(report.diagnostics, obj.lang)  # warnings only
    show_plan(plan, file, obj.lang)
    if dry_run:
        say("dry-run", obj.lang)
    else:
        say("written", obj.lang, count=apply_plan(plan))


def show_plan(plan: ImportPlan, file: Path, lang: str) -> None:
    for kind, sheet in plan.sheets:
        label = KIND_LABELS[kind] if lang == "zh" else kind.replace("_", " ")
        say("sheet", lang, kind=label, file=file.name, sheet=sheet)
        changes = [c for c in plan.changes if c.kind == kind]
        added = sum(1 for c in changes if c.status == "added")
        changed = sum(1 for c in changes if c.status == "changed")
        unchanged = len(changes) - added - changed
        kept = plan.kept.get(kind, 0)
        say("counts", lang, added=added, changed=changed, unchanged=unchanged, kept=kept)
        shown_added = 0
        for change in changes:
            if change.status == "unchanged":
                continue
            if change.status == "added":
                shown_added += 1
                if shown_added == MAX_LISTED_ADDED + 1:
                    say("more-added", lang, count=added - MAX_LISTED_ADDED)
                if shown_added > MAX_LISTED_ADDED:
                    continue
            say(change.status, lang, path=display_path(change.write.path), label=change.label)
            for name, old, new in change.diffs:
                title = KINDS[kind].model_fields[name].title or name
                say(
                    "diff",
                    lang,
                    field=name,
                    title=title,
                    old=_shown(old, lang),
                    new=_shown(new, lang),
                )


def _shown(value: object, lang: str) -> str:
    if value is None or value == [] or value == {}:
        return catalog_text("entry.empty", lang)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "、".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@click.command(name="export")
@click.option(
    "--xlsx",
    "xlsx",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="写入的 Excel 文件，例如 puxian.xlsx / the workbook to write",
)
@click.option("--county", help="县编号（只有一个县时可省略）/ county id")
@data_option
@click.pass_obj
def export_command(obj: Any, xlsx: Path, county: str | None, data: Path | None) -> None:
    """把一个县的台账导出为 Excel，每类记录一个工作表，可改后再导入。

    Export a county's ledger as a workbook, one sheet per record kind, re-importable.
    """
    project = obj.project(data, None)
    if county is None:
        counties = sorted(
            p.name for p in project.data_dir.iterdir() if (p / "county.yaml").is_file()
        )
        if len(counties) != 1:
            zh, en = listed(counties)
            raise click.UsageError(f"请用 --county 指定县：{zh} / use --county: {en}")
        county = counties[0]
    report = Report()
    try:
        found = valid_county(project, county, obj.today, report)
    except UsageProblem as problem:
        raise usage_error(problem, obj.lang) from problem
    if found is None:
        refuse(report, obj.lang)
    ledger_county, settings = found
    counts = export_workbook(ledger_county, settings.codes, xlsx)
    shown = "、".join(f"{KIND_LABELS[k]} {n} 条" for k, n in counts.items())
    say(
        "exported",
        obj.lang,
        counts=shown if obj.lang == "zh" else json.dumps(counts),
        path=display_path(xlsx),
    )


@click.command(name="schema")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹（默认 site_config/schemas）/ output folder",
)
@click.option(
    "--check", is_flag=True, help="只检查文件是否最新，不写入 / only check, exit 1 if stale"
)
@click.pass_obj
def schema_command(obj: Any, out: Path | None, check: bool) -> None:
    """生成每类记录的 JSON Schema（含中文说明和代码表），供 VS Code 提示和检查。

    Write the JSON Schema of every record kind, for editors (VS Code's YAML extension).
    """
    report = Report()
    settings = load_settings(obj.root / "site_config", report)
    if settings is None:
        refuse(report, obj.lang)
    out = out or obj.root / SCHEMA_DIR
    files = {name: render(schema) for name, schema in schema_files(settings.codes).items()}
    if check:
        stale = [n for n, text in files.items() if _read(out / n) != text]
        for name in stale:
            report.error(Location(display_path(out / name)), "schema-outdated")
        if stale:
            print_diagnostics(report.diagnostics, obj.lang)
            sys.exit(EXIT_DATA)
        say("schema-current", obj.lang, out=display_path(out))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    say("schema-written", obj.lang, count=len(files), out=display_path(out))


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


ENTRY_COMMANDS = [import_command, export_command, schema_command, new_group]
