"""Spreadsheet columns <-> fields of the data standard.

Each record kind's columns are derived from its model: one column per field, headed by the
field's Chinese ``title`` (what ``sitegen export`` writes), and for the code -> count fields
(activity ``outputs``, service-center ``figures``) one column per code, headed by its label.
A column is recognised by its title, the field name, or a synonym clerks use (企业名称,
党员人数, 走访日期...); a ``--mapping`` file names the field of any other header.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.load.config import CodeLists
from generator.models import KINDS

# Reference fields -> the kind they point to; code-list fields -> their list in site_config.
REFERENCES = {
    ("grid", "service_center"): "service_center",
    ("org", "grid"): "grid",
    ("party_org", "covers"): "org",
    ("activity", "grid"): "grid",
    ("activity", "orgs"): "org",
    ("need", "grid"): "grid",
}
CODE_FIELDS = {
    ("org", "industry"): "industry",
    ("activity", "type"): "activity_type",
    ("activity", "outputs"): "output",
    ("service_center", "figures"): "figure",
}

_GRID_REF = ("所属网格", "所在网格", "网格", "网格名称", "所属网格名称", "摸排责任区", "责任区")
_NAME = ("企业名称", "单位名称", "组织名称", "机构名称", "主体名称", "企业(单位)名称")
# Headers clerks write, per kind and field, besides the field's title and name.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "grid": {
        "name": ("网格名称", "责任区名称", "摸排责任区"),
        "kind": ("类型", "网格类型"),
        "workers": ("网格员", "网格员数", "网格员人数"),
        "merchants": ("商户", "商户数量"),
        "households": ("住户", "居民户数", "户数"),
        "service_center": ("党群服务中心", "服务中心"),
    },
    "org": {
        "name": (*_NAME, "商户名称", "社会组织名称", "企业(单位)全称"),
        "kind": ("组织类别", "组织类型", "所属领域", "类型"),
        "industry": ("所属行业", "行业类别", "行业类型", "行业分类"),
        "grid": _GRID_REF,
        "status": ("状态", "运营状态", "经营情况"),
        "employees": ("从业人数", "从业人员", "职工人数", "员工人数", "员工数", "职工数"),
        "party_members": ("党员人数", "党员", "党员数量"),
        "visited_on": ("走访日期", "核查日期", "走访时间", "实地走访日期", "核查时间"),
        "instructors": ("党建指导员数", "党建工作指导员", "指导员人数", "指导员数"),
        "six_clears": ("六清", "六清情况", "已摸清项"),
    },
    "party_org": {
        "name": ("党组织名称",),
        "mode": ("建立方式", "组建形式"),
        "established_on": ("成立时间", "组建日期", "建立日期", "组建时间"),
        "covers": ("覆盖组织", "覆盖企业", "覆盖单位", "覆盖组织名称"),
        "type": ("党组织类型", "组织层级"),
        "members": ("党员数", "党员人数"),
        "kind": ("组织类别", "领域"),
    },
    "activity": {
        "date": ("活动日期", "活动时间", "时间"),
        "type": ("类型", "活动类别"),
        "title": ("活动名称", "活动主题", "名称", "主题"),
        "grid": _GRID_REF,
        "orgs": ("涉及组织", "参与单位", "参与组织", "涉及企业"),
        "participants": ("参加人数", "人数", "参与人员数"),
        "summary": ("活动内容", "内容", "简介", "活动简介"),
    },
    "need": {
        "raised_on": ("日期", "收集日期", "反映日期", "登记日期", "提出时间"),
        "summary": ("诉求", "内容", "需求内容", "问题描述", "诉求事项", "需求"),
        "status": ("状态", "办理情况", "是否解决"),
        "grid": _GRID_REF,
        "category": ("诉求类别", "类型", "分类", "诉求类型"),
        "resolved_on": ("办结日期", "办结时间", "完成日期", "解决时间"),
    },
    "service_center": {
        "name": ("中心名称", "党群服务中心名称"),
        "opened_on": ("建成日期", "启用时间", "建成时间"),
        "address": ("详细地址", "所在地址"),
        "opening_hours": ("开放时段",),
    },
}
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
        nested = isinstance(base, type) and issubclass(base, BaseModel)
        if nested or (origin is dict and (kind, name) not in CODE_FIELDS):
            continue
        if name == "id":
            specs.append(FieldSpec(kind, (name,), "id", "编号"))
        elif origin is dict:
            code_list = CODE_FIELDS[(kind, name)]
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
            elif (kind, name) in REFERENCES:
                target = REFERENCES[(kind, name)]
                specs.append(FieldSpec(kind, (name,), "refs", title, required, target=target))
            else:
                specs.append(FieldSpec(kind, (name,), "texts", title, required))
        elif base is int:
            specs.append(FieldSpec(kind, (name,), "count", title, required))
        elif base.__name__ == "date":
            specs.append(FieldSpec(kind, (name,), "date", title, required))
        elif (kind, name) in REFERENCES:
            specs.append(
                FieldSpec(kind, (name,), "ref", title, required, target=REFERENCES[(kind, name)])
            )
        elif (kind, name) in CODE_FIELDS:
            specs.append(
                FieldSpec(
                    kind, (name,), "code", title, required, code_list=CODE_FIELDS[(kind, name)]
                )
            )
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


def header_index(kind: str, specs: list[FieldSpec]) -> dict[str, FieldSpec]:
    """Normalised header -> column, exact forms first, then forms without units in brackets."""
    exact: dict[str, FieldSpec] = {}
    for spec in specs:
        names = [spec.name, spec.title]
        if spec.shape == "id":
            names += ID_HEADERS
        elif spec.shape == "code-count":
            names += [spec.path[1], f"{spec.path[0]}:{spec.path[1]}"]
        else:
            names += SYNONYMS.get(kind, {}).get(spec.path[0], ())
        for name in names:
            exact.setdefault(normalize_header(name), spec)
    loose = {loose_header(key): spec for key, spec in reversed(exact.items())}
    return {**loose, **exact}


def find_spec(index: dict[str, FieldSpec], header: object) -> FieldSpec | None:
    key = normalize_header(header)
    return index.get(key) or index.get(loose_header(key))
