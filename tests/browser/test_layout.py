"""Layout on an office PC (1280 px) and a phone (375 px), with screenshots for a person to review.

The screenshots go to test-artifacts/screenshots/<page>-<width>.png (full page, charts loaded).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import DESKTOP, PAGES, PHONE

pytestmark = pytest.mark.browser

# Tables wider than their column, and how each one's scroller behaves after scrolling it.
_WIDE_TABLES = """() => [...document.querySelectorAll("article table")]
  .filter(table => table.offsetParent !== null)
  .map(table => {
    const wrap = table.closest(".md-typeset__scrollwrap");
    const column = document.querySelector("article").clientWidth;
    if (table.getBoundingClientRect().width <= column + 1) return null;
    const head = [...table.querySelectorAll("th")].map(th => th.textContent.trim()).join("|");
    if (!wrap) return {head, wrap: false};
    wrap.scrollLeft = wrap.scrollWidth;
    const result = {
      head,
      wrap: true,
      overflow: getComputedStyle(wrap).overflowX,
      right: wrap.getBoundingClientRect().right,
      scrolled: wrap.scrollLeft,
      focusable: wrap.tabIndex >= 0,
    };
    wrap.scrollLeft = 0;
    return result;
  })
  .filter(Boolean)"""

_TRUNCATED_TITLES = """() => [
  ...document.querySelectorAll(".md-header__topic:first-child .md-ellipsis")
].filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent.trim())"""


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("name", PAGES)
def test_layout_and_screenshot(visit, screenshot_dir: Path, name: str, width: int) -> None:
    v = visit(PAGES[name], width)
    page = v.page
    v.screenshot(screenshot_dir / f"{name}-{width}.png")  # first: wanted most when a check fails
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (
        "the page scrolls sideways"
    )
    for table in page.evaluate(_WIDE_TABLES):
        assert table["wrap"], f"table {table['head']} is wider than the page and has no scroller"
        assert table["overflow"] in ("auto", "scroll"), table
        assert table["right"] <= width + 1, f"scroller of {table['head']} sticks out: {table}"
        assert table["scrolled"] > 0, f"table {table['head']} does not scroll: {table}"
        assert table["focusable"], f"a keyboard cannot reach the scroller of {table['head']}"
    outside = page.evaluate(
        f"""() => [...document.querySelectorAll("article img, article figure, article svg")]
            .filter(el => el.getBoundingClientRect().right > {width} + 1)
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert outside == [], "images wider than the screen"
    assert page.evaluate(_TRUNCATED_TITLES) == [], "the site name is cut off in the header"
    assert v.problems() == []
