"""The site as a zip for a USB stick: opened from disk (file://), with no server at all."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.browser.browsing import search
from tests.browser.conftest import ROOT, _sitegen

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("usb")
    archive = work / "site.zip"
    done = subprocess.run(
        [*_sitegen(), "build", "--out", str(work / "served"), "--zip", str(archive)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(work / "stick")
    return work / "stick" / "site"


# Charts below the fold load lazily: ask each image to load now and wait for it, then read
# its width (0 when the file could not be read).
LOADED_WIDTHS = """els => Promise.all(els.map(e => {
    e.loading = "eager";
    return e.complete ? e.naturalWidth
        : new Promise(done => { e.onload = e.onerror = () => done(e.naturalWidth); });
}))"""


def test_pages_browse_from_disk_without_any_network(browser, unzipped):
    page = browser.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith("file:") else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto((unzipped / "index.html").as_uri())
        assert "两个覆盖" in page.title()
        page.get_by_role("link", name="蒲县").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("counties/puxian/index.html")
        assert "台账（一企一档）" in page.inner_text("article")
        page.locator("article a", has_text="第一摸排责任区").first.click()
        page.wait_for_load_state()
        assert "/grids/" in page.url and page.url.endswith("index.html")
        images = page.eval_on_selector_all("article img", LOADED_WIDTHS)
        page.go_back()
        assert page.url.endswith("counties/puxian/index.html")
        charts = page.eval_on_selector_all("figure.chart img", LOADED_WIDTHS)
        assert charts and all(width > 0 for width in charts)
        assert all(width > 0 for width in images)
        assert foreign == []
        assert errors == []
    finally:
        page.close()


def test_table_links_open_their_rows_from_disk(browser, unzipped):
    """The tables are HTML from the templates: their links are page.html addresses in the zip."""
    page = browser.new_page()
    try:
        page.goto((unzipped / "counties/puxian/followups/index.html").as_uri())
        link = page.locator("section.followups-grid table a[href*='#org-']").first
        anchor = link.get_attribute("href").split("#")[1]
        link.click()
        page.wait_for_load_state()
        assert page.url == (unzipped / "counties/puxian/orgs/index.html").as_uri() + f"#{anchor}"
        assert page.locator(f"[id='{anchor}']").count() == 1
        page.locator("article table a[href*='grids/']").first.click()
        page.wait_for_load_state()
        assert "/grids/" in page.url and page.url.endswith("index.html")
        assert "组织台账" in page.inner_text("article")
    finally:
        page.close()


def test_chinese_search_works_from_disk(browser, unzipped):
    page = browser.new_page()
    try:
        page.goto((unzipped / "index.html").as_uri())
        results = search(page, "集贤县")
        assert any("counties/jixian/" in path for path in results[:3]), results
    finally:
        page.close()


def test_the_404_page_opens_from_disk_with_its_styles_and_links(browser, unzipped):
    page = browser.new_page()
    problems: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("file:") else problems.append(r.url))
    page.on("requestfailed", lambda r: problems.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto((unzipped / "404.html").as_uri())
        assert page.title().startswith("页面不存在")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
            "sticky",
            "fixed",
        )
        page.get_by_role("link", name="各县列表").click()
        page.wait_for_load_state()
        assert page.url == (unzipped / "counties" / "index.html").as_uri()
        assert problems == []
    finally:
        page.close()
