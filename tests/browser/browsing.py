"""What the browser tests share: the pages they visit and how a person uses the site's search."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def missing(reason: str) -> None:
    """A tool the browser tests need is missing: skipped on a developer's machine, a failure
    in CI (``CI=true``), where a skip would pass a run that never looked at a page."""
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


DESKTOP, PHONE = 1280, 375

# The pages the browser checks visit: name -> path below the site root.
PAGES = {
    "overview": "",
    "county": "counties/puxian/",
    "grid": "counties/puxian/grids/zone-chengdong/",
    "activities": "activities/",
    "county-activities": "counties/puxian/activities/",
    "case": "cases/puxian-three-ways/",
}

# Material's result line reads "找到 N 个符合条件的结果" or "没有找到符合条件的结果" once the
# worker has answered; before that it says the index is loading or asks for a query.
# The worker answers the empty query first (on load, and again when the field takes focus) with
# the placeholder; typing before that answer lets it arrive after the query and read as "none".
_READY = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta !== null && meta.textContent.includes("键入以开始搜索");
}"""
_ANSWERED = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta !== null && meta.textContent.includes("符合条件");
}"""


def search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search as a person would; the result pages, best first.

    Returns each result page's path below the site root ("counties/puxian/"), once.
    """
    icon = page.locator("label.md-header__button[for=__search]")
    field = page.locator("input.md-search__input")
    if icon.is_visible():  # a phone: the search opens from the icon in the header
        icon.click()
        page.wait_for_function("() => document.getElementById('__search').checked")
    else:
        field.click()
    page.wait_for_function(_READY)
    field.fill(query)
    # Chinese typed by automation arrives without key events and Material searches on keyup.
    field.press("End")
    page.wait_for_function(_ANSWERED)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)"
    )
    paths: list[str] = []
    for href in hrefs:
        path = urlsplit(href).path.removeprefix("/")  # the test server serves the site at /
        if path not in paths:
            paths.append(path)
    return paths
