"""Turn pydantic validation errors into located, plain-language diagnostics."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from generator.diagnostics import Report
from generator.load.ledger import RecordSource
from generator.messages import pair, shorten, suggestion, type_name
from generator.values import CHOICE_LABELS, MAX_YEAR, MIN_YEAR, UNION_TAGS

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
_NUMBER_TEXT = re.compile(r"\s*[-+]?\d+(\.\d+)?\s*")


def report_validation_error(
    exc: ValidationError, model: type[BaseModel], source: RecordSource, report: Report
) -> None:
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if part != "[key]" and part not in UNION_TAGS)
        if source.already_reported(*loc):
            continue
        kind, value = err["type"], err["input"]
        field = _field_name(loc)
        if kind == "missing":
            title = _field_title(model, loc)
            label = f"（{title}）" if title else ""
            report.error(source.at(*loc[:-1]), "missing-field", field=field, label=label)
        elif kind == "extra_forbidden":
            fields = _fields_of(_annotation_at(model, loc[:-1]))
            hint = suggestion(str(loc[-1]), fields)
            report.error(
                source.key_at(*loc),
                "unknown-field",
                field=loc[-1],
                suggestion=hint,
                allowed=("、".join(fields), ", ".join(fields)),
            )
        elif kind == "string_too_short" or (
            value is None and kind in (*_TYPE_ERRORS, "literal_error")
        ):
            # ``name:`` with nothing after it reads as an empty value, not as a wrong type.
            _report_empty(model, loc, field, source, report)
        elif kind in _TYPE_ERRORS:
            expected = _TYPE_ERRORS[kind]
            report.error(
                source.at(*loc),
                "wrong-type",
                field=field,
                expected=(type_name(expected, "zh"), type_name(expected, "en")),
                found=_describe(value),
                hint=_type_hint(expected, value),
            )
        elif kind == "greater_than_equal":
            report.error(source.at(*loc), "negative-count", field=field, value=value)
        elif kind == "string_pattern_mismatch":
            report.error(source.at(*loc), "invalid-id", value=value)
        elif kind in ("date_format", "date_impossible"):
            report.error(source.at(*loc), "invalid-date", field=field, value=value)
        elif kind == "date_year":
            low, high = MIN_YEAR, MAX_YEAR
            report.error(source.at(*loc), "date-year", field=field, value=value, low=low, high=high)
        elif kind == "literal_error":
            choices = _literal_choices(model, loc)
            allowed = "、".join(f"{c}（{CHOICE_LABELS.get(c, c)}）" for c in choices)
            report.error(
                source.at(*loc),
                "invalid-choice",
                field=field,
                value=value,
                allowed=(allowed, ", ".join(choices)),
            )
        elif kind == "too_short":
            report.error(
                source.at(*loc),
                "list-too-short",
                field=field,
                minimum=err.get("ctx", {}).get("min_length", 1),
            )
        else:
            report.error(source.at(*loc), "invalid-value", field=field, detail=err["msg"])


def _report_empty(
    model: type[BaseModel], loc: tuple, field: tuple[str, str], source: RecordSource, report: Report
) -> None:
    title = _field_title(model, loc)
    label = f"（{title}）" if title else ""  # the titles are Chinese: shown in Chinese only
    how = pair("phrase.fill-in" if _is_required(model, loc) else "phrase.fill-in-or-delete")
    report.error(source.at(*loc), "empty-field", field=field, label=label, how=how)


def _type_hint(expected: str, value: Any) -> tuple[str, str]:
    """How to fix the commonest mix-ups: a number in quotes, a code written without quotes."""
    if expected in ("count", "number") and isinstance(value, str):
        if _NUMBER_TEXT.fullmatch(value):
            shown = value.strip()
            return f"——请去掉引号，直接写 {shown}", f" - remove the quotes: {shown}"
        return "——只写阿拉伯数字，例如 12", " - write digits only, e.g. 12"
    if expected == "text" and isinstance(value, bool | int | float | dt.date):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return (
            f"——如果这是文字或编号，请加引号写成 '{shown}'",
            f" - to write it as text, quote it: '{shown}'",
        )
    return "", ""


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
        return f"文字 “{shorten(value)}”", f"the text “{shorten(value)}”"
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


def _annotation_at(model: type[BaseModel], loc: tuple) -> Any:
    """The declared type at ``loc`` inside ``model`` (through models, lists and dicts)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    return current


def _step(annotation: Any, part: str | int) -> Any:
    info = _model_field(annotation, part)
    if info is not None:
        return info.annotation
    for cand in _unwrap(annotation):
        origin = typing.get_origin(cand)
        if origin is list and isinstance(part, int):
            return typing.get_args(cand)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(cand)[1]
    return None


def _model_field(annotation: Any, part: str | int) -> FieldInfo | None:
    for cand in _unwrap(annotation):
        if isinstance(cand, type) and issubclass(cand, BaseModel) and part in cand.model_fields:
            return cand.model_fields[part]
    return None


def _field_title(model: type[BaseModel], loc: tuple) -> str | None:
    """The Chinese label of the field at ``loc`` (None for list items and dict entries)."""
    info = _model_field(_annotation_at(model, loc[:-1]), loc[-1]) if loc else None
    return info.title if info is not None else None


def _is_required(model: type[BaseModel], loc: tuple) -> bool:
    info = _model_field(_annotation_at(model, loc[:-1]), loc[-1]) if loc else None
    return info is None or info.is_required()


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
