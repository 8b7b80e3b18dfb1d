"""The live preview: rebuilds on a data change, keeps serving the last good site on bad data."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail("timed out")


@pytest.fixture
def preview(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "jixian", data / "jixian")
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--project", str(ROOT), "serve",
             "--data", str(data), "--port", "0"],
            stdout=sink, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            port = wait_for(
                lambda: re.search(r"127\.0\.0\.1:(\d+)", log.read_text(encoding="utf-8"))
            ).group(1)
            yield f"http://127.0.0.1:{port}", data, log
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_serve_rebuilds_and_survives_bad_data(preview):
    base, data, log = preview
    grid_url = f"{base}/counties/jixian/grids/sida-trade/"
    assert "四达商圈第一网格" in fetch(grid_url)
    version = fetch(f"{base}/__sitegen__/version")
    grid = data / "jixian" / "grids" / "sida-trade.yaml"
    grid.write_text(grid.read_text(encoding="utf-8").replace("四达商圈第一网格", "改名后的网格"))
    wait_for(lambda: "改名后的网格" in fetch(grid_url))
    # The new site is in place a moment before the build that made it has finished.
    wait_for(lambda: fetch(f"{base}/__sitegen__/version") != version, seconds=30)
    # A broken file: located errors in the log, the last good site still served.
    (data / "jixian" / "orgs" / "broken.yaml").write_text("name: [\n", encoding="utf-8")
    wait_for(lambda: "broken.yaml:2:1: yaml-syntax" in log.read_text(encoding="utf-8"))
    assert "改名后的网格" in fetch(grid_url)
    assert "仍显示上次生成的网站" in log.read_text(encoding="utf-8")


def test_served_pages_reload_themselves(preview):
    base, _, _ = preview
    page = fetch(f"{base}/counties/jixian/")
    assert page.count("/__sitegen__/version") == 1
    assert page.index("/__sitegen__/version") > page.index("</article>")


def test_the_preview_says_so_speaks_http11_and_lists_no_folders(preview):
    base, _, log = preview
    assert "本机预览" in log.read_text(encoding="utf-8")
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    assert response.version == 11
    for path in ("/assets/", "/no/such/page/"):  # a folder without index.html, a missing page
        connection.request("GET", path)  # the same connection: kept alive
        missing = connection.getresponse()
        body = missing.read().decode("utf-8")
        assert missing.status == 404, path
        assert "<html" in body and "Directory listing" not in body and "Error response" not in body
    connection.close()


def test_the_last_builds_errors_show_on_every_page(preview):
    base, data, _ = preview
    org = next((data / "jixian" / "orgs").glob("*.yaml"))
    good = org.read_text(encoding="utf-8")
    org.write_text(good + "bogus_field: 1\n", encoding="utf-8")
    page = wait_for(lambda: (t := fetch(f"{base}/")) and "sitegen-preview-errors" in t and t)
    assert "unknown-field" in page and "bogus_field" in page
    assert "sitegen-preview-errors" in fetch(f"{base}/counties/jixian/")
    org.write_text(good, encoding="utf-8")
    wait_for(lambda: "sitegen-preview-errors" not in fetch(f"{base}/"))


def test_a_busy_port_and_a_public_host_are_said_before_any_build(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--project", str(ROOT), "serve",
             "--host", "0.0.0.0", "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 2
    assert "无法监听" in done.stderr and "警告：--host 0.0.0.0" in done.stderr
    assert "正在生成网站" not in done.stderr  # nothing was built
    assert time.monotonic() - started < 60


def test_sigterm_removes_the_preview_folder(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "scenarios" / "valid-minimal" / "data", data)
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--project", str(ROOT), "serve",
             "--data", str(data), "--port", "0"],
            stdout=sink, stderr=subprocess.STDOUT, text=True,
            env={**__import__("os").environ, "TMPDIR": str(temp)},
        )  # fmt: skip
        wait_for(lambda: "127.0.0.1:" in log.read_text(encoding="utf-8"))
        assert [p.name for p in temp.iterdir() if p.name.startswith("sitegen-serve-")]
        proc.terminate()
        proc.wait(timeout=30)
    assert not [p for p in temp.iterdir() if p.name.startswith("sitegen-serve-")]
