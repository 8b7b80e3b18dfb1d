"""The text of a new record file: every field written out and explained in a comment.

Fields with a value are written as values; the others are commented out (``# grid:``) with what
they mean and what they accept, so a clerk fills one in by deleting the ``# ``. The text is read
back with the loader's parser before it is returned, like every file sitegen writes.
"""

from __future__ import annotations

import typing
import unicodedata
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.diagnostics import Report, SitegenError
from generator.entry.recordfiles import dump_scalar, dump_yaml
from generator.fields import role_of
from generator.kinds import KIND_LABELS as RECORD_LABELS
from generator.load.config import CodeLists
from generator.load.yamlsource import parse_yaml
from generator.values import CHOICE_LABELS

COMMENT_WIDTH = 88
MAX_LISTED_RECORDS = 12
# Examples for fields that hold a nested record: written commented out.
NESTED_EXAMPLES = {
    "task_force": (
        "task_force:\n  convener: 县委副书记\n  groups: [综合协调组, 摸排组]\n"
        "  member_units: [县委组织部, 县委社会工作部, 县市场监管局]  # 或只写家数：12"
    ),
    "targets": "targets:\n  org_coverage_rate: {value: 0.6, due: 2026-12-31}",
}
KIND_LABELS = {**RECORD_LABELS, "case": "案例"}


def record_text(
    kind: str,
    model: type[BaseModel],
    values: dict[str, Any],
    codes: CodeLists,
    known: dict[str, dict[str, str]] | None = None,
    header: bool = True,
) -> str:
    """A commented YAML record; ``known`` lists the county's records (kind -> id -> name)."""
    lines = (
        [
            f"# {KIND_LABELS[kind]}——由 sitegen new {kind.replace('_', '-')} 生成",
            "# 行首带“# ”的字段是可选的：去掉“# ”再填写。改完运行 sitegen validate 检查。",
            "# 每个字段的说明也在 site_config/schemas/ 中，VS Code 装上 YAML 扩展后会提示和检查。",
        ]
        if header
        else []
    )
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        lines.append("")
        lines += [f"# {line}" for line in _explain(name, info, codes, known or {})]
        if name in values:
            lines += dump_yaml({name: values[name]}).rstrip("\n").splitlines()
        elif name in NESTED_EXAMPLES:
            lines += [f"# {line}" for line in NESTED_EXAMPLES[name].splitlines()]
        else:
            lines.append(f"# {name}:{_example(info)}")
    text = "\n".join(lines) + "\n"
    parsed = parse_yaml(text, "<new>", Report())
    if parsed is None or parsed.value != values:
        raise SitegenError(f"internal error: the new {kind} would not read back as written")
    return text


def _explain(
    name: str, info: FieldInfo, codes: CodeLists, known: dict[str, dict[str, str]]
) -> list[str]:
    head = f"{info.title or name}（{name}）" + ("，必填" if info.is_required() else "")
    if info.description:
        head += f"：{info.description}"
    items: list[str] = []
    choices = _choices(info.annotation)
    if choices and not all(c in (info.description or "") for c in choices):
        items = [f"{c} {CHOICE_LABELS.get(c, c)}" for c in choices]
    code_list, target = role_of(info).code_list, role_of(info).ref
    if code_list is not None:
        items = [f"{code} {label}" for code, label in getattr(codes, code_list).items()]
    if target is not None:
        head += f"。填写本县{KIND_LABELS[target]}的编号"
        records = known.get(target, {})
        if 0 < len(records) <= MAX_LISTED_RECORDS:
            items = [f"{i}（{n}）" for i, n in records.items()]
    lines = [head]
    for item in items:  # one choice per line once the line is full: a code stays by its label
        if lines[-1] == head or _width(lines[-1]) + _width(item) > COMMENT_WIDTH:
            lines.append(("可选：" if lines[-1] == head else "  ") + item)
        else:
            lines[-1] += "、" + item
    return lines


def _width(text: str) -> int:
    """Columns on screen: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _choices(annotation: Any) -> list[str]:
    for arg in [annotation, *typing.get_args(annotation)]:
        if typing.get_origin(arg) is typing.Literal:
            return [str(a) for a in typing.get_args(arg)]
        if typing.get_origin(arg) is list:
            return _choices(typing.get_args(arg)[0])
    return []


def _example(info: FieldInfo) -> str:
    """What follows ``# name:``: the default when there is one the file may spell out."""
    if info.default_factory is not None:
        return " " + dump_scalar(info.get_default(call_default_factory=True))
    if info.default is None or info.is_required():
        return ""
    return " " + dump_scalar(info.default)


def case_text(values: dict[str, Any], meta_model: type[BaseModel], codes: CodeLists) -> str:
    """A case write-up: the front matter (like a record) and a body outline to fill in."""
    front = record_text("case", meta_model, values, codes, header=False).lstrip("\n")
    return (
        f"---\n{front}---\n\n"
        "<!-- 案例正文（Markdown）：按下面的提纲写，不要写 HTML 标签或脚本。 -->\n\n"
        "## 背景\n\n（当地的情况和面临的问题。）\n\n"
        "## 做法\n\n（具体怎么做的，可以分几条写。）\n\n"
        "## 成效\n\n（取得的成效，最好有数字。）\n"
    )
