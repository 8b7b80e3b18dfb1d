"""The field registry: what the data standard knows about a record field, declared on the model.

A model declares each field once with :func:`field`: its Chinese ``title`` and ``description``
(pydantic's own) and its role in the ledger (a :class:`FieldRole`): the kind of record it refers
to, the code list it takes, whether it is a date that must not be in the future and feeds the
time series, and the spreadsheet headers clerks write for it. The checks, the import and export
columns, the JSON Schema, the scaffolded files, the history and the data-standard tables read
these roles through the functions below, so a new optional field is one line in a model.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

# A date field's part in the ledger; every dated field is warned about when after today.
# campaign: the campaign's own work (a visit, an activity, a need): starts the time series;
# history: counts in the series from its date, which may be long before the campaign;
# checked: only checked against today.
Dated = Literal["campaign", "history", "checked"]


@dataclass(frozen=True)
class FieldRole:
    """A field's role beyond its type (kept in pydantic's ``FieldInfo.metadata``)."""

    ref: str | None = None  # the kind whose ids the field holds (one id or a list)
    code_list: str | None = None  # the site_config code list of its value (or of its keys)
    dated: Dated | None = None
    headers: tuple[str, ...] = ()  # spreadsheet headers besides the title and the name


NO_ROLE = FieldRole()


def field(
    default: Any = PydanticUndefined,
    *,
    title: str,
    description: str | None = None,
    ref: str | None = None,
    code_list: str | None = None,
    dated: Dated | None = None,
    headers: tuple[str, ...] = (),
    **pydantic: Any,
) -> Any:
    """A model field with its Chinese title and description and its role in the ledger."""
    info: FieldInfo = Field(default, title=title, description=description, **pydantic)
    role = FieldRole(ref, code_list, dated, headers)
    if role != NO_ROLE:
        info.metadata.append(role)
    return info


def role_of(info: FieldInfo) -> FieldRole:
    return next((m for m in info.metadata if isinstance(m, FieldRole)), NO_ROLE)


def roles(model: type[BaseModel]) -> dict[str, FieldRole]:
    """Field name -> role, in model order, for every field of ``model``."""
    return {name: role_of(info) for name, info in model.model_fields.items()}


def references(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> the kind its ids point to."""
    return {name: r.ref for name, r in roles(model).items() if r.ref is not None}


def code_fields(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> its code list in site_config."""
    return {name: r.code_list for name, r in roles(model).items() if r.code_list is not None}


def dated_fields(model: type[BaseModel], *parts: Dated) -> tuple[str, ...]:
    """The date fields of ``model`` playing one of ``parts`` (every dated field without)."""
    return tuple(
        name
        for name, r in roles(model).items()
        if r.dated is not None and (not parts or r.dated in parts)
    )


def headers(model: type[BaseModel], name: str) -> tuple[str, ...]:
    info = model.model_fields.get(name)
    return role_of(info).headers if info is not None else ()


class MarkdownText:
    """Marks the Markdown fields (raw HTML is refused there; see checks)."""


MARKDOWN = MarkdownText()


def is_markdown(info: FieldInfo) -> bool:
    return _marked(info.annotation)


def markdown_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, info in model.model_fields.items() if is_markdown(info))


def _marked(annotation: Any) -> bool:
    # Annotated[str, ..., MARKDOWN] may sit inside Optional: its args hold the marker.
    return any(isinstance(a, MarkdownText) or _marked(a) for a in typing.get_args(annotation))
