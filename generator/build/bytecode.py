"""Compiled Jinja templates kept in the build cache (the pages' and the theme's)."""

from __future__ import annotations

from jinja2 import FileSystemBytecodeCache


class SafeBytecodeCache(FileSystemBytecodeCache):
    """A damaged or foreign compiled template (cut short by a kill, another Python) is
    compiled again: a cache only ever costs time, it never stops a build."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # marshal's ValueError, EOFError, TypeError...
            bucket.reset()
