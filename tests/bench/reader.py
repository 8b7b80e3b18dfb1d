"""The reader's figures of a built site, in Chromium (Playwright, Debian's /usr/bin/chromium).

`reader_figures(site)` serves the site on loopback the way nginx serves it (the build's .gz
files with Content-Encoding: gzip, as gzip_static does) and, for a desktop profile and a phone
profile (390 px, CPU slowed 4x through the DevTools protocol), opens a page with an empty cache
and measures:

- the bytes a page view transfers before any search (everything the page loads, settled);
- the time from typing a query into the search box (once it is ready) to the first result
  shown, the time from opening the page to that result (the search box opened and the query
  typed as soon as the search is ready: what lunr's whole-index download costs shows here),
  and the bytes transferred from opening the search box to the result (the search worker's requests included: bytes are counted by the server,
  headers and bodies, as they go out).

A benchmark, not a test: it reports. `python tests/bench/reader.py SITE [--query 快递]`.
"""

from __future__ import annotations

import argparse
import functools
import json
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PROFILES = {"desktop": (1366, 1), "phone": (390, 4)}  # (width, CPU slowdown)
FIRST_RESULT = ".md-search-result__item"


class _Counted(SimpleHTTPRequestHandler):
    """Serves ``name.gz`` as ``name`` to a browser that accepts gzip; counts bytes sent."""

    sent = [0]
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gz = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and gz.is_file():
            body = gz.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self._count(len(body))
            return None
        return super().send_head()

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        outputfile.write(data)
        self._count(len(data))

    def end_headers(self) -> None:
        self._count(sum(len(h) for h in getattr(self, "_headers_buffer", [])))
        super().end_headers()

    @classmethod
    def _count(cls, n: int) -> None:
        with cls.lock:
            cls.sent[0] += n


def _serve(site: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counted, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def reader_figures(site: Path, query: str = "快递", page: str = "") -> dict[str, dict]:
    """{profile: {"before_search_bytes", "first_result_s", "first_result_bytes",
    "results"}} for ``page`` (a path below the site root) and ``query``."""
    from playwright.sync_api import sync_playwright

    server = _serve(site)
    url = f"http://127.0.0.1:{server.server_port}/{page}"
    figures: dict[str, dict] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for name, (width, slowdown) in PROFILES.items():
                context = browser.new_context(viewport={"width": width, "height": 800})
                tab = context.new_page()
                cdp = context.new_cdp_session(tab)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                _Counted.sent[0] = 0
                opened = time.perf_counter()
                tab.goto(url, wait_until="networkidle")
                before = _Counted.sent[0]
                result = _first_result(tab, query)
                shown_at = result.pop("shown_at")
                figures[name] = {
                    "before_search_bytes": before,
                    **result,
                    "first_result_from_open_s": round(shown_at - opened, 2),
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return figures


def _first_result(tab, query: str) -> dict:
    start_bytes = _Counted.sent[0]  # opening the search box may start loading the index
    icon = tab.locator("label.md-header__button[for=__search]")
    field = tab.locator("input.md-search__input")
    if icon.is_visible():
        icon.click()
    else:
        field.click()
    tab.wait_for_function(
        "() => (document.querySelector('.md-search-result__meta') || {}).textContent"
        "?.includes('键入以开始搜索')",
        timeout=600_000,
    )
    start = time.perf_counter()
    field.fill(query)
    field.press("End")  # Material searches on keyup
    tab.wait_for_selector(FIRST_RESULT, timeout=120_000)
    seconds = time.perf_counter() - start
    shown_at = time.perf_counter()
    results = tab.locator(FIRST_RESULT).count()
    return {
        "shown_at": shown_at,
        "first_result_s": round(seconds, 2),
        "first_result_bytes": _Counted.sent[0] - start_bytes,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="快递")
    parser.add_argument("--page", default="")
    args = parser.parse_args()
    print(json.dumps(reader_figures(args.site, args.query, args.page), ensure_ascii=False))


if __name__ == "__main__":
    main()
