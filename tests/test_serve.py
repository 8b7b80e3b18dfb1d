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
