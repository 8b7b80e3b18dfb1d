"""``sitegen serve``: a live preview that rebuilds when data, content, templates or config change.

The site is built into a temporary folder and served on 127.0.0.1. A watcher polls the inputs
once a second; on a change it rebuilds. A broken file prints its located errors and the server
keeps serving the last good site (the publish step never replaces it with a broken one). Open
pages reload themselves after a successful rebuild.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.diagnostics import DataError, SitegenError
from generator.pipeline import build
from generator.project import Project

log = logging.getLogger(__name__)

VERSION_PATH = "/__sitegen__/version"
_RELOAD = (
    "<script>(function(){var v=null;setInterval(function(){fetch('" + VERSION_PATH + "')"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)location.reload();"
    "v=t}).catch(function(){})},1000)})();</script>"
).encode()


def input_signature(project: Project) -> tuple:
    """Names, sizes and modification times of every input file: a change in any changes it."""
    roots = [project.data_dir, project.content_dir, project.templates_dir, project.config_dir]
    entries = []
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    if project.mkdocs_yml.is_file():
        stat = project.mkdocs_yml.stat()
        entries.append((str(project.mkdocs_yml), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class Preview:
    """Rebuilds on change; ``version`` counts successful builds (pages poll it to reload)."""

    def __init__(
        self,
        project: Project,
        report: Callable[[BaseException | None], None],
        today: Callable[[], dt.date],
    ):
        """``today``: the build date of each rebuild (a preview may run past midnight)."""
        self.project = project
        self.today = today
        self.report = report
        self.version = 0
        self.signature: tuple = ()
        self.stopped = threading.Event()
        self.problems: list[str] = []  # the last build's errors, shown on every page

    def rebuild(self) -> bool:
        self.signature = input_signature(self.project)
        try:
            build(self.project, self.today())
        except DataError as exc:
            self.problems = [d.format() for d in exc.diagnostics if d.severity.value == "error"]
            self.version += 1  # open pages reload to show the banner
            self.report(exc)
            return False
        except Exception as exc:  # a bug or a build failure: the watcher goes on
            log.debug("preview build failed", exc_info=True)
            self.problems = [f"{type(exc).__name__}: {exc}"]
            self.version += 1
            self.report(exc if isinstance(exc, SitegenError) else SitegenError(str(exc)))
            return False
        self.problems = []
        self.version += 1
        self.report(None)
        return True

    def watch(self, interval: float = 1.0) -> None:
        while not self.stopped.wait(interval):
            try:
                if input_signature(self.project) != self.signature:
                    time.sleep(0.3)  # let an editor finish saving
                    self.rebuild()
            except Exception:  # e.g. a file vanished while being listed: look again
                log.debug("preview watcher", exc_info=True)

    def banner(self) -> bytes:
        """The last build's errors (escaped) above the last good site, on every page.

        The list scrolls away with the page (a sticky one covered Material's header and its
        search, and a third of a phone's screen); a small badge in the corner stays in view
        and leads back to it. Long file paths break anywhere, so nothing is cut off on a phone.
        """
        if not self.problems:
            return b""
        count = len(self.problems)
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems[:20])
        more = f"<li>……共 {count} 个错误</li>" if count > 20 else ""
        return (
            '<div id="sitegen-preview-errors" role="alert" style="background:#fde7e9;'
            "color:#8a1020;border-bottom:2px solid #c62828;padding:.6em 1em;"
            'font:14px/1.5 sans-serif;max-height:50vh;overflow:auto;overflow-wrap:anywhere">'
            f"<strong>预览：数据有 {count} 个错误，下面仍是上次生成的网站。请按提示修改：</strong>"
            '<ul style="margin:.3em 0 0 1.2em;padding:0;font-family:monospace">'
            f"{items}{more}</ul></div>"
            '<a id="sitegen-preview-badge" href="#sitegen-preview-errors" style="position:fixed;'
            "left:1em;bottom:1em;z-index:10;background:#c62828;color:#fff;padding:.3em .9em;"
            "border-radius:1em;font:bold 14px/1.5 sans-serif;text-decoration:none;"
            f'box-shadow:0 1px 4px rgba(0,0,0,.3)">预览：数据有 {count} 个错误</a>'
        ).encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"  # keep-alive, as browsers expect

    def list_directory(self, path):  # no directory listings: the site's own 404
        self.send_site_404()
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code == 404:
            self.send_site_404()
            return
        super().send_error(code, message, explain)

    def send_site_404(self) -> None:
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else "<h1>404 页面不存在</h1>".encode()
        self.send_page(body, 404)

    def send_page(self, body: bytes, status: int = 200) -> None:
        marker = body.find(b"<body")
        if marker >= 0:
            end = body.find(b">", marker) + 1
            body = body[:end] + self.preview.banner() + body[end:]
        body = body.replace(b"</body>", _RELOAD + b"</body>", 1)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)

    def do_GET(self) -> None:
        if self.path == VERSION_PATH:
            body = str(self.preview.version).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() else path
        if page.suffix == ".html" and page.is_file():
            self.send_page(page.read_bytes())
            return
        super().do_GET()


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Bound at once (a busy port is reported before any build); serves once the site exists."""
    handler = type("PreviewHandler", (_Handler,), {"preview": preview})
    factory = functools.partial(handler, directory=str(preview.project.out_dir))
    server = http.server.ThreadingHTTPServer((host, port), factory)
    server.daemon_threads = True
    return server


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False
