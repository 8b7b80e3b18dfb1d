"""The big tables are HTML written by the templates, which Python-Markdown never parses
(generator/publish/html_blocks.py): their links work on the served site and in the offline
zip, a broken one stops the build, and the page is still Markdown without the plugin."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.diagnostics import BuildError
from generator.publish.html_blocks import (
    CLOSE,
    DEFERRED_ROWS,
    OPEN,
    ROW_REM,
    _take_out,
    _Unclosed,
)
from generator.publish.site import build_offline_zip, build_site
from tests.conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent

# Pages whose tables are HTML blocks, and a link each must have (as the served site writes it).
TABLE_PAGES = {
    "counties/puxian/followups/": "../orgs/#org-",
    "counties/puxian/orgs/": "../grids/zone-",
    "counties/puxian/activities/": "../grids/zone-",
    "counties/puxian/": "grids/zone-",
    "counties/puxian/grids/zone-chengdong/": "../../orgs/#org-",
    "activities/": "../counties/",
    "": "counties/puxian/",  # the overview's table of counties
}
_TABLE = re.compile(r"<table[ >].*?</table>", re.S)
_HREF = re.compile(r' href="([^"]*)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sample site served (directory URLs) and as the offline zip (page.html URLs)."""
    work = tmp_path_factory.mktemp("tables")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(ROOT), "build"]
        + ["--out", str(work / "site"), "--zip", str(work / "site.zip")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(work / "site.zip") as zipped:
        zipped.extractall(work / "stick")
    return work / "site", work / "stick" / "site"


def table_links(site: Path, page: str) -> list[tuple[str, Path, str]]:
    """(href, the file it opens, its fragment) of every relative link in the page's tables."""
    html = (site / page).read_text(encoding="utf-8")
    links = []
    for table in _TABLE.findall(html):
        for href in _HREF.findall(table):
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "/")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
            opened = site / target / "index.html" if href.split("#")[0].endswith("/") else None
            links.append((href, opened or site / target, parts.fragment))
    return links


def assert_links_open(site: Path, page: str) -> list[str]:
    links = table_links(site, page)
    assert links, f"{page}: no links in its tables"
    for href, opened, fragment in links:
        assert opened.is_file(), f"{page}: {href} opens nothing ({opened})"
        if fragment:
            assert f'id="{fragment}"' in opened.read_text(encoding="utf-8"), f"{page}: {href}"
    return [href for href, _, _ in links]


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_table_links_open_their_pages_on_the_served_site(built, page):
    site, _ = built
    hrefs = assert_links_open(site, page + "index.html")
    assert any(TABLE_PAGES[page] in href for href in hrefs), hrefs
    assert not any(".md" in href for href in hrefs), hrefs


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_table_links_open_their_pages_from_the_offline_zip(built, page):
    _, stick = built
    hrefs = assert_links_open(stick, page + "index.html")
    # page.html addresses, for file:// where a folder does not open its index.html
    assert all(urlsplit(h).path.endswith(".html") for h in hrefs), hrefs
    assert not any(".md" in href for href in hrefs), hrefs


def test_the_ledger_table_is_sortable_and_styled_as_a_markdown_table(built):
    site, _ = built
    html = (site / "counties/puxian/orgs/index.html").read_text(encoding="utf-8")
    # tablesort.js sorts ".sortable table"; Material styles "table:not([class])"
    assert '<div class="sortable ledger-table">\n<table>\n<thead>' in html
    assert '<th style="text-align: right;">从业人员</th>' in html
    assert OPEN not in html and "sitegen-html-" not in html  # no marker nor placeholder left
    assert "<!--" not in html[html.index("<article") : html.index("</article>")]


def test_long_tables_are_laid_out_only_near_the_screen(built):
    """A table of more than DEFERRED_ROWS rows sits in a box of ``content-visibility: auto``
    (site.css) whose height until then is estimated from its rows; a short one does not."""
    site, stick = built
    for root in (site, stick):
        html = (root / "counties/puxian/activities/index.html").read_text(encoding="utf-8")
        box = re.search(
            r'<div class="table-deferred" style="contain-intrinsic-block-size: auto (\d+)rem">\n'
            r"(<table>.*?</table>)\n</div>",
            html,
            re.S,
        )
        assert box, "the activities table is not deferred"
        rows = box[2].count("<tr")
        assert rows > DEFERRED_ROWS
        assert int(box[1]) == round(rows * ROW_REM + 2)
    county = (site / "counties/puxian/index.html").read_text(encoding="utf-8")
    grids = county.index("<thead>\n<tr>\n<th>网格</th>")  # a few grids: laid out at once
    assert county[:grids].endswith("<table>\n")
    assert 'class="table-deferred"' not in county[grids - 120 : grids]
    css = (ROOT / "content/assets/stylesheets/site.css").read_text(encoding="utf-8")
    assert re.search(r"\.table-deferred \{ content-visibility: auto;", css)


# --- the plugin on a small MkDocs project --------------------------------------------------

BLOCK = f"""{OPEN}
<table>
<tbody>
<tr>
<td><a href="../orgs/index.md#org-a">A &amp; B</a></td>
<td><a href="https://git.example.org/x.yaml">edit</a></td>
</tr>
</tbody>
</table>
{CLOSE}
"""


def project(tmp_path: Path, link: str = "../orgs/index.md#org-a") -> tuple[Path, Path]:
    """mkdocs.yml and a docs folder of two pages, the first with an HTML block linking to
    ``link``, inside a Markdown section as the follow-ups page has it."""
    docs = tmp_path / "docs"
    write_tree(
        docs,
        {
            "grid/index.md": "# 网格\n\n<section markdown>\n\n## 待跟进\n\n"
            + BLOCK.replace("../orgs/index.md#org-a", link)
            + "\n</section>\n\n[台账](../orgs/index.md)\n",
            "orgs/index.md": '# 台账\n\n<span id="org-a"></span>甲\n',
        },
    )
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(
        "site_name: t\nstrict: true\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - tables\n  - attr_list\n  - md_in_html\n"
        "validation:\n  anchors: warn\n",
        encoding="utf-8",
    )
    return mkdocs_yml, docs


def test_the_plugin_resolves_block_links_for_both_url_styles(tmp_path):
    mkdocs_yml, docs = project(tmp_path)
    build_site(mkdocs_yml, docs, tmp_path / "site", extra={}, source_date_epoch=0)
    served = (tmp_path / "site/grid/index.html").read_text(encoding="utf-8")
    assert '<td><a href="../orgs/#org-a">A &amp; B</a></td>' in served
    assert '<a href="https://git.example.org/x.yaml">edit</a>' in served  # left alone
    build_offline_zip(mkdocs_yml, docs, tmp_path / "s.zip", extra={}, source_date_epoch=0)
    with zipfile.ZipFile(tmp_path / "s.zip") as zipped:
        offline = zipped.read("site/grid/index.html").decode("utf-8")
    assert '<td><a href="../orgs/index.html#org-a">A &amp; B</a></td>' in offline


def test_a_broken_link_in_a_block_stops_the_build_naming_page_and_link(tmp_path, caplog):
    mkdocs_yml, docs = project(tmp_path, "../nowhere/index.md")
    with pytest.raises(BuildError, match="MkDocs build failed"):
        build_site(mkdocs_yml, docs, tmp_path / "site", extra={}, source_date_epoch=0)
    # MkDocs logs the plugin's error (sitegen shows MkDocs' errors) and stops the build
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert (
        "页面 grid/index.md 的表格链接到不存在的文件 / the page grid/index.md has links to "
        "files that are not there: “../nowhere/index.md”（nowhere/index.md）"
    ) in errors
    assert not (tmp_path / "site").exists()  # nothing published


ANCHOR_BUILD = """
import logging
import sys
logging.basicConfig(format="%(message)s", level=logging.WARNING)
from pathlib import Path
from generator.publish.site import build_site
build_site(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), extra={}, source_date_epoch=0)
"""


def test_a_block_link_to_a_missing_anchor_fails_mkdocs_anchor_check(tmp_path):
    # in a process of its own: MkDocs counts the warnings of strict mode through logging, which
    # tests run before this one in the same process may have left configured otherwise
    mkdocs_yml, docs = project(tmp_path, "../orgs/index.md#org-b")
    done = subprocess.run(
        [sys.executable, "-c", ANCHOR_BUILD, str(mkdocs_yml), str(docs), str(tmp_path / "site")],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert done.returncode != 0 and "strict mode" in done.stderr, done.stderr[-2000:]
    assert (
        "Doc file 'grid/index.md' contains a link '../orgs/index.md#org-b', but the doc "
        "'orgs/index.md' does not contain an anchor '#org-b'."
    ) in done.stderr
    assert not (tmp_path / "site").exists()


def test_a_block_s_ids_are_anchors_markdown_links_may_name(tmp_path):
    mkdocs_yml, docs = project(tmp_path, "../grid/index.md")
    (docs / "orgs/index.md").write_text(
        f'# 台账\n\n{OPEN}\n<table><tr><td id="org-z">乙</td></tr></table>\n{CLOSE}\n\n'
        "[网格](../grid/index.md)\n",
        encoding="utf-8",
    )
    (docs / "grid/index.md").write_text(
        "# 网格\n\n[乙](../orgs/index.md#org-z)\n", encoding="utf-8"
    )
    build_site(mkdocs_yml, docs, tmp_path / "site", extra={}, source_date_epoch=0)
    assert 'href="../orgs/#org-z"' in (tmp_path / "site/grid/index.html").read_text("utf-8")


def test_without_the_plugin_the_page_is_still_markdown(tmp_path):
    """The bench's bare `mkdocs build` of the generated pages: the markers are comments."""
    mkdocs_yml, docs = project(tmp_path)
    cfg = load_config(str(mkdocs_yml), docs_dir=str(docs), site_dir=str(tmp_path / "bare"))
    mkdocs_build(cfg)
    html = (tmp_path / "bare/grid/index.html").read_text(encoding="utf-8")
    assert "<td><a href=" in html and "A &amp; B" in html


def test_a_placeholder_the_markdown_swallowed_stops_the_build(tmp_path, caplog):
    mkdocs_yml, docs = project(tmp_path)
    page = docs / "grid/index.md"
    indented = "".join(f"  {line}\n" for line in BLOCK.splitlines())
    page.write_text(f"# 网格\n\n- 列表\n{indented}", encoding="utf-8")
    with pytest.raises(BuildError):
        build_site(mkdocs_yml, docs, tmp_path / "site", extra={}, source_date_epoch=0)
    assert "1 HTML blocks of grid/index.md could not be put back" in caplog.text


def test_markers_count_only_on_lines_of_their_own():
    key = "0" * 16
    text, blocks = _take_out(
        f"a\n\n{BLOCK}\n文字 {OPEN} 文字\n\n    {OPEN}\n    <p>\n      x\n    {CLOSE}\n", key
    )
    # a block inside "??? info" is at its markers' indentation
    assert blocks == [BLOCK.split("\n", 1)[1].rsplit(CLOSE, 1)[0].rstrip("\n"), "<p>\n  x"]
    assert text == f"a\n\nsitegen-html-{key}-0\n\n文字 {OPEN} 文字\n\n    sitegen-html-{key}-1\n"
    with pytest.raises(_Unclosed) as unclosed:
        _take_out(f"a\n\n{OPEN}\n<table>\n", key)
    assert unclosed.value.line == 3
