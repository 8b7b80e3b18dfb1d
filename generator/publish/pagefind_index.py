"""The served site's search index: Pagefind, fetched in small pieces, instead of one lunr file.

Material's search makes every page view download ``search/search_index.json`` (77 MiB at
province scale). Pagefind (the ``pagefind[extended]`` package: its binary segments Chinese)
indexes the built pages into ``pagefind/``: the browser fetches the chunks of the index that
hold the words searched for and the text of the results it shows, nothing before a search.
The theme's worker (assets/javascripts/search-worker.js) answers Material's search box with it.

The index is kept in shards, so that a rebuild indexes again only the pages that changed
instead of the whole site (Pagefind has no incremental mode; at province scale a whole index
takes some 20 s and 1.75 GB). ``pagefind/`` holds the pages about the whole site (overview,
regions, cases, brief...); each of ``pagefind-1/``, ``pagefind-2/``... holds the pages of a
group of counties (a county's group is fixed by its id). ``pagefind/shards.json`` lists the
others, which the worker merges into the primary (Pagefind's ``mergeIndex``): a search costs
each shard's small entry and metadata files (its instances share the primary's WebAssembly).
A shard none of whose pages was written or removed is kept as the last published build left
it (hard links).

MkDocs' own (lunr) index is built only for the offline zip, which inlines it: for the served
site Material's search plugin writes ``search/search_index.json`` with its settings and no
documents (publish.site._settings_only_search).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import BuildError

FOLDER = "pagefind"  # the primary shard: the site's own pages
MANIFEST = f"{FOLDER}/shards.json"  # the other shards, for the worker
GROUP = 15  # counties per shard: 120 counties make 8 shards of some 330 pages each
GLOB = "**/index.html"  # the pages, not 404.html
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


def index_site(site: Path, changed: Iterable[str] | None = None) -> None:
    """Write the search index of the pages in ``site``. ``changed``: the built pages (paths in
    the site, such as ``counties/x/index.html``) written or removed since the index in
    ``site`` was made (None: index every shard). Same pages in, same bytes out."""
    shards: dict[str, list[str]] = {}
    pages = sorted(path.relative_to(site).as_posix() for path in site.glob(GLOB))
    groups = max(1, math.ceil(len(counties_of(pages)) / GROUP))
    for page in pages:
        shards.setdefault(shard_of(page, groups), []).append(page)
    names = sorted(shards, key=lambda name: (name != FOLDER, len(name), name))
    manifest = json.dumps({"shards": names[1:]}, separators=(",", ":")) + "\n"
    if changed is None or _read(site / MANIFEST) != manifest:
        dirty = set(names)
    else:
        dirty = {shard_of(page, groups) for page in changed}
        dirty |= {name for name in names if not (site / name / "pagefind-entry.json").is_file()}
    for stale in site.glob(f"{FOLDER}-*"):
        if stale.name not in shards:
            shutil.rmtree(stale)
    for name in names:
        if name in dirty:
            _index(site, name, shards[name])
    if FOLDER in dirty:  # else the published one is linked in: the same bytes, left alone
        (site / MANIFEST).write_text(manifest, encoding="utf-8")


def counties_of(pages: Iterable[str]) -> set[str]:
    return {
        page.split("/")[1] for page in pages if page.startswith("counties/") and page.count("/") > 1
    }


def shard_of(page: str, groups: int) -> str:
    """The shard of a page (its path in the site): a county's pages go to its group's."""
    parts = page.split("/")
    if len(parts) > 2 and parts[0] == "counties":
        return f"{FOLDER}-{zlib.crc32(parts[1].encode()) % groups + 1}"
    return FOLDER


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _index(site: Path, name: str, pages: list[str]) -> None:
    """Index ``pages`` into ``site``/``name``/: Pagefind reads a folder of hard links to them,
    so their URLs are their paths in the site."""
    out = site / name
    shutil.rmtree(out, ignore_errors=True)
    # inside the new site's folder: a killed build's leftovers go with it (site.stage_ahead)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site) as work:
        root = Path(work)
        for page in pages:
            (root / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, root / page)
        _run(root, out)
    # the primary's script and worker search every shard: the others' copies are not used
    for unused in UNUSED if name == FOLDER else (*UNUSED, "pagefind.js", "pagefind-worker.js"):
        (out / unused).unlink(missing_ok=True)


def _run(root: Path, out: Path) -> None:
    command = [
        str(_executable()),
        "--site",
        str(root),
        "--output-path",
        str(out),
        "--root-selector",
        ROOT,
        "--glob",
        GLOB,
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


def _executable() -> Path:
    try:
        import pagefind_bin_extended  # type: ignore[import-untyped]  # ships no type information
    except ImportError as exc:
        raise BuildError(
            "缺少搜索组件 pagefind[extended]，请重新安装 sitegen / "
            "pagefind[extended] is not installed"
        ) from exc
    return pagefind_bin_extended.get_executable()
