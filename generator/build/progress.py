"""A build's progress on ``generator.progress``: each stage's outcome and time, and a long
stage's count so far (shown on a terminal, not in CI; see generator.cli)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator

progress = logging.getLogger("generator.progress")


@contextlib.contextmanager
def stage(name: str) -> Iterator[Callable[[str], None]]:
    """Log a stage's outcome and time to ``generator.progress`` (shown on a terminal, not in CI)."""
    start = time.perf_counter()
    summary: list[str] = []
    yield summary.append
    detail = f": {summary[-1]}" if summary else ""
    progress.info("stage %s%s (%.1f s)", name, detail, time.perf_counter() - start)


_started: dict[str, float] = {}


def tick(name: str, done: int, total: int) -> None:
    """A long stage's count so far (counties), every tenth of the way (see cli for where)."""
    start = _started.setdefault(name, time.perf_counter()) if done == 1 else _started.get(name)
    if total >= 20 and start is not None and done % max(1, total // 10) == 0:
        elapsed = time.perf_counter() - start
        progress.info("  %s %d/%d (%.1f s)", name, done, total, elapsed)
