"""The brief's charts as PNG at print resolution, cached by their data.

A 300 dpi chart takes a few tenths of a second to draw: each is kept under the build cache
(``brief-charts/<digest>.png``) keyed by its spec and the chart style, so a build whose
figures did not change draws none.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.render.chartdata import STYLE_VERSION, ChartSpec

DPI = 300


def chart_png(spec: ChartSpec, cache_dir: Path | None) -> bytes:
    digest = hashlib.sha256(repr((STYLE_VERSION, DPI, spec)).encode()).hexdigest()[:32]
    path = cache_dir / f"{digest}.png" if cache_dir is not None else None
    if path is not None and path.is_file():
        return path.read_bytes()
    from generator.render.charts import render_png  # matplotlib: only when a chart is drawn

    png = render_png(spec, DPI)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_bytes(png)
        partial.replace(path)
    return png
