"""The data standard v1: one declared model per record kind.

Every field is declared here with its Chinese label (``title``) and meaning (``description``);
the methodology page and error messages read them from here. Unknown fields are rejected.
Values are never coerced in silence: a count written as text is an error, not a number.
Code-list fields (industry, activity type, outputs, figures) are plain text here and checked
against ``site_config`` in :mod:`generator.validate.checks`, because sites may add code-list entries.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ID_RE = re.compile(ID_PATTERN)


def _iso_date(value: object) -> object:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` text; nothing else (no datetimes, no 2025/6/1)."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "date only")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_impossible", "no such date") from None
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
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

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


class Record(BaseModel):
    """Fields every record kind shares. ``strict``: no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Id = Field(
        title="编号", description="小写字母、数字和连字符；单条记录文件可省略，默认取文件名"
    )


class TaskForce(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    convener: Text | None = Field(None, title="总召集人", description="职务，不写人名")
    # A county may know only how many (“10余家成员单位”): a count or the list of names.
    groups: CountOrNames | None = Field(
        None, title="工作组", description="工作组个数，或工作组名称列表"
    )
    member_units: CountOrNames | None = Field(
        None, title="成员单位", description="成员单位家数，或成员单位名称列表"
    )

    @staticmethod
    def counted(value: int | list[str] | None) -> tuple[int | None, list[str]]:
        """How many, and the names when given: ``6`` -> (6, []), ``[a, b]`` -> (2, [a, b])."""
        if value is None:
            return None, []
        if isinstance(value, int):
            return value, []
        return len(value), list(value)


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    value: float = Field(
        title="目标值", description="比率写 0 到 1 之间的小数（0.6 即 60%），数量写整数"
    )
    due: IsoDate = Field(title="截止日期")


class County(Record):
    """县：``data/<county>/county.yaml``."""

    name: Text = Field(title="县名", description="例如 蒲县")
    province: Text | None = Field(None, title="省份")
    city: Text | None = Field(None, title="地级市")
    division_code: str | None = Field(
        None, title="行政区划代码", description="6 位数字，加引号，例如 '141033'"
    )
    summary: Markdown | None = Field(None, title="概述", description="Markdown 文字")
    task_force: TaskForce | None = Field(None, title="工作专班")
    industry_committees: Count | None = Field(None, title="行业党委数")
    targets: dict[str, Target] = Field(
        default_factory=dict, title="目标", description="覆盖 site_config 中的全站目标"
    )


class Grid(Record):
    """网格或摸排责任区。"""

    name: Text = Field(title="名称")
    kind: Literal["screening_zone", "business_district", "community"] = Field(
        "screening_zone", title="类型"
    )
    workers: Count | None = Field(None, title="网格员人数")
    merchants: Count | None = Field(None, title="商户数")
    households: Count | None = Field(None, title="住户数")
    service_center: Id | None = Field(None, title="党群服务中心编号")
    order: Count | None = Field(
        None,
        title="排列顺序",
        description="网格在各页面列表中的位置：1 排最前；不填时按名称中的序号（第一、第二…）排",
    )


class Org(Record):
    """组织台账（一企一档、一社一册）。"""

    name: Text = Field(title="名称")
    kind: OrgKind = Field(title="类别", description="economic 新经济组织，social 新社会组织")
    industry: Text = Field(title="行业", description="行业代码表中的代码")
    grid: Id | None = Field(None, title="所属网格编号")
    status: Literal["operating", "suspended", "closed"] = Field("operating", title="经营状态")
    employees: Count | None = Field(None, title="从业人员数")
    party_members: Count | None = Field(None, title="党员数")
    visited_on: IsoDate | None = Field(None, title="实地核查日期")
    instructors: Count | None = Field(None, title="选派党建工作指导员数")
    six_clears: list[
        Literal["operations", "workforce", "party_members", "investors", "party_org", "mass_orgs"]
    ] = Field(default_factory=list, title="“六清”已摸清项")


class PartyOrg(Record):
    """党组织。"""

    name: Text = Field(title="名称")
    mode: Literal["standalone", "joint"] = Field(title="组建方式", description="单独组建或联合组建")
    established_on: IsoDate = Field(title="成立日期")
    covers: list[Id] = Field(min_length=1, title="覆盖组织编号", description="至少一个组织编号")
    type: Literal["branch", "general_branch", "committee"] = Field("branch", title="层级")
    members: Count | None = Field(None, title="党员数")
    kind: OrgKind | None = Field(
        None, title="类别", description="省略时取所覆盖组织的类别（它们必须同类）"
    )


class Activity(Record):
    """工作活动：会议、培训、走访、宣讲、招聘会……"""

    date: IsoDate = Field(title="日期")
    type: Text = Field(title="活动类型", description="活动类型代码表中的代码")
    title: Text = Field(title="标题")
    grid: Id | None = Field(None, title="网格编号")
    orgs: list[Id] = Field(default_factory=list, title="涉及组织编号")
    participants: Count | None = Field(None, title="参与人数")
    outputs: dict[str, Count] = Field(
        default_factory=dict, title="成果", description="成果代码 -> 数量"
    )
    summary: Markdown | None = Field(None, title="说明", description="Markdown 文字")


class Need(Record):
    """诉求：走访收集的商户、企业和群众需求。"""

    raised_on: IsoDate = Field(title="提出日期")
    summary: Text = Field(title="诉求内容")
    status: Literal["open", "in_progress", "resolved"] = Field(title="办理状态")
    grid: Id | None = Field(None, title="网格编号")
    category: Text | None = Field(None, title="类别")
    resolved_on: IsoDate | None = Field(
        None, title="解决日期", description="状态为 resolved 时必填，其他状态不填"
    )


class ServiceCenter(Record):
    """党群服务中心。"""

    name: Text = Field(title="名称")
    opened_on: IsoDate | None = Field(None, title="启用日期")
    address: Text | None = Field(None, title="地址")
    opening_hours: Text | None = Field(None, title="开放时间", description="例如 5+2")
    figures: dict[str, Count] = Field(
        default_factory=dict, title="阵地数据", description="阵地数据代码 -> 数量"
    )


# Record folders of a county, in the order they are loaded and shown.
KINDS: dict[str, type[Record]] = {
    "grid": Grid,
    "org": Org,
    "party_org": PartyOrg,
    "activity": Activity,
    "need": Need,
    "service_center": ServiceCenter,
}
FOLDERS: dict[str, str] = {
    "grid": "grids",
    "org": "orgs",
    "party_org": "party_orgs",
    "activity": "activities",
    "need": "needs",
    "service_center": "service_centers",
}
