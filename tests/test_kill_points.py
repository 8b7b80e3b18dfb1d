"""Issue 15, item 3: a build killed at any point, or a damaged cache, never makes a later
build publish a stale or broken site: the next build gives what ``--clean`` gives.

The harness runs sitegen in a process that dies (``os._exit``, as a kill or a power cut does:
no clean-up runs) at a chosen point, then builds again and compares the site byte for byte
with a clean build of the same data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_build import ROOT, tree_digest

# Each kill point: code run in the sitegen process before its command line runs.
KILL_POINTS = {
    # a county's new pages written into the cache's docs folder, nothing published yet
    "after-some-pages": """
import os
from generator.render import renderer
write = renderer.Renderer.write_file
count = [0]
def dying(self, path, data):
    write(self, path, data)
    if path.endswith('.md'):
        count[0] += 1
        if count[0] == 3:
            os._exit(9)
renderer.Renderer.write_file = dying
""",
    # every page and chart written, killed just before MkDocs publishes
    "before-publish": """
import os
from generator.publish import publisher
publisher.Publisher.build_site = lambda self, *a, **k: os._exit(9)
""",
    # the disk fills up while a chart is written into the cache: the file is cut short
    "disk-full-in-a-chart": """
import os
from generator.build import cache
write = cache.write_atomically
def full(path, data):
    if path.suffix == '.svg':
        path.write_bytes(data[: len(data) // 2])
        os._exit(28)
    write(path, data)
cache.write_atomically = full
from generator.render import renderer
renderer.write_atomically = full
renderer.Renderer._cached_chart = lambda self, name: None  # every chart is drawn anew
""",
}


def sitegen(cache: Path, *args: str, before: str = "") -> subprocess.CompletedProcess:
    code = before + "\nimport sys\nfrom generator.cli.main import main\nsys.exit(main())\n"
    return subprocess.run(
        [sys.executable, "-c", code, "--project", str(ROOT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a helper process that outlives a killed build keeps the pipes open
        env={**os.environ, "SITEGEN_CACHE": str(cache)},
    )


def changed_data(data: Path) -> None:
    org = next(sorted((data / "puxian" / "orgs").glob("*.yaml")).__iter__())
    text = org.read_text(encoding="utf-8")
    org.write_text(text.replace("employees: ", "employees: 1", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def data_pair(tmp_path_factory):
    """The sample data, the same changed, and the clean site of the changed data."""
    root = tmp_path_factory.mktemp("kill")
    # each folder named data/ as the builds' own: pages name ledger files by that path
    before, after = root / "before" / "data", root / "after" / "data"
    shutil.copytree(ROOT / "data", before)
    shutil.copytree(ROOT / "data", after)
    changed_data(after)
    clean = root / "clean"
    done = sitegen(root / "clean-cache", "build", "--data", str(after), "--out", str(clean))
    assert done.returncode == 0, done.stderr
    return before, after, tree_digest(clean)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_the_build_after_a_killed_one_is_the_clean_one(point, data_pair, tmp_path):
    before, after, clean = data_pair
    cache, out, data = tmp_path / "cache", tmp_path / "site", tmp_path / "data"
    shutil.copytree(before, data)
    assert sitegen(cache, "build", "--data", str(data), "--out", str(out)).returncode == 0
    old = tree_digest(out)
    shutil.rmtree(data)
    shutil.copytree(after, data)
    killed = sitegen(
        cache, "build", "--data", str(data), "--out", str(out), before=KILL_POINTS[point]
    )
    assert killed.returncode in (9, 28), killed.stderr
    assert tree_digest(out) == old  # the published site is still the old one, whole
    done = sitegen(cache, "build", "--data", str(data), "--out", str(out))  # the next heals it
    assert done.returncode == 0, done.stderr
    assert tree_digest(out) == clean


def test_damaged_cache_files_are_rebuilt_not_trusted(data_pair, tmp_path):
    _, after, clean = data_pair
    cache, out = tmp_path / "cache", tmp_path / "site"
    assert sitegen(cache, "build", "--data", str(after), "--out", str(out)).returncode == 0
    # A cached page and a cached chart cut short, state.json and compiled templates damaged.
    page = next((cache / "docs" / "counties" / "puxian").glob("index.md"))
    page.write_bytes(page.read_bytes()[:100])
    for chart in list((cache / "charts").glob("*.svg"))[:3]:
        chart.write_bytes(chart.read_bytes()[:50])
    for chart in list((cache / "docs" / "assets" / "charts").glob("*.svg"))[:3]:
        chart.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    compiled = [p for p in cache.rglob("*.cache") if p.is_file()]
    assert compiled
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40])
    done = sitegen(cache, "build", "--data", str(after), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert tree_digest(out) == clean
    for state in ("[]",):  # valid JSON, not a state (a truncated file is not JSON at all)
        (cache / "state.json").write_text(state, encoding="utf-8")
        done = sitegen(cache, "build", "--data", str(after), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert tree_digest(out) == clean
