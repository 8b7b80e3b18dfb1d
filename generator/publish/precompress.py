"""Precompressed copies for web servers: ``page.html`` -> ``page.html.gz``.

nginx's ``gzip_static on`` (and IIS with static compression pointed at them) serve these
instead of compressing every response, so a county's intranet server sends pages, styles,
scripts, search index and charts at a fraction of their size. Same bytes every build: gzip
with no file name and a zero time stamp. In an incremental build the new site starts as hard
links of the published one, so a copy is written again only when its file was (the copy
carries its file's modification time); a changed file is replaced, never written through a
hard link, and a copy whose file is gone is removed.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".svg"})
MIN_BYTES = 256  # smaller files gain nothing worth a second file
# Larger files (a province's metrics.json and series.json, 3.4 MB each, its brief page) are
# compressed at level 6: a tenth of level 9's time (0.34 s to 0.03 s for metrics.json, in
# every rebuild that changes a county's figures) for a fifth more bytes of a rare download.
LARGE_BYTES = 1 << 20


def precompress(site: Path) -> int:
    """Write the missing or stale ``.gz`` copies under ``site``; returns how many were written."""
    written = 0
    emptied: set[Path] = set()
    for folder, _, names in os.walk(site):
        present = set(names)
        for name in names:
            path = Path(folder) / name
            if name.endswith(".gz"):
                source = name[:-3]
                if Path(source).suffix in SUFFIXES and source not in present:
                    path.unlink()  # its page is gone
                    emptied.add(path.parent)
                continue
            if Path(name).suffix not in SUFFIXES:
                continue
            stat = path.stat()
            copy = path.with_name(name + ".gz")
            if stat.st_size < MIN_BYTES:
                copy.unlink(missing_ok=True)
                continue
            try:
                if copy.stat().st_mtime_ns == stat.st_mtime_ns:
                    continue  # written from this very file
            except FileNotFoundError:
                pass
            partial = copy.with_name(f".{copy.name}.partial")
            level = 6 if stat.st_size > LARGE_BYTES else 9
            partial.write_bytes(gzip.compress(path.read_bytes(), compresslevel=level, mtime=0))
            os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            partial.replace(copy)  # a new file: the published site's link is left alone
            written += 1
    for empty in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while empty != site and empty.is_dir() and not any(empty.iterdir()):
            empty.rmdir()  # a removed page's folder goes with it, as MkDocs' own output does
            empty = empty.parent
    return written
