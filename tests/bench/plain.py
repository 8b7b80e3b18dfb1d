"""The bare MkDocs baseline of the bench: as many plain pages as the build generated.

Each page has a title and one small Markdown table, at the same path as a generated page (so
the site's nav still finds its pages); MkDocs builds them with the site's own mkdocs.yml, theme
and search. What MkDocs costs for this many pages, whatever we put in them: the cold build is
measured against it (issue 19: at most 2x).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROWS = 10  # rows of the one table on each plain page


def write_plain_pages(generated: Path, out: Path) -> int:
    """A plain page in ``out`` for every Markdown page in ``generated``; how many."""
    shutil.rmtree(out, ignore_errors=True)
    count = 0
    for page in sorted(generated.rglob("*.md")):
        target = out / page.relative_to(generated)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(plain_page(count), encoding="utf-8")
        count += 1
    for folder in ("assets/stylesheets", "assets/javascripts"):  # the site's own styles, scripts
        if (generated / folder).is_dir():
            shutil.copytree(generated / folder, out / folder)
    return count


def plain_page(number: int) -> str:
    rows = "".join(
        f"| 组织{number}-{row} | 快递物流 | {row * 7 % 50} | {row % 2 and '已覆盖' or '未覆盖'} |\n"
        for row in range(ROWS)
    )
    return f"# 页面 {number}\n\n| 名称 | 行业 | 从业人员 | 状态 |\n|---|---|---:|---|\n{rows}"
