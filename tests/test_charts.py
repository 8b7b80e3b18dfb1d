"""Charts: real CJK glyphs, same bytes every run, readable labels, honest alt text."""

from __future__ import annotations

import hashlib
import os
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
    assert len(chart_id(GRIDS)) == 12 and int(chart_id(GRIDS), 16) >= 0


def test_values_must_match_categories() -> None:
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        ChartSpec("覆盖率", ("蒲县", "集贤县"), (Series("组织覆盖率", (0.1, 0.2, 0.3)),))
