"""The value types of the data standard (ids, texts, counts, dates, Markdown) and the Chinese
labels of its fixed choices; the models (:mod:`generator.models`) declare fields with them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Discriminator, Field, StringConstraints, Tag
from pydantic_core import PydanticCustomError

from generator.fields import MARKDOWN

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ID_RE = re.compile(ID_PATTERN)


# The years a ledger date may have: a mistyped year (0225, 2925) would stretch every monthly
# series over centuries, so it is an error (``date-year``) rather than a date.
MIN_YEAR, MAX_YEAR = 1949, 2100


def _iso_date(value: object) -> object:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` text; nothing else (no datetimes, no 2025/6/1),
    and only years from MIN_YEAR to MAX_YEAR."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "date only")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_impossible", "no such date") from None
    if isinstance(value, dt.date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise PydanticCustomError("date_year", "implausible year")
        return value
    if isinstance(value, str):
        raise PydanticCustomError("date_format", "not an ISO date")
    return value  # let strict validation report the wrong type


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Count = Annotated[int, Field(ge=0)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
# Tags of the count-or-names union: they appear in pydantic's error locations, and the error
# reporter leaves them out (the clerk's field is ``groups``, not ``groups.<count>``).
UNION_TAGS = ("<count>", "<names>")


def _count_or_names(value: object) -> str:
    """A list (or mapping) is checked as names, anything else as a count: one clear error."""
    return "<names>" if isinstance(value, list | dict) else "<count>"


CountOrNames = Annotated[
    Annotated[Count, Tag("<count>")] | Annotated[list[Text], Tag("<names>")],
    Discriminator(_count_or_names),
]
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), MARKDOWN]

OrgKind = Literal["economic", "social"]
SIX_CLEARS = ("operations", "workforce", "party_members", "investors", "party_org", "mass_orgs")

# Chinese labels of the fixed (non-extensible) choices of the standard.
CHOICE_LABELS: dict[str, str] = {
    "economic": "新经济组织",
    "social": "新社会组织",
    "operating": "正常经营",
    "suspended": "停业",
    "closed": "注销/关闭",
    "standalone": "单独组建",
    "joint": "联合组建",
    "branch": "党支部",
    "general_branch": "党总支",
    "committee": "党委",
    "screening_zone": "摸排责任区",
    "business_district": "商圈网格",
    "community": "社区网格",
    "open": "待办",
    "in_progress": "办理中",
    "resolved": "已解决",
    "operations": "经营运行清",
    "workforce": "职工队伍清",
    "party_members": "党员队伍清",
    "investors": "出资人情况清",
    "party_org": "党组织建立清",
    "mass_orgs": "群团组织设置清",
}
