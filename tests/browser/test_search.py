"""Chinese search: a county, an organization and a case are found by what a clerk would type.

The served site answers Material's search box with Pagefind (assets/javascripts/search-worker.js).
On a failure the message shows where the pages hold the query, cut into words as the build's
jieba cut it, so a segmentation problem can be told from a ranking one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from browsing import _READY as SEARCH_READY
from browsing import DESKTOP, PHONE, ROOT, search
from sitefiles import pagefind_pages

pytestmark = pytest.mark.browser

ORG_FILE = ROOT / "data" / "puxian" / "orgs" / "build-anju.yaml"
CASE_FILE = ROOT / "content" / "cases" / "puxian-three-ways.md"


def _org() -> tuple[str, str]:
    record = yaml.safe_load(ORG_FILE.read_text(encoding="utf-8"))
    return record["name"], f"counties/puxian/grids/{record['grid']}/"


def _explain(site_dir: Path, query: str, expected: str, found: list[str]) -> str:
    """Where the pages hold ``query``, cut into words as Pagefind cut it ("|" between: its
    index keeps a page's text with zero-width spaces between the words)."""
    spaced = "\u200b?".join(map(re.escape, query))
    held = []
    for page in pagefind_pages(site_dir):
        for name, text in (("title", page["meta"].get("title", "")), ("text", page["content"])):
            match = re.search(spaced, text)
            if match:
                cut = text[match.start() : match.end()].replace("\u200b", "|")
                held.append(f"  {page['url']} ({name}): {cut}")
    return (
        f"searching {query!r} should list {expected!r} among the first results; got {found}.\n"
        "The pages hold the text as:\n" + ("\n".join(held[:8]) or "  (nowhere)")
    )


def _cases() -> list[tuple[str, str, str, int]]:
    org_name, org_grid = _org()
    return [
        # (what, query, page that must be listed, within the first n results)
        ("county", "蒲县", "counties/puxian/", 3),
        ("county", "集贤县", "counties/jixian/", 3),
        # An organization has no page of its own: its grid page lists it in the ledger table.
        ("organization", org_name, org_grid, 10),
        ("organization", org_name.removeprefix("蒲县").removesuffix("有限公司"), org_grid, 3),
        ("case", "比对关键数据300余条", "cases/puxian-three-ways/", 1),
        ("case", "隐形党员", "cases/puxian-three-ways/", 3),
        ("case", "口袋党员", "cases/puxian-three-ways/", 5),
    ]


@pytest.mark.parametrize(("what", "query", "expected", "within"), _cases())
def test_search_finds(visit, site_dir: Path, what: str, query: str, expected: str, within: int):
    if what == "case":
        assert query in CASE_FILE.read_text(encoding="utf-8"), f"{query!r} not in {CASE_FILE}"
    v = visit("", DESKTOP)
    found = search(v.page, query)
    assert expected in found[:within], _explain(site_dir, query, expected, found)
    assert v.problems() == []


def test_search_on_a_phone_opens_from_the_icon_and_finds_the_county(visit, site_dir: Path):
    v = visit("counties/puxian/grids/zone-chengdong/", PHONE)
    found = search(v.page, "集贤县")
    assert "counties/jixian/" in found[:3], _explain(site_dir, "集贤县", "counties/jixian/", found)
    v.page.locator('.md-search-result__item > a[href*="counties/jixian/?"]').click()
    v.page.wait_for_url(re.compile(r"/counties/jixian/(\?|$)"))
    assert v.page.locator("h1").inner_text() == "集贤县"
    assert v.problems() == []


def _townships() -> list[tuple[str, str]]:
    """(a township named in a grid's name, that grid's page), from the data as it is."""
    from generator.render.search_words import _PLACE, name_words

    found = []
    for grid_file in sorted((ROOT / "data").glob("*/grids/*.yaml")):
        name = yaml.safe_load(grid_file.read_text(encoding="utf-8"))["name"]
        places = [w for w in name_words(name) if _PLACE.fullmatch(w)]
        if places:
            county = grid_file.parent.parent.name
            found.append((places[0], f"counties/{county}/grids/{grid_file.stem}/"))
    return found


def test_search_finds_each_township_first_and_not_its_look_alikes(visit):
    """jieba used to cut 蒲城镇 as 蒲/城镇 (so it found 克城镇) and 黑龙关镇 as 黑龙/关镇 (薛关镇
    second): every township of the data, from the data, is found on its own grid's page first
    and no other grid whose name lacks it comes before a page that names it."""
    townships = _townships()
    assert len(townships) >= 5, townships
    v = visit("", DESKTOP)
    problems = []
    for place, grid_page in townships:
        v.goto("")
        found = search(v.page, place)
        grids = [p for p in found if "/grids/" in p]
        if not grids or grids[0] != grid_page and place not in _grid_name(grids[0]):
            problems.append(f"{place}: {found[:5]}")
        strangers = [p for p in grids if place not in _grid_name(p)]
        if strangers:
            problems.append(f"{place} also finds {strangers}")
    assert not problems, "\n".join(problems)


def _grid_name(page: str) -> str:
    county, grid = page.split("/")[1], page.split("/")[3]
    path = ROOT / "data" / county / "grids" / f"{grid}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["name"]


@pytest.mark.parametrize(("query", "expected"), [("集贤", "counties/jixian/"), ("双鸭山", "")])
def test_search_finds_a_county_or_city_by_its_name_without_its_ending(visit, query, expected):
    v = visit("", DESKTOP)
    found = search(v.page, query)
    assert found, query
    if expected:
        assert found[0] == expected, found


def test_a_page_view_fetches_no_search_index_until_a_search(visit, site_dir: Path):
    """The served site searches with Pagefind: opening a page fetches neither Pagefind's index
    nor Material's (its search_index.json holds the settings only); typing fetches the index
    pieces of the words searched for."""
    served = site_dir / "search" / "search_index.json"
    assert served.stat().st_size < 1024, served.stat().st_size
    v = visit("", DESKTOP)
    v.settle()
    v.page.wait_for_function(SEARCH_READY)  # the worker has answered Material's empty query
    assert not [url for url in v.requests if "/pagefind/" in url], v.requests
    assert search(v.page, "集贤县")[0] == "counties/jixian/"
    # the counties' pages are a shard of their own (pagefind-1/), merged into the search; all
    # the shards' instances share the primary's WebAssembly
    fetched = [url for url in v.requests if "/pagefind" in url]
    assert [url for url in fetched if "/pagefind-1/pagefind-entry.json" in url], fetched
    assert len([url for url in fetched if "/wasm." in url]) == 1, fetched
    assert not [url for url in fetched if "pagefind-worker.js" in url], fetched  # it runs in ours
    assert v.problems() == []


def test_a_ledger_row_previews_as_its_cells_set_apart(visit):
    """A result found in a table shows a few of the row's cells, set apart, not the table run
    together (issue 16: previews are readable text)."""
    name, _ = _org()
    v = visit("", DESKTOP)
    search(v.page, name.removeprefix("蒲县").removesuffix("有限公司"))
    previews = v.page.locator(".md-search-result__article").all_inner_texts()
    rows = [p for p in previews if name in p.replace("\n", "")]
    assert rows, previews
    assert all(" · " in row and len(row) < 160 for row in rows), rows
