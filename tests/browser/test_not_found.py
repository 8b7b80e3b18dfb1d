"""The site's own 404 page as a reader meets it: a missing address at any depth, the site served
by Debian's nginx with the shipped configuration under a prefix (or none), on an office PC and
a phone. Screenshots: test-artifacts/screenshots/not-found-<prefix>-<n>-<width>.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import missing, search

from tests.nginx_site import NGINX, nginx

pytestmark = pytest.mark.browser

PREFIXES = ["/zzb/", "/two-coverages/", "/"]
MISSING = ["counties/nowhere/at/all/", "typo", "counties/puxian/grids/gone.html"]


@pytest.fixture(scope="module", params=PREFIXES, ids=lambda p: p.strip("/") or "root")
def served(request, site_dir: Path, tmp_path_factory) -> str:
    if not Path(NGINX).exists():
        missing("the 404 page is checked as served by Debian's nginx (apt-get install nginx)")
    with nginx(site_dir, tmp_path_factory.mktemp("nginx"), request.param) as port:
        yield f"http://127.0.0.1:{port}{request.param}"


@pytest.fixture
def tab(browser, served: str, request):
    """A tab at the test's width recording what went wrong: failed requests (the missing page
    itself aside), script errors, and requests leaving the site."""
    width = request.node.callspec.params.get("width", 1366)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="zh-CN", service_workers="block"
    )
    context.route(lambda url: not url.startswith(served), lambda route: route.abort())
    page = context.new_page()
    page.problems = []
    record = page.problems.append
    page.on("request", lambda r: None if r.url.startswith(served) else record(f"left: {r.url}"))
    page.on("requestfailed", lambda r: record(f"failed: {r.url} ({r.failure})"))
    page.on("pageerror", lambda error: record(f"uncaught: {error}"))

    def answered(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            record(f"HTTP {response.status}: {response.url}")

    page.on("response", answered)
    yield page
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("number", range(len(MISSING)))
def test_a_missing_page_is_the_sites_own_404_with_styles_and_links(
    tab, served: str, number: int, width: int, screenshot_dir: Path
) -> None:
    address = served + MISSING[number]
    response = tab.goto(address, wait_until="load")
    assert response is not None and response.status == 404
    prefix = served.split("/", 3)[3].strip("/") or "root"
    tab.screenshot(path=screenshot_dir / f"not-found-{prefix}-{number}-{width}.png")
    assert tab.title().startswith("页面不存在")
    assert "本站没有这个地址的页面" in tab.inner_text("article")
    assert tab.problems == []  # every style sheet, script and the revision came from the site
    # Material's styles and script are at work: the red header, the script's search toggle.
    assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    assert tab.evaluate("document.documentElement.classList.contains('js')")
    assert tab.inner_text("#sitegen-revision").startswith("数据更新于")
    links = tab.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert links and all(link.startswith(served) for link in links), links
    tab.get_by_role("link", name="回到概览").click()
    tab.wait_for_load_state()
    assert tab.url == served
    assert tab.problems == []


def test_the_404_page_searches_the_site(tab, served: str) -> None:
    tab.goto(served + MISSING[0], wait_until="load")
    tab.get_by_role("button", name="按名称搜索").click()
    tab.wait_for_function("() => document.getElementById('__search').checked")
    root = served.split("/", 3)[3]
    assert search(tab, "蒲县")[0] == f"{root}counties/puxian/"
    assert tab.problems == []


def test_the_404_page_has_no_serious_wcag_violations(tab, served: str, axe_source: str) -> None:
    from test_accessibility import _report, _violations

    tab.goto(served + MISSING[0], wait_until="load")
    violations = _violations(tab, axe_source)
    assert violations == [], _report(violations)
