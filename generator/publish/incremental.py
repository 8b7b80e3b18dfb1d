"""Incremental publishing: rebuild only the pages whose Markdown changed, keep the rest.

The new site is staged as hard links to the published one, so unchanged pages cost nothing.
MkDocs then builds in its ``dirty`` mode, which renders only the pages that changed: those the
renderer wrote this time (MkDocs is told, see ``known_changes``) or whose output is missing.
Two things make that safe and complete here:

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
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.build.cache import store_pickle

SEARCH_INDEX = "search/search_index.json"
KEPT_INDEX = "search/lunr_index.json"  # pagefind_index.KEPT: the whole index, not served
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


class FilesProbe(BasePlugin):
    """Keeps the files of a MkDocs build (added to its plugins), so they are not listed again."""

    files: Files

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.files = files
        return files


def merge_search_index(
    previous: Path,
    staging: Path,
    files: Files,
    rebuilt: set[str],
    removed: list[str],
    spans_cache: Path | None = None,
) -> None:
    """Put back the previous index entries of every page that was not rebuilt.

    A province site's index is tens of megabytes. ``spans_cache`` keeps where each page's
    entries are in the index it describes, so they are copied as bytes: only the rebuilt
    pages' entries are parsed and serialized.
    """
    old_path, new_path = previous / SEARCH_INDEX, staging / SEARCH_INDEX
    if (previous / KEPT_INDEX).is_file():  # the served one has no documents (pagefind_index)
        old_path = previous / KEPT_INDEX
    if not old_path.is_file() or not new_path.is_file():
        return
    new = json.loads(new_path.read_text(encoding="utf-8"))
    spans = _cached_spans(spans_cache, old_path)
    kept: dict[str, tuple[int, int] | bytes]
    if spans is not None:
        kept = dict(spans)  # byte ranges of the old index, copied without being read
    else:
        kept = dict(_chunks_by_page(json.loads(old_path.read_bytes())["docs"]))
    for doc in [*rebuilt, *removed]:
        if doc.endswith(".md"):
            kept.pop(_location(_url_of(doc, files)), None)
    kept.update(_chunks_by_page(new["docs"]))
    pieces, where = _layout(new, kept, files)
    new_path.unlink()
    _write_pieces(new_path, old_path, _coalesced(pieces))
    if spans_cache is not None:
        _store_spans(spans_cache, new_path, where)


def record_search_spans(staging: Path, files: Files, spans_cache: Path) -> None:
    """After a full build: where each page's entries are in the index MkDocs wrote, so that
    the next rebuild copies them instead of parsing the whole index. Kept only when the index
    is byte for byte what the merge would write."""
    path = staging / SEARCH_INDEX
    if not path.is_file():
        return
    written = path.read_bytes()
    index = json.loads(written)
    pieces, where = _layout(index, dict(_chunks_by_page(index["docs"])), files)
    if b"".join(piece for piece in pieces if isinstance(piece, bytes)) == written:
        _store_spans(spans_cache, path, where)


def _layout(
    index: dict, chunks: dict[str, tuple[int, int] | bytes], files: Files
) -> tuple[list[bytes | tuple[int, int]], dict[str, tuple[int, int]]]:
    """The pieces of an index with ``chunks`` as its entries, and where each page's are.

    Each page's entries in their own order, pages in the order a clean build writes them.
    """
    index = {**index, "docs": _PLACEHOLDER}
    head, tail = _dumps(index).encode().split(_dumps(_PLACEHOLDER).encode(), 1)
    pieces: list[bytes | tuple[int, int]] = [head + b"["]
    where: dict[str, tuple[int, int]] = {}
    position = len(head) + 1
    for page in (_location(f.url) for f in files.documentation_pages()):
        chunk = chunks.get(page)
        if chunk is None:
            continue
        if where:
            pieces.append(b",")
            position += 1
        size = len(chunk) if isinstance(chunk, bytes) else chunk[1] - chunk[0]
        pieces.append(chunk)
        where[page] = (position, position + size)
        position += size
    pieces.append(b"]" + tail)
    return pieces, where


def _coalesced(pieces: list[bytes | tuple[int, int]]) -> list[bytes | tuple[int, int]]:
    """Join neighbouring pages that were neighbours in the old index too (with the comma
    between them) into one byte range: unchanged runs of pages become one copy."""
    out: list[bytes | tuple[int, int]] = []
    for piece in pieces:
        if (
            isinstance(piece, tuple)
            and len(out) >= 2
            and out[-1] == b","
            and isinstance(out[-2], tuple)
            and out[-2][1] + 1 == piece[0]
        ):
            out[-2:] = [(out[-2][0], piece[1])]
        else:
            out.append(piece)
    return out


def _write_pieces(path: Path, source: Path, pieces: list[bytes | tuple[int, int]]) -> None:
    """Write bytes and byte ranges of ``source``; the ranges are copied by the kernel."""
    with source.open("rb") as old, path.open("wb", buffering=0) as out:
        for piece in pieces:
            if isinstance(piece, bytes):
                out.write(piece)
                continue
            start, end = piece
            while start < end:
                try:
                    copied = os.copy_file_range(old.fileno(), out.fileno(), end - start, start)
                except (AttributeError, OSError):  # not Linux, or not on this file system
                    copied = out.write(os.pread(old.fileno(), min(end - start, 1 << 24), start))
                if copied <= 0:
                    raise OSError(f"{source} is shorter than its recorded search entries")
                start += copied


_PLACEHOLDER = "\x00sitegen-docs\x00"


def _dumps(value: object) -> str:
    """As MkDocs' search plugin writes its index."""
    return json.dumps(value, separators=(",", ":"), default=str)


def _chunks_by_page(docs: list[dict]) -> dict[str, bytes]:
    """Each page's entries, serialized and comma-joined."""
    pages: dict[str, list[str]] = {}
    for entry in docs:
        pages.setdefault(_page(entry), []).append(_dumps(entry))
    return {page: ",".join(entries).encode() for page, entries in pages.items()}


def _stamp(path: Path) -> tuple[int, int, int]:
    """Which file an index is: a renamed folder (the swap) keeps it; a rewrite changes it."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _cached_spans(cache: Path | None, index: Path) -> dict[str, tuple[int, int]] | None:
    if cache is None:
        return None
    try:
        with cache.open("rb") as handle:
            stamp, spans = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    return spans if stamp == _stamp(index) else None


def _store_spans(cache: Path, index: Path, spans: dict[str, tuple[int, int]]) -> None:
    store_pickle(cache, (_stamp(index), spans))


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
