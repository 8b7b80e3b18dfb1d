"""Spreadsheet cell values <-> field values of the data standard.

Reading is forgiving about form and strict about meaning: ``2025年6月12日``, ``2025/6/12``,
an Excel date or serial number are the same date; ``'12'`` stored as text is 12; 快递物流 is
``express_logistics`` and 已解决 is ``resolved``; a list is written ``a、b、c``. Anything that
cannot be read is passed on unchanged, so the record's model or the ledger checks report it with
their usual message and the cell it came from; only what they cannot see (an impossible or
unreadable date, a name that matches nothing) raises :class:`CellError` here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from generator.diagnostics import Problem
from generator.entry.columns import FieldSpec, loose_header, normalize_header
from generator.kinds import FOLDERS, KIND_LABELS
from generator.load.config import CODE_LIST_LABELS, CodeLists
from generator.messages import unknown_code
from generator.values import CHOICE_LABELS, ID_RE

LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
# Serial numbers of 1950-01-01 and 2099-12-31: outside them a number is not a ledger date.
_SERIAL_RANGE = (18264, 73050)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_COUNT_TEXT = re.compile(r"^([-+]?\d+)(\.0+)?\s*[人名个家户次项条间支]?$")
# What clerks write for the fixed choices, besides the code and its label in models.CHOICE_LABELS.
_SYNONYMS_BY_CHOICE = {
    "economic": ("经济", "新经济", "企业"),
    "social": ("社会", "新社会", "社会组织"),
    "operating": ("正常", "在营", "存续", "营业"),
    "suspended": ("歇业", "暂停营业"),
    "closed": ("注销", "关闭", "已注销", "吊销"),
    "standalone": ("单建",),
    "joint": ("联建",),
    "branch": ("支部",),
    "general_branch": ("总支",),
    "open": ("待办", "未办理", "未解决", "待办理"),
    "in_progress": ("处理中", "正在办理"),
    "resolved": ("已办结", "办结", "已完成"),
    "business_district": ("商圈",),
    "community": ("社区",),
    "screening_zone": ("责任区",),
}
CHOICE_SYNONYMS = {word: code for code, words in _SYNONYMS_BY_CHOICE.items() for word in words}


class CellError(Problem):
    """A cell's value cannot be read (an impossible date, a name that matches nothing)."""


@dataclass
class Lookup:
    """What a cell may name: code lists, and the county's records by id and by name."""

    codes: CodeLists
    county: str = ""
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> name -> id
    ids: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids
    epoch: dt.datetime = dt.datetime(1899, 12, 30)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_cell(spec: FieldSpec, value: object, lookup: Lookup) -> object:
    """The field value of a non-blank cell (lists are lists of item values)."""
    shape = spec.shape
    if shape in ("text", "id"):
        return _text(value)
    if shape in ("count", "code-count"):
        return read_count(value)
    if shape == "date":
        return read_date(value, lookup.epoch)
    if shape == "choice":
        return read_choice(spec, _text(value))
    if shape == "choices":
        return [read_choice(spec, item) for item in split_list(_text(value))]
    if shape == "code":
        return known_code(spec.code_list or "", _text(value), lookup)
    if shape == "ref":
        return read_reference(spec, _text(value), lookup)
    if shape == "refs":
        return [read_reference(spec, item, lookup) for item in split_list(_text(value))]
    if shape == "texts":
        return split_list(_text(value))
    raise ValueError(shape)


def split_list(text: str) -> list[str]:
    return [item.strip() for item in LIST_SEPARATORS.split(text) if item.strip()]


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_count(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    match = _COUNT_TEXT.match(text)
    return int(match.group(1)) if match else str(value).strip()


def read_date(value: object, epoch: dt.datetime = dt.datetime(1899, 12, 30)) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value, str(value), epoch)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _TIME_PART.sub("", text)
    match = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError("import-impossible-date", value=str(value).strip()) from None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _serial_date(float(text), text, epoch)
    raise CellError("import-invalid-date", value=str(value).strip())


def _serial_date(number: float, shown: str, epoch: dt.datetime) -> dt.date:
    low, high = _SERIAL_RANGE
    if not low <= number <= high:
        raise CellError("import-invalid-date", value=shown)
    return (epoch + dt.timedelta(days=int(number))).date()


def read_choice(spec: FieldSpec, text: str) -> str:
    """The code of a fixed choice written as its code, its Chinese label or a common synonym."""
    key = normalize_header(text)
    for choice in spec.choices:
        if key in (choice, normalize_header(CHOICE_LABELS.get(choice, choice))):
            return choice
    synonym = CHOICE_SYNONYMS.get(key)
    return synonym if synonym in spec.choices else text


def read_code(codes: dict[str, str], text: str) -> str:
    """A code-list code written as the code or its label; an ambiguous label stays as written."""
    key = normalize_header(text)
    if key in codes:
        return key
    for fold in (normalize_header, loose_header):  # 收集需求 is 收集需求(项)
        matches = [code for code, label in codes.items() if fold(text) == fold(label)]
        if len(matches) == 1:
            return matches[0]
    return text


def known_code(code_list: str, text: str, lookup: Lookup) -> str:
    """The code-list code for ``text`` (a code or its Chinese label); CellError otherwise."""
    codes = getattr(lookup.codes, code_list)
    code = read_code(codes, text)
    if code not in codes:
        raise CellError("unknown-code", **unknown_code(CODE_LIST_LABELS[code_list], text, codes))
    return code


def read_reference(spec: FieldSpec, text: str, lookup: Lookup) -> str:
    """A record id, or the name of a record of the county (网格 name instead of its id)."""
    target = spec.target or ""
    if text in lookup.ids.get(target, set()):
        return text
    by_name = lookup.names.get(target, {}).get(normalize_header(text))
    if by_name is not None:
        return by_name
    label = (KIND_LABELS[target], target.replace("_", " "))
    if ID_RE.match(text):
        raise CellError(
            "unknown-reference",
            value=text,
            target=label,
            county=lookup.county,
            folder=FOLDERS[target],
        )
    raise CellError("import-unknown-name", value=text, target=label)


def to_cell(spec: FieldSpec, value: object, codes: CodeLists) -> object:
    """A field value as ``sitegen export`` writes it: labels for codes, lists joined by 、."""
    if value is None or value == [] or value == {}:
        return None
    if spec.shape == "choice":
        return CHOICE_LABELS.get(str(value), value)
    if spec.shape == "choices":
        assert isinstance(value, list)
        choices: list[str] = value  # the model's list[Literal[...]]
        return "、".join(CHOICE_LABELS.get(v, v) for v in choices)
    if spec.shape == "code":
        table = getattr(codes, spec.code_list or "")
        label = table.get(value)
        same = [c for c, lab in table.items() if normalize_header(lab) == normalize_header(label)]
        return label if label is not None and same == [value] else value
    if spec.shape == "refs":
        assert isinstance(value, list)  # of ids
        return "、".join(value)
    return value
