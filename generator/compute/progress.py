"""Progress toward targets: a status a clerk can recompute by hand (pure).

Rule, stated on the methodology page from :data:`RULE`:

1. no current value                                   -> 无数据 (no data)
2. current value >= target                            -> 已完成 (achieved)
3. due date passed                                    -> 进度滞后 (behind)
4. fewer than 2 months of history                     -> 无数据 (cannot judge the pace)
5. pace = (value now - value N months ago) / N, with N = up to 3 months of history, the
   trailing months without any record left out (the caller cuts them off: see figures);
   needed = (target - value now) / months left until the due date (at least 1);
   pace >= needed                                     -> 按期推进 (on track)
   otherwise                                          -> 进度滞后 (behind)

It follows Open SDG's idea (compare the observed rate of change with the rate the target
requires) in its simplest form: straight lines, months as the unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

TREND_MONTHS = 3

RULE = (
    "没有当前值时为“无数据”；当前值达到或超过目标为“已完成”；已过截止日期仍未达到为“进度滞后”；"
    f"否则用最近 {TREND_MONTHS} 个有记录的月份（不足时用已有月份，至少 2 个月）的月均变化作为实际进度"
    "——最后一条记录之后的月份没有任何新记录，表示“尚未记录”而不是“没有进展”，不计入；"
    "用（目标值 − 当前值）÷ 距截止日期的月数（不足 1 个月按 1 个月）作为所需进度："
    "实际进度不低于所需进度为“按期推进”，否则为“进度滞后”；历史不足 2 个月时为“无数据”。"
)


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            "achieved": "已完成",
            "on_track": "按期推进",
            "behind": "进度滞后",
            "no_data": "无数据",
        }[self.value]


@dataclass(frozen=True)
class Progress:
    status: Status
    value: float | None
    target: float
    due: dt.date
    pace: float | None = None  # observed change per month
    needed: float | None = None  # change per month needed to reach the target in time


def months_left(as_of: dt.date, due: dt.date) -> float:
    return (due.year - as_of.year) * 12 + (due.month - as_of.month) + (due.day - as_of.day) / 30


def assess(history: list[float | None], target: float, due: dt.date, as_of: dt.date) -> Progress:
    """``history``: the metric at the end of each month, oldest first, the last one being now."""
    value = history[-1] if history else None
    if value is None:
        return Progress(Status.NO_DATA, None, target, due)
    if value >= target - 1e-9:
        return Progress(Status.ACHIEVED, value, target, due)
    if as_of > due:
        return Progress(Status.BEHIND, value, target, due)
    known = [v for v in history[-(TREND_MONTHS + 1) :] if v is not None]
    if len(known) < 2:
        return Progress(Status.NO_DATA, value, target, due)
    pace = (known[-1] - known[0]) / (len(known) - 1)
    needed = (target - value) / max(1.0, months_left(as_of, due))
    # A tolerance, so that a tie a clerk computes by hand is a tie here too despite float rounding.
    status = Status.ON_TRACK if pace >= needed - 1e-9 else Status.BEHIND
    return Progress(status, value, target, due, pace, needed)
