"""What a reader's browser fetches to show a county page: `make bench` prints it.

The built site is served on loopback as nginx with ``gzip_static on`` serves it (a file's
``.gz`` copy when the build wrote one), a county page is opened in Chromium (Playwright,
Debian's /usr/bin/chromium) at desktop and phone width, and every response until the network
is quiet is counted: bytes sent (compressed where a copy exists) and the largest few.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def sent_bytes(site: Path, url: str) -> int:
    """Bytes a server with precompressed copies sends for ``url`` (0 when it is not a file)."""
    path = site / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    for candidate in (path.with_name(path.name + ".gz"), path):
        if candidate.is_file():
            return candidate.stat().st_size
    return 0


def county_page(site: Path) -> str:
    """The path of the largest county page (the one a reader waits longest for)."""
    pages = sorted(site.glob("counties/*/index.html"), key=lambda p: (-p.stat().st_size, p))
    if not pages:
        raise SystemExit(f"no county page in {site}")
    return "/" + pages[0].parent.relative_to(site).as_posix() + "/"


def first_load(site: Path, path: str | None = None) -> list[tuple[str, str]]:
    """Rows for the bench table: a county page's first-load bytes at each width."""
    from playwright.sync_api import sync_playwright

    path = path or county_page(site)
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                urls: list[str] = []
                context.on("requestfinished", lambda request, into=urls: into.append(request.url))
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}{path}", wait_until="load")
                page.wait_for_load_state("networkidle")
                elements = page.evaluate("document.getElementsByTagName('*').length")
                context.close()
                sizes = sorted(((sent_bytes(site, u), u) for u in urls), reverse=True)
                total = sum(size for size, _ in sizes)
                largest = ", ".join(
                    f"{urlsplit(u).path.rsplit('/', 1)[-1] or 'page'} {size / 1024:.0f}"
                    for size, u in sizes[:3]
                )
                rows.append(
                    (
                        f"county page {path}, first load, {name} {width} px",
                        f"{total / 1024:.0f} KiB compressed, {len(urls)} requests, "
                        f"{elements:,} elements (largest KiB: {largest}; target <= 300 KB)",
                    )
                )
            browser.close()
    finally:
        server.shutdown()
    return rows
