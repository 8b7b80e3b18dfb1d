"""Charts: real CJK glyphs, same bytes every run, readable labels, honest alt text."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import noto_cjk_sans_otc
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from generator.render.charts import (
    ChartSpec,
    MissingGlyphError,
    Series,
    _build_figure,
    _drawing,
    alt_text,
    chart_id,
    font_path,
    render_svg,
)

ROOT = Path(__file__).resolve().parents[1]
GRIDS = ChartSpec(
    title="各网格覆盖率",
    categories=("第一网格", "第二网格", "蒲县", "集贤县"),
    series=(
        Series("组织覆盖率", (0.625, 0.8, None, 1.0)),
        Series("工作覆盖率", (0.8, 0.0, 0.5, 0.25)),
    ),
    percent=True,
    target=0.6,
)
LONG_LABELS = tuple(f"集贤县兴安镇非公有制经济组织联合党支部第{i}网格" for i in range(24))


def glyph_id(char: str) -> str:
    """The id matplotlib gives a glyph of the bundled SC face in an SVG drawn as paths."""
    glyph = FT2Font(font_path(), face_index=font_path().face_index).get_char_index(ord(char))
    assert glyph, f"{char} is not in the font"
    return f"NotoSansCJKsc-Regular-{glyph:x}"


def drawn(spec: ChartSpec) -> tuple[Figure, FigureCanvasAgg]:
    with _drawing(spec.title):
        fig = _build_figure(spec)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    return fig, canvas


def test_font_is_the_bundled_simplified_chinese_face() -> None:
    path = font_path()
    assert Path(path).parent == Path(noto_cjk_sans_otc.__file__).parent
    assert FT2Font(path, face_index=path.face_index).family_name == "Noto Sans CJK SC"


def test_chinese_draws_as_paths_with_real_glyphs() -> None:
    svg = render_svg(GRIDS).decode()
    for char in "各网格覆盖率蒲县集贤目标无数据":
        assert glyph_id(char) in svg, char
    assert "<text" not in svg  # text is paths: a viewer without CJK fonts sees the same chart
    assert "DejaVu" not in svg and "LastResort" not in svg


def test_missing_glyph_is_an_error() -> None:
    spec = ChartSpec("覆盖率 😀", ("第一网格",), (Series("组织覆盖率", (0.5,)),), percent=True)
    with pytest.raises(MissingGlyphError, match="覆盖率 😀"):
        render_svg(spec)


def test_same_bytes_in_separate_processes_without_system_fonts(tmp_path: Path) -> None:
    script = (
        "import hashlib, sys\n"
        "from tests.test_charts import GRIDS\n"
        "from generator.render.charts import render_svg\n"
        "sys.stdout.write(hashlib.sha256(render_svg(GRIDS)).hexdigest())\n"
    )
    digests = []
    for seed, extra in (("1", {}), ("2", {"MPL_IGNORE_SYSTEM_FONTS": "1"})):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONHASHSEED": seed,
            "MPLCONFIGDIR": str(tmp_path / seed),
            **extra,
        }
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.append(done.stdout)
    assert digests[0] == digests[1] == hashlib.sha256(render_svg(GRIDS)).hexdigest()


def test_threads_get_the_same_bytes() -> None:
    with ThreadPoolExecutor(4) as pool:
        outputs = set(pool.map(lambda _: render_svg(GRIDS), range(4)))
    assert len(outputs) == 1


def test_alt_text_gives_every_value_as_percent() -> None:
    assert alt_text(GRIDS) == (
        "图表：各网格覆盖率。第一网格：组织覆盖率 62.5%，工作覆盖率 80.0%；"
        "第二网格：组织覆盖率 80.0%，工作覆盖率 0.0%；蒲县：组织覆盖率 无数据，工作覆盖率 50.0%；"
        "集贤县：组织覆盖率 100.0%，工作覆盖率 25.0%。目标 60%。"
    )


def test_alt_text_counts_carry_the_unit() -> None:
    spec = ChartSpec(
        "党组织数",
        ("蒲县",),
        (Series("已建", (12.0,)), Series("应建", (2.5,))),
        unit="个",
        stacked=True,
    )
    assert alt_text(spec) == "图表：党组织数。蒲县：已建 12个，应建 2.5个。"


def test_none_draws_no_bar_and_says_no_data() -> None:
    fig, _ = drawn(GRIDS)
    ax = fig.axes[0]
    areas = [bar.get_width() * bar.get_height() for bar in ax.containers[0]]
    assert areas[2] == 0 and all(area > 0 for i, area in enumerate(areas) if i != 2)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("无数据") == 1 and "62.5%" in texts and "0.0%" in texts


def test_empty_charts_say_no_data() -> None:
    specs = [
        ChartSpec("各网格覆盖率", (), (Series("组织覆盖率", ()),), percent=True),
        ChartSpec("各网格覆盖率", ("第一网格", "第二网格"), (Series("组织覆盖率", (None, None)),)),
        ChartSpec("各网格覆盖率", ("第一网格",), ()),
    ]
    for spec in specs:
        assert glyph_id("暂") in render_svg(spec).decode()
        assert alt_text(spec) == "图表：各网格覆盖率。暂无数据。"


def test_dollar_signs_in_labels_stay_literal() -> None:
    spec = ChartSpec(
        "A$x^2$B 覆盖率",
        ("A$x^2$B", "第$1$网格"),
        (Series("组织$覆盖率$", (0.5, 0.25)),),
        percent=True,
        horizontal=True,
    )
    fig, _ = drawn(spec)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["A$x^2$B", "第$1$网格"]
    svg = render_svg(spec).decode()
    assert glyph_id("$") in svg and glyph_id("^") in svg  # drawn as characters, not as math
    assert "A$x^2$B" in alt_text(spec)


@pytest.mark.parametrize("horizontal", [False, True])
def test_many_long_labels_fit_and_do_not_overlap(horizontal: bool) -> None:
    spec = ChartSpec(
        "很多很长的标签",
        LONG_LABELS,
        (
            Series("组织覆盖率", tuple((i % 11) / 10 for i in range(24))),
            Series("工作覆盖率", tuple(((i + 3) % 11) / 10 for i in range(24))),
        ),
        percent=True,
        horizontal=horizontal,
        target=0.6,
    )
    fig, canvas = drawn(spec)
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1), text
    ticks = [t.get_window_extent(renderer) for t in fig.axes[0].get_yticklabels()]
    assert len(ticks) == len(LONG_LABELS)
    assert all(not a.overlaps(b) for a, b in zip(ticks, ticks[1:], strict=False))


def test_chart_id_follows_the_data() -> None:
    same = ChartSpec(GRIDS.title, GRIDS.categories, GRIDS.series, percent=True, target=0.6)
    changed = ChartSpec(
        GRIDS.title,
        GRIDS.categories,
        (GRIDS.series[0], Series("工作覆盖率", (0.8, 0.0, 0.5, 0.3))),
        percent=True,
        target=0.6,
    )
    assert chart_id(GRIDS) == chart_id(same)
    assert chart_id(GRIDS) != chart_id(changed)
    assert re.fullmatch(r"[0-9a-f]{12}", chart_id(GRIDS))


def test_values_must_match_categories() -> None:
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        ChartSpec("覆盖率", ("蒲县", "集贤县"), (Series("组织覆盖率", (0.1, 0.2, 0.3)),))


RATES = ChartSpec(
    title="各县覆盖率",
    categories=("集贤县", "蒲县"),
    series=(
        Series("组织覆盖率", (0.444, 0.76), target=0.6),
        Series("工作覆盖率", (0.667, 0.9), target=0.9),
    ),
    percent=True,
)


def test_each_rate_is_measured_against_its_own_target() -> None:
    from matplotlib.collections import LineCollection

    fig, _ = drawn(RATES)
    marks = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    heights = sorted({round(seg[0][1], 3) for c in marks for seg in c.get_segments()})
    assert heights == [0.6, 0.9]  # 60% across the organizational bars, 90% across the work bars
    for c in marks:
        xs = [seg[0][0] for seg in c.get_segments()]
        level = round(c.get_segments()[0][0][1], 3)
        # organizational bars are left of each county's centre, work bars right of it
        assert all((x < round(x) if level == 0.6 else x >= round(x) - 0.01) for x in xs), level
    text = alt_text(RATES)
    assert "组织覆盖率目标 60.0%" in text and "工作覆盖率目标 90.0%" in text
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("组织覆盖率 60%" in t and "工作覆盖率 90%" in t for t in legend)


def test_a_value_label_is_never_struck_by_its_target_mark() -> None:
    fig, canvas = drawn(RATES)
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text().endswith("%")]
    for label in labels:
        box = label.get_window_extent(renderer)
        for marks in ax.collections:
            for seg in marks.get_segments():
                (x0, y), (x1, _) = ax.transData.transform(seg)
                crosses = box.y0 < y < box.y1 and min(x0, x1) < box.x1 and max(x0, x1) > box.x0
                assert not crosses, label.get_text()


def test_no_series_takes_the_status_colours() -> None:
    from generator.render.chartdata import NONE_COLOUR, PALETTE

    status = {"#009E73", "#D55E00"}  # 达标 and 进度滞后 on the cards
    assert not status & {c.upper() for c in PALETTE} and NONE_COLOUR not in status


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("第一摸排责任区（蒲城镇城东片）", ["第一摸排责任区", "（蒲城镇城东片）"]),
        ("四达商圈第二网格（农副产品批发区）", ["四达商圈第二网格", "（农副产品", "批发区）"]),
    ],
)
def test_labels_break_between_words_never_after_an_opening_bracket(label, lines) -> None:
    from generator.render.charts import _LABEL_EM, _wrap

    wrapped = _wrap(label, _LABEL_EM).split("\n")
    assert wrapped == lines
    assert not any(line.endswith("（") or line.startswith("）") for line in wrapped)


def test_months_without_records_are_shaded_and_said() -> None:
    from generator.compute.figures import Series as Monthly
    from generator.compute.history import Month
    from generator.render.chartspecs import coverage_over_time, unrecorded_from

    months = [Month(2025, m) for m in (8, 9, 10, 11, 12)]
    rates = [0.2, 0.5, 0.7, 0.7, 0.7]
    monthly = Monthly(
        months=months,
        metrics=[{"org_coverage_rate": r, "work_coverage_rate": r} for r in rates],
        activities=[{"training": 1}, {"training": 2}, {}, {}, {}],
        needs=[(0, 0), (1, 0), (0, 1), (0, 0), (0, 0)],
    )
    assert unrecorded_from(monthly) == 3  # October had a need resolved; nothing after it
    spec = coverage_over_time("蒲县", monthly, {})
    assert spec.unrecorded_from == 3
    assert "2025-11起没有新的记录" in alt_text(spec)
    fig, _ = drawn(spec)
    assert "此后无新记录" in [t.get_text() for t in fig.axes[0].texts]


def test_a_label_measured_again_measures_the_same_and_each_size_its_own() -> None:
    """matplotlib measures every label in each draw; the measures are kept (a tenth of a
    chart's time), by string and font properties: a size or face never takes another's."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath.get_text_width_height_descent
    unkept = measure.__wrapped__
    text2path = TextToPath()
    small, large = (FontProperties(fname=font_path(), size=size) for size in (10, 20))
    for prop in (small, large, small):
        assert measure(text2path, "集贤县网格", prop, False) == unkept(
            text2path, "集贤县网格", prop, False
        )
    assert (
        measure(text2path, "集贤县网格", large, False)[0]
        > measure(text2path, "集贤县网格", small, False)[0]
    )
    assert (
        measure(text2path, "集贤县", small, False)[0]
        < measure(text2path, "集贤县网格", small, False)[0]
    )


def test_months_are_cut_as_jieba_cuts_them_without_loading_it() -> None:
    """A time axis's labels (2025-10) are cut at their hyphens as jieba cuts them, so drawing
    them does not load jieba's dictionary; other text still goes to jieba."""
    from generator.render import chartlabels

    chartlabels._segmenter.cache_clear()
    for text in ("2025-10", "2026-01", "12", "2025-10-31"):
        assert chartlabels._words(text, {}) == list(chartlabels._segmenter().cut(text, HMM=True))
    chartlabels._segmenter.cache_clear()
    lines = chartlabels.wrap("2025-10", 3).split("\n")
    assert len(lines) == 2 and "".join(lines) == "2025-10"
    assert chartlabels._segmenter.cache_info().currsize == 0  # jieba not loaded for it
    assert chartlabels._words("蒲县城东社区网格", {}) == list(
        chartlabels._segmenter().cut("蒲县城东社区网格")
    )


def test_charts_drawn_with_their_labels_words_are_the_same_and_need_no_jieba(tmp_path) -> None:
    """The build cuts the labels' parts once (label_words) and keeps the words in the chart
    cache, so the processes that draw the charts never load jieba's dictionary: the SVG is
    the same bytes either way, and a store that is broken or of another jieba is cut again."""
    import json

    from generator.render import chartlabels
    from generator.render.renderer import WORDS_FILE, label_words

    spec = ChartSpec(
        title="各行业覆盖率",
        categories=("行业协会商会（含异地商会）", "快递物流", "第12网格", "2025-10"),
        series=(Series("覆盖率", (0.5, 0.25, 0.75, 1.0)),),
        percent=True,
    )
    plain = render_svg(spec)  # jieba cuts inside the drawing
    words = label_words([spec], tmp_path)
    assert words["快递物流"] == ("快递", "物流") and "2025-10" not in words
    assert chartlabels._segmenter.cache_info().currsize == 0  # let go once cut
    assert render_svg(spec, words) == plain
    assert chartlabels._segmenter.cache_info().currsize == 0  # not loaded to draw it
    assert label_words([spec], tmp_path) == words  # from the store: nothing to cut
    assert chartlabels._segmenter.cache_info().currsize == 0
    store = tmp_path / WORDS_FILE
    data = json.loads(store.read_text(encoding="utf-8"))
    data["words"]["快递物流"] = ["快", "递物流"]
    store.write_text(json.dumps({**data, "jieba": "0.0"}), encoding="utf-8")
    assert label_words([spec], tmp_path) == words  # another jieba's words are not used
    data["words"]["快递物流"] = ["网格"]  # not the words of that text
    store.write_text(json.dumps(data), encoding="utf-8")
    assert label_words([spec], tmp_path)["快递物流"] == ("快递", "物流")
    store.write_text("{not json", encoding="utf-8")
    assert label_words([spec], tmp_path) == words
