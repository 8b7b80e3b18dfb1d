"""Incremental builds: a one-record change rebuilds its pages only, and gives the same bytes as
a clean build of the same data."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.browser.sitefiles import pagefind_pages
from tests.test_build import tree_digest

ROOT = Path(__file__).resolve().parent.parent


def build(data: Path, out: Path, *extra: str) -> str:
    """Build; returns what was printed (with -v first in ``extra``: the stage lines too)."""
    verbose = [extra[0]] if extra[:1] == ("-v",) else []
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), *verbose, "build",
         "--data", str(data), "--out", str(out), *extra[len(verbose):]],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_one_record_change_rebuilds_only_its_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
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
    # Again, from the entries the merge kept.
    org.write_text(org.read_text(encoding="utf-8").replace("employees: 40", "employees: 41"))
    build(data, site)
    build(data, tmp_path / "clean", "--clean")
    assert tree_digest(site) == tree_digest(tmp_path / "clean")


def test_a_county_whose_files_did_not_change_is_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "jixian" / "notes.txt").write_text("草稿\n", encoding="utf-8")  # a warning
    site = tmp_path / "site"
    first = build(data, site, "-v")
    assert "2 counties (2 read, 0 unchanged)" in first
    org = data / "puxian" / "orgs" / "assoc-construction.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("employees: 4", "employees: 40"))

    second = build(data, site, "-v")

    assert "2 counties (1 read, 1 unchanged)" in second
    assert "1 computed and rendered, 1 unchanged" in second
    # The unchanged county's warning is reported again, from the cache.
    assert "data/jixian/notes.txt: stray-file" in second.replace(str(tmp_path) + "/", "")
    third = build(data, site, "-v")
    assert "2 counties (0 read, 2 unchanged)" in third
    assert "0 computed and rendered, 2 unchanged" in third


def test_many_counties_are_built_by_two_processes_with_the_same_result(tmp_path, monkeypatch):
    from generator import pipeline
    from generator.build import workers
    from generator.render import pages
    from generator.render import renderer as render

    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(workers, "POOL_MIN", 1)  # the sample's 2 counties go to the workers
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    # and its charts are drawn while MkDocs builds the pages, then put in place
    monkeypatch.setattr(render, "DRAW_LATER_MIN", 1)
    monkeypatch.setattr(pages, "LATE_WORKBOOK_CELLS", 1)  # and the workbook written meanwhile
    project = pipeline.Project(ROOT, ROOT / "data", tmp_path / "pooled")
    pipeline.build(project, dt.date.today(), clean=True)
    build(ROOT / "data", tmp_path / "serial", "--clean")
    assert tree_digest(tmp_path / "pooled") == tree_digest(tmp_path / "serial")


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
    urls = [page["url"] for page in pagefind_pages(site)]
    assert f"/{grid}/" not in urls and "/counties/jixian/" in urls
    build(data, tmp_path / "clean", "--clean")
    assert tree_digest(site) == tree_digest(tmp_path / "clean")


def test_a_cached_check_is_redone_when_a_record_date_is_no_longer_in_the_future():
    from generator.build.county_check import CheckedCounty
    from generator.compute.figures import CountyDates
    from generator.load.ledger import CountyView
    from generator.models import County

    def checked(today: dt.date, latest: dt.date | None) -> CheckedCounty:
        view = CountyView("x", County.model_construct(id="x", name="x"), {})
        return CheckedCounty(view, CountyDates(None, None, None), None, 0, [], today, latest)

    day = dt.date(2026, 3, 1)
    past = checked(day, dt.date(2026, 2, 1))
    assert past.valid_on(day) and past.valid_on(day + dt.timedelta(days=400))
    future = checked(day, dt.date(2026, 3, 10))  # was warned about as a date in the future
    assert future.valid_on(day)
    assert not future.valid_on(dt.date(2026, 3, 10))  # that day has come: no warning now
    assert checked(day, None).valid_on(day + dt.timedelta(days=1))


def test_git_tells_which_county_folders_changed(tmp_path):
    from generator.build.fingerprints import git_signatures

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    data = tmp_path / "data"
    for county in ("a", "b"):
        (data / county / "orgs").mkdir(parents=True)
        (data / county / "orgs" / "o.yaml").write_text("name: 甲\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.bak\n", encoding="utf-8")
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data")
    first, dirty = git_signatures(data)
    assert set(first) == {"a", "b"} and git_signatures(data)[0] == first and dirty is False

    (data / "a" / "orgs" / "o.yaml").write_text("name: 乙\n", encoding="utf-8")
    edited, dirty = git_signatures(data)
    assert dirty is True
    assert edited["a"] != first["a"] and edited["b"] == first["b"]
    (data / "a" / "orgs" / "o.yaml").write_text("name: 丙\n", encoding="utf-8")
    assert git_signatures(data)[0]["a"] != edited["a"]  # edited again: changed again
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "edit")
    committed = git_signatures(data)[0]
    assert committed["a"] not in (first["a"], edited["a"]) and committed["b"] == first["b"]

    (data / "b" / "orgs" / "x.bak").write_text("name: 丁\n", encoding="utf-8")  # ignored by git
    (data / "c" / "orgs").mkdir(parents=True)  # a new county, not yet committed
    (data / "c" / "orgs" / "o.yaml").write_text("name: 戊\n", encoding="utf-8")
    later = git_signatures(data)[0]
    assert later["b"] != committed["b"] and later["a"] == committed["a"] and "c" in later
    assert git_signatures(tmp_path / "elsewhere") == (
        {},
        None,
    )  # not a git work tree: walk the folders
