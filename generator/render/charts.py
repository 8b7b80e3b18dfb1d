"""Bar charts of coverage progress as deterministic SVG, Chinese drawn as paths.

Pure: a ChartSpec in, bytes or text out. The caller writes the file. The font is the
Simplified Chinese face of the Noto Sans CJK collection shipped by the `noto_cjk_sans_otc`
wheel, never a system font, so every machine draws the same glyphs.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from importlib import resources
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.font_manager import FontPath, FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator

from generator.diagnostics import BuildError
from generator.render.chartdata import (  # re-exported: the spec types are part of this interface
    NO_DATA,
    NONE_COLOUR,
    PALETTE,
    STYLE_VERSION,
    ChartSpec,
    Series,
    alt_text,
    chart_id,
    fmt,
    is_empty,
    num,
    target_label,
)
from generator.render.chartlabels import Words
from generator.render.chartlabels import em as _em
from generator.render.chartlabels import wrap as _wrap

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "STYLE_VERSION",
    "PALETTE",
    "ChartSpec",
    "Series",
    "alt_text",
    "chart_id",
    "render_svg",
    "render_png",
    "font_path",
    "MissingGlyphError",
]

_ON_PALETTE = ("white", "black", "black", "black")  # legible text colour inside each bar colour
_INK, _MUTED, _GRID, _QUIET = "#222222", "#5F5F5F", "#DEDEDE", "#F0F0F0"
_FAMILY = "Noto Sans CJK SC"
# A narrow drawing with large letters: 5.6 in is 538 px, shown at about 358 px on a 390 px phone,
# where 14 pt ticks and 13 pt values still read at 12 px and 11.5 px.
_WIDTH_IN, _PLOT_PT = 5.6, 340.0  # figure width; rough width of a vertical plot area
_TITLE_PT, _TICK_PT, _VALUE_PT = 15.0, 14.0, 13.0
_LABEL_EM = 8.0  # wrap horizontal category labels after this many CJK characters
# A white ground under a value label, so a target line never strikes it (a stroke "halo" would
# draw every glyph as its own path instead of reusing one, doubling the SVG)
_HALO = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "two-coverages-charts",
    "text.usetex": False,
    "text.parse_math": False,
    "axes.unicode_minus": False,
}
_TARGET_LINE: dict[str, Any] = {
    "color": _INK,
    "linestyle": (0, (4, 3)),
    "linewidth": 1.3,
    "zorder": 2.5,
}
_BAR_TARGET: dict[str, Any] = {
    "colors": _INK,
    "linestyles": (0, (3, 2)),
    "linewidths": 2.2,
    "zorder": 2.6,
}
_LEGEND: dict[str, Any] = {
    "loc": "lower left",
    "bbox_to_anchor": (0, 1.02),
    "borderaxespad": 0,
    "frameon": False,
    "handlelength": 1.4,
    "columnspacing": 1.4,
    "labelcolor": _INK,
}
_LOCK = threading.Lock()  # rcParams and warning filters are process-wide state


def _measured_once(measure: Callable[..., tuple[float, float, float]]):
    """TextToPath's measure of a string, kept: matplotlib measures every label again in each
    of a chart's two draws (the layout's and the SVG's) and in each pass of its layout, laying
    the CJK glyphs out each time (a tenth of a chart's time). The measure depends only on the
    string, the font's properties and ``ismath``, so the SVG is the same."""
    known: dict[tuple, tuple[float, float, float]] = {}

    @wraps(measure)
    def measured(self, s: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
        if ismath:
            return measure(self, s, prop, ismath)
        key = (s, tuple(prop.get_family()), prop.get_slant(), prop.get_variant(),
               prop.get_weight(), prop.get_stretch(), prop.get_size(), prop.get_file())  # fmt: skip
        found = known.get(key)
        if found is None:
            found = known[key] = measure(self, s, prop, ismath)
        return found

    return measured


TextToPath.get_text_width_height_descent = _measured_once(  # type: ignore[method-assign]
    TextToPath.get_text_width_height_descent
)


class MissingGlyphError(BuildError):
    """A label holds a character the bundled CJK font cannot draw."""


def render_svg(spec: ChartSpec, words: Words | None = None) -> bytes:
    """Draw the chart as SVG bytes; the same spec always gives the same bytes. ``words``: the
    words of its labels' parts, where known (chartlabels.cut)."""
    buf = io.BytesIO()
    with _drawing(spec.title):
        _build_figure(spec, words).savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def render_png(spec: ChartSpec, dpi: int) -> bytes:
    """Draw the chart as PNG for print (the brief's .docx); the same spec and dpi always give
    the same bytes (no software or date stamp)."""
    buf = io.BytesIO()
    with _drawing(spec.title):
        # light compression: a third of the time of the default for a fifth more bytes
        _build_figure(spec).savefig(
            buf,
            format="png",
            dpi=dpi,
            metadata={"Software": None},
            pil_kwargs={"compress_level": 1},
        )
    return buf.getvalue()


@cache
def font_path() -> FontPath:
    """The Simplified Chinese face inside the bundled NotoSansCJK-Regular.ttc."""
    ttc = str(resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc")
    for index in range(FT2Font(ttc).num_faces):
        if FT2Font(ttc, face_index=index).family_name == _FAMILY:
            return FontPath(ttc, index)
    raise BuildError(f"{ttc} has no {_FAMILY!r} face; reinstall noto-cjk-sans-otc")


@contextmanager
def _drawing(title: str) -> Iterator[None]:
    """Hold matplotlib's global settings for one chart; a missing glyph raises."""
    with _LOCK, matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing from font", category=UserWarning)
        try:
            yield
        except UserWarning as exc:
            raise MissingGlyphError(
                f"chart {title!r}: {exc} Replace that character in the "
                "chart's title, categories or series names."
            ) from exc


def _text(size: float, color: str = _INK, halo: bool = False) -> dict[str, Any]:
    return {
        "fontproperties": FontProperties(fname=font_path(), size=size),
        "color": color,
        "parse_math": False,
        **({"bbox": _HALO} if halo else {}),
    }


def _colour(spec: ChartSpec, i: int) -> str:
    return NONE_COLOUR if spec.series[i].muted else PALETTE[i]


def _on_colour(spec: ChartSpec, i: int) -> str:
    return "black" if spec.series[i].muted else _ON_PALETTE[i]


def _legend_columns(labels: list[str], width_pt: float) -> int:
    """As many legend columns as fit the plot width (matplotlib fills column by column)."""
    widths = [max(map(_em, t.split("\n"))) * (_TICK_PT - 1) + 44 for t in labels]
    for rows in range(1, len(widths)):  # fewest rows first; 4 entries in 3 columns is 2 rows
        groups = range(0, len(widths), rows)
        if sum(max(widths[c : c + rows]) for c in groups) <= width_pt:
            return len(groups)
    return 1


def _plan(spec: ChartSpec, words: Words | None) -> tuple[bool, list[str], float]:
    """Choose orientation, wrapped category labels and figure height in inches."""
    if spec.line:  # a time axis: always horizontal, every k-th label so they never collide
        step = max(
            1, math.ceil(len(spec.categories) * _em(spec.categories[0]) * _TICK_PT / _PLOT_PT)
        )
        return False, [c if i % step == 0 else "" for i, c in enumerate(spec.categories)], 3.6
    n, k = len(spec.categories), 1 if spec.stacked else len(spec.series)
    slot_pt = _PLOT_PT / n
    widest = max(_em(fmt(spec, v)) for s in spec.series for v in s.values)
    vertical = [_wrap(c, 0.9 * slot_pt / _TICK_PT, words) for c in spec.categories]
    fits = (
        max(w.count("\n") for w in vertical) < 2
        and widest * _VALUE_PT <= slot_pt * (0.6 if spec.stacked else 0.8 / k) + 4
    )
    if fits and not spec.horizontal:
        return False, vertical, 3.8
    labels = [_wrap(c, _LABEL_EM, words) for c in spec.categories]
    row_in = max(0.35, 0.24 * k + 0.12, 0.24 * max(w.count("\n") + 1 for w in labels) + 0.1)
    return True, labels, max(3.2, n * row_in + 1.3)


def _value_range(spec: ChartSpec, horizontal: bool, axis_pt: float) -> tuple[float, float, float]:
    """Lowest value, highest value (or 100% / target) and the axis end with room for labels."""
    values = [v for s in spec.series for v in s.values if v is not None]
    if spec.stacked:
        columns = zip(*(s.values for s in spec.series), strict=True)
        values += [sum(v or 0.0 for v in column) for column in columns]
    low = min(0.0, *values)
    targets = [s.target for s in spec.series if s.target is not None]
    top = max(1.0 if spec.percent else 0.0, spec.target or 0.0, *targets, *values) or 1.0
    label_pt = max(_em(fmt(spec, v)) for v in values) * _VALUE_PT + 16
    return low, top, top + (top - low) * (label_pt / axis_pt if horizontal else 0.12)


def _draw_bars(ax: Axes, spec: ChartSpec, horizontal: bool, pt_per_unit: float) -> list[Any]:
    """Bars with their value labels and each series' own target; returns the legend handles."""
    n, k = len(spec.categories), len(spec.series)
    thick = 0.6 if spec.stacked else 0.8 / k
    draw = ax.barh if horizontal else ax.bar
    base: list[float] = [0.0] * n
    handles: list[Artist | BarContainer] = []
    goals = []
    for i, s in enumerate(spec.series):
        vals = [v or 0.0 for v in s.values]
        pos = range(n) if spec.stacked else [j - 0.4 + thick * (i + 0.5) for j in range(n)]
        span: dict[str, Any] = {"left" if horizontal else "bottom": base} if spec.stacked else {}
        bars = draw(pos, vals, thick, color=_colour(spec, i), label=s.name, linewidth=0, **span)
        handles.append(bars)
        texts = ["" if v is None else fmt(spec, v) for v in s.values]  # None: no bar, no value
        if spec.stacked:  # label a segment inside only when the label fits in it
            need = [(_em(t) * _VALUE_PT if horizontal else _VALUE_PT) + 4 for t in texts]
            fit = [v * pt_per_unit >= w for v, w in zip(vals, need, strict=True)]
            texts = [t if ok else "" for t, ok in zip(texts, fit, strict=True)]
            ax.bar_label(bars, texts, label_type="center", **_text(_VALUE_PT, _on_colour(spec, i)))
            base = [b + v for b, v in zip(base, vals, strict=True)]
            continue
        if s.target is not None:  # a short mark across this series' bars only
            marks = (ax.vlines if horizontal else ax.hlines)(
                [s.target] * n,
                [p - thick / 2 for p in pos],
                [p + thick / 2 for p in pos],
                **_BAR_TARGET,
            )
            goals.append((marks, f"{s.name} {_goal(spec, s.target)}"))
        for p, v, text in zip(pos, s.values, texts, strict=True):
            where = (p, v, s.target, _on_colour(spec, i))
            _value_label(ax, spec, horizontal, pt_per_unit, where, text)
    if spec.stacked and not spec.percent:  # totals at the end of each stack
        ax.bar_label(bars, [fmt(spec, t) for t in base], padding=3, **_text(_VALUE_PT, halo=True))
    if goals:
        goals[0][0].set_label("目标：" + "，\n".join(label for _, label in goals))
        handles.append(goals[0][0])
    if spec.target is not None:
        line = ax.axvline if horizontal else ax.axhline
        handles.append(line(spec.target, label=target_label(spec), **_TARGET_LINE))
    return handles


def _goal(spec: ChartSpec, target: float) -> str:
    return f"{round(target * 100, 1):g}%" if spec.percent else fmt(spec, target)


def _value_label(
    ax: Axes,
    spec: ChartSpec,
    horizontal: bool,
    pt_per_unit: float,
    where: tuple[float, float | None, float | None, str],
    text: str,
) -> None:
    """A bar's value just past its end; when its target mark would cross that, inside the bar's
    end if it fits there clear of the mark, else past the mark. ``where``: the bar's position,
    value, target and the text colour inside it."""
    pos, value, target, on_bar = where
    end = value or 0.0
    size = ((_em(text or NO_DATA) * _VALUE_PT if horizontal else _VALUE_PT) + 4) / pt_per_unit
    inside = False
    if target is not None and end <= target <= end + size:
        inside = end >= size * 1.2 and bool(text)
        end = end if inside else target
    sign = -1 if inside else 1
    offset = (3 * sign, 0) if horizontal else (0, 3 * sign)
    place: dict[str, Any]
    if horizontal:
        place = {"ha": "right" if inside else "left", "va": "center"}
    else:
        place = {"ha": "center", "va": "top" if inside else "bottom"}
    colour = on_bar if inside else (_INK if text else _MUTED)
    ax.annotate(
        text or NO_DATA,
        (end, pos) if horizontal else (pos, end),
        xytext=offset,
        textcoords="offset points",
        annotation_clip=False,  # a value of 0 sits on the axis edge and must still show
        **place,
        **_text(_VALUE_PT, colour, halo=not inside),
    )


def _draw_lines(ax: Axes, spec: ChartSpec) -> list[Any]:
    """A line per series with dot markers; the last value of each line is labelled; a series'
    target is a dashed line in the series' own colour."""
    handles = []
    markers = ("o", "s", "^", "D")
    for i, s in enumerate(spec.series):
        xs = [j for j, v in enumerate(s.values) if v is not None]
        ys = [v for v in s.values if v is not None]
        colour = _colour(spec, i)
        (handle,) = ax.plot(
            xs, ys, color=colour, marker=markers[i], markersize=4, linewidth=2, label=s.name
        )
        handles.append(handle)
        if xs:
            ax.annotate(
                fmt(spec, ys[-1]),
                (xs[-1], ys[-1]),
                xytext=(4, 4 + 10 * i),
                textcoords="offset points",
                **_text(_VALUE_PT, _INK, halo=True),
            )
    for i, s in enumerate(spec.series):
        if s.target is not None:
            goal = f"{s.name}目标 {_goal(spec, s.target)}"
            style = {**_TARGET_LINE, "color": _colour(spec, i), "zorder": 1.9}
            handles.append(ax.axhline(s.target, label=goal, **style))
    if spec.target is not None:
        handles.append(ax.axhline(spec.target, label=target_label(spec), **_TARGET_LINE))
    return handles


def _shade_unrecorded(ax: Axes, spec: ChartSpec) -> None:
    """Months after the last record: a grey band saying so, so a flat line is not a stall."""
    start, n = spec.unrecorded_from, len(spec.categories)
    if start is None or start >= n:
        return
    ax.axvspan(start - 0.5, n - 0.5, color=_QUIET, zorder=0, linewidth=0)
    ax.text(
        (start - 0.5 + n - 0.5) / 2,
        0.03,
        "此后无新记录",
        ha="center",
        va="bottom",
        transform=ax.get_xaxis_transform(),
        **_text(_TICK_PT - 2, _MUTED),
    )


def _build_figure(spec: ChartSpec, words: Words | None = None) -> Figure:
    """Lay out the whole chart; call inside _drawing() so the settings apply."""
    empty = is_empty(spec)
    horizontal, labels, height = (False, [], 3.2) if empty else _plan(spec, words)
    # w_pad, h_pad: inches of margin round the chart
    fig = Figure(
        figsize=(_WIDTH_IN, height), layout=ConstrainedLayoutEngine(w_pad=0.08, h_pad=0.08)
    )
    fig.suptitle(spec.title, x=0.01, ha="left", **_text(_TITLE_PT))
    ax = fig.add_subplot()
    if empty:
        ax.set_axis_off()
        middle: dict[str, Any] = {"ha": "center", "va": "center", "transform": ax.transAxes}
        ax.text(0.5, 0.5, "暂无数据", **middle, **_text(18, _MUTED))
        return fig
    axis_pt = _WIDTH_IN * 72 - _LABEL_EM * _TICK_PT - 30 if horizontal else height * 72 - 120
    low, top, hi = _value_range(spec, horizontal, axis_pt)
    if not horizontal:
        _shade_unrecorded(ax, spec)
    if spec.line:
        handles = _draw_lines(ax, spec)
    else:
        handles = _draw_bars(ax, spec, horizontal, axis_pt / (hi - low))
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, top)
    ticks = [t for t in ticks if low - 1e-9 <= t <= hi + 1e-9]
    tick_text = [f"{round(t * 100, 1):g}%" if spec.percent else num(t) for t in ticks]
    value_axis, category_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    value_axis.set_ticks(ticks, tick_text, **_text(_TICK_PT - 1, _MUTED))
    category_axis.set_ticks(range(n := len(labels)), labels, linespacing=1.3, **_text(_TICK_PT))
    (ax.set_xlim if horizontal else ax.set_ylim)(low, hi)
    (ax.set_ylim if horizontal else ax.set_xlim)(-0.5, n - 0.5)
    if horizontal:
        ax.invert_yaxis()  # first category on top, as in the tables
    ax.tick_params(length=0, pad=4)
    ax.grid(axis="x" if horizontal else "y", color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom" if horizontal else "left"):
        ax.spines[side].set_visible(False)
    ax.spines["left" if horizontal else "bottom"].set_color(_MUTED)
    ncols = _legend_columns([h.get_label() for h in handles], axis_pt if horizontal else _PLOT_PT)
    legend_font = FontProperties(fname=font_path(), size=_TICK_PT - 1)
    ax.legend(handles=handles, ncols=ncols, prop=legend_font, **_LEGEND)
    return fig
