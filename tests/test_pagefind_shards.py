"""The served search index in shards: a rebuild indexes again only the shards of the pages it
wrote, keeps the others as published, and gives the bytes a whole new index gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.publish import pagefind_index
from generator.publish.incremental import link_tree
from tests.browser.sitefiles import pagefind_pages
from tests.test_build import tree_digest

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article class="md-content__inner"><h1>{title}</h1><p>{text}</p></article></body></html>
"""


def write_site(site: Path, counties: list[str], words: dict[str, str] | None = None) -> None:
    words = words or {}
    pages = {"index.html": "全省概况", "cases/index.html": "典型案例"}
    for county in counties:
        pages[f"counties/{county}/index.html"] = f"{county}县"
        pages[f"counties/{county}/grids/g1/index.html"] = f"{county}县第一网格"
    for page, title in pages.items():
        path = site / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=title, text=words.get(page, "快递网点")), "utf-8")


def files_of(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def test_counties_are_grouped_into_shards_listed_for_the_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_index, "GROUP", 2)
    counties = [f"c{n:02}" for n in range(5)]  # 3 groups of at most... by their ids' hash
    write_site(tmp_path, counties)
    pagefind_index.index_site(tmp_path)
    manifest = (tmp_path / "pagefind" / "shards.json").read_text(encoding="utf-8")
    assert manifest == '{"shards":["pagefind-1","pagefind-2","pagefind-3"]}\n'
    urls = {}
    for name in ("pagefind", "pagefind-1", "pagefind-2", "pagefind-3"):
        urls[name] = sorted(p["url"] for p in pagefind_pages(tmp_path, name))
    assert urls["pagefind"] == ["/", "/cases/"]
    county_urls = sorted(u for name in urls if name != "pagefind" for u in urls[name])
    assert county_urls == sorted(
        url for c in counties for url in (f"/counties/{c}/", f"/counties/{c}/grids/g1/")
    )
    for name in ("pagefind-1", "pagefind-2", "pagefind-3"):  # a county's pages stay together
        assert len({u.split("/")[2] for u in urls[name]}) * 2 == len(urls[name])
        assert not (tmp_path / name / "pagefind.js").exists()  # the primary's script serves all
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_a_rebuild_indexes_only_the_shards_of_the_pages_it_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_index, "GROUP", 1)
    counties = ["puxian", "jixian", "anze"]
    published, new, clean = tmp_path / "published", tmp_path / "new", tmp_path / "clean"
    write_site(published, counties)
    pagefind_index.index_site(published)
    link_tree(published, new)  # as an incremental build stages the new site
    changed = "counties/jixian/grids/g1/index.html"
    for page in (changed, "index.html"):  # written anew, as MkDocs writes them (unlinked first)
        (new / page).unlink()
        (new / page).write_text(PAGE.format(title=page, text="外卖骑手驿站"), "utf-8")

    pagefind_index.index_site(new, [changed, "index.html"])

    shard = pagefind_index.shard_of(changed, 3)
    before, after = files_of(published), files_of(new)
    for name in ("pagefind", shard):  # indexed again: new files, the published ones untouched
        assert all(after[p] != before.get(p) for p in after if p.startswith(f"{name}/"))
    kept = [n for n in ("pagefind-1", "pagefind-2", "pagefind-3") if n != shard]
    assert kept and all(
        after[p] == before[p] for p in after if p.startswith(tuple(f"{n}/" for n in kept))
    )
    found = {p["url"]: p["content"] for p in pagefind_pages(new, shard)}
    assert "骑手" in found["/counties/jixian/grids/g1/"]
    shutil.copytree(new, clean, ignore=shutil.ignore_patterns("pagefind*"))
    pagefind_index.index_site(clean)
    assert tree_digest(new) == tree_digest(clean)


def test_a_new_county_group_reindexes_every_shard(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_index, "GROUP", 2)
    write_site(tmp_path, ["a1", "a2"])
    pagefind_index.index_site(tmp_path)
    assert (tmp_path / "pagefind" / "shards.json").read_text() == '{"shards":["pagefind-1"]}\n'
    write_site(tmp_path, ["a1", "a2", "a3"])  # two groups now: every county may move
    pagefind_index.index_site(tmp_path, ["counties/a3/index.html"])
    urls = sorted(
        p["url"] for n in ("pagefind-1", "pagefind-2") for p in pagefind_pages(tmp_path, n)
    )
    assert len(urls) == 6 and len(set(urls)) == 6


def test_a_rebuild_of_one_county_leaves_the_published_index_files_untouched(tmp_path):
    published, new = tmp_path / "published", tmp_path / "new"
    write_site(published, ["puxian", "jixian"])
    pagefind_index.index_site(published)
    manifest = (published / "pagefind" / "shards.json").read_bytes()
    link_tree(published, new)
    changed = "counties/jixian/index.html"
    (new / changed).unlink()
    (new / changed).write_text(PAGE.format(title="集贤县", text="外卖骑手驿站"), "utf-8")

    pagefind_index.index_site(new, [changed])

    before, after = files_of(published), files_of(new)
    assert all(after[p] == before[p] for p in after if p.startswith("pagefind/"))
    assert (published / "pagefind" / "shards.json").read_bytes() == manifest
    assert after["pagefind-1/pagefind-entry.json"] != before["pagefind-1/pagefind-entry.json"]
