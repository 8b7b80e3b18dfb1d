"""Browser-test fixtures: one sample-site build, one local server, one Chromium for the session.

The site is read on intranets without internet access, so the browser is Debian's chromium
(never a downloaded one), started with background networking off, and every request a page
makes is recorded; requests to any other host are aborted as well as reported.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browsing import ROOT, missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def _sitegen() -> list[str]:
    script = Path(sys.executable).with_name("sitegen")
    if script.exists():
        return [str(script)]
    found = shutil.which("sitegen")
    return [found] if found else [sys.executable, "-m", "generator"]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built once with `sitegen build --out`.

    SITEGEN_TEST_SITE=<folder> tests a site built before instead (quicker while working on the
    tests or the CSS of a built copy); CI never sets it.
    """
    prebuilt = os.environ.get("SITEGEN_TEST_SITE")
    if prebuilt:
        assert (Path(prebuilt) / "index.html").is_file(), f"SITEGEN_TEST_SITE={prebuilt}: no site"
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run(
        [*_sitegen(), "build", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"sitegen build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    assert (out / "index.html").is_file(), f"no index.html in {out}"
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_server(site_dir: Path) -> Iterator[ThreadingHTTPServer]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site_server: ThreadingHTTPServer) -> str:
    host, port = site_server.server_address[:2]
    return f"http://{host}:{port}/"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        missing(
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(apt-get install chromium fonts-noto-cjk; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@dataclass
class Visit:
    """One test's use of a browser tab, with everything the pages did meanwhile recorded."""

    page: object  # playwright.sync_api.Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url)]

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def load_images(self) -> None:
        """Load the lazy images (charts) now, as scrolling down the page would."""
        self.page.evaluate(
            """() => Promise.all([...document.images].map(img => {
                 img.loading = "eager";
                 return img.complete ? null : new Promise(done => {
                   img.addEventListener("load", done, {once: true});
                   img.addEventListener("error", done, {once: true});
                 });
               }))"""
        )

    def settle(self) -> None:
        """Wait for the charts and for Material's fade-ins (the tabs fade in after loading)."""
        self.load_images()
        self.page.evaluate(
            """() => Promise.race([
                 Promise.all(document.getAnimations()
                   .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
                   .map(a => a.finished.catch(() => null))),
                 new Promise(done => setTimeout(done, 3000)),
               ]).then(() => new Promise(done =>
                 requestAnimationFrame(() => requestAnimationFrame(done))))"""
        )

    def screenshot(self, path: Path) -> None:
        """The whole page, from a window as tall as the page: Playwright's full_page capture
        makes Material start hiding its tabs mid-shot, a tall window leaves the page at rest."""
        viewport = self.page.viewport_size
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            self.settle()
            self.page.screenshot(path=path)
        finally:
            self.page.set_viewport_size(viewport)
        self.settle()

    def problems(self) -> list[str]:
        """Console errors, failed or 4xx/5xx requests, and requests that left the local server."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + self.failures
            + [f"request to another host: {url}" for url in self.foreign_requests]
        )


class Tab:
    """A browser context and tab at one screen width, shared by the tests (a fresh context costs
    about as much as loading a page). Its events go to the visit of the test running now."""

    def __init__(self, browser, base_url: str, width: int):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", service_workers="block"
        )
        self.context.set_default_timeout(15_000)
        # Requests to other hosts are recorded, then aborted: a page that tries to reach the
        # internet fails its checks at once instead of waiting for a network that is not there.
        self.context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        self.visit: Visit | None = None
        # On the context, so the search worker's requests and messages are seen too.
        self.context.on("request", lambda request: self._record("requests", request.url))
        self.context.on(
            "console",
            lambda msg: self._record("console_errors", msg.text) if msg.type == "error" else None,
        )
        self.context.on("requestfailed", self._failed)
        self.context.on(
            "response",
            lambda response: (
                self._record("failures", f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )
        self.page = self.context.new_page()
        self.page.on(
            "pageerror", lambda error: self._record("console_errors", f"uncaught: {error}")
        )

    def _failed(self, request) -> None:
        # ERR_ABORTED: the browser dropped a request because the test moved on to another page.
        if request.failure != "net::ERR_ABORTED":
            self._record("failures", f"request failed: {request.url} ({request.failure})")

    def _record(self, kind: str, entry: str) -> None:
        if self.visit is not None:
            getattr(self.visit, kind).append(entry)


@pytest.fixture(scope="session")
def tabs(browser, base_url: str) -> Iterator[dict[int, Tab]]:
    opened: dict[int, Tab] = {}
    yield opened
    for tab in opened.values():
        tab.context.close()


@pytest.fixture
def visit(tabs: dict[int, Tab], browser, base_url: str) -> Iterator[Callable[..., Visit]]:
    """``visit(path, width=1280)`` shows a page of the site in the tab for that screen width.

    At teardown no page the test showed may have asked another host for anything.
    """
    visits: list[Visit] = []

    def show(path: str | None, width: int = 1280) -> Visit:
        tab = tabs.get(width) or tabs.setdefault(width, Tab(browser, base_url, width))
        tab.page.emulate_media(media="screen")  # a test before may have left the tab printing
        tab.visit = Visit(tab.page, base_url)
        visits.append(tab.visit)
        if path is not None:
            tab.visit.goto(path)
        return tab.visit

    yield show
    for tab in tabs.values():
        tab.visit = None
    foreign = sorted({url for v in visits for url in v.foreign_requests})
    assert not foreign, f"pages asked other hosts for: {foreign}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is not installed at {AXE_JS.relative_to(ROOT)}: run `make browser-deps` "
            "(npm ci in tests/browser)"
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
