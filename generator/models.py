"""The data standard v1: one declared model per record kind.

Every field is declared here, once, with :func:`generator.fields.field`: its Chinese label
(``title``), meaning (``description``) and role (reference, code list, dated, spreadsheet
headers); the checks, spreadsheets, schemas, new files, history and methodology page read them
from here (see :mod:`generator.fields`). Unknown fields are rejected.
Values are never coerced in silence: a count written as text is an error, not a number.
Code-list fields (industry, activity type, outputs, figures) are plain text here and checked
against ``site_config`` in :mod:`generator.validate.checks`, because sites may add code-list entries.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.fields import field
from generator.values import Count, CountOrNames, Id, IsoDate, Markdown, OrgKind, Text

# Headers clerks write for a grid reference or a name, in several kinds' sheets.
_GRID_REF = ("所属网格", "所在网格", "网格", "网格名称", "所属网格名称", "摸排责任区", "责任区")
_NAME = ("企业名称", "单位名称", "组织名称", "机构名称", "主体名称", "企业(单位)名称")


class Record(BaseModel):
    """Fields every record kind shares. ``strict``: no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Id = field(
        title="编号", description="小写字母、数字和连字符；单条记录文件可省略，默认取文件名"
    )


class TaskForce(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    convener: Text | None = field(None, title="总召集人", description="职务，不写人名")
    # A county may know only how many (“10余家成员单位”): a count or the list of names.
    groups: CountOrNames | None = field(
        None, title="工作组", description="工作组个数，或工作组名称列表"
    )
    member_units: CountOrNames | None = field(
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

    value: float = field(
        title="目标值", description="比率写 0 到 1 之间的小数（0.6 即 60%），数量写整数"
    )
    due: IsoDate = field(title="截止日期")


class County(Record):
    """县：``data/<county>/county.yaml``."""

    name: Text = field(title="县名", description="例如 蒲县")
    province: Text | None = field(None, title="省份")
    city: Text | None = field(None, title="地级市")
    division_code: str | None = field(
        None, title="行政区划代码", description="6 位数字，加引号，例如 '141033'"
    )
    summary: Markdown | None = field(None, title="概述", description="Markdown 文字")
    task_force: TaskForce | None = field(None, title="工作专班")
    industry_committees: Count | None = field(None, title="行业党委数")
    targets: dict[str, Target] = field(
        default_factory=dict, title="目标", description="覆盖 site_config 中的全站目标"
    )


class Grid(Record):
    """网格或摸排责任区。"""

    name: Text = field(title="名称", headers=("网格名称", "责任区名称", "摸排责任区"))
    kind: Literal["screening_zone", "business_district", "community"] = field(
        "screening_zone", title="类型", headers=("类型", "网格类型")
    )
    workers: Count | None = field(
        None, title="网格员人数", headers=("网格员", "网格员数", "网格员人数")
    )
    merchants: Count | None = field(None, title="商户数", headers=("商户", "商户数量"))
    households: Count | None = field(None, title="住户数", headers=("住户", "居民户数", "户数"))
    service_center: Id | None = field(
        None,
        title="党群服务中心编号",
        ref="service_center",
        headers=("党群服务中心", "服务中心"),
    )
    order: Count | None = field(
        None,
        title="排列顺序",
        description="网格在各页面列表中的位置：1 排最前；不填时按名称中的序号（第一、第二…）排",
        headers=("排序", "顺序", "序号"),
    )


class Org(Record):
    """组织台账（一企一档、一社一册）。"""

    name: Text = field(title="名称", headers=(*_NAME, "商户名称", "社会组织名称", "企业(单位)全称"))
    kind: OrgKind = field(
        title="类别",
        description="economic 新经济组织，social 新社会组织",
        headers=("组织类别", "组织类型", "所属领域", "类型"),
    )
    industry: Text = field(
        title="行业",
        description="行业代码表中的代码",
        code_list="industry",
        headers=("所属行业", "行业类别", "行业类型", "行业分类"),
    )
    grid: Id | None = field(None, title="所属网格编号", ref="grid", headers=_GRID_REF)
    status: Literal["operating", "suspended", "closed"] = field(
        "operating", title="经营状态", headers=("状态", "运营状态", "经营情况")
    )
    employees: Count | None = field(
        None,
        title="从业人员数",
        headers=("从业人数", "从业人员", "职工人数", "员工人数", "员工数", "职工数"),
    )
    party_members: Count | None = field(
        None, title="党员数", headers=("党员人数", "党员", "党员数量")
    )
    visited_on: IsoDate | None = field(
        None,
        title="实地核查日期",
        dated="campaign",
        headers=("走访日期", "核查日期", "走访时间", "实地走访日期", "核查时间"),
    )
    instructors: Count | None = field(
        None,
        title="选派党建工作指导员数",
        headers=("党建指导员数", "党建工作指导员", "指导员人数", "指导员数"),
    )
    six_clears: list[
        Literal["operations", "workforce", "party_members", "investors", "party_org", "mass_orgs"]
    ] = field(
        default_factory=list, title="“六清”已摸清项", headers=("六清", "六清情况", "已摸清项")
    )


class PartyOrg(Record):
    """党组织。"""

    name: Text = field(title="名称", headers=("党组织名称",))
    mode: Literal["standalone", "joint"] = field(
        title="组建方式", description="单独组建或联合组建", headers=("建立方式", "组建形式")
    )
    established_on: IsoDate = field(
        title="成立日期",
        dated="history",
        headers=("成立时间", "组建日期", "建立日期", "组建时间"),
    )
    covers: list[Id] = field(
        min_length=1,
        title="覆盖组织编号",
        description="至少一个组织编号",
        ref="org",
        headers=("覆盖组织", "覆盖企业", "覆盖单位", "覆盖组织名称"),
    )
    type: Literal["branch", "general_branch", "committee"] = field(
        "branch", title="层级", headers=("党组织类型", "组织层级")
    )
    members: Count | None = field(None, title="党员数", headers=("党员数", "党员人数"))
    kind: OrgKind | None = field(
        None,
        title="类别",
        description="省略时取所覆盖组织的类别（它们必须同类）",
        headers=("组织类别", "领域"),
    )


class Activity(Record):
    """工作活动：会议、培训、走访、宣讲、招聘会……"""

    date: IsoDate = field(title="日期", dated="campaign", headers=("活动日期", "活动时间", "时间"))
    type: Text = field(
        title="活动类型",
        description="活动类型代码表中的代码",
        code_list="activity_type",
        headers=("类型", "活动类别"),
    )
    title: Text = field(title="标题", headers=("活动名称", "活动主题", "名称", "主题"))
    grid: Id | None = field(None, title="网格编号", ref="grid", headers=_GRID_REF)
    orgs: list[Id] = field(
        default_factory=list,
        title="涉及组织编号",
        ref="org",
        headers=("涉及组织", "参与单位", "参与组织", "涉及企业"),
    )
    participants: Count | None = field(
        None, title="参与人数", headers=("参加人数", "人数", "参与人员数")
    )
    outputs: dict[str, Count] = field(
        default_factory=dict, title="成果", description="成果代码 -> 数量", code_list="output"
    )
    summary: Markdown | None = field(
        None,
        title="说明",
        description="Markdown 文字",
        headers=("活动内容", "内容", "简介", "活动简介"),
    )


class Need(Record):
    """诉求：走访收集的商户、企业和群众需求。"""

    raised_on: IsoDate = field(
        title="提出日期",
        dated="campaign",
        headers=("日期", "收集日期", "反映日期", "登记日期", "提出时间"),
    )
    summary: Text = field(
        title="诉求内容",
        headers=("诉求", "内容", "需求内容", "问题描述", "诉求事项", "需求"),
    )
    status: Literal["open", "in_progress", "resolved"] = field(
        title="办理状态", headers=("状态", "办理情况", "是否解决")
    )
    grid: Id | None = field(None, title="网格编号", ref="grid", headers=_GRID_REF)
    category: Text | None = field(
        None, title="类别", headers=("诉求类别", "类型", "分类", "诉求类型")
    )
    resolved_on: IsoDate | None = field(
        None,
        title="解决日期",
        description="状态为 resolved 时必填，其他状态不填",
        dated="campaign",
        headers=("办结日期", "办结时间", "完成日期", "解决时间"),
    )


class ServiceCenter(Record):
    """党群服务中心。"""

    name: Text = field(title="名称", headers=("中心名称", "党群服务中心名称"))
    opened_on: IsoDate | None = field(
        None, title="启用日期", dated="checked", headers=("建成日期", "启用时间", "建成时间")
    )
    address: Text | None = field(None, title="地址", headers=("详细地址", "所在地址"))
    opening_hours: Text | None = field(
        None, title="开放时间", description="例如 5+2", headers=("开放时段",)
    )
    figures: dict[str, Count] = field(
        default_factory=dict,
        title="阵地数据",
        description="阵地数据代码 -> 数量",
        code_list="figure",
    )
