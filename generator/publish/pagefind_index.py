"""The served site's search index: Pagefind, fetched in small pieces, instead of one lunr file.

Material's search makes every page view download ``search/search_index.json`` (77 MiB at
province scale). Pagefind (the ``pagefind[extended]`` package: its binary segments Chinese)
indexes the built pages into ``pagefind/``: the browser fetches the chunks of the index that
hold the words searched for and the text of the results it shows, nothing before a search.
The theme's worker (assets/javascripts/search-worker.js) answers Material's search box with it.

MkDocs' own (lunr) index is built only for the offline zip, which inlines it: for the served
site Material's search plugin writes ``search/search_index.json`` with its settings and no
documents (publish.site._settings_only_search).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from generator.diagnostics import BuildError

FOLDER = "pagefind"
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
    """Write ``site``/pagefind/ from the built pages. Same pages in, same bytes out."""
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


def _executable() -> Path:
    try:
        import pagefind_bin_extended  # type: ignore[import-untyped]  # ships no type information
    except ImportError as exc:
        raise BuildError(
            "缺少搜索组件 pagefind[extended]，请重新安装 sitegen / "
            "pagefind[extended] is not installed"
        ) from exc
    return pagefind_bin_extended.get_executable()
