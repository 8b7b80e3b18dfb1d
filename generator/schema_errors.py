"""Turn pydantic validation errors into located, plain-language diagnostics."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Report
from generator.ledger import RecordSource
from generator.messages import type_name
from generator.models import CHOICE_LABELS

STANDARD_DOC = "方法说明页「数据标准」/ PRODUCT.md"

_TYPE_ERRORS = {
    "string_type": "text",
    "int_type": "count",
    "float_type": "number",
    "date_type": "date",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}


def report_validation_error(
    exc: ValidationError, model: type[BaseModel], source: RecordSource, report: Report
) -> None:
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if part != "[key]")
        if source.already_reported(*loc):
            continue
        kind = err["type"]
        field = _field_name(loc)
        if kind == "missing":
            label = _annotation_at(model, loc, title=True) or loc[-1]
            report.error(source.at(*loc[:-1]), "missing-field", field=field, label=label)
        elif kind == "extra_forbidden":
            allowed = _fields_of(_annotation_at(model, loc[:-1]))
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            suggestion = (f"，是否想写 “{close[0]}”？", f", did you mean “{close[0]}”?") if close else ("", "")
            report.error(
                source.key_at(*loc), "unknown-field", field=loc[-1], suggestion=suggestion,
                standard=STANDARD_DOC,
            )
        elif kind in _TYPE_ERRORS:
            report.error(
                source.at(*loc), "wrong-type", field=field,
                expected=(type_name(_TYPE_ERRORS[kind], "zh"), type_name(_TYPE_ERRORS[kind], "en")),
                found=_describe(err["input"]),
            )
        elif kind == "string_too_short":
            report.error(source.at(*loc), "empty-field", field=field)
        elif kind == "greater_than_equal":
            report.error(source.at(*loc), "negative-count", field=field, value=err["input"])
        elif kind == "string_pattern_mismatch":
            report.error(source.at(*loc), "invalid-id", value=err["input"])
        elif kind in ("date_format", "date_impossible"):
            report.error(source.at(*loc), "invalid-date", field=field, value=err["input"])
        elif kind == "literal_error":
            choices = _literal_choices(model, loc)
            allowed = "、".join(f"{c}（{CHOICE_LABELS.get(c, c)}）" for c in choices)
            report.error(source.at(*loc), "invalid-choice", field=field, value=err["input"],
                         allowed=(allowed, ", ".join(choices)))
        elif kind == "too_short":
            report.error(source.at(*loc), "list-too-short", field=field,
                         minimum=err.get("ctx", {}).get("min_length", 1))
        else:
            report.error(source.at(*loc), "invalid-value", field=field, detail=err["msg"])


def _field_name(loc: tuple) -> tuple[str, str]:
    zh, en = [], []
    for part in loc:
        if isinstance(part, int):
            zh.append(f" 第 {part + 1} 项")
            en.append(f" item {part + 1}")
        else:
            zh.append(("." if zh else "") + str(part))
            en.append(("." if en else "") + str(part))
    return "".join(zh), "".join(en)


def _describe(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return f"真假值 {value}", f"the boolean {value}"
    if isinstance(value, int | float):
        return f"数字 {value}", f"the number {value}"
    if isinstance(value, str):
        return f"文字 “{value}”", f"the text “{value}”"
    if isinstance(value, dt.date):
        return f"日期 {value}", f"the date {value}"
    if value is None:
        return "空值", "an empty value"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "“名称: 值”的映射", "a mapping"
    return type(value).__name__, type(value).__name__


def _unwrap(annotation: Any) -> list[Any]:
    """The member types of Optional/Union/Annotated/list/dict annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _unwrap(a)]
    return [annotation]


def _annotation_at(model: type[BaseModel], loc: tuple, title: bool = False) -> Any:
    current: Any = model
    for i, part in enumerate(loc):
        candidates = _unwrap(current)
        step = None
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel) and part in cand.model_fields:
                info = cand.model_fields[part]
                if title and i == len(loc) - 1:
                    return info.title
                step = info.annotation
                break
            origin = typing.get_origin(cand)
            if origin is list and isinstance(part, int):
                step = typing.get_args(cand)[0]
                break
            if origin is dict and isinstance(part, str):
                step = typing.get_args(cand)[1]
                break
        if step is None:
            return None
        current = step
    return current


def _fields_of(annotation: Any) -> list[str]:
    for cand in _unwrap(annotation):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return list(cand.model_fields)
    return []


def _literal_choices(model: type[BaseModel], loc: tuple) -> list[str]:
    annotation = _annotation_at(model, loc)
    for cand in _unwrap(annotation):
        if typing.get_origin(cand) is Literal:
            return [str(c) for c in typing.get_args(cand)]
    return []
