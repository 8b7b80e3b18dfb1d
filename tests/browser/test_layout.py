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


# On a phone: what a reader sees of each table that scrolls sideways, before scrolling it.
_PHONE_TABLES = """() => [...document.querySelectorAll("article .md-typeset__scrollwrap")]
  .filter(wrap => wrap.offsetParent !== null && wrap.scrollWidth > wrap.clientWidth + 1)
  .map(wrap => {
    const right = wrap.getBoundingClientRect().right;
    const heads = [...wrap.querySelectorAll("thead th")];
    return {
      head: heads.map(th => th.textContent.trim()).join("|"),
      cue: getComputedStyle(wrap, "::before").content,
      faded: getComputedStyle(wrap).maskImage !== "none",
      sticky: getComputedStyle(heads[0]).position,
      seen: heads.filter(th => th.getBoundingClientRect().left < right - 8)
        .map(th => th.textContent.trim()),
    };
  })"""


@pytest.mark.parametrize("name", ["overview", "county", "grid"])
def test_tables_wider_than_a_phone_say_so_and_show_their_key_columns(visit, name: str) -> None:
    page = visit(PAGES[name], PHONE).page
    # as a reader comes to each table (a chart's data opened): a long one is laid out, and
    # gets its cue, only then
    page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = true)")
    for wrap in page.locator("article .md-typeset__scrollwrap").all():
        if wrap.is_visible():
            wrap.scroll_into_view_if_needed()
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r)))")
    tables = page.evaluate(_PHONE_TABLES)
    assert tables, "no table scrolls on a phone here: the check has nothing to look at"
    for table in tables:
        assert "左右滑动" in table["cue"], table
        assert table["faded"], f"the hidden columns' edge of {table['head']} is not faded"
        assert table["sticky"] == "sticky", f"the first column of {table['head']} scrolls away"
        # the rate, its status and the coverage, when the table has them, show before scrolling
        for key in ("组织覆盖率", "组织覆盖目标", "覆盖情况"):
            if key in table["head"].split("|"):
                assert key in table["seen"], (key, table)
    # scrolled to its end, the fade goes: nothing more is hidden on that side
    faded_at_end = page.evaluate(
        """() => [...document.querySelectorAll("article .md-typeset__scrollwrap.is-scrollable")]
          .map(wrap => { wrap.scrollLeft = wrap.scrollWidth; wrap.dispatchEvent(new Event("scroll"));
                         const faded = getComputedStyle(wrap).maskImage !== "none";
                         wrap.scrollLeft = 0; wrap.dispatchEvent(new Event("scroll")); return faded; })"""
    )
    assert faded_at_end and not any(faded_at_end)
