"""The built site served by Debian's nginx under /zzb/ with the shipped configuration
(ci-templates/publish/nginx-zzb.conf): every link works, pages come back gzip-encoded from the
precompressed copies, and hashed assets are cached while HTML is not."""

from __future__ import annotations

import gzip
import http.client
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.nginx_site import NGINX, ROOT, nginx

MINIMAL = ROOT / "tests" / "scenarios" / "valid-minimal"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="needs Debian's nginx")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    built = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "build",
         "--data", str(MINIMAL / "data"), "--out", str(site)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    with nginx(site, work / "nginx") as port:
        yield port, site


def get(port: int, path: str, gzip_ok: bool = False) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def crawl(port: int) -> tuple[set[str], list[tuple[str, str, int]]]:
    """Every path reachable from /zzb/, and the broken links as (page, link, status)."""
    queue, seen, broken = [("/zzb/", "/zzb/")], set(), []
    while queue:
        page, path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = get(port, path)
        if response.status != 200:
            broken.append((page, path, response.status))
            continue
        if not response.getheader("Content-Type", "").startswith("text/html"):
            continue
        parser = Links()
        parser.feed(response.body.decode("utf-8"))  # type: ignore[attr-defined]
        for link in parser.found:
            target = urlsplit(urljoin(f"http://127.0.0.1:{port}{path}", link))
            if target.scheme in ("http", "https") and target.netloc == f"127.0.0.1:{port}":
                assert target.path.startswith("/zzb/"), (path, link)  # never outside the site
                queue.append((path, target.path))
    return seen, broken


@pytest.fixture(scope="module")
def crawled(server):
    return crawl(server[0])


def test_every_link_of_the_site_works_under_the_sub_path(crawled):
    seen, broken = crawled
    assert broken == []
    assert len(seen) > 30  # pages, styles, scripts, charts, downloads


def test_pages_come_back_gzip_encoded_and_html_is_not_cached(server):
    port, site = server
    page = get(port, "/zzb/counties/px/", gzip_ok=True)
    assert page.status == 200
    assert page.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(page.body) == (site / "counties/px/index.html").read_bytes()  # type: ignore[attr-defined]
    assert page.getheader("Cache-Control") == "no-cache"
    revision = get(port, "/zzb/assets/javascripts/revision.js")
    assert revision.getheader("Cache-Control") == "no-cache"
    [css] = [p.name for p in (site / "assets/stylesheets").glob("main.*.min.css")]
    hashed = get(port, f"/zzb/assets/stylesheets/{css}", gzip_ok=True)
    assert hashed.getheader("Content-Encoding") == "gzip"
    assert "max-age=31536000" in hashed.getheader("Cache-Control", "")


def test_a_missing_page_gets_the_sites_own_404(server):
    port, _ = server
    missing = get(port, "/zzb/counties/nowhere/at/all/")
    assert missing.status == 404
    assert "<html" in missing.body.decode("utf-8")  # type: ignore[attr-defined]


def test_the_404_page_assets_work_under_the_sub_path(server):
    """The one 404 page answers every depth, so its links are written from the site's root
    (its first script sets <base> to the root found in the address: tests/browser/
    test_not_found.py sees it at work). None may start at the server's root, and from /zzb/
    every style sheet, script and link must be there."""
    port, _ = server
    body = get(port, "/zzb/counties/nowhere/at/all/").body.decode("utf-8")  # type: ignore[attr-defined]
    assert "页面不存在" in body and "Not found" not in body
    parser = Links()
    parser.feed(body)
    assets = [link for link in parser.found if re.search(r"\.(css|js)$", link)]
    assert len(assets) >= 4  # Material's styles and bundle, the site's own, the revision
    for link in parser.found:
        assert not link.startswith("/"), link
        target = urlsplit(urljoin(f"http://127.0.0.1:{port}/zzb/", link))
        if target.netloc == f"127.0.0.1:{port}" and not target.path.endswith("404.html"):
            assert get(port, target.path).status == 200, link
