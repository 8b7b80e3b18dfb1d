"""The site works on an intranet with no internet: nothing it loads lives on another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import PAGES, search
from sitefiles import css_urls, html_refs, js_urls

pytestmark = pytest.mark.browser

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)

# Material's bundle names a few URLs it loads only in situations this site never creates. Each
# one is allowed here with the reason, and the situations are asserted away below.
MATERIAL_CONDITIONAL_LOADS = {
    # Only when the browser has no ResizeObserver: Chrome < 64, Firefox < 69, Safari < 13.1.
    # Such a browser cannot run Material's bundle anyway; nothing a page can switch off.
    "https://unpkg.com/resize-observer-polyfill": None,
    # Only for a Mermaid diagram (a `.mermaid` block): no page may have one.
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": re.compile(r'class="[^"]*\bmermaid\b'),
    # Repository facts in the header, only when mkdocs.yml sets repo_url: no page may show them.
    "https://api.github.com/repos/${e}/${t}": re.compile(r'data-md-component="source"'),
    "https://api.github.com/users/${e}": re.compile(r'data-md-component="source"'),
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}": re.compile(
        r'data-md-component="source"'
    ),
    # Never loaded: Pagefind's search script parses a page's relative URL against a dummy
    # origin to add its anchor or highlight terms, then strips the origin again.
    "https://example.com${anchored_url}": None,
    "https://example.com${normalized}": None,
}


def _remote_loads(site_dir: Path) -> list[str]:
    found = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        if path.suffix in (".html", ".svg"):
            refs = html_refs(path.read_text(encoding="utf-8"))
            found += [
                f"{rel}: {element} {url}" for element, url in refs.loads if _REMOTE.match(url)
            ]
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8")
            found += [f"{rel}: url({url})" for url in css_urls(css) if _REMOTE.match(url)]
        elif path.suffix in (".js", ".mjs"):
            js = path.read_text(encoding="utf-8", errors="replace")
            found += [
                f"{rel}: {url}" for url in js_urls(js) if url not in MATERIAL_CONDITIONAL_LOADS
            ]
    return found


def test_built_files_load_nothing_from_other_hosts(site_dir: Path) -> None:
    """No script, style sheet, font, image or frame of any built file comes from the internet."""
    assert _remote_loads(site_dir) == []
    pages = {p: p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")}
    for url, trigger in MATERIAL_CONDITIONAL_LOADS.items():
        if trigger is not None:
            used = [
                str(p.relative_to(site_dir)) for p, text in pages.items() if trigger.search(text)
            ]
            assert not used, f"{url} would be loaded by {used}"


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_without_errors_or_other_hosts(visit, name: str) -> None:
    """Load the page, its charts and details, and search: no console error, no outside request."""
    v = visit(PAGES[name])
    v.load_images()
    v.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    assert search(v.page, "蒲县"), "the search found nothing"
    assert v.problems() == []
    # The recording sees the search worker's own requests, so this is the whole traffic.
    assert any("/pagefind/" in url for url in v.requests), v.requests
