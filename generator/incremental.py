"""Incremental publishing: rebuild only the pages whose Markdown changed, keep the rest.

The new site is staged as hard links to the published one, so unchanged pages cost nothing.
MkDocs then builds in its ``dirty`` mode, which renders only pages whose source is newer than
their output. Two things make that safe and complete here:

- every file MkDocs writes is unlinked first, so a hard-linked (published) file is never
  changed in place: the published site stays exactly as it was until the swap;
- a dirty build's search index holds only the re-rendered pages (mkdocs-material#7638), so
  the previous index is merged back: entries of unchanged pages kept, those of changed or
  removed pages replaced, in the order a clean build writes them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

SEARCH_INDEX = "search/search_index.json"
# Written by every MkDocs build, some of them not through mkdocs.utils (the gzip sitemap).
ALWAYS_WRITTEN = ("sitemap.xml", "sitemap.xml.gz", "404.html", SEARCH_INDEX)


def link_tree(source: Path, target: Path) -> None:
    """Recreate ``source`` under ``target`` with hard links (copies where links fail)."""
    for folder, _, files in os.walk(source):
        here = target / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, here / name)
            except OSError:
                shutil.copy2(Path(folder) / name, here / name)


def page_dest(doc: str) -> str:
    """The output path of a docs file: ``a/b/index.md`` -> ``a/b/index.html``."""
    return doc[: -len(".md")] + ".html" if doc.endswith(".md") else doc


def prepare_staging(previous: Path, staging: Path, changed: set[str], removed: list[str]) -> None:
    """Stage the previous site; drop the outputs that must be written anew."""
    link_tree(previous, staging)
    for doc in [*changed, *removed]:
        target = staging / page_dest(doc)
        if target.is_file():
            target.unlink()
    for name in ALWAYS_WRITTEN:
        (staging / name).unlink(missing_ok=True)


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every dirty build (its nav may go stale: ours is fixed and small, and
    the search index is merged back). In strict mode that warning would abort the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def quiet_dirty_notice() -> Iterator[None]:
    target = logging.getLogger("mkdocs.commands.build")
    notice = _DirtyNotice()
    target.addFilter(notice)
    try:
        yield
    finally:
        target.removeFilter(notice)


@contextlib.contextmanager
def unlink_before_write() -> Iterator[None]:
    """MkDocs writes files in place; unlink first so a hard-linked published file is untouched."""
    write_file, copy_file = mkdocs_utils.write_file, mkdocs_utils.copy_file

    def write(content: bytes, output_path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(output_path)
        write_file(content, output_path)

    def copy(source_path: str, output_path: str) -> None:
        target = output_path
        if os.path.isdir(output_path):
            target = os.path.join(output_path, os.path.basename(source_path))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        copy_file(source_path, output_path)

    with (
        mock.patch.object(mkdocs_utils, "write_file", write),
        mock.patch.object(mkdocs_utils, "copy_file", copy),
    ):
        yield


def merge_search_index(
    previous: Path, staging: Path, config: MkDocsConfig, rebuilt: set[str], removed: list[str]
) -> None:
    """Put back the previous index entries of every page that was not rebuilt."""
    old_path, new_path = previous / SEARCH_INDEX, staging / SEARCH_INDEX
    if not old_path.is_file() or not new_path.is_file():
        return
    old = json.loads(old_path.read_text(encoding="utf-8"))
    new = json.loads(new_path.read_text(encoding="utf-8"))
    files = get_files(config)
    order = {_location(f.url): i for i, f in enumerate(files.documentation_pages())}
    replaced = {
        _location(_url_of(doc, files)) for doc in [*rebuilt, *removed] if doc.endswith(".md")
    }
    kept = [e for e in old["docs"] if _page(e) not in replaced and _page(e) in order]
    fresh = [e for e in new["docs"] if _page(e) in order]
    # Each page's entries come from one of the two lists, in their own order.
    ranked = [(order[_page(e)], i, e) for i, e in enumerate(kept)]
    ranked += [(order[_page(e)], i, e) for i, e in enumerate(fresh)]
    new["docs"] = [e for _, _, e in sorted(ranked, key=lambda item: item[:2])]
    text = json.dumps(new, separators=(",", ":"), default=str)
    new_path.unlink()
    new_path.write_text(text, encoding="utf-8")


def _location(url: str) -> str:
    """A page URL as search entries write it: the home page "./" is ""."""
    return "" if url == "./" else url


def _page(entry: dict) -> str:
    return entry["location"].split("#", 1)[0]


def _url_of(doc: str, files) -> str:
    found = files.get_file_from_path(doc)
    if found is not None:
        return found.url
    # A removed page is no longer among the files: its URL by the use_directory_urls rule.
    folder = doc[: -len("index.md")] if doc.endswith("index.md") else doc[: -len(".md")] + "/"
    return folder
