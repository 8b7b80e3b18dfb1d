"""Ids for records that arrive without one (a sheet without an 编号 column, ``sitegen new``).

The rule, so that importing the same sheet twice changes nothing:

1. an 编号 (id) value, when given, is the id;
2. otherwise the record's natural key — the name of a grid, organization, party organization or
   service center; the date and title of an activity; the date and text of a need — is looked
   up among the county's records, and a record with the same key keeps its id;
3. otherwise the id is derived from the key: ``org-`` + the first 8 hex digits of the SHA-1 of
   the key (``grid-``, ``party-org-``, ``center-``; ``<date>-`` for an activity,
   ``need-<date>-`` for a need), e.g. ``org-5f1c2a9e``. Names are compared and hashed after
   NFKC folding without spaces, so ``蒲县 顺达快递`` and ``蒲县顺达快递`` are the same key.

Renaming a record in a sheet without 编号 therefore adds a new record: ``sitegen export``
always writes the 编号 column, so a sheet that went through it keeps its ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Mapping
from typing import Any

from generator.fields import dated_fields
from generator.kinds import BY_NAME


def _fold(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def natural_key(kind: str, values: Mapping[str, Any]) -> str | None:
    """The record's natural key, or None when a key field is missing."""
    parts = [values.get(name) for name in BY_NAME[kind].key]
    if any(part is None or part == "" for part in parts):
        return None
    return "|".join(_fold(part) for part in parts)


def derive_id(kind: str, values: Mapping[str, Any], taken: Mapping[str, str | None]) -> str | None:
    """A new id from the natural key; ``taken`` maps ids in use to their keys (longer on clash)."""
    key = natural_key(kind, values)
    if key is None:
        return None
    entry = BY_NAME[kind]
    # A key led by a date (an activity, a need) puts the date into the id, after the prefix.
    date = _fold(values[entry.key[0]]) if entry.key[0] in dated_fields(entry.model) else None
    prefix = "-".join(part for part in (entry.id_prefix, date) if part)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    for length in (8, 12, 40):
        candidate = f"{prefix}-{digest[:length]}"
        if taken.get(candidate, key) == key:
            return candidate
    return f"{prefix}-{digest}"


def ids_by_key(kind: str, records: Mapping[str, Any]) -> dict[str, str]:
    """Natural key -> id of the county's records of ``kind`` (the first one when keys repeat)."""
    keys: dict[str, str] = {}
    for record_id, record in records.items():
        key = natural_key(kind, record.model_dump())
        if key is not None:
            keys.setdefault(key, record_id)
    return keys
