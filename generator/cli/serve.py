"""``sitegen serve``: a live preview that rebuilds when data, content, templates or config change.

The site is built into a temporary folder and served on 127.0.0.1. A watcher polls the inputs
once a second; on a change it rebuilds. A broken file prints its located errors and the server
keeps serving the last good site (the publish step never replaces it with a broken one). Open
pages reload themselves after a successful rebuild.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import logging
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

    def rebuild(self) -> bool:
        self.signature = input_signature(self.project)
        try:
            build(self.project, self.today())
        except (DataError, SitegenError) as exc:
            self.report(exc)
            return False
        self.version += 1
        self.report(None)
        return True

    def watch(self, interval: float = 1.0) -> None:
        while not self.stopped.wait(interval):
            if input_signature(self.project) != self.signature:
                time.sleep(0.3)  # let an editor finish saving
                self.rebuild()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

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
            body = page.read_bytes().replace(b"</body>", _RELOAD + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("PreviewHandler", (_Handler,), {"preview": preview})
    factory = functools.partial(handler, directory=str(preview.project.out_dir))
    return http.server.ThreadingHTTPServer((host, port), factory)
