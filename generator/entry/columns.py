"""Spreadsheet columns <-> fields of the data standard.

Each record kind's columns are derived from its model: one column per field, headed by the
field's Chinese ``title`` (what ``sitegen export`` writes), and for the code -> count fields
(activity ``outputs``, service-center ``figures``) one column per code, headed by its label.
A column is recognised by its title, the field name, or a synonym clerks use (企业名称,
党员人数, 走访日期...: the field's ``headers`` in the models); a ``--mapping`` file names the
field of any other header.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.fields import headers, role_of
from generator.kinds import KINDS
from generator.load.config import CodeLists

ID_HEADERS = ("编号", "记录编号", "id")
# Columns that number the rows for the eye; never data.
ROW_NUMBER_HEADERS = {"序号", "序", "no", "no.", "行号"}


@dataclass(frozen=True)
class FieldSpec:
    """One importable column: a field (or one code of a code -> count field) of a record kind."""

    kind: str
    path: tuple[str, ...]
    shape: str  # id, text, texts, count, date, choice, choices, ref, refs, code, code-count
    title: str
    required: bool = False
    choices: tuple[str, ...] = ()
    code_list: str | None = None
    target: str | None = None

    @property
    def name(self) -> str:
        return ".".join(self.path)


def normalize_header(text: object) -> str:
    """Header text as compared: NFKC (full-width -> ASCII), no spaces, quotes or * marks."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    folded = re.sub(r"[\s\"'“”‘’「」*]|\((必填|选填)\)", "", folded)
    return folded


def loose_header(text: object) -> str:
    """Normalised, without parenthesised units: 党员人数（人） -> 党员人数."""
    return re.sub(r"\([^)]*\)", "", normalize_header(text))


def field_specs(
    kind: str, codes: CodeLists, model: type[BaseModel] | None = None
) -> list[FieldSpec]:
    """The columns of ``kind`` in model order; code -> count fields give one per code.

    Fields holding a nested record (a county's task_force and targets) have no column.
    """
    model = model or KINDS[kind]
    specs = []
    for name, info in model.model_fields.items():
        base, origin, args = _shape_of(info.annotation)
        title = info.title or name
        required = info.is_required()
        role = role_of(info)
        code_list, target = role.code_list, role.ref
        nested = isinstance(base, type) and issubclass(base, BaseModel)
        if nested or (origin is dict and code_list is None):
            continue
        if name == "id":
            specs.append(FieldSpec(kind, (name,), "id", "编号"))
        elif origin is dict and code_list is not None:  # (those without were skipped above)
            for code, label in getattr(codes, code_list).items():
                specs.append(
                    FieldSpec(kind, (name, code), "code-count", label, code_list=code_list)
                )
        elif origin is Literal:
            specs.append(FieldSpec(kind, (name,), "choice", title, required, tuple(args)))
        elif origin is list:
            item, item_origin, item_args = _shape_of(args[0])
            if item_origin is Literal:
                specs.append(FieldSpec(kind, (name,), "choices", title, required, tuple(item_args)))
            elif target is not None:
                specs.append(FieldSpec(kind, (name,), "refs", title, required, target=target))
            else:
                specs.append(FieldSpec(kind, (name,), "texts", title, required))
        elif base is int:
            specs.append(FieldSpec(kind, (name,), "count", title, required))
        elif base.__name__ == "date":
            specs.append(FieldSpec(kind, (name,), "date", title, required))
        elif target is not None:
            specs.append(FieldSpec(kind, (name,), "ref", title, required, target=target))
        elif code_list is not None:
            specs.append(FieldSpec(kind, (name,), "code", title, required, code_list=code_list))
        else:
            specs.append(FieldSpec(kind, (name,), "text", title, required))
    return specs


def _shape_of(annotation: Any) -> tuple[Any, Any, tuple]:
    """(base type, origin, args) of an annotation, without Annotated and Optional."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, origin, typing.get_args(annotation)


def header_index(
    kind: str, specs: list[FieldSpec], model: type[BaseModel] | None = None
) -> dict[str, FieldSpec]:
    """Normalised header -> column, exact forms first, then forms without units in brackets."""
    model = model or KINDS[kind]
    exact: dict[str, FieldSpec] = {}
    for spec in specs:
        names = [spec.name, spec.title]
        if spec.shape == "id":
            names += ID_HEADERS
        elif spec.shape == "code-count":
            names += [spec.path[1], f"{spec.path[0]}:{spec.path[1]}"]
        else:
            names += headers(model, spec.path[0])
        for name in names:
            exact.setdefault(normalize_header(name), spec)
    loose = {loose_header(key): spec for key, spec in reversed(exact.items())}
    return {**loose, **exact}


def find_spec(index: dict[str, FieldSpec], header: object) -> FieldSpec | None:
    key = normalize_header(header)
    return index.get(key) or index.get(loose_header(key))
