"""`sitegen serve`'s error banner as a clerk sees it: the last build's errors above the last good
site, on an office PC and a phone, never covering the site's header or its search.
Screenshots: test-artifacts/screenshots/preview-errors-<width>.png."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from browsing import ROOT

from generator.cli.serve import Preview, make_server
from generator.project import Project

pytestmark = pytest.mark.browser

PROBLEMS = [
    "data/jixian/orgs/broken_file_with_a_long_name.yaml:2:1: yaml-syntax: YAML 格式错误：这里缺少"
    "内容——方括号、花括号或引号可能没有配对，或者冒号后面的值没写完",
    "data/puxian/orgs/assoc-construction.yaml:15:1: unknown-field: 未知字段 “<b>bogus</b>”",
]


@pytest.fixture(scope="module")
def preview_url(site_dir: Path):
    """The preview's own server in front of the built sample site, its last build failed."""
    preview = Preview(Project(ROOT, ROOT / "data", site_dir), lambda problem: None, dt.date.today)
    preview.problems = list(PROBLEMS)
    server = make_server(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_error_banner_shows_every_error_and_covers_nothing(
    browser, preview_url: str, width: int, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(preview_url + "counties/puxian/", wait_until="load")
        page.screenshot(path=screenshot_dir / f"preview-errors-{width}.png")
        banner = page.locator("#sitegen-preview-errors")
        text = banner.inner_text()
        assert "数据有 2 个错误" in text
        assert "broken_file_with_a_long_name.yaml:2:1: yaml-syntax" in text
        assert "“<b>bogus</b>”" in text  # the message as text, not markup
        # Nothing cut off: no line of the list is wider than the banner.
        assert banner.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert banner.bounding_box()["width"] <= width
        # Scrolled down, the site's header is on top and the badge leads back to the list.
        page.mouse.wheel(0, 1500)
        page.wait_for_function("() => window.scrollY > 1000")
        covering = page.evaluate(
            """() => {
                 const box = document.querySelector(".md-header").getBoundingClientRect();
                 const hit = document.elementFromPoint(box.left + box.width / 2, box.top + 5);
                 return box.top === 0 && hit.closest(".md-header") !== null;
               }"""
        )
        assert covering, "the error banner covers the site's header"
        badge = page.locator("#sitegen-preview-badge")
        assert badge.is_visible() and "2 个错误" in badge.inner_text()
        badge.click()
        page.wait_for_function("() => window.scrollY === 0")
        assert banner.is_visible()
    finally:
        context.close()
