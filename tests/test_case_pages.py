"""The case library's pages, rendered from the sample cases (Markdown, before MkDocs)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.build.checked import load_and_validate
from generator.compute.figures import compute_site
from generator.library.figures import figure_value, is_rate
from generator.library.links import link_cases
from generator.library.pages import _place_images, render_case_library, theme_anchor
from generator.load.gitinfo import Revision
from generator.project import Project
from generator.render.renderer import Renderer, num, pct

ROOT = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"


def render_library(docs: Path):
    # checked as on the day of the sample's 2026 follow-up visits, none of them in the future
    checked = load_and_validate(Project(ROOT, ROOT / "data", docs / "site"), dt.date(2026, 12, 2))
    assert not checked.report.diagnostics, [d.format() for d in checked.report.diagnostics]
    sm = compute_site(checked.ledger, checked.settings, dt.date(2025, 11, 20))
    revision = Revision("1a2b3c4", dt.datetime(2025, 11, 20, tzinfo=dt.UTC))
    renderer = Renderer(ROOT / "templates", docs, checked.settings)
    common = {"revision": revision, "sm": sm}
    render_case_library(checked.ledger, checked.settings, sm, checked.cases, renderer, common)
    return checked, sm


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    checked, sm = render_library(docs)
    return docs, checked, sm


def page(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def test_every_citation_shows_the_current_metric(library):
    docs, checked, sm = library
    assert {c.id for c in checked.cases} == {"puxian-three-ways", "jixian-red-business-district"}
    for case in checked.cases:
        text = page(docs, f"cases/{case.id}/index.md")
        assert "{{" not in text and "figure(" not in text
        shown = re.findall(r'<abbr class="live-figure" title="[^"]*">([^<]*)</abbr>', text)
        expected = []
        for ref in case.figures:
            found, value = figure_value(ref, sm)
            assert found, ref
            expected.append(pct(value) if is_rate(ref) else num(value))
        assert shown == expected
        assert len(shown) >= 10  # the samples cite their figures live
    puxian = page(docs, "cases/puxian-three-ways/index.md")
    assert (
        'title="蒲县 · 新经济组织党组织数：42（数据截至 2025-11-20，版本 1a2b3c4）">42</abbr>'
        in puxian
    )
    assert "比对关键数据300余条" in puxian  # the article's own wording stays searchable
    assert "数据截至 2025-11-20（数据版本 1a2b3c4）" in puxian  # the note for phones (no hover)


def test_a_case_links_to_its_county_its_themes_and_related_cases(library):
    docs, _, _ = library
    text = page(docs, "cases/puxian-three-ways/index.md")
    assert "[蒲县](../../counties/puxian/index.md)" in text
    assert "[查看蒲县的工作进展](../../counties/puxian/index.md)" in text
    assert f"[摸排](../themes/index.md#{theme_anchor('摸排')})" in text
    related = text[text.index("## 相同主题的案例") :]
    assert (
        "[集贤县：以商圈党群服务中心为支点，建设“红色商圈”](../jixian-red-business-district/index.md)"
        in related
    )
    assert "共同主题：工作覆盖" in related


def test_images_are_captioned_lightbox_links_and_copied(library):
    docs, _, _ = library
    puxian = page(docs, "cases/puxian-three-ways/index.md")
    cover = "../images/puxian/three-steps.png"
    assert "[![示意图：蒲县“三化”并进的三个环节" in puxian
    assert f"]({cover}){{ loading=lazy }}]({cover}){{ .case-lightbox }}" in puxian
    assert '<figcaption markdown="span">示意图：蒲县“三化”并进的三个环节' in puxian
    jixian = page(docs, "cases/jixian-red-business-district/index.md")
    # A body image alone on its line becomes a captioned figure too.
    assert '<figure class="case-image" markdown="block">' in jixian
    assert "](../images/jixian/sida-grids.png){ .case-lightbox }" in jixian
    for src in ("puxian/three-steps.png", "jixian/sida-grids.png"):
        assert (docs / "cases/images" / src).read_bytes() == (
            ROOT / "content/cases/images" / src
        ).read_bytes()


def test_library_lists_by_county_by_theme_and_by_date(library):
    docs, _, _ = library
    index = page(docs, "cases/index.md")
    assert "## 按县" in index and "## 最新案例" in index
    assert "**[蒲县](../counties/puxian/index.md)**（1 个）" in index
    assert "![示意图：蒲县" in index and "{ .case-thumb loading=lazy }" in index
    assert "[订阅新案例](feed.xml)" in index
    themes = page(docs, "cases/themes/index.md")
    assert f"## 工作覆盖 {{ #{theme_anchor('工作覆盖')} }}" in themes
    start = themes.index("## 工作覆盖")
    block = themes[start : themes.index("## ", start + 3)]
    assert block.count("- [") == 2  # both samples share 工作覆盖
    archive = page(docs, "cases/archive/index.md")
    assert "## 2025 年 { #y2025 }" in archive and "### 2025 年 11 月 { #m2025-11 }" in archive


def test_the_feed_is_atom_and_the_same_bytes_every_time(library, tmp_path):
    docs, _, _ = library
    feed = (docs / "cases/feed.xml").read_bytes()
    root = ET.fromstring(feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "puxian-three-ways/",
        "jixian-red-business-district/",
    ]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "蒲县"
    assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == [
        "摸排",
        "组建",
        "工作覆盖",
    ]
    assert root.find(f"{ATOM}updated").text == "2025-11-01T00:00:00Z"  # from the cases, no clock
    render_library(tmp_path)
    assert (tmp_path / "cases/feed.xml").read_bytes() == feed
    assert page(tmp_path, "cases/index.md") == page(docs, "cases/index.md")


def test_image_paths_and_case_links_are_pointed_from_the_case_page():
    body = "\n".join(
        [
            "![现场](<images/px/走访 1.jpg>)",  # alone on its line: a captioned figure
            "文中 ![小图](images/px/a.png) 的图",
            "  ![缩进](images/px/b.png)",  # indented (in a list item): stays inline
            "见[另一个案例](other.md#做法)和[外链](https://example.org/x.md)",
        ]
    )
    placed = link_cases(_place_images(body, "cases/c"), {"other"})
    target = "../images/px/%E8%B5%B0%E8%AE%BF%201.jpg"
    assert f"[![现场]({target}){{ loading=lazy }}]({target}){{ .case-lightbox }}" in placed
    assert '<figcaption markdown="span">现场</figcaption>' in placed
    assert "文中 ![小图](../images/px/a.png) 的图" in placed
    assert "  ![缩进](../images/px/b.png)" in placed
    assert "见[另一个案例](../other/index.md#做法)和[外链](https://example.org/x.md)" in placed
