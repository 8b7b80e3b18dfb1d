"""Incremental builds: a one-record change rebuilds its pages only, and gives the same bytes as
a clean build of the same data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_build import tree_digest

ROOT = Path(__file__).resolve().parent.parent


def build(data: Path, out: Path, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "build",
         "--data", str(data), "--out", str(out), *extra],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_one_record_change_rebuilds_only_its_pages(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    site = tmp_path / "site"
    build(data, site)
    untouched = site / "counties" / "jixian" / "grids" / "sida-trade" / "index.html"
    changed = site / "counties" / "puxian" / "grids" / "zone-chengxi" / "index.html"
    before = {p: os.stat(p).st_ino for p in (untouched, changed)}
    org = data / "puxian" / "orgs" / "assoc-construction.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("employees: 4", "employees: 40"))

    build(data, site)

    assert os.stat(untouched).st_ino == before[untouched]  # the same file, not rewritten
    assert os.stat(changed).st_ino != before[changed]
    build(data, tmp_path / "clean", "--clean")
    assert tree_digest(site) == tree_digest(tmp_path / "clean")


def test_removed_pages_leave_the_site_and_the_search_index(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    site = tmp_path / "site"
    build(data, site)
    grid = "counties/jixian/grids/sida-residential"
    assert (site / grid / "index.html").is_file()
    (data / "jixian" / "grids" / "sida-residential.yaml").unlink()
    for path in (data / "jixian").rglob("*.yaml"):  # drop the references to the removed grid
        text = path.read_text(encoding="utf-8")
        path.write_text(
            "".join(line for line in text.splitlines(True) if "sida-residential" not in line),
            encoding="utf-8",
        )

    build(data, site)

    assert not (site / grid).exists()
    assert f'"location":"{grid}/' not in (site / "search" / "search_index.json").read_text()
    build(data, tmp_path / "clean", "--clean")
    assert tree_digest(site) == tree_digest(tmp_path / "clean")
