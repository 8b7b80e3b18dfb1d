"""What a chart shows, without drawing it: the spec, its alt text and its id (pure, light).

The drawing itself (:mod:`generator.render.charts`) imports matplotlib, which takes most of a second;
pages only need these, so a rebuild that draws no new chart never imports it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass

STYLE_VERSION = "2"  # part of chart_id: bump it when the drawing changes so cached charts go
# Okabe–Ito (colour-blind safe). Bluish green (#009E73) and vermillion (#D55E00) mean 达标 and
# 进度滞后 on the site's cards, so no chart series ever takes them; "none" (尚未覆盖, 其他) is grey.
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#CC79A7")
NONE_COLOUR = "#BBBBBB"
NO_DATA = "无数据"


@dataclass(frozen=True)
class Series:
    """One bar colour: a value per category; None means no data (no bar, "无数据")."""

    name: str
    values: tuple[float | None, ...]
    target: float | None = None  # this series' own target (a rate's 目标), drawn for it alone
    muted: bool = False  # a remainder (尚未覆盖, 其他): drawn grey, never in a palette colour


@dataclass(frozen=True)
class ChartSpec:
    """What to draw. Vertical charts whose labels would not fit are drawn horizontally."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # values are ratios 0..1, shown as "62.5%"
    unit: str = ""  # appended to counts, e.g. "个"
    horizontal: bool = False
    stacked: bool = False
    target: float | None = None  # dashed reference line, in the legend as "目标 60%"
    line: bool = False  # a line per series over the categories (months), not bars
    # months: from this category on nothing was recorded (shaded and said so, not a stall)
    unrecorded_from: int | None = None

    def __post_init__(self) -> None:
        if len(self.series) > len(PALETTE):
            raise ValueError(f"chart {self.title!r}: {len(self.series)} series, at most 4")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {s.name!r} has "
                    f"{len(s.values)} values for {len(self.categories)} categories"
                )
            if any(v is not None and not math.isfinite(v) for v in s.values):
                raise ValueError(f"chart {self.title!r}: series {s.name!r} has NaN or infinity")


def alt_text(spec: ChartSpec) -> str:
    """Chinese alt text naming the title and every value."""
    if is_empty(spec):
        return f"图表：{spec.title}。暂无数据。"
    cells = [
        [f"{s.name} {fmt(spec, s.values[i])}" for s in spec.series]
        for i in range(len(spec.categories))
    ]
    body = "；".join(f"{c}：{'，'.join(r)}" for c, r in zip(spec.categories, cells, strict=True))
    goals = [target_label(spec)] if spec.target is not None else []
    goals += [f"{s.name}目标 {fmt(spec, s.target)}" for s in spec.series if s.target is not None]
    goal = "".join(f"{g}。" for g in goals)
    gap = ""
    if spec.unrecorded_from is not None and spec.unrecorded_from < len(spec.categories):
        gap = f"{spec.categories[spec.unrecorded_from]}起没有新的记录。"
    return f"图表：{spec.title}。{body}。{goal}{gap}"


def chart_id(spec: ChartSpec) -> str:
    """Short stable digest of the spec and STYLE_VERSION, for file names and caching."""
    data = json.dumps([STYLE_VERSION, asdict(spec)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def fmt(spec: ChartSpec, v: float | None) -> str:
    if v is None:
        return NO_DATA
    return f"{v * 100:.1f}%" if spec.percent else f"{num(v)}{spec.unit}"


def target_label(spec: ChartSpec) -> str:
    t = spec.target or 0.0
    return f"目标 {round(t * 100, 1):g}%" if spec.percent else f"目标 {num(t)}{spec.unit}"


def is_empty(spec: ChartSpec) -> bool:
    return all(v is None for s in spec.series for v in s.values) or not spec.categories
