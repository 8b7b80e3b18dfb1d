"""Getting around: overview -> county -> grid and back, and no link or asset of the site is dead."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from browsing import DESKTOP
from sitefiles import css_urls, html_refs, pagefind_pages

pytestmark = pytest.mark.browser

_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")


def test_overview_to_county_to_grid_and_back(visit) -> None:
    v = visit("", DESKTOP)
    page = v.page
    page.locator('article a[href$="counties/puxian/"]').first.click()
    page.wait_for_url(re.compile(r"/counties/puxian/$"))
    assert page.locator("h1").inner_text() == "蒲县"

    grid_link = page.locator('article a[href*="grids/"]').first
    grid_name = grid_link.inner_text()
    grid_link.click()
    page.wait_for_url(re.compile(r"/counties/puxian/grids/[^/]+/$"))
    assert page.locator("h1").inner_text() == grid_name

    page.go_back()
    page.wait_for_url(re.compile(r"/counties/puxian/$"))
    assert page.locator("h1").inner_text() == "蒲县"
    page.go_back()
    page.wait_for_url(v.base_url)
    assert page.locator("h1").inner_text().startswith("新兴领域")
    # The data revision: one shared script fills the page's note and the footer.
    notes = page.locator(".sitegen-revision, #sitegen-revision")
    assert notes.count() == 2
    # The page's own note is shown in print only: read its text, not what is on screen.
    texts = [note.text_content() or "" for note in notes.all()]
    assert all(re.search(r"版本 [0-9a-f]{7}|数据版本：未纳入", text) for text in texts), texts
    assert v.problems() == []


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def _crawl(base_url: str) -> tuple[dict[str, int], list[str], set[str]]:
    """Follow every href and src from the overview. Returns statuses, dead refs, pages seen."""
    statuses: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []  # (page, target, fragment)
    dead: list[str] = []
    queue = deque([(base_url, "(start)")])
    while queue:
        url, referrer = queue.popleft()
        if url in statuses:
            continue
        status, kind, body = _fetch(url)
        statuses[url] = status
        if status != 200:
            dead.append(f"{referrer} -> {url}: HTTP {status}")
            continue
        refs: list[str] = []
        if kind == "text/html":
            found = html_refs(body.decode("utf-8"))
            ids[url] = found.ids
            refs = [ref for _, ref in found.loads + found.links]
        elif kind == "text/css":
            refs = css_urls(body.decode("utf-8"))
        for ref in refs:
            if ref.startswith(_SKIPPED_SCHEMES):
                continue
            target, fragment = urldefrag(urljoin(url, ref))
            if not target.startswith(base_url):
                continue  # another host: test_offline reports what would be loaded
            queue.append((target, url))
            if fragment:
                fragments.append((url, target, unquote(fragment)))
    for page, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            dead.append(f"{page} -> {target}#{fragment}: no element with that id")
    pages = {url for url, status in statuses.items() if status == 200 and url in ids}
    return statuses, dead, pages


def test_every_link_and_asset_resolves(site_dir: Path, base_url: str) -> None:
    """A crawler from the overview: every href/src (and url() in CSS) answers 200, every
    #fragment exists, and every built page can be reached by following links."""
    _, dead, pages = _crawl(base_url)
    assert dead == []
    built = set()
    for index_html in site_dir.rglob("index.html"):
        folder = index_html.parent.relative_to(site_dir).as_posix()
        built.add(base_url if folder == "." else f"{base_url}{folder}/")
    orphans = sorted(urlsplit(url).path for url in built - pages)
    assert orphans == [], "pages no link leads to"


def test_search_index_points_at_existing_pages_and_headings(site_dir: Path, base_url: str):
    """Every page and heading a search result can open (Pagefind's index) is served."""
    broken = []
    pages = pagefind_pages(site_dir)
    assert len(pages) > 10
    for page in pages:
        status, _, body = _fetch(urljoin(base_url, page["url"].lstrip("/")))
        if status != 200:
            broken.append(f"{page['url']}: HTTP {status}")
            continue
        ids = html_refs(body.decode("utf-8")).ids
        broken += [f"{page['url']}#{a['id']}: no such id" for a in page["anchors"]
                   if a.get("id") and a["id"] not in ids]  # fmt: skip
    assert broken == []
