"""The served site's search index: Pagefind, fetched in small pieces, instead of one lunr file.

Material's search makes every page view download ``search/search_index.json`` (77 MiB at
province scale). Pagefind (the ``pagefind[extended]`` package: its binary segments Chinese)
indexes the built pages into ``pagefind/``: the browser fetches the chunks of the index that
hold the words searched for and the text of the results it shows, nothing before a search.
The theme's worker (assets/javascripts/search-worker.js) answers Material's search box with it.

MkDocs' own index is still built (the incremental build merges it, and it is the index the
offline zip inlines); it is kept as ``search/lunr_index.json`` and the file every page view
fetches is left with the search settings and no documents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from generator.diagnostics import BuildError

FOLDER = "pagefind"
SERVED = "search/search_index.json"  # what Material's pages fetch (incremental.SEARCH_INDEX)
KEPT = "search/lunr_index.json"  # the whole lunr index, for the next incremental merge
ROOT = "article.md-content__inner"  # a page's text, without the navigation around it
# Pagefind's own search interfaces: the site uses Material's, so they are not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def index_site(site: Path) -> None:
    """Write ``site``/pagefind/ from the built pages and leave the page views' lunr file
    empty of documents. Same pages in, same bytes out."""
    shutil.rmtree(site / FOLDER, ignore_errors=True)
    command = [
        str(_executable()),
        "--site",
        str(site),
        "--output-subdir",
        FOLDER,
        "--root-selector",
        ROOT,
        "--glob",
        "**/index.html",  # the pages, not 404.html
        "--quiet",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BuildError(f"搜索索引（Pagefind）无法运行 / cannot run Pagefind: {exc}") from exc
    if done.returncode != 0:
        raise BuildError(
            "搜索索引（Pagefind）生成失败 / Pagefind failed:\n"
            + (done.stderr or done.stdout).strip()[-2000:]
        )
    for name in UNUSED:
        (site / FOLDER / name).unlink(missing_ok=True)
    _empty_served_index(site)


def _empty_served_index(site: Path) -> None:
    served = site / SERVED
    if not served.is_file():
        return
    os.replace(served, site / KEPT)  # a rename: the incremental merge's byte ranges stay valid
    served.write_text(
        json.dumps({"config": _config(site / KEPT), "docs": []}, separators=(",", ":")),
        encoding="utf-8",
    )


def _config(index: Path) -> dict:
    """The index's search settings, which MkDocs writes first: read without the documents."""
    with index.open("rb") as handle:
        head = handle.read(1 << 16)
    start, end = head.find(b'{"config":'), head.find(b',"docs":')
    if start == 0 and end > 0:
        return json.loads(head[len(b'{"config":') : end])
    return json.loads(index.read_bytes()).get("config", {})


def _executable() -> Path:
    try:
        import pagefind_bin_extended  # type: ignore[import-untyped]  # ships no type information
    except ImportError as exc:
        raise BuildError(
            "缺少搜索组件 pagefind[extended]，请重新安装 sitegen / "
            "pagefind[extended] is not installed"
        ) from exc
    return pagefind_bin_extended.get_executable()
