"""Incremental publishing: rebuild only the pages whose Markdown changed, keep the rest.

The new site is staged as hard links to the published one, so unchanged pages cost nothing.
MkDocs then builds in its ``dirty`` mode, which renders only the pages that changed: those the
renderer wrote this time (MkDocs is told, see ``known_changes``) or whose output is missing.
Two things make that safe and complete here:

- every file MkDocs writes is unlinked first, so a hard-linked (published) file is never
  changed in place: the published site stays exactly as it was until the swap;
- the served site's search index is Pagefind's, written from the built pages after MkDocs
  (publish.pagefind_index): MkDocs' own lunr index is not built for it, so a dirty build has
  no partial index to merge back (mkdocs-material#7638).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from mkdocs import utils as mkdocs_utils
from mkdocs.structure.files import File

SEARCH_INDEX = "search/search_index.json"  # the search settings only (pagefind_index)
# Written by every MkDocs build, some of them not through mkdocs.utils (the gzip sitemap).
ALWAYS_WRITTEN = ("sitemap.xml", "sitemap.xml.gz", "404.html", SEARCH_INDEX)


def link_tree(source: Path, target: Path) -> None:
    """Recreate ``source`` under ``target`` with hard links (copies where links fail)."""
    root, into = str(source), str(target)
    for folder, _, files in os.walk(root):
        here = into + folder[len(root) :]
        os.makedirs(here, exist_ok=True)
        for name in files:
            src, dst = f"{folder}/{name}", f"{here}/{name}"
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


def page_dest(doc: str) -> str:
    """The output path of a docs file (use_directory_urls): ``a/b/index.md`` and ``a/b.md`` ->
    ``a/b/index.html``; other files keep their path."""
    if not doc.endswith(".md"):
        return doc
    stem = doc[: -len(".md")]
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def drop_rebuilt(staging: Path, changed: set[str], removed: list[str]) -> None:
    """Drop from a staged copy of the site the outputs that must be written anew."""
    for doc in [*changed, *removed]:
        target = staging / page_dest(doc)
        if target.is_file():
            target.unlink()
    for name in ALWAYS_WRITTEN:
        (staging / name).unlink(missing_ok=True)


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every dirty build (its nav may go stale: ours is fixed and small, and
    the served search index is Pagefind's, made from every page). In strict mode that warning would abort the build."""

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


@contextlib.contextmanager
def known_changes(docs_dir: str, changed: set[str]) -> Iterator[None]:
    """A dirty build asks every file whether it changed by comparing the modification times of
    its source and output (three stat calls each, for thousands of files). For the docs files
    the answer is known: the ones written since the published build, or whose output is
    missing. Theme files are still asked."""
    original = File.is_modified

    def is_modified(self: File) -> bool:
        if self.src_dir != docs_dir or self._content is not None:
            return original(self)
        return self.src_uri in changed or not os.path.exists(self.abs_dest_path)

    with mock.patch.object(File, "is_modified", is_modified):
        yield
