"""``sitegen new county|grid|org|party-org|activity|need|service-center|case``.

One option per field, named after it (``--name``, ``--industry``, ``--visited-on``); with ``-i``,
or on a terminal when a required value is missing, every field is asked in turn instead.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click
from pydantic import BaseModel

from generator.diagnostics import Report
from generator.entry.cli_output import data_param, print_diagnostics, refuse, usage_error
from generator.entry.columns import field_specs
from generator.entry.incoming import UsageProblem
from generator.entry.newrecord import MODELS, create_record, option_name
from generator.entry.scaffold import KIND_LABELS, NESTED_EXAMPLES
from generator.load.config import CodeLists
from generator.load.loader import display_path

_ASKED_ELSEWHERE = {"id", "county"}
_HINTS = {
    "date": "：2025-06-12 或 2025年6月12日",
    "choice": "：代码或中文名称",
    "code": "：代码或中文名称",
    "choices": "：多项用“、”分隔",
    "refs": "：编号或名称，多项用“、”分隔",
    "texts": "：多项用“、”分隔",
    "ref": "：编号或名称",
    "code-count": "：代码=数量，如 收集需求=6、needs_collected=6",
}  # --id and --county are options of their own


def _ask(model: type[BaseModel], answers: dict[str, Any], today: dt.date) -> None:
    """Ask each field not answered yet; required ones until answered, optional ones may be empty."""
    for name, info in model.model_fields.items():
        if name in answers or name in _ASKED_ELSEWHERE or name in NESTED_EXAMPLES:
            continue
        required = info.is_required()
        prompt = f"{info.title or name}（{name}）" + ("" if required else "，回车跳过")
        default = today.isoformat() if name == "date" else None if required else ""
        value = click.prompt(prompt, default=default, show_default=bool(default), type=str)
        if value.strip():
            answers[name] = value


def _run(kind: str, obj: Any, options: dict[str, Any]) -> None:
    model, report = MODELS[kind], Report()
    project = obj.project(options.pop("data"), None)
    county_id, interactive = options.pop("county", None), options.pop("interactive")
    answers = {k: v for k, v in options.items() if v is not None}
    required = [
        n for n, i in model.model_fields.items() if i.is_required() and n not in _ASKED_ELSEWHERE
    ]
    if kind == "county":
        required.insert(0, "id")
    if kind == "case":
        required.remove("date")  # today, unless given
    if interactive or (sys.stdin.isatty() and any(n not in answers for n in required)):
        if kind == "county" and "id" not in answers:
            answers["id"] = click.prompt("县编号（id，即文件夹名，例如 puxian）", type=str)
        _ask(model, answers, obj.today)
    missing = [option_name(n) for n in required if n not in answers]
    if kind != "county" and not county_id:
        missing.insert(0, "--county")
    if missing:
        raise click.UsageError(
            f"缺少 {' '.join(missing)}（或加 -i 逐项回答） / missing {' '.join(missing)} (or use -i)"
        )
    try:
        path = create_record(project, kind, county_id, answers, obj.today, report)
    except UsageProblem as problem:
        raise usage_error(problem, obj.lang) from problem
    if path is None:
        refuse(report, obj.lang)
    print_diagnostics(report.diagnostics, obj.lang)
    click.echo(f"已新建 / created: {display_path(path)}")


def _command(kind: str) -> click.Command:
    model = MODELS[kind]
    label = KIND_LABELS[kind]
    shapes = {s.path[0]: s.shape for s in field_specs(kind, CodeLists(), model)}
    params: list[click.Parameter] = []
    if kind != "county":
        params.append(click.Option(["--county"], help="县编号 / county id"))
    id_help = "县编号（文件夹名）" if kind == "county" else "编号（缺省时按名称自动生成）"
    params.append(click.Option(["--id"], help=f"{id_help} / id"))
    for name, info in model.model_fields.items():
        if name in _ASKED_ELSEWHERE or name in NESTED_EXAMPLES:
            continue
        help_text = f"{info.title}（{'必填' if info.is_required() else '可选'}）"
        help_text += _HINTS.get(shapes.get(name, "code-count"), "")
        params.append(click.Option([option_name(name), name], help=help_text))
    params.append(click.Option(["-i", "--interactive"], is_flag=True, help="逐项提问 / ask"))
    params.append(data_param())

    @click.pass_obj
    def callback(obj: Any, **options: Any) -> None:
        _run(kind, obj, options)

    name = kind.replace("_", "-")
    return click.Command(
        name,
        params=params,
        callback=callback,
        help=f"新建{label}文件（带注释）。/ Create a new {kind.replace('_', ' ')} file.",
    )


@click.group(name="new")
def new_group() -> None:
    """新建一条记录：带注释的 YAML 文件，或一篇案例。/ Create a new record file or case."""


for _kind in MODELS:
    new_group.add_command(_command(_kind))
