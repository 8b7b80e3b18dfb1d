"""The order a reader scans a list in: 第一、第二…第十二, not the order of ids or files (pure).

A record's optional ``order`` comes first; else the number in its name (第十二网格 -> 12, 3号网格
-> 3; Chinese numerals included); else its name. The id only breaks ties between equal names,
so the same data always gives the same order.
"""

from __future__ import annotations

import re

_DIGITS = "零〇一二两三四五六七八九"
_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = f"[{_DIGITS}十百千]+|[0-9]+"
_PATTERNS = (
    re.compile(f"第({_NUMERAL})"),  # 第二网格, 第十二摸排责任区
    re.compile(f"({_NUMERAL})[号#]"),  # 3号网格, 三号楼
    re.compile("([0-9]+)"),  # 网格3
)


def chinese_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105, 二〇二五 -> 2025, 12 -> 12."""
    if text.isdigit():
        return int(text)
    if not any(c in _UNITS for c in text):  # digit by digit: 二〇二五
        return int("".join(str(_VALUES[c]) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in _UNITS:
            total += (digit or 1) * _UNITS[c]
            digit = 0
        else:
            digit = _VALUES[c]
    return total + digit


def number_in(name: str) -> int | None:
    for pattern in _PATTERNS:
        match = pattern.search(name)
        if match:
            return chinese_number(match.group(1))
    return None


def reading_order(name: str, order: int | None = None, record_id: str = "") -> tuple:
    """Sort key: ``order`` first, else the number in ``name``, else ``name``; then the id."""
    number = number_in(name)
    return (
        order is None,
        order or 0,
        number is None,
        number or 0,
        name,
        record_id,
    )
