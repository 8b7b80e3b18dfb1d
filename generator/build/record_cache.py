"""Parsed and validated records, cached per file by content (for repeated builds).

Parsing YAML is most of a large ledger's load time. A file whose size, inode, modification
and change times are unchanged is taken from the cache (the change time cannot be set back by
copying tools); one whose stat changed is hashed, and taken from the cache when its bytes are
the same. Its diagnostics are cached with it and reported again, so a
cached run reports exactly what an uncached one does. The cache is a pickle in the build cache
folder: as trusted as the checkout itself, and thrown away when unreadable.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from generator.build.cache import store_pickle
from generator.diagnostics import Report
from generator.load.yamlsource import MAX_FILE_BYTES

VERSION = 2
_Loaded = TypeVar("_Loaded")  # what ``read`` returns for one file, cached as it is


class RecordCache:
    def __init__(self, path: Path, salt: str, read_existing: bool = True):
        self.path = path
        self.salt = salt  # code version: records from another version are not reused
        self.entries: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        self.hits = 0
        if not read_existing:  # --clean: read every file, then write a fresh cache
            return
        try:
            with path.open("rb") as handle:
                version, salt_found, entries = pickle.load(handle)
            if version == VERSION and salt_found == salt:
                self.entries = entries
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError):  # fmt: skip
            pass  # no cache or an unusable one (ImportError: written before a module moved): everything is read again

    def load(
        self, path: Path, key: str, report: Report, read: Callable[[Report], Iterable[_Loaded]]
    ) -> list[_Loaded]:
        """The records of ``path`` (via ``read`` on a miss), their diagnostics added to report."""
        try:
            stat = path.stat()
        except OSError:
            return list(read(report))
        if stat.st_size > MAX_FILE_BYTES:  # never hashed: read_text refuses it by its size
            return list(read(report))
        signature = (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == signature:
            return self._hit(key, entry, report)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if entry is not None and entry[1] == digest:
            return self._hit(key, (signature, *entry[1:]), report)
        found = Report()
        records = list(read(found))
        report.diagnostics.extend(found.diagnostics)
        self.used[key] = (signature, digest, records, found.diagnostics)
        return records

    def _hit(self, key: str, entry: tuple, report: Report) -> list[Any]:
        self.hits += 1
        self.used[key] = entry
        report.diagnostics.extend(entry[3])
        return entry[2]

    def save(self) -> None:
        """Keep the files of this run only (deleted files drop out)."""
        store_pickle(self.path, (VERSION, self.salt, self.used))
